"""Sending messages (MSG-1, MSG-2, MOD-1, DISC-6, RES-5).

Order of work for every message: who may write (participant, not banned, not blocked, the
one-message-until-reply rule, the rate limit), screening with ``context="chat"``, then one
transaction that takes the next sequence number under a row lock and writes the message; only
after the commit is it pushed to open sockets, and parties who are offline are notified.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.core.audit import log_action
from pinqiao.core.errors import NotFound, NotPermitted, ServiceError
from pinqiao.core.plain_insert import insert
from pinqiao.messaging import realtime
from pinqiao.messaging.models import MAX_TEXT_CHARS, Conversation, Kind, Message, Side
from pinqiao.messaging.screening import ChatVerdict, verdict
from pinqiao.messaging.selectors import conversation_for_sender
from pinqiao.messaging.services.abuse import (
    rate_limit_take,
    rate_limit_take_many,
    rate_limited,
    violation_record_chat,
)

logger = logging.getLogger(__name__)

#: A party is notified of new messages at most once per conversation in this many seconds.
NOTIFY_EVERY_SECONDS = 600
ONLINE_TTL = 3600


@dataclass(frozen=True)
class Sent:
    message: Message
    side: str


# --- presence (for notifying offline parties) ---------------------------------------------------

def presence_key(user_id: int) -> str:
    return f"chat:online:{user_id}"


def presence_join(user_id: int) -> None:
    key = presence_key(user_id)
    cache.add(key, 0, ONLINE_TTL)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, ONLINE_TTL)


def presence_leave(user_id: int) -> None:
    try:
        if cache.decr(presence_key(user_id)) <= 0:
            cache.delete(presence_key(user_id))
    except ValueError:
        pass


def is_online(user_id: int) -> bool:
    return bool(cache.get(presence_key(user_id)))


#: How long a process trusts its cached list of an organisation's chat members (a membership
#: change drops the entry at once; this bounds a deactivated account's stay in it).
MEMBERS_TTL = 60


def members_key(organisation_id: int) -> str:
    return f"chat:members:{organisation_id}"


def _recipient_ids(messages: list[Message]) -> list[list[int]]:
    """Who is notified of each message: the seeker (unless muted), or the organisation's
    active members who may chat — kept in the cache, since every message from a seeker needs
    it (one cache read for all the messages of a batch)."""
    from pinqiao.accounts.models import User
    from pinqiao.orgs.models import MemberRole

    orgs = {m.conversation.organisation_id for m in messages if m.side == Side.SEEKER}
    cached = cache.get_many([members_key(org) for org in orgs]) if orgs else {}
    members: dict[int, list[int]] = {}
    for org in orgs:
        ids = cached.get(members_key(org))
        if ids is None:
            ids = list(User.objects.filter(
                Q(org_memberships__role=MemberRole.OWNER) | Q(org_memberships__can_chat=True),
                org_memberships__organisation_id=org, is_active=True
            ).values_list("pk", flat=True))
            cache.set(members_key(org), ids, MEMBERS_TTL)
        members[org] = ids
    return [members[m.conversation.organisation_id] if m.side == Side.SEEKER
            else [] if m.conversation.seeker_muted else [m.conversation.seeker_id]
            for m in messages]


def _notify_offline(messages: list[Message]) -> None:
    """Site / push / SMS per the recipient's preferences (``notify``), only for parties with no
    open socket, and at most once per conversation per ``NOTIFY_EVERY_SECONDS``; whether the
    recipients of all ``messages`` are online is one cache read."""
    from pinqiao.accounts.models import User
    from pinqiao.notifications.services import notify

    recipients = _recipient_ids(messages)
    online = cache.get_many([presence_key(pk) for pk in {pk for ids in recipients
                                                          for pk in ids}])
    for message, ids in zip(messages, recipients, strict=True):
        conversation = message.conversation
        offline = [pk for pk in ids if not online.get(presence_key(pk)) and cache.add(
            f"chat:notified:{pk}:{conversation.pk}", 1, NOTIFY_EVERY_SECONDS)]
        for user in User.objects.filter(pk__in=offline) if offline else []:
            notify(user, "chat_message",
                   {"organisation": conversation.organisation.name,
                    "posting": conversation.posting.title},
                   link=reverse("messaging:thread", args=[conversation.pk]))


# --- the checks -------------------------------------------------------------------------------

def _writable(actor: Any, conversation_id: int) -> tuple[Conversation, str]:
    """Participant (else not found, audited), not banned, not blocked (neutral message): one
    query (:func:`~pinqiao.messaging.selectors.conversation_for_sender`)."""
    conversation, side = conversation_for_sender(viewer=actor, conversation_id=conversation_id)
    if conversation.banned_until is not None:
        raise NotPermitted(_("您因在沟通中违规已被禁止发送消息，截止 %(until)s；"
                             "可在「沟通处罚记录」中申诉。") % {
            "until": timezone.localtime(conversation.banned_until).strftime("%Y-%m-%d %H:%M")},
            code="chat_banned")
    if conversation.blocked:
        if side == Side.ORG:
            log_action(actor, "chat.send_refused_blocked", conversation, {})
            raise NotPermitted(_("对方暂时无法接收您的消息。"), code="recipient_unavailable")
        raise NotPermitted(_("您已屏蔽该单位，解除屏蔽后才能发送消息。"), code="blocked_by_you")
    return conversation, side


def _await_reply() -> ServiceError:
    return ServiceError("await_reply", _("求职者回复前，您只能发送一条消息，请耐心等待回复。"),
                        status=429)


def _one_message_rule(conversation: Conversation, side: str) -> None:
    """DB4401 6.1.4.2: until the seeker replies, the organisation sends at most one message
    (checked again by the write itself, :func:`_next_seq_sql`)."""
    if side == Side.ORG and conversation.seeker_messages == 0 and conversation.org_messages >= 1:
        raise _await_reply()


def _clean_text(text: Any) -> str:
    if not isinstance(text, str):
        text = ""
    text = unicodedata.normalize("NFC", text).replace("\x00", "").strip()
    if not text:
        raise ServiceError("empty_message", _("消息不能为空。"),
                           fields={"text": [_("消息不能为空。")]})
    if len(text) > MAX_TEXT_CHARS:
        message = _("消息最多 %(n)s 个字符（当前 %(len)s 个）。") % {"n": MAX_TEXT_CHARS,
                                                              "len": len(text)}
        raise ServiceError("too_long", message, fields={"text": [message]})
    return text


def _clean_client_id(client_id: Any) -> str:
    client_id = client_id if isinstance(client_id, str) else ""
    return "".join(ch for ch in client_id if ch.isalnum() or ch in "-_")[:40]


# --- the write ----------------------------------------------------------------------------------

@lru_cache(maxsize=2)
def _next_seq_sql(side: str) -> str:
    """One statement that takes the next sequence number and counts the message: the row it
    updates stays locked until the commit (PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already
    holds the write lock), so numbers have no gaps and no repeats. For the organisation side
    it updates nothing while the one-message rule forbids a second message (DB4401 6.1.4.2)."""
    table = Conversation._meta.db_table
    own = "seeker" if side == Side.SEEKER else "org"
    rule = " AND NOT (seeker_messages = 0 AND org_messages >= 1)" if side == Side.ORG else ""
    return (f"UPDATE {table} SET last_seq = last_seq + 1, {own}_read_seq = last_seq + 1, "
            f"{own}_messages = {own}_messages + 1, last_message_at = %s, last_preview = %s "
            f"WHERE id = %s{rule} RETURNING last_seq")


def _write(*, actor: Any, conversation: Conversation, side: str, kind: str, body: str = "",
           verdict_: ChatVerdict | None = None, screening: Any = None, client_id: str = "",
           origin: str = "", notify: list[Message] | None = None, **extra: Any) -> Message:
    """Take the next sequence number and write the message (in the caller's transaction): two
    statements, the conversation's update (:func:`_next_seq_sql`) and the message's insert;
    push and notify after the commit. A ``client_id`` this sender already used in this
    conversation fails the insert (unique constraint): see :func:`message_send`. ``origin``:
    the channel of the socket that sent it, which gets the message in its ack instead of the
    push (:func:`~pinqiao.messaging.realtime.push_message_on_commit`). ``notify``: the list
    of a batch's messages whose offline parties are notified together after the commit (by
    default the message is notified of alone)."""
    now = timezone.now()
    preview = body[:60] if kind == Kind.TEXT else str(Kind(kind).label)
    connection = connections[router.db_for_write(Conversation)]
    with connection.cursor() as cursor:
        cursor.execute(_next_seq_sql(side), [connection.ops.adapt_datetimefield_value(now),
                                             preview, conversation.pk])
        row = cursor.fetchone()
    if row is None:
        if side == Side.ORG:
            raise _await_reply()
        raise NotFound(_("没有找到该会话。"))
    message = Message(
        conversation=conversation, seq=row[0], sender=actor, side=side, kind=kind, body=body,
        masked=bool(verdict_ and verdict_.action == "mask"),
        risk_categories=list(verdict_.categories) if verdict_ else [], screening=screening,
        client_id=client_id, created_at=now, **extra)
    insert(message, connection.alias)
    realtime.push_message_on_commit(message, origin=origin)
    if notify is None:
        transaction.on_commit(lambda: _notify_offline([message]))
    else:
        notify.append(message)
    return message


@dataclass(frozen=True)
class Draft:
    """A text message that passed the checks and was screened, not yet written."""

    actor: Any
    conversation: Conversation
    side: str
    text: str
    client_id: str
    origin: str
    prepared: Any


def _checked(*, actor: Any, conversation_id: int, text: Any, client_id: Any
             ) -> tuple[str, str, Conversation, str]:
    """The text and the ``client_id`` cleaned, the conversation and the sender's side: who may
    write (participant, ban, block, the one-message rule)."""
    text = _clean_text(text)
    client_id = _clean_client_id(client_id)
    conversation, side = _writable(actor, conversation_id)
    _one_message_rule(conversation, side)
    return text, client_id, conversation, side


def _screened(*, actor: Any, checked: tuple[str, str, Conversation, str], origin: str,
              rule_set: Any = None) -> Draft:
    """Screening with ``context="chat"``, before the write transaction."""
    from pinqiao.moderation.services import screen_prepare

    text, client_id, conversation, side = checked
    return Draft(actor=actor, conversation=conversation, side=side, text=text,
                 client_id=client_id, origin=origin,
                 prepared=screen_prepare(text=text, context="chat", rule_set=rule_set))


def _screened_draft(*, actor: Any, conversation_id: int, text: Any, client_id: Any,
                    origin: str) -> Draft:
    """The work before the write transaction: the checks (:func:`_checked`), the rate limit,
    and screening with ``context="chat"``."""
    checked = _checked(actor=actor, conversation_id=conversation_id, text=text,
                       client_id=client_id)
    rate_limit_take(actor.pk)
    return _screened(actor=actor, checked=checked, origin=origin)


def _record_and_write(draft: Draft, notify: list[Message] | None = None
                      ) -> tuple[Message | None, ChatVerdict]:
    """In the caller's transaction: the screening record, then the message (or, blocked, the
    audit entry instead), then the violation if it counts. ``notify``: see :func:`_write`."""
    from pinqiao.moderation.services import screen_text

    actor, conversation = draft.actor, draft.conversation
    record = screen_text(text=draft.text, context="chat", target=conversation,
                         prepared=draft.prepared)
    result = verdict(draft.text, record)
    message = None
    if result.action == "block":
        log_action(actor, "chat.message_blocked", conversation,
                   {"categories": list(result.categories), "screening": record.pk})
    else:
        message = _write(actor=actor, conversation=conversation, side=draft.side,
                         kind=Kind.TEXT, body=result.body, verdict_=result, screening=record,
                         client_id=draft.client_id, origin=draft.origin, notify=notify)
    if result.counted:
        violation_record_chat(user=actor, conversation=conversation, screening=record,
                              categories=list(result.categories),
                              blocked=result.action == "block")
    return message, result


def _blocked(result: ChatVerdict) -> ServiceError:
    from pinqiao.moderation.services import CATEGORY_LABELS

    labels = "、".join(str(CATEGORY_LABELS.get(c, c)) for c in result.categories)
    return ServiceError("message_blocked",
                        _("消息含有违法违规内容（%(labels)s），未发送。多次违规将被强制下线或禁止沟通。")
                        % {"labels": labels}, fields={"text": [_("消息未发送。")]})


def _written_alone(draft: Draft) -> Sent:
    """:func:`_record_and_write` in a transaction of its own. A ``client_id`` this sender
    already used here fails the insert: everything was rolled back, the first write stands
    and is the answer (a client's retry)."""
    try:
        with transaction.atomic():
            message, result = _record_and_write(draft)
    except IntegrityError:
        earlier = Message.objects.filter(
            conversation_id=draft.conversation.pk, sender_id=draft.actor.pk,
            client_id=draft.client_id).first() if draft.client_id else None
        if earlier is None:
            raise
        return Sent(message=earlier, side=draft.side)
    if message is None:
        raise _blocked(result)
    return Sent(message=message, side=draft.side)


def message_send(*, actor: Any, conversation_id: int, text: Any, client_id: Any = "",
                 origin: str = "") -> Sent:
    """Send a text message (MSG-1, MSG-2, MOD-1, DISC-6).

    Empty or longer than 1,000 characters: refused. Every text is screened (``context="chat"``)
    before it is written: fees, deposits, 导流 contact details, fraud and pyramid pitches:
    delivered with the words masked and a safety tip for the seeker; sexual services, threats
    and other illegal content: refused (``message_blocked``) and never delivered. Counted
    violations escalate (warning → forced logout → chat ban). ``origin``: the chat socket's
    channel when it was sent over one (its ack carries the message)."""
    return _written_alone(_screened_draft(actor=actor, conversation_id=conversation_id,
                                          text=text, client_id=client_id, origin=origin))


@dataclass(frozen=True)
class SendRequest:
    """One text to send, as a chat socket received it (see :func:`messages_send`)."""

    actor: Any
    conversation_id: int
    text: Any
    client_id: Any = ""
    origin: str = ""


def messages_send(requests: list[SendRequest]) -> list[Sent | Exception]:
    """Several texts at once, each with exactly the checks, screening, rate limit, audit and
    outcome :func:`message_send` gives it alone: what the chat sockets of a process received
    while the previous batch was being written, in one hop to the database thread and one
    transaction instead of one each.

    Returns the outcome of each request, in order: its :class:`Sent`, or the exception
    :func:`message_send` would have raised. The requests are taken in arrival order in runs
    in which no sender and no conversation appears twice, so that each one's checks read what
    they would read alone (a second message of the same sender or to the same conversation
    waits for the run before it to commit: the one-message rule, an escalation to a ban)."""
    from pinqiao.moderation.services import live_rule_set

    outcomes: dict[int, Sent | Exception] = {}
    start = 0
    while start < len(requests):
        senders: set[Any] = set()
        conversations: set[Any] = set()
        end = start
        while end < len(requests) and requests[end].actor.pk not in senders \
                and requests[end].conversation_id not in conversations:
            senders.add(requests[end].actor.pk)
            conversations.add(requests[end].conversation_id)
            end += 1
        outcomes.update(_send_run(requests, range(start, end), live_rule_set()))
        start = end
    return [outcomes[n] for n in range(len(requests))]


def _send_run(requests: list[SendRequest], run: range, rule_set: Any
              ) -> dict[int, Sent | Exception]:
    """One run of :func:`messages_send`: the checks and screening of each, then the writes of
    all in one transaction, in the order of their conversations, so that two processes'
    transactions take the conversations' row locks in the same order and cannot deadlock. If
    any write fails (a retried ``client_id``, the one-message rule lost to another process, a
    database error), the transaction is rolled back as a whole — nothing of it was pushed —
    and each message is written again alone, as :func:`message_send` writes it."""
    outcomes: dict[int, Sent | Exception] = {}
    checked: list[tuple[int, tuple[str, str, Conversation, str]]] = []
    for n in run:
        request = requests[n]
        try:
            checked.append((n, _checked(actor=request.actor,
                                        conversation_id=request.conversation_id,
                                        text=request.text, client_id=request.client_id)))
        except Exception as exc:  # noqa: BLE001 - that request's answer, as if it were alone
            outcomes[n] = exc
    allowed = rate_limit_take_many([requests[n].actor.pk for n, _ in checked])
    drafts: list[tuple[int, Draft]] = []
    for (n, checks), within_limit in zip(checked, allowed, strict=True):
        if not within_limit:
            outcomes[n] = rate_limited()
            continue
        try:
            drafts.append((n, _screened(actor=requests[n].actor, checked=checks,
                                        origin=requests[n].origin, rule_set=rule_set)))
        except Exception as exc:  # noqa: BLE001 - that request's answer, as if it were alone
            outcomes[n] = exc
    if len(drafts) > 1:
        try:
            with transaction.atomic():
                notify: list[Message] = []
                written = [(n, draft, *_record_and_write(draft, notify)) for n, draft in
                           sorted(drafts, key=lambda item: item[1].conversation.pk)]
                transaction.on_commit(lambda: _notify_offline(notify))
        except Exception:  # noqa: BLE001 - rolled back as a whole: each is written alone below
            logger.info("chat batch of %s rolled back; writing each alone", len(drafts))
        else:
            for n, draft, message, result in written:
                outcomes[n] = (Sent(message=message, side=draft.side) if message is not None
                               else _blocked(result))
            return outcomes
    for n, draft in drafts:
        try:
            outcomes[n] = _written_alone(draft)
        except Exception as exc:  # noqa: BLE001 - that request's answer, as if it were alone
            outcomes[n] = exc
    return outcomes


def resume_send(*, actor: Any, conversation_id: int) -> Sent:
    """The seeker sends the résumé from the chat: this grants the résumé consent to the
    organisation (``resume_to_employer``, source ``chat``), recorded like an application's
    (PRIV-3, RES-5)."""
    from pinqiao.privacy.models import ConsentPurpose, ConsentSource
    from pinqiao.privacy.services import consent_grant
    from pinqiao.privacy.wording import EXPLANATIONS
    from pinqiao.resumes.models import Resume, ReviewStatus

    conversation, side = _writable(actor, conversation_id)
    if side != Side.SEEKER:
        raise NotPermitted(_("只有求职者可以发送自己的简历。"))
    resume = Resume.objects.filter(owner=actor).first()
    if resume is None or resume.review_status != ReviewStatus.APPROVED:
        raise ServiceError("resume_not_ready", _("您的简历尚未通过审核，暂时不能发送。"))
    rate_limit_take(actor.pk)
    with transaction.atomic():
        consent = consent_grant(user=actor, purpose=ConsentPurpose.RESUME_TO_EMPLOYER,
                                source=ConsentSource.CHAT, organisation=conversation.organisation,
                                wording=str(EXPLANATIONS.get(ConsentPurpose.RESUME_TO_EMPLOYER,
                                                             "")))
        message = _write(actor=actor, conversation=conversation, side=side, kind=Kind.RESUME,
                         body=_("我向贵单位发送了我的简历。"))
        log_action(actor, "chat.resume_sent", conversation,
                   {"consent": consent.pk, "organisation": conversation.organisation_id})
    return Sent(message=message, side=side)


def interview_card_send(*, actor: Any, conversation_id: int, interview_id: int) -> Sent:
    """The organisation sends an interview invitation card linked to one of its interviews
    with this seeker."""
    from pinqiao.interviews.models import Interview

    conversation, side = _writable(actor, conversation_id)
    if side != Side.ORG:
        raise NotPermitted(_("只有招聘方可以发送面试邀请。"))
    interview = Interview.objects.filter(
        pk=interview_id, application__seeker_id=conversation.seeker_id,
        application__organisation_id=conversation.organisation_id).first()
    if interview is None:
        raise NotFound(_("没有找到该面试。"))
    rate_limit_take(actor.pk)
    with transaction.atomic():
        message = _write(actor=actor, conversation=conversation, side=side,
                         kind=Kind.INTERVIEW, body=_("面试邀请：%(title)s") % {
                             "title": interview.title}, interview=interview)
    return Sent(message=message, side=side)


def image_send(*, actor: Any, conversation_id: int, upload: Any) -> Sent:
    """An image, checked by its content (PNG or JPEG that decodes; HTML or SVG renamed .png is
    refused), re-encoded without metadata, size-limited, stored privately and served only
    through the permission-checked view."""
    from django.core.files.base import ContentFile

    from pinqiao.resumes.uploads import check_photo

    conversation, side = _writable(actor, conversation_id)
    _one_message_rule(conversation, side)
    jpeg = check_photo(upload, field="image")
    rate_limit_take(actor.pk)
    with transaction.atomic():
        message = _write(actor=actor, conversation=conversation, side=side, kind=Kind.IMAGE,
                         body=_("[图片]"))
        message.image.save("image.jpg", ContentFile(jpeg), save=False)
        Message.objects.filter(pk=message.pk).update(image=message.image.name)
    return Sent(message=message, side=side)


def system_message(*, actor: Any, conversation: Conversation, side: str, kind: str,
                   body: str, **extra: Any) -> Message:
    """A record in the thread written by a service (an exchange, a call); no screening: the
    text is the platform's own."""
    return _write(actor=actor, conversation=conversation, side=side, kind=kind, body=body,
                  **extra)
