"""Escalation for abuse in chat (MSG-2): counted violations over a rolling week lead to a
warning, then a forced logout (every session of the sender ended, open sockets closed), then a
chat ban; each step is a ``ChatRestriction`` row (the sender's risk record in chat), audited,
notified and open to appeal. A recruiter's ban is also entered in the organisation's credit
record (RISK-3). Plus the per-sender rate limit."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.core.audit import log_action
from pinqiao.core.errors import NotFound, ServiceError
from pinqiao.core.permissions import Role, require_perm
from pinqiao.messaging import realtime
from pinqiao.messaging.models import (
    AppealStatus,
    ChatRestriction,
    ChatViolation,
    Conversation,
    RestrictionKind,
)

WINDOW = timedelta(days=7)
BAN_DAYS = 7
#: Points in the window at which each step is taken; a blocked message weighs two.
STEPS = ((6, RestrictionKind.CHAT_BAN), (4, RestrictionKind.FORCED_LOGOUT),
         (2, RestrictionKind.WARNING))


def rate_limit_take(user_id: int) -> None:
    """At most ``CHAT_RATE_LIMIT[0]`` messages per ``CHAT_RATE_LIMIT[1]`` seconds per sender."""
    limit, seconds = settings.CHAT_RATE_LIMIT
    window = int(timezone.now().timestamp()) // seconds
    key = f"chat:rate:{user_id}:{window}"
    cache.add(key, 0, seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, seconds + 1)
        count = 1
    if count > limit:
        raise ServiceError("rate_limited", _("发送太频繁，请稍后再发。"), status=429)


def end_all_sessions(user: Any, *, reason: str) -> int:
    """Forced logout: delete every session of ``user`` and stamp the login records."""
    from pinqiao.accounts.models import LoginRecord

    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    LoginRecord.objects.filter(user=user, succeeded=True, logout_at=None).update(
        logout_at=timezone.now(), logout_reason=reason)
    realtime.push_force_logout_on_commit(user.pk)
    return ended


def _notify(user: Any, restriction: ChatRestriction) -> None:
    from django.urls import reverse

    from pinqiao.notifications.services import notify

    notify(user, "chat_restricted", {"kind": restriction.get_kind_display(),
                                     "reason": restriction.reason,
                                     "ends_at": timezone.localtime(restriction.ends_at).strftime(
                                         "%Y-%m-%d %H:%M") if restriction.ends_at else ""},
           link=reverse("messaging:restrictions"), urgent=True)


def _credit_record(user: Any, conversation: Conversation, reason: str) -> None:
    if user.role != Role.RECRUITER:
        return
    from pinqiao.orgs.services import violation_record

    violation_record(actor=None, organisation=conversation.organisation,
                     rule="MSG-2 / DB4401 6.1.4.1", what=reason,
                     sanction=str(RestrictionKind.CHAT_BAN.label))


def violation_record_chat(*, user: Any, conversation: Conversation, screening: Any,
                          categories: list[str], blocked: bool) -> ChatRestriction | None:
    """Record a counted violation and take the next escalation step if its threshold is
    reached (once per window per step). Returns the new restriction, if any."""
    now = timezone.now()
    ChatViolation.objects.create(user=user, conversation=conversation, screening=screening,
                                 categories=categories, blocked=blocked)
    since = now - WINDOW
    rows = ChatViolation.objects.filter(user=user, created_at__gte=since)
    points = rows.count() + rows.filter(blocked=True).count()
    for threshold, kind in STEPS:
        if points < threshold:
            continue
        if ChatRestriction.objects.filter(user=user, kind=kind, created_at__gte=since,
                                          lifted_at=None).exists():
            return None
        labels = "、".join(categories)
        reason = _("%(days)s 天内在沟通中多次发送违规内容（%(labels)s），计 %(points)s 分。") % {
            "days": WINDOW.days, "labels": labels, "points": points}
        restriction = ChatRestriction.objects.create(
            user=user, kind=kind, reason=reason, categories=categories,
            ends_at=now + timedelta(days=BAN_DAYS) if kind == RestrictionKind.CHAT_BAN else None)
        log_action(None, f"chat.restriction.{kind}", restriction,
                   {"user": user.pk, "points": points, "conversation": conversation.pk})
        if kind in (RestrictionKind.FORCED_LOGOUT, RestrictionKind.CHAT_BAN):
            end_all_sessions(user, reason="chat_abuse")
        if kind == RestrictionKind.CHAT_BAN:
            _credit_record(user, conversation, reason)
        _notify(user, restriction)
        return restriction
    return None


@transaction.atomic
def restriction_appeal(*, actor: Any, restriction_id: int, text: str) -> ChatRestriction:
    """The user appeals a chat restriction with a reason (MSG-2: open to appeal)."""
    restriction = ChatRestriction.objects.select_for_update().filter(
        pk=restriction_id, user=actor).first() if getattr(actor, "is_authenticated", False) \
        else None
    if restriction is None:
        raise NotFound(_("没有找到该处罚记录。"))
    text = (text or "").strip()
    if not text or len(text) > 1000:
        message = _("请填写申诉理由（最多 1000 字）。")
        raise ServiceError("invalid_appeal", message, fields={"text": [message]})
    if restriction.appeal_status:
        raise ServiceError("already_appealed", _("该处罚已申诉过。"))
    restriction.appeal_text = text
    restriction.appeal_status = AppealStatus.OPEN
    restriction.save(update_fields=["appeal_text", "appeal_status"])
    log_action(actor, "chat.restriction_appealed", restriction, {})
    return restriction


@transaction.atomic
def restriction_appeal_decide(*, actor: Any, restriction_id: int, uphold: bool
                              ) -> ChatRestriction:
    """A reviewer decides an appeal; upheld lifts the restriction at once."""
    require_perm(actor, "review.content")
    restriction = ChatRestriction.objects.select_for_update().filter(
        pk=restriction_id, appeal_status=AppealStatus.OPEN).first()
    if restriction is None:
        raise NotFound(_("没有待处理的申诉。"))
    restriction.appeal_status = AppealStatus.UPHELD if uphold else AppealStatus.REJECTED
    if uphold:
        restriction.lifted_at = timezone.now()
    restriction.save(update_fields=["appeal_status", "lifted_at"])
    log_action(actor, "chat.restriction_appeal_decided", restriction, {"upheld": uphold})
    return restriction
