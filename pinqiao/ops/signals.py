"""Applied migrations go to the maintenance log (SEC-5)."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.dispatch import receiver


@receiver(post_migrate)
def record_migrations(sender: AppConfig, plan: list | None = None, using: str = "default",
                      **kwargs: Any) -> None:
    """``migrate`` sends post_migrate once per app with the whole plan: record it once (for
    this app), and only when something was applied (a flush sends no plan)."""
    if sender.label != "ops" or not plan:
        return
    from pinqiao.ops.models import MaintenanceKind
    from pinqiao.ops.services import maintenance_record

    names = [f"{m.app_label}.{m.name}" + (" (回退)" if backwards else "")
             for m, backwards in plan]
    maintenance_record(kind=MaintenanceKind.MIGRATION,
                       summary=f"数据库迁移：{len(names)} 项",
                       details={"migrations": names[:500], "database": using})
