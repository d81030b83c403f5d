"""Reports made with the existing report buttons (moderation) also land on the desk (TKT-1)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from pinqiao.moderation.models import Report


@receiver(post_save, sender=Report, dispatch_uid="tickets_case_from_report")
def _case_from_report(sender: Any, instance: Report, created: bool, **kwargs: Any) -> None:
    if created:
        from pinqiao.tickets.services import case_from_report

        case_from_report(report=instance)
