"""Opening and resuming conversations, blocks, mutes, reports and read receipts (MSG-1, TKT-1)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.core.audit import log_action
from pinqiao.core.errors import NotFound, NotPermitted, ServiceError
from pinqiao.core.permissions import Role
from pinqiao.jobs.models import Posting, PostingStatus
from pinqiao.messaging import realtime
from pinqiao.messaging.models import Block, Conversation, Side
from pinqiao.messaging.selectors import (
    WRITE_FIELDS,
    chat_org_ids,
    conversation_for_participant,
    conversation_for_writer,
)


def _published_posting(posting_id: int) -> Posting:
    posting = Posting.objects.select_related("organisation").filter(pk=posting_id).first()
    if posting is None or posting.status != PostingStatus.PUBLISHED:
        raise NotFound(_("该职位不存在或已停止招聘。"))
    return posting


def _recruiter_may_start(*, seeker: Any, posting: Posting) -> bool:
    """DB4401 6.1.4.2: a recruiter starts a chat only with a seeker who applied to the
    organisation or whose approved résumé is public (open to contact by verified recruiters)."""
    from pinqiao.applications.models import Application
    from pinqiao.resumes.models import Resume, ReviewStatus, Visibility

    if Application.objects.filter(seeker=seeker, organisation_id=posting.organisation_id).exists():
        return True
    return Resume.objects.filter(owner=seeker, visibility=Visibility.PUBLIC,
                                 review_status=ReviewStatus.APPROVED).exists()


def conversation_open(*, actor: Any, posting_id: int, seeker_id: int | None = None
                      ) -> tuple[Conversation, bool]:
    """「立即沟通」: open or resume the conversation of (seeker, organisation, posting) (MSG-1).

    A seeker opens one on any published posting. A recruiter who may chat for the posting's
    organisation opens one with ``seeker_id`` only if the seeker applied to the organisation or
    has a public résumé, not if the seeker blocked the organisation (neutral refusal), and at
    most ``CHAT_RECRUITER_NEW_CONVERSATIONS_PER_DAY`` new ones a day. Returns the conversation
    and whether it was created."""
    if not getattr(actor, "is_authenticated", False):
        raise NotPermitted(_("请先登录。"), code="not_authenticated")
    posting = _published_posting(posting_id)
    if actor.role == Role.SEEKER:
        seeker, side = actor, Side.SEEKER
    elif actor.role == Role.RECRUITER and posting.organisation_id in chat_org_ids(actor):
        from pinqiao.accounts.models import User

        seeker = User.objects.filter(pk=seeker_id, role=Role.SEEKER, is_active=True).first() \
            if seeker_id else None
        if seeker is None:
            raise NotFound(_("没有找到该求职者。"))
        side = Side.ORG
    else:
        log_action(actor, "chat.open_denied", posting, {})
        raise NotPermitted(_("您不能为该职位发起沟通。"))
    existing = Conversation.objects.filter(seeker=seeker, organisation=posting.organisation,
                                           posting=posting).first()
    if existing is not None:
        return existing, False
    if side == Side.ORG:
        if Block.objects.filter(seeker=seeker, organisation=posting.organisation).exists() \
                or not _recruiter_may_start(seeker=seeker, posting=posting):
            log_action(actor, "chat.open_refused", posting, {"seeker": seeker.pk})
            raise NotPermitted(_("该求职者暂未开放沟通：只能与投递过贵单位或"
                                 "公开简历的求职者沟通。"),
                               code="seeker_not_open")
        today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        started = Conversation.objects.filter(started_by=actor, created_at__gte=today).count()
        if started >= settings.CHAT_RECRUITER_NEW_CONVERSATIONS_PER_DAY:
            raise ServiceError("daily_limit",
                               _("您今天发起的新沟通已达上限（%(n)s 个），请明天再试。")
                               % {"n": settings.CHAT_RECRUITER_NEW_CONVERSATIONS_PER_DAY},
                               status=429)
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(
                seeker=seeker, organisation=posting.organisation, posting=posting,
                started_by=actor, started_side=side)
            log_action(actor, "chat.opened", conversation,
                       {"posting": posting.pk, "side": side})
    except IntegrityError:  # opened at the same moment by another request
        return Conversation.objects.get(seeker=seeker, organisation=posting.organisation,
                                        posting=posting), False
    return conversation, True


def _seeker_conversation(actor: Any, conversation_id: int) -> Conversation:
    conversation, side = conversation_for_participant(viewer=actor, conversation_id=conversation_id)
    if side != Side.SEEKER:
        raise NotPermitted(_("只有求职者可以进行此操作。"))
    return conversation


@transaction.atomic
def organisation_block(*, actor: Any, conversation_id: int, blocked: bool = True) -> Block | None:
    """The seeker blocks (or unblocks) the conversation's organisation: every member, now and
    later, is refused (MSG-1, DB4401 6.1.4.2)."""
    conversation = _seeker_conversation(actor, conversation_id)
    if blocked:
        block, _created = Block.objects.get_or_create(seeker=actor,
                                                      organisation=conversation.organisation)
        log_action(actor, "chat.blocked", conversation,
                   {"organisation": conversation.organisation_id})
        return block
    Block.objects.filter(seeker=actor, organisation=conversation.organisation).delete()
    log_action(actor, "chat.unblocked", conversation,
               {"organisation": conversation.organisation_id})
    return None


@transaction.atomic
def conversation_mute(*, actor: Any, conversation_id: int, muted: bool) -> Conversation:
    """The seeker mutes the conversation: no notifications for its messages."""
    conversation = _seeker_conversation(actor, conversation_id)
    conversation.seeker_muted = muted
    conversation.save(update_fields=["seeker_muted"])
    log_action(actor, "chat.muted" if muted else "chat.unmuted", conversation, {})
    return conversation


def conversation_report(*, actor: Any, conversation_id: int, reason: str, detail: str = "") -> Any:
    """Report a conversation (TKT-1): a moderation report naming it lands in the review queue;
    it is also the only way staff may open the conversation (audited). The reporter's side is
    recorded, never shown to the party reported."""
    from pinqiao.moderation.services import report_create

    conversation, side = conversation_for_participant(viewer=actor,
                                                      conversation_id=conversation_id)
    title = _("会话举报：%(org)s · %(posting)s") % {"org": conversation.organisation.name,
                                                  "posting": conversation.posting.title}
    return report_create(reporter=actor, target=conversation, reason=reason, detail=detail,
                         title=title[:200])


@transaction.atomic
def conversation_read(*, actor: Any, conversation_id: int, seq: int) -> Conversation:
    """已读: the actor's side has read up to ``seq``. A sequence number beyond the last message
    (forged) or below zero is refused; read state never goes backwards."""
    conversation, side = conversation_for_writer(viewer=actor, conversation_id=conversation_id)
    conversation = Conversation.objects.select_for_update().only(
        *WRITE_FIELDS, "seeker_read_seq", "org_read_seq").get(pk=conversation.pk)
    if not isinstance(seq, int) or seq < 0 or seq > conversation.last_seq:
        raise ServiceError("invalid_seq", _("消息序号无效。"),
                           fields={"seq": [_("消息序号无效。")]})
    field = "seeker_read_seq" if side == Side.SEEKER else "org_read_seq"
    if seq > getattr(conversation, field):
        setattr(conversation, field, seq)
        conversation.save(update_fields=[field])
        realtime.push_read_on_commit(conversation, side, seq)
    return conversation
