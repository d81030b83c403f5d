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
from pinqiao.core.permissions import Role
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


def rate_limited() -> ServiceError:
    return ServiceError("rate_limited", _("发送太频繁，请稍后再发。"), status=429)


def rate_limit_take(user_id: int) -> None:
    """At most ``CHAT_RATE_LIMIT[0]`` messages per ``CHAT_RATE_LIMIT[1]`` seconds per sender."""
    if not rate_limit_take_many([user_id])[0]:
        raise rate_limited()


#: Counts one message on each counter (``KEYS``) and gives its first count of a window an
#: expiry (``ARGV[1]`` seconds): one command for a whole batch.
_COUNT_LUA = """
local counts = {}
for i, key in ipairs(KEYS) do
    counts[i] = redis.call('INCR', key)
    if counts[i] == 1 then redis.call('EXPIRE', key, ARGV[1]) end
end
return counts
"""


def rate_limit_take_many(user_ids: list[int]) -> list[bool]:
    """Count one message for each of ``user_ids`` (a batch has each sender once) and say
    whether each is within :func:`rate_limit_take`'s limit. On Redis (``REDIS_URL``, the scale
    path) this is one command for them all (a script: ``INCR``, and ``EXPIRE`` on a window's
    first message), where the cache API takes a round trip per call; the counters are the
    cache's own keys and values."""
    from django.core.cache import DEFAULT_CACHE_ALIAS, caches
    from django_redis.cache import RedisCache

    limit, seconds = settings.CHAT_RATE_LIMIT
    window = int(timezone.now().timestamp()) // seconds
    keys = [f"chat:rate:{user_id}:{window}" for user_id in user_ids]
    backend = caches[DEFAULT_CACHE_ALIAS]
    if not keys:
        return []
    if isinstance(backend, RedisCache):
        client = backend.client.get_client(write=True)
        counts = client.register_script(_COUNT_LUA)(
            keys=[backend.client.make_key(key) for key in keys], args=[seconds + 1])
    else:
        counts = [_count(key, seconds) for key in keys]
    return [count <= limit for count in counts]


def _count(key: str, seconds: int) -> int:
    try:  # one cache call per message
        return cache.incr(key)
    except ValueError:  # the window's first message, or its counter was dropped
        return 1 if cache.add(key, 1, seconds + 1) else cache.incr(key)


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
    """The user appeals a chat restriction (MSG-2: open to appeal). The appeal goes onto the
    complaints desk as a case naming the restriction (reason 「对处置措施申诉」), with the desk's
    clock and handlers (TKT-1, TKT-3); the handler's decision lifts the restriction or rejects
    the appeal (:func:`restriction_appeal_decided`), and the user follows the case on the
    desk's case page."""
    from pinqiao.tickets.models import APPEAL_REASON, CaseKind
    from pinqiao.tickets.services import case_submit

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
    # The desk's "appeal" kind names an organisation sanction (moderation.Sanction) by a
    # database constraint; a chat restriction is a measure against a user, so its appeal is
    # filed with the appeal reason against the restriction itself.
    case = case_submit(actor=actor, kind=CaseKind.COMPLAINT, reason_code=APPEAL_REASON,
                       content=text, desired_outcome=_("撤销该沟通处罚。"), target=restriction)
    restriction.appeal_text = text
    restriction.appeal_status = AppealStatus.OPEN
    restriction.appeal_case = case
    restriction.save(update_fields=["appeal_text", "appeal_status", "appeal_case"])
    log_action(actor, "chat.restriction_appealed", restriction, {"case": case.reference})
    return restriction


def restriction_appeal_decided(*, case: Any) -> ChatRestriction | None:
    """The desk resolved the appeal case of a chat restriction (receiver of the case's save):
    upheld lifts the restriction at once, not upheld marks the appeal rejected; audited with the
    handler. The desk itself tells the user the result."""
    from pinqiao.tickets.models import CaseStatus

    if case.status != CaseStatus.RESOLVED or case.upheld is None:
        return None
    restriction = ChatRestriction.objects.select_for_update().filter(
        appeal_case=case, appeal_status=AppealStatus.OPEN).first()
    if restriction is None:
        return None
    if case.upheld:
        restriction.appeal_status = AppealStatus.UPHELD
        restriction.lifted_at = timezone.now()
    else:
        restriction.appeal_status = AppealStatus.REJECTED
    restriction.save(update_fields=["appeal_status", "lifted_at"])
    log_action(case.resolved_by, "chat.restriction_appeal_decided", restriction,
               {"case": case.reference, "upheld": case.upheld})
    return restriction
