"""Reads for chat, each taking the actor (MSG-1): who may see a conversation, its messages after
a sequence number, the unread counts, and the staff read through a report (audited)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connections, router
from django.db.models import F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.core.audit import log_action
from pinqiao.core.errors import NotFound, NotPermitted, ServiceError
from pinqiao.core.permissions import Role, has_perm
from pinqiao.messaging.models import (
    Block,
    ChatRestriction,
    Conversation,
    ExchangeRequest,
    Message,
    RestrictionKind,
    Side,
    VirtualBinding,
)
from pinqiao.orgs.models import MemberRole, Membership

#: The most messages one read returns; a client pages on with ``after``.
PAGE = 200


def chat_org_ids(user: Any) -> list[int]:
    """The organisations for which ``user`` may chat: as owner, or as a member with the chat
    permission (ORG-6)."""
    if not getattr(user, "is_authenticated", False) or user.role != Role.RECRUITER:
        return []
    return list(Membership.objects.filter(user=user).filter(
        Q(role=MemberRole.OWNER) | Q(can_chat=True)).values_list("organisation_id", flat=True))


def chat_postings_for(*, viewer: Any, organisation: Any) -> list[Any]:
    """The published postings of ``organisation`` a recruiter may start a conversation about
    (talent-search cards): none unless ``viewer`` may chat for it."""
    from pinqiao.jobs.models import Posting, PostingStatus

    if organisation is None or organisation.pk not in chat_org_ids(viewer):
        return []
    return list(Posting.objects.filter(organisation=organisation, status=PostingStatus.PUBLISHED)
                .only("id", "title").order_by("-pk")[:50])


def seeker_for_resume(public_id: Any) -> int | None:
    """The seeker behind a résumé's public id (talent cards name résumés, never accounts);
    whether the recruiter may write to them is the service's decision."""
    import uuid

    from pinqiao.resumes.models import Resume

    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        return None
    return Resume.objects.filter(public_id=key).values_list("owner_id", flat=True).first()


def side_of(user: Any, conversation: Conversation) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    if conversation.seeker_id == user.pk:
        return Side.SEEKER
    if conversation.organisation_id in chat_org_ids(user):
        return Side.ORG
    return None


def _deny(viewer: Any, conversation_id: Any, verb: str = "chat.access_denied") -> NotFound:
    log_action(viewer if getattr(viewer, "is_authenticated", False) else None, verb,
               ("messaging.conversation", conversation_id), {})
    return NotFound(_("没有找到该会话。"))


def conversation_for_participant(*, viewer: Any, conversation_id: int) -> tuple[Conversation, str]:
    """The conversation and the viewer's side; anyone else gets ``NotFound`` (audited)."""
    conversation = (Conversation.objects.select_related("organisation", "posting", "seeker")
                    .filter(pk=conversation_id).first())
    side = side_of(viewer, conversation) if conversation is not None else None
    if side is None:
        raise _deny(viewer, conversation_id)
    return conversation, side


#: The columns the write path needs; the organisation, posting and seeker load only if used.
WRITE_FIELDS = ("id", "seeker_id", "organisation_id", "posting_id", "last_seq",
                "seeker_messages", "org_messages", "seeker_muted")


def conversation_for_writer(*, viewer: Any, conversation_id: int) -> tuple[Conversation, str]:
    """Like :func:`conversation_for_participant`, with only the columns a send needs."""
    conversation = Conversation.objects.only(*WRITE_FIELDS).filter(pk=conversation_id).first()
    side = side_of(viewer, conversation) if conversation is not None else None
    if side is None:
        raise _deny(viewer, conversation_id)
    return conversation, side


