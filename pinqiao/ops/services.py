"""Operations services: the maintenance log (SEC-5) and stuck-task reclaiming (RET-3).

``maintenance_record`` appends one row for a deploy, a migration, a configuration change or a
restart; ``record_start`` is called as a process starts and also notices configuration changes
since the last start. ``tasks_reclaim`` returns tasks a killed worker left RUNNING to the queue
(or fails them after ``TASK_MAX_ATTEMPTS``) once their lease has run out.
"""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from pinqiao.core.audit import log_action
from pinqiao.ops.models import MaintenanceKind, MaintenanceRecord

#: A task RUNNING for longer than this is taken to belong to a worker that died.
TASK_LEASE = timedelta(seconds=getattr(settings, "TASK_LEASE_SECONDS", 15 * 60))
#: Runs (claims by a worker) a task gets before a lost one is marked failed instead of retried.
TASK_MAX_ATTEMPTS = 3
LEASE_EXPIRED = "pinqiao.ops.services.TaskLeaseExpired"

#: Settings whose changes are logged (SEC-5). Secrets appear only as a short digest.
CONFIG_SETTINGS = (
    "DEBUG", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_AGE",
    "CONTENT_SECURITY_POLICY", "MIDDLEWARE", "INSTALLED_APPS", "PASSWORD_HASHERS",
    "AXES_FAILURE_LIMIT", "TIME_ZONE", "SMS_PROVIDER", "PUSH_PROVIDER", "REALNAME_VERIFIER",
    "EMAIL_BACKEND", "SITE_URL", "TASKS",
)
SECRET_SETTINGS = ("SECRET_KEY", "FIELD_ENCRYPTION_KEY")


class TaskLeaseExpired(Exception):
    """The worker running the task stopped answering (killed) and its lease ran out."""


def code_revision() -> str:
    """The deployed code version: ``PINQIAO_REVISION``, else the git commit, else empty."""
    if os.environ.get("PINQIAO_REVISION"):
        return os.environ["PINQIAO_REVISION"][:64]
    try:
        done = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=settings.BASE_DIR,
                              capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def config_fingerprint() -> dict[str, str]:
    """The logged settings as text, the database as engine and name (never a password)."""
    values = {name: repr(getattr(settings, name, None)) for name in CONFIG_SETTINGS}
    for name in SECRET_SETTINGS:
        raw = str(getattr(settings, name, "") or "")
        values[name] = "sha256:" + hashlib.sha256(raw.encode()).hexdigest()[:12] if raw else ""
    db = settings.DATABASES["default"]
    values["DATABASE"] = f"{db['ENGINE'].rsplit('.', 1)[-1]}:{db.get('HOST', '')}/{db['NAME']}"
    return values


def maintenance_record(*, kind: str, summary: str, operator: str = "",
                       details: dict[str, Any] | None = None) -> MaintenanceRecord:
    """SEC-5: append one maintenance-log row (the host and code version are added)."""
    if kind not in MaintenanceKind.values:
        raise ValueError(f"unknown maintenance kind {kind!r}")
    return MaintenanceRecord.objects.create(
        kind=kind, summary=summary[:300], operator=operator[:120],
        host=socket.gethostname()[:120], revision=code_revision(), details=details or {})


def _last_config() -> dict[str, str] | None:
    for details in (MaintenanceRecord.objects.filter(kind=MaintenanceKind.RESTART)
                    .order_by("-at", "-pk").values_list("details", flat=True)[:20]):
        if isinstance(details, dict) and "config" in details:
            return details["config"]
    return None


def record_start(*, process: str, operator: str = "") -> list[MaintenanceRecord]:
    """SEC-5: a process (web server, worker, scheduler) started; a configuration that differs
    from the one at the last start is logged as a change, naming the settings that changed."""
    current = config_fingerprint()
    previous = _last_config()
    records = []
    with transaction.atomic():
        if previous is not None:
            changed = sorted(k for k in set(current) | set(previous)
                             if current.get(k) != previous.get(k))
            if changed:
                records.append(maintenance_record(
                    kind=MaintenanceKind.CONFIG_CHANGE, operator=operator,
                    summary="配置变更：" + "、".join(changed),
                    details={"changed": changed,
                             "before": {k: previous.get(k, "") for k in changed},
                             "after": {k: current.get(k, "") for k in changed}}))
        records.append(maintenance_record(
            kind=MaintenanceKind.RESTART, operator=operator, summary=f"{process} 启动",
            details={"process": process, "pid": os.getpid(), "config": current}))
    return records


# --- stuck tasks -------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReclaimResult:
    retried: list[str]
    failed: list[str]


def tasks_reclaim(*, now: datetime | None = None) -> ReclaimResult:
    """RET-3: tasks RUNNING past ``TASK_LEASE`` go back to READY for another worker, or are
    marked FAILED once they have been claimed ``TASK_MAX_ATTEMPTS`` times. Each is audited and
    the batch is written to the maintenance log."""
    now = now or timezone.now()
    cutoff = now - TASK_LEASE
    retried: list[str] = []
    failed: list[str] = []
    stuck = list(DBTaskResult.objects.running().filter(started_at__lt=cutoff)
                 .values_list("pk", flat=True))
    for pk in stuck:
        with transaction.atomic():
            task = (DBTaskResult.objects.select_for_update()
                    .filter(pk=pk, status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
                    .first())
            if task is None:  # finished or reclaimed meanwhile
                continue
            if len(task.worker_ids) < TASK_MAX_ATTEMPTS:
                task.status = TaskResultStatus.READY
                task.started_at = None
                task.save(update_fields=["status", "started_at"])
                retried.append(str(pk))
                outcome = "retried"
            else:
                task.status = TaskResultStatus.FAILED
                task.finished_at = now
                task.exception_class_path = LEASE_EXPIRED
                task.traceback = (f"TaskLeaseExpired: still RUNNING after {TASK_LEASE} on "
                                  f"its {len(task.worker_ids)}th run; worker presumed dead")
                task.save(update_fields=["status", "finished_at", "exception_class_path",
                                         "traceback"])
                failed.append(str(pk))
                outcome = "failed"
            log_action(None, "ops.task_reclaimed", ("django_tasks_db.dbtaskresult", pk),
                       {"task": task.task_path, "outcome": outcome,
                        "runs": len(task.worker_ids)})
    if retried or failed:
        maintenance_record(
            kind=MaintenanceKind.TASK_RECLAIM,
            summary=f"回收卡住的任务：重试 {len(retried)} 个，标记失败 {len(failed)} 个",
            details={"retried": retried, "failed": failed})
    return ReclaimResult(retried, failed)
