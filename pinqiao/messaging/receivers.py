"""Chat on the complaints desk (TKT-1): a reported conversation and an appealed chat restriction
are desk targets, and the desk's decision on an appeal reaches the restriction. A membership
change drops the organisation's cached list of chat members."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from pinqiao.messaging.models import ChatRestriction, Conversation
from pinqiao.messaging.services.messages import members_key
from pinqiao.orgs.models import Membership
from pinqiao.tickets.models import Case
from pinqiao.tickets.targets import TargetInfo, TargetType, register_target


def _conversation(conversation: Conversation) -> TargetInfo:
    """A reported conversation answers to its organisation; staff read it only through the
    report that names it (``/staff/chat/reports/<report>/``, audited)."""
    return TargetInfo(label=_("会话 #%(id)s：%(org)s · %(posting)s") % {
        "id": conversation.pk, "org": conversation.organisation.name,
        "posting": conversation.posting.title}, organisation=conversation.organisation)


def _restriction(restriction: ChatRestriction) -> TargetInfo:
    """An appealed chat restriction: a measure of the platform, no other party."""
    return TargetInfo(label=_("沟通处罚 #%(id)s：%(kind)s（%(day)s）") % {
        "id": restriction.pk, "kind": restriction.get_kind_display(),
        "day": restriction.created_at.strftime("%Y-%m-%d")})


register_target(TargetType("conversation", "messaging.conversation", _conversation))
register_target(TargetType("chat_restriction", "messaging.chatrestriction", _restriction))


@receiver(post_save, sender=Case, dispatch_uid="messaging_restriction_appeal_decided")
def _appeal_decided(sender: Any, instance: Case, **kwargs: Any) -> None:
    if instance.upheld is not None and instance.content_type_id is not None \
            and instance.content_type.model_class() is ChatRestriction:
        from pinqiao.messaging.services import restriction_appeal_decided

        restriction_appeal_decided(case=instance)


@receiver(post_save, sender=Membership, dispatch_uid="messaging_members_saved")
@receiver(post_delete, sender=Membership, dispatch_uid="messaging_members_deleted")
def _forget_members(sender: Any, instance: Membership, **kwargs: Any) -> None:
    cache.delete(members_key(instance.organisation_id))
