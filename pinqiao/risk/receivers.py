"""Signals that move a risk score (RISK-1): a sanction in force (hook), a new report, and chat
abuse (a screening hit counted against a sender, a chat sanction or its appeal), received from
the chat app's models without the chat app knowing about risk."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from pinqiao.messaging.models import ChatRestriction, ChatViolation
from pinqiao.moderation.models import Report
from pinqiao.risk import services

services.install_hooks()


@receiver(post_save, sender=Report, dispatch_uid="risk_score_on_report")
def _rescore_on_report(sender: Any, instance: Report, created: bool, **kwargs: Any) -> None:
    target = instance.target
    organisation = getattr(target, "organisation", None) or (
        target if target is not None and target._meta.label_lower == "orgs.organisation"
        else None)
    if created and organisation is not None:
        transaction.on_commit(lambda: services.scores_recompute_for_organisation(
            organisation=organisation))


@receiver(post_save, sender=ChatViolation, dispatch_uid="risk_score_on_chat_violation")
@receiver(post_save, sender=ChatRestriction, dispatch_uid="risk_score_on_chat_restriction")
def _rescore_on_chat(sender: Any, instance: Any, **kwargs: Any) -> None:
    user_id = instance.user_id
    transaction.on_commit(lambda: services.scores_recompute_for_chat(user_id=user_id))
