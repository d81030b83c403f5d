"""Rights requests (PRIV-6; PIPL Art. 50): every request a person makes about their data is
tracked with its fifteen-working-day deadline, a handler, the answer and the reason for any
refusal. Overdue requests alert the staff who handle them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.core.audit import log_action
from pinqiao.core.errors import NotFound, ServiceError
from pinqiao.core.permissions import ROLE_PERMISSIONS, require_perm
from pinqiao.core.validators import normalize_text
from pinqiao.notifications.services import notify
from pinqiao.rights.deadlines import due_on
from pinqiao.rights.models import (
    OPEN_STATUSES,
    RefusalReason,
    RequestKind,
    RequestStatus,
    RightsRequest,
)

DETAILS_MAX = 2000
#: Kinds a person files by hand; copies and deletions have their own pages.
MANUAL_KINDS = (RequestKind.ACCESS, RequestKind.CORRECT, RequestKind.EXPLAIN)


def rights_request_open(*, user: Any, kind: str, details: str = "",
                        status: str = RequestStatus.RECEIVED) -> RightsRequest:
    """Record a request with its deadline (used by the copy and deletion workflows too)."""
    now = timezone.now()
    request = RightsRequest.objects.create(user=user, kind=kind, details=details, status=status,
                                           received_at=now, due_on=due_on(now))
    log_action(user, "rights.request_received", request, {"kind": kind,
                                                          "due_on": request.due_on})
    return request


def rights_request_create(*, user: Any, kind: str, details: str) -> RightsRequest:
    """PRIV-6: a person asks to see, correct or have explained their data."""
    if kind not in MANUAL_KINDS:
        msg = _("请选择请求类型。")
        raise ServiceError("invalid_kind", msg, fields={"kind": [msg]})
    details = normalize_text(details or "").strip()
    if not details or len(details) > DETAILS_MAX:
        msg = _("请说明您的请求（不超过 %(n)s 字）。") % {"n": DETAILS_MAX}
        raise ServiceError("invalid_details", msg, fields={"details": [msg]})
    with transaction.atomic():
        request = rights_request_open(user=user, kind=kind, details=details)
        notify(user, "rights_request_received",
               {"kind": request.get_kind_display(), "due_on": request.due_on.isoformat()},
               link="/me/privacy/rights/")
    return request


def _for_staff(actor: Any, request_id: int) -> RightsRequest:
    require_perm(actor, "privacy.rights")
    request = RightsRequest.objects.select_for_update().filter(pk=request_id).first()
    if request is None:
        raise NotFound(_("没有找到该请求。"))
    return request


def rights_request_take(*, actor: Any, request_id: int) -> RightsRequest:
    """A staff member becomes the handler."""
    with transaction.atomic():
        request = _for_staff(actor, request_id)
        if not request.is_open:
            raise ServiceError("closed", _("该请求已经答复。"))
        request.handler, request.status = actor, RequestStatus.IN_PROGRESS
        request.save(update_fields=["handler", "status"])
        log_action(actor, "rights.request_taken", request, {})
    return request


def rights_request_answer(*, actor: Any, request_id: int, answer: str,
                          refusal_reason: str = "") -> RightsRequest:
    """PRIV-6: answer (or refuse, with a reason from the list) and tell the person."""
    answer = normalize_text(answer or "").strip()
    errors: dict[str, list[str]] = {}
    if not answer or len(answer) > DETAILS_MAX:
        errors["answer"] = [_("请填写答复内容（不超过 %(n)s 字）。") % {"n": DETAILS_MAX}]
    if refusal_reason and refusal_reason not in RefusalReason.values:
        errors["refusal_reason"] = [_("请选择不予办理的理由。")]
    if errors:
        raise ServiceError("invalid_answer", next(iter(errors.values()))[0], fields=errors)
    with transaction.atomic():
        request = _for_staff(actor, request_id)
        if not request.is_open:
            raise ServiceError("closed", _("该请求已经答复。"))
        request.handler = request.handler or actor
        request.status = RequestStatus.REFUSED if refusal_reason else RequestStatus.COMPLETED
        request.answer, request.refusal_reason = answer, refusal_reason
        request.answered_at = timezone.now()
        request.save()
        log_action(actor, "rights.request_answered", request,
                   {"status": request.status, "refusal_reason": refusal_reason,
                    "late": request.answered_at.date() > request.due_on})
        notify(request.user, "rights_request_answered",
               {"kind": request.get_kind_display(), "status": request.get_status_display()},
               link="/me/privacy/rights/")
    return request


def rights_requests_for_user(*, user: Any) -> list[RightsRequest]:
    return list(RightsRequest.objects.filter(user=user).order_by("-received_at"))


def rights_requests_for_staff(*, viewer: Any, status: str = "open") -> Any:
    require_perm(viewer, "privacy.rights")
    rows = RightsRequest.objects.select_related("user", "handler")
    if status == "open":
        rows = rows.filter(status__in=OPEN_STATUSES)
    elif status == "overdue":
        rows = rows.filter(status__in=OPEN_STATUSES, due_on__lt=timezone.localdate())
    elif status in RequestStatus.values:
        rows = rows.filter(status=status)
    return rows.order_by("due_on", "pk")


def _handlers() -> Any:
    roles = [role for role, perms in ROLE_PERMISSIONS.items() if "privacy.rights" in perms]
    return get_user_model().objects.filter(role__in=roles, is_active=True)


def rights_overdue_alert(*, dry_run: bool = False) -> int:
    """PRIV-6: tell the handlers (or every staff member who handles rights requests) once
    about each request past its deadline; returns how many requests were overdue."""
    today = timezone.localdate()
    overdue = list(RightsRequest.objects.filter(status__in=OPEN_STATUSES, due_on__lt=today,
                                                overdue_alerted_at=None))
    if dry_run or not overdue:
        return len(overdue)
    staff = list(_handlers())
    for request in overdue:
        with transaction.atomic():
            for person in [request.handler] if request.handler else staff:
                notify(person, "rights_request_overdue",
                       {"number": request.pk, "kind": request.get_kind_display(),
                        "due_on": request.due_on.isoformat()},
                       link="/staff/privacy/rights/?status=overdue", urgent=True)
            RightsRequest.objects.filter(pk=request.pk).update(overdue_alerted_at=timezone.now())
            log_action(None, "rights.request_overdue", request, {"due_on": request.due_on})
    return len(overdue)
