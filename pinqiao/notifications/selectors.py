"""Reads for the inbox and preferences (MSG-3)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from pinqiao.notifications.models import Notification, NotificationPreference


def inbox_for(*, user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at")


def unread_count(*, user: Any) -> int:
    return Notification.objects.filter(user=user, read_at=None).count()


def preference_for(*, user: Any) -> NotificationPreference:
    """The saved preference, or the defaults (everything on, no quiet hours) unsaved."""
    return (NotificationPreference.objects.filter(user=user).first()
            or NotificationPreference(user=user))