@lru_cache(maxsize=1)
def _sender_sql() -> str:
    """The one statement of :func:`conversation_for_sender`, written once per process."""
    conversation, block = Conversation._meta.db_table, Block._meta.db_table
    restriction, membership = ChatRestriction._meta.db_table, Membership._meta.db_table
    columns = ", ".join(f"c.{Conversation._meta.get_field(f).column}" for f in WRITE_FIELDS)
    return (
        f"SELECT {columns}, "
        f"EXISTS(SELECT 1 FROM {block} b WHERE b.seeker_id = c.seeker_id"
        f" AND b.organisation_id = c.organisation_id), "
        f"EXISTS(SELECT 1 FROM {restriction} r WHERE r.user_id = %s AND r.kind = %s"
        f" AND r.lifted_at IS NULL AND r.ends_at > %s), "
        f"EXISTS(SELECT 1 FROM {membership} m WHERE m.user_id = %s"
        f" AND m.organisation_id = c.organisation_id AND (m.role = %s OR m.can_chat)) "
        f"FROM {conversation} c WHERE c.id = %s")


def conversation_for_sender(*, viewer: Any, conversation_id: int) -> tuple[Conversation, str]:
    """For a send: the conversation with only the columns a send needs (``WRITE_FIELDS``) and the
    viewer's side, plus ``blocked`` (the seeker blocked the organisation) and ``banned_until``
    (the end of a chat ban in force on the viewer, ``None`` if none). Anyone but a participant
    gets ``NotFound`` (audited); a recruiter is a participant while they may chat for the
    organisation (owner, or a member with the chat permission).

    Every message pays for this check, so it is one statement written once per process
    (:func:`_sender_sql`): built through the ORM with ``Exists``/``Subquery`` annotations, the
    same query cost ~3 ms of CPU per message to compile (``bench/chat.py``). The end of a ban
    is read only when there is one."""
    if not getattr(viewer, "is_authenticated", False) or not isinstance(conversation_id, int):
        raise _deny(viewer, conversation_id)
    db = router.db_for_read(Conversation)
    connection = connections[db]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(_sender_sql(), [viewer.pk, RestrictionKind.CHAT_BAN.value, now, viewer.pk,
                                       MemberRole.OWNER.value, conversation_id])
        row = cursor.fetchone()
    side = None
    if row is not None:
        values, (blocked, banned, may_chat) = row[:len(WRITE_FIELDS)], row[len(WRITE_FIELDS):]
        conversation = Conversation.from_db(db, WRITE_FIELDS, values)
        if conversation.seeker_id == viewer.pk:
            side = Side.SEEKER
        elif may_chat and viewer.role == Role.RECRUITER:
            side = Side.ORG
    if side is None:
        raise _deny(viewer, conversation_id)
    conversation.blocked = bool(blocked)
    conversation.banned_until = ChatRestriction.objects.filter(
        user_id=viewer.pk, kind=RestrictionKind.CHAT_BAN, lifted_at=None,
        ends_at__gt=timezone.now()).order_by("-ends_at").values_list(
        "ends_at", flat=True).first() if banned else None
    return conversation, side


def conversations_for(*, viewer: Any) -> QuerySet[Conversation]:
    """The viewer's conversations, newest first, each with ``unread`` for the viewer's side."""
    if not getattr(viewer, "is_authenticated", False):
        return Conversation.objects.none()
    base = Conversation.objects.select_related("organisation", "posting", "seeker")
    if viewer.role == Role.SEEKER:
        return base.filter(seeker=viewer).annotate(unread=F("last_seq") - F("seeker_read_seq"))
    orgs = chat_org_ids(viewer)
    return base.filter(organisation_id__in=orgs).annotate(unread=F("last_seq") - F("org_read_seq"))


def unread_total(*, viewer: Any) -> int:
    """Unread messages over all the viewer's conversations: one aggregate query, no writes."""
    if not getattr(viewer, "is_authenticated", False) or viewer.role not in (
            Role.SEEKER, Role.RECRUITER):
        return 0
    if viewer.role == Role.SEEKER:
        qs = Conversation.objects.filter(seeker=viewer, seeker_read_seq__lt=F("last_seq"))
        read = "seeker_read_seq"
    else:
        qs = Conversation.objects.filter(
            Q(organisation__memberships__role=MemberRole.OWNER)
            | Q(organisation__memberships__can_chat=True),
            organisation__memberships__user=viewer, org_read_seq__lt=F("last_seq"))
        read = "org_read_seq"
    return qs.aggregate(n=Sum(F("last_seq") - F(read)))["n"] or 0


