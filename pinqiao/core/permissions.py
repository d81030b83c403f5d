"""Roles and permission helpers (ACC-2): least privilege, staff behind a second factor.

Seekers and recruiters are users of the platform; every other role is staff or an outside
overseer and must pass a TOTP second factor before any staff page or staff API.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from pinqiao.core.errors import NotPermitted


class Role(models.TextChoices):
    SEEKER = "seeker", _("求职者")
    RECRUITER = "recruiter", _("招聘者")
    REVIEWER = "reviewer", _("审核员")
    CUSTOMER_SERVICE = "customer_service", _("客服")
    OPERATOR = "operator", _("运营")
    AUDITOR = "auditor", _("审计员")
    REGULATOR = "regulator", _("监管人员")


STAFF_ROLES = frozenset(
    {Role.REVIEWER, Role.CUSTOMER_SERVICE, Role.OPERATOR, Role.AUDITOR, Role.REGULATOR}
)

# What each staff role may do. Checked by ``has_perm``; the operator administers the others.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.REVIEWER: frozenset({"review.content", "review.organisations", "view.login_log",
                             "manage.rules", "view.algorithms", "privacy.flags",
                             "tickets.handle", "analytics.view", "analytics.drilldown",
                             "analytics.live"}),
    Role.CUSTOMER_SERVICE: frozenset({"tickets.handle", "view.login_log", "privacy.rights",
                                      "help.manage"}),
    Role.OPERATOR: frozenset({
        "manage.operator_profile", "manage.templates", "manage.legal", "manage.services",
        "view.login_log", "view.audit", "manage.rules", "manage.special_permits",
        "view.algorithms", "manage.algorithms", "privacy.flags", "privacy.inventory",
        "privacy.rights", "retention.manage", "security.alerts", "privacy.breaches",
        "privacy.assessments", "tickets.supervise", "tickets.report",
        "analytics.view", "analytics.drilldown", "analytics.live", "analytics.export",
        "insights.guides", "help.manage",
    }),
    Role.AUDITOR: frozenset({"view.audit", "view.login_log", "view.algorithms",
                             "privacy.inventory", "security.alerts", "privacy.breaches",
                             "privacy.assessments", "analytics.view"}),
    Role.REGULATOR: frozenset({"view.oversight", "privacy.inventory", "tickets.report",
                               "oversight.inspect"}),
}


def _to_login(request: HttpRequest) -> HttpResponse:
    login_url = resolve_url(settings.LOGIN_URL)
    return redirect(f"{login_url}?{urlencode({'next': request.get_full_path()})}")


def is_staff_role(role: str) -> bool:
    return role in STAFF_ROLES


def has_perm(user: Any, perm: str) -> bool:
    """True when the user's role grants ``perm``; staff must also have passed the second factor."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    # Outside a request (commands, tasks) no second factor was passed: staff rights are off.
    is_verified = getattr(user, "is_verified", None)
    if user.role in STAFF_ROLES and (is_verified is None or not is_verified()):
        return False
    return perm in ROLE_PERMISSIONS.get(user.role, frozenset())


def require_perm(user: Any, perm: str) -> None:
    """Raise ``NotPermitted`` unless ``has_perm``; for services and selectors."""
    if not has_perm(user, perm):
        raise NotPermitted(str(_("您没有执行此操作的权限。")))


def staff_required(perm: str | None = None) -> Callable:
    """Page decorator: log in as staff, pass the second factor, then hold ``perm`` (any staff
    role when ``perm`` is None); 403 otherwise."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return _to_login(request)
            if user.role not in STAFF_ROLES:
                raise NotPermitted(str(_("此页面仅对平台工作人员开放。")))
            if not user.is_verified():
                return redirect(f"/staff/otp/?next={request.get_full_path()}")
            if perm is not None:
                require_perm(user, perm)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def role_required(*roles: str) -> Callable:
    """Page decorator for user roles (seeker, recruiter): log in and hold one of ``roles``."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return _to_login(request)
            if request.user.role not in roles:
                raise NotPermitted(str(_("您的账号类型不能使用此功能。")))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
