"""The breach register (PRIV-8; DB4401 7.4.4, PIPL Art. 57): record the incident, tell the
people affected through the notification service, record the report to the regulator."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.core.audit import log_action
from pinqiao.core.errors import NotFound, ServiceError
from pinqiao.core.permissions import require_perm
from pinqiao.core.validators import normalize_text
from pinqiao.notifications.services import notify
from pinqiao.rights.models import Breach, BreachNotice

TEXT_FIELDS = {"title": 120, "description": 5000, "data_involved": 300, "measures": 5000,
               "advice": 2000}
NOTICE_BATCH = 5000


def breach_record(*, actor: Any, occurred_at: datetime, **text: str) -> Breach:
    require_perm(actor, "privacy.breaches")
    clean, errors = {}, {}
    for name, limit in TEXT_FIELDS.items():
        value = normalize_text(text.get(name) or "").strip()
        if not value or len(value) > limit:
            errors[name] = [_("请填写此项（不超过 %(n)s 字）。") % {"n": limit}]
        clean[name] = value
    if occurred_at > timezone.now():
        errors["occurred_at"] = [_("发生时间不能晚于现在。")]
    if errors:
        raise ServiceError("invalid_breach", next(iter(errors.values()))[0], fields=errors)
    with transaction.atomic():
        breach = Breach.objects.create(recorded_by=actor, occurred_at=occurred_at, **clean)
        log_action(actor, "privacy.breach_recorded", breach, {"title": breach.title})
    return breach


def _breach(actor: Any, breach_id: int) -> Breach:
    require_perm(actor, "privacy.breaches")
    breach = Breach.objects.select_for_update().filter(pk=breach_id).first()
    if breach is None:
        raise NotFound(_("没有找到该事件。"))
    return breach


def breach_notify(*, actor: Any, breach_id: int, usernames: list[str]) -> int:
    """Tell each named person (once) what happened, what was done and what they can do."""
    names = sorted({n.strip() for n in usernames if n.strip()})
    if not names or len(names) > NOTICE_BATCH:
        msg = _("请填写受影响的用户名，每行一个（每次不超过 %(n)s 个）。") % {"n": NOTICE_BATCH}
        raise ServiceError("invalid_users", msg, fields={"usernames": [msg]})
    users = list(get_user_model().objects.filter(username__in=names))
    unknown = sorted(set(names) - {u.username for u in users})
    if unknown:
        msg = _("以下用户名不存在：%(names)s") % {"names": "、".join(unknown[:20])}
        raise ServiceError("unknown_users", msg, fields={"usernames": [msg]})
    with transaction.atomic():
        breach = _breach(actor, breach_id)
        told = set(breach.notices.values_list("user_id", flat=True))
        sent = 0
        for user in users:
            if user.pk in told:
                continue
            notification = notify(user, "breach_notice", {
                "title": breach.title, "data_involved": breach.data_involved,
                "measures": breach.measures, "advice": breach.advice,
                "occurred_at": timezone.localtime(breach.occurred_at).strftime("%Y-%m-%d")},
                urgent=True)
            BreachNotice.objects.create(breach=breach, user=user, notification=notification)
            sent += 1
        log_action(actor, "privacy.breach_notified", breach, {"count": sent})
    return sent


def breach_report(*, actor: Any, breach_id: int, report: str) -> Breach:
    report = normalize_text(report or "").strip()
    if not report or len(report) > 5000:
        msg = _("请填写报告内容（报送部门、时间、文号或内容摘要）。")
        raise ServiceError("invalid_report", msg, fields={"report": [msg]})
    with transaction.atomic():
        breach = _breach(actor, breach_id)
        breach.regulator_report, breach.reported_at = report, timezone.now()
        breach.save(update_fields=["regulator_report", "reported_at"])
        log_action(actor, "privacy.breach_reported", breach, {})
    return breach


def breaches_for_staff(*, viewer: Any) -> Any:
    require_perm(viewer, "privacy.breaches")
    return Breach.objects.prefetch_related("notices").order_by("-discovered_at")
