"""RET-3: a task killed mid-run does not stay RUNNING forever (issue 11, finding 8).

After its lease a stuck task is requeued, or marked failed once it has been claimed three
times; each reclaim is audited and logged. Staff see queue depth, the age of the oldest pending
task and stuck tasks on a health page; ``/healthz`` reports the same figures."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from pinqiao.core.models import AuditEntry
from pinqiao.ops.models import MaintenanceKind, MaintenanceRecord
from pinqiao.ops.selectors import task_health
from pinqiao.ops.services import LEASE_EXPIRED, TASK_LEASE, tasks_reclaim

pytestmark = pytest.mark.django_db


def _task(status: str, *, started_ago: timedelta | None = None, enqueued_ago: timedelta =
          timedelta(0), runs: int = 1) -> DBTaskResult:
    now = timezone.now()
    task = DBTaskResult.objects.create(
        status=status, args_kwargs={"args": [], "kwargs": {}}, task_path="pinqiao.x.tasks.job",
        queue_name="default", backend_name="default", run_after=get_date_max(),
        worker_ids=[f"w{i}" for i in range(runs if status == TaskResultStatus.RUNNING else 0)],
        started_at=now - started_ago if started_ago is not None else None)
    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=now - enqueued_ago)
    return task


def test_a_task_killed_mid_run_is_requeued_after_its_lease() -> None:
    stuck = _task(TaskResultStatus.RUNNING, started_ago=TASK_LEASE + timedelta(minutes=1))
    running = _task(TaskResultStatus.RUNNING, started_ago=timedelta(minutes=1))
    result = tasks_reclaim()
    assert result.retried == [str(stuck.pk)] and result.failed == []
    stuck.refresh_from_db()
    assert stuck.status == TaskResultStatus.READY and stuck.started_at is None
    assert DBTaskResult.objects.ready().filter(pk=stuck.pk).exists()
    running.refresh_from_db()
    assert running.status == TaskResultStatus.RUNNING
    assert AuditEntry.objects.filter(verb="ops.task_reclaimed", target_id=str(stuck.pk)).exists()
    assert MaintenanceRecord.objects.filter(kind=MaintenanceKind.TASK_RECLAIM).count() == 1


def test_a_task_that_keeps_dying_is_marked_failed_after_three_runs() -> None:
    stuck = _task(TaskResultStatus.RUNNING, started_ago=TASK_LEASE * 2, runs=3)
    result = tasks_reclaim()
    assert result.failed == [str(stuck.pk)]
    stuck.refresh_from_db()
    assert stuck.status == TaskResultStatus.FAILED and stuck.finished_at is not None
    assert stuck.exception_class_path == LEASE_EXPIRED


def test_nothing_to_reclaim_writes_nothing() -> None:
    _task(TaskResultStatus.RUNNING, started_ago=timedelta(minutes=1))
    assert tasks_reclaim().retried == []
    assert not MaintenanceRecord.objects.filter(kind=MaintenanceKind.TASK_RECLAIM).exists()


def test_the_scheduler_runs_the_reclaim() -> None:
    from pinqiao.core.scheduler import SCHEDULE

    assert "reclaim_tasks" in {job.command for job in SCHEDULE}
    stuck = _task(TaskResultStatus.RUNNING, started_ago=TASK_LEASE * 2)
    call_command("reclaim_tasks")
    stuck.refresh_from_db()
    assert stuck.status == TaskResultStatus.READY


def test_health_counts_depth_age_and_stuck_tasks() -> None:
    _task(TaskResultStatus.READY, enqueued_ago=timedelta(minutes=20))
    _task(TaskResultStatus.READY, enqueued_ago=timedelta(minutes=1))
    _task(TaskResultStatus.RUNNING, started_ago=TASK_LEASE * 2)
    health = task_health()
    assert health.pending == 2 and health.running == 1 and health.stuck == 1
    assert 19 * 60 <= health.oldest_pending_seconds <= 21 * 60
    assert health.status == "late"


def test_healthz_reports_the_task_queue(client: Client) -> None:
    _task(TaskResultStatus.READY, enqueued_ago=timedelta(minutes=2))
    _task(TaskResultStatus.RUNNING, started_ago=TASK_LEASE * 2)
    tasks = client.get("/healthz").json()["tasks"]
    assert tasks["pending"] == 1 and tasks["stuck"] == 1 and tasks["status"] == "late"
    assert tasks["oldest_pending_seconds"] >= 110


def test_staff_see_the_task_health_page(staff_client: Any, auditor: Any) -> None:
    _task(TaskResultStatus.READY, enqueued_ago=timedelta(minutes=3))
    _task(TaskResultStatus.RUNNING, started_ago=TASK_LEASE * 2)
    page = staff_client(auditor).get("/staff/tasks/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "后台任务健康" in text and "pinqiao.x.tasks.job" in text


def test_roles_without_the_audit_right_do_not_see_it(staff_client: Any,
                                                     customer_service: Any) -> None:
    assert staff_client(customer_service).get("/staff/tasks/").status_code == 403