def messages_after(*, conversation: Conversation, after: int, limit: int = PAGE
                   ) -> list[Message]:
    """Messages with ``seq > after`` in order (the caller has checked access). A negative or
    non-existent ``after`` (beyond the last message) is refused: sequence numbers come from the
    server, never from the client."""
    if not isinstance(after, int) or after < 0 or after > conversation.last_seq:
        raise ServiceError("invalid_seq", _("消息序号无效。"),
                           fields={"after": [_("消息序号无效。")]})
    return list(conversation.messages.select_related("sender", "interview", "exchange")
                .filter(seq__gt=after).order_by("seq")[:limit])


def is_blocked(conversation: Conversation) -> bool:
    return Block.objects.filter(seeker_id=conversation.seeker_id,
                                organisation_id=conversation.organisation_id).exists()


def restrictions_for(*, viewer: Any) -> QuerySet[ChatRestriction]:
    return ChatRestriction.objects.filter(user=viewer).select_related("appeal_case") if getattr(
        viewer, "is_authenticated", False) else ChatRestriction.objects.none()


def open_exchanges(conversation: Conversation) -> list[ExchangeRequest]:
    return list(conversation.exchanges.filter(status="open").order_by("created_at"))


@dataclass(frozen=True)
class BindingView:
    middle_number: str
    expires_at: Any
    active: bool
    calls: list[Any]


def bindings_for(*, conversation: Conversation) -> list[BindingView]:
    """The virtual numbers of the conversation with their call records; never a real number."""
    from pinqiao.messaging.virtual_numbers import provider

    out = []
    for binding in VirtualBinding.objects.filter(conversation=conversation).order_by("-created_at"):
        out.append(BindingView(middle_number=binding.middle_number,
                               expires_at=binding.expires_at, active=binding.active,
                               calls=provider().calls(ref=binding.provider_ref)))
    return out


def released_im_handle(*, viewer: Any, conversation: Conversation) -> str:
    """The seeker's instant-messaging handle for an organisation member, only after an accepted
    「交换微信」 in this conversation (RES-5); the read is audited."""
    from pinqiao.core.crypto import decrypt
    from pinqiao.resumes.models import Resume

    if side_of(viewer, conversation) != Side.ORG:
        return ""
    if not conversation.exchanges.filter(kind="wechat", status="accepted").exists():
        return ""
    resume = Resume.objects.filter(owner_id=conversation.seeker_id).only("im_ciphertext").first()
    if resume is None or not resume.im_ciphertext:
        return ""
    log_action(viewer, "chat.contact_viewed", conversation, {"field": "im"})
    return decrypt(resume.im_ciphertext, context="resume_im")


def conversation_for_staff(*, viewer: Any, report_id: int) -> tuple[Conversation, Any]:
    """Staff read a conversation only through a report that names it (MSG-1, ACC-2): the
    reviewer or customer-service role, past the second factor; every read is audited."""
    from pinqiao.moderation.models import Report

    if not (has_perm(viewer, "review.content") or has_perm(viewer, "tickets.handle")):
        raise NotPermitted(_("您没有查看会话的权限。"))
    report = Report.objects.filter(
        pk=report_id, content_type=ContentType.objects.get_for_model(Conversation)).first()
    conversation = (Conversation.objects.select_related("organisation", "posting", "seeker")
                    .filter(pk=report.object_id).first()) if report is not None else None
    if conversation is None:
        raise NotFound(_("该举报没有指向任何会话。"))
    log_action(viewer, "chat.staff_read", conversation, {"report": report.pk})
    return conversation, report
