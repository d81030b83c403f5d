"""Install default notification templates from a data migration.

Each app that introduces an event ships its templates in a migration calling ``install``; staff
edits are kept (existing rows are never overwritten).
"""

from typing import Any

TemplateRow = tuple[str, str, str, str, str]  # event, channel, subject, body, description


def install(apps: Any, rows: list[TemplateRow]) -> None:
    model = apps.get_model("notifications", "NotificationTemplate")
    for event, channel, subject, body, description in rows:
        model.objects.get_or_create(
            event=event, channel=channel, language="zh-hans",
            defaults={"subject": subject, "body": body, "description": description})


def remove(apps: Any, rows: list[TemplateRow]) -> None:
    model = apps.get_model("notifications", "NotificationTemplate")
    for event, channel, *_ in rows:
        model.objects.filter(event=event, channel=channel, language="zh-hans").delete()
