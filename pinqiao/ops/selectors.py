"""Operations read side: task-queue health (RET-3), the maintenance log (SEC-5) and the signed
audit checkpoints for the regulator (SEC-1)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from pinqiao.core.audit import log_action, read_checkpoints, verify_chain
from pinqiao.core.errors import NotPermitted
from pinqiao.core.permissions import has_perm, require_perm
from pinqiao.ops.models import MaintenanceRecord
from pinqiao.ops.services import TASK_LEASE

#: A due task waiting longer than this means the worker is down or overloaded.
PENDING_AGE_ALERT_SECONDS = 10 * 60


@dataclass(frozen=True)
class TaskHealth:
    pending: int
    oldest_pending_seconds: int
    running: int
    stuck: int
    failed_last_day: int

    @property
    def status(self) -> str:
        if self.stuck or self.oldest_pending_seconds > PENDING_AGE_ALERT_SECONDS:
            return "late"
        return "ok"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "status": self.status}


def task_health(*, now: datetime | None = None) -> TaskHealth:
    """Queue depth (due READY tasks), the age of the oldest, RUNNING tasks and those past their
    lease (stuck), and failures in the last 24 hours. No personal data: open to health checks.
    One aggregate query: the health check runs it on every probe (RET-3)."""
    now = now or timezone.now()
    due = Q(status=TaskResultStatus.READY) & (Q(run_after__lte=now)
                                              | Q(run_after=get_date_max()))
    running = Q(status=TaskResultStatus.RUNNING)
    failed = Q(status=TaskResultStatus.FAILED, finished_at__gte=now - timedelta(days=1))
    stats = DBTaskResult.objects.filter(due | running | failed).aggregate(
        oldest=Min("enqueued_at", filter=due), pending=Count("pk", filter=due),
        running=Count("pk", filter=running),
        stuck=Count("pk", filter=running & Q(started_at__lt=now - TASK_LEASE)),
        failed_last_day=Count("pk", filter=failed))
    oldest = stats["oldest"]
    return TaskHealth(
        pending=stats["pending"],
        oldest_pending_seconds=max(0, int((now - oldest).total_seconds())) if oldest else 0,
        running=stats["running"], stuck=stats["stuck"], failed_last_day=stats["failed_last_day"],
    )


def stuck_tasks(*, viewer: Any, now: datetime | None = None) -> list[DBTaskResult]:
    require_perm(viewer, "view.audit")
    now = now or timezone.now()
    return list(DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING,
                                            started_at__lt=now - TASK_LEASE)
                .order_by("started_at")[:50])


def audit_checkpoints_export(*, viewer: Any) -> tuple[str, str]:
    """SEC-1: the signed checkpoint file, for the regulator (or an auditor) on request, with
    the result of verifying the chain against it. The export is audited."""
    if not (has_perm(viewer, "view.oversight") or has_perm(viewer, "view.audit")):
        raise NotPermitted(str(_("您没有执行此操作的权限。")))
    problem = verify_chain()
    rows = read_checkpoints()
    log_action(viewer, "core.audit_checkpoints_exported", None,
               {"checkpoints": len(rows), "intact": problem is None})
    verdict = "intact" if problem is None else f"broken at seq {problem.seq}: {problem.reason}"
    body = "".join(json.dumps(row, sort_keys=True) + "\n" for row in rows)
    return body, verdict


def maintenance_log(*, viewer: Any, kind: str = "", page: int = 1) -> Page:
    """SEC-5: the maintenance log, newest first, for staff who may read the login log."""
    require_perm(viewer, "view.login_log")
    rows = MaintenanceRecord.objects.all()
    if kind:
        rows = rows.filter(kind=kind)
    return Paginator(rows, 50).get_page(page)
