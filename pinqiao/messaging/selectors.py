"""Reads for chat, each taking the actor (MSG-1): who may see a conversation, its messages after
a sequence number, the unread counts, and the staff read through a report (audited)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
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


def conversation_for_sender(*, viewer: Any, conversation_id: int) -> tuple[Conversation, str]:
    """For a send: :func:`conversation_for_writer` and, in the same query, whether the viewer
    may chat for the organisation, whether the seeker blocked it (``blocked``) and the end of a
    chat ban in force on the viewer (``banned_until``, ``None`` if none). One query instead of
    four: every message pays for this check."""
    if not getattr(viewer, "is_authenticated", False):
        raise _deny(viewer, conversation_id)
    query = Conversation.objects.only(*WRITE_FIELDS).filter(pk=conversation_id).annotate(
        blocked=Exists(Block.objects.filter(seeker_id=OuterRef("seeker_id"),
                                            organisation_id=OuterRef("organisation_id"))),
        banned_until=Subquery(ChatRestriction.objects.filter(
            user_id=viewer.pk, kind=RestrictionKind.CHAT_BAN, lifted_at=None,
            ends_at__gt=timezone.now()).order_by("-ends_at").values("ends_at")[:1]))
    if viewer.role == Role.RECRUITER:
        query = query.annotate(may_chat=Exists(Membership.objects.filter(
            Q(role=MemberRole.OWNER) | Q(can_chat=True), user_id=viewer.pk,
            organisation_id=OuterRef("organisation_id"))))
    conversation = query.first()
    side = None
    if conversation is not None and conversation.seeker_id == viewer.pk:
        side = Side.SEEKER
    elif conversation is not None and getattr(conversation, "may_chat", False):
        side = Side.ORG
    if side is None:
        raise _deny(viewer, conversation_id)
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
