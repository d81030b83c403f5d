"""Risk monitoring of data access (SEC-2; DB4401 7.3.3, 35273 7.1).

Reads the audit log (SEC-1 writes an entry for every read of sensitive data and every export)
and raises a ``SecurityAlert`` — at most one per account, kind and day — for

* **bulk reads**: more than ``BULK_READS`` reads of personal data by one account within an hour;
* **unusual exports**: more than ``DAILY_EXPORTS`` exports or downloads by one account in a day;
* **off-hours staff access**: a staff account touching personal data outside 08:00–20:00 China
  time or on a non-working day (statutory calendar).

Each new alert goes to every auditor (the security role) as a notification.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from pinqiao.core.audit import log_action
from pinqiao.core.models import AuditEntry
from pinqiao.core.permissions import STAFF_ROLES, Role, require_perm
from pinqiao.interviews.workdays import CHINA, day_info
from pinqiao.notifications.services import notify
from pinqiao.rights.models import AlertKind, SecurityAlert

PERSONAL_READS = frozenset({"resume.contact_read", "resume.attachment_read",
                            "orgs.document_viewed", "accounts.login_log_searched"})
EXPORTS = frozenset({"rights.export_downloaded", "resume.export_json", "resume.pdf_download",
                     "orgs.credit_exported"})
BULK_READS = 50
DAILY_EXPORTS = 10
WORKING_HOURS = (time(8, 0), time(20, 0))


def _off_hours(at: datetime) -> bool:
    local = at.astimezone(CHINA)
    start, end = WORKING_HOURS
    return not (day_info(local.date()).is_workday and start <= local.time() < end)


def _hour(at: datetime) -> str:
    return at.astimezone(CHINA).strftime("%Y-%m-%d %H:00")


def _findings(entries: list[AuditEntry]) -> list[tuple[str, int, Any, dict[str, Any]]]:
    reads: dict[tuple[int, str], int] = defaultdict(int)
    exports: dict[tuple[int, Any], int] = defaultdict(int)
    night: dict[tuple[int, Any], list[str]] = defaultdict(list)
    for entry in entries:
        if entry.actor_id is None:
            continue
        day = entry.at.astimezone(CHINA).date()
        if entry.verb in PERSONAL_READS:
            reads[(entry.actor_id, _hour(entry.at))] += 1
        if entry.verb in EXPORTS:
            exports[(entry.actor_id, day)] += 1
        if (entry.actor_role in STAFF_ROLES and entry.verb in PERSONAL_READS | EXPORTS
                and _off_hours(entry.at)):
            night[(entry.actor_id, day)].append(
                f"{entry.at.astimezone(CHINA):%Y-%m-%d %H:%M} {entry.verb}")
    found = []
    for (actor, hour), count in reads.items():
        if count > BULK_READS:
            found.append((AlertKind.BULK_READ, actor, datetime.strptime(hour[:10], "%Y-%m-%d")
                          .date(), {"hour": hour, "count": count, "limit": BULK_READS}))
    for (actor, day), count in exports.items():
        if count > DAILY_EXPORTS:
            found.append((AlertKind.UNUSUAL_EXPORT, actor, day,
                          {"count": count, "limit": DAILY_EXPORTS}))
    for (actor, day), items in night.items():
        found.append((AlertKind.OFF_HOURS, actor, day, {"count": len(items),
                                                        "sample": items[:10]}))
    return found


def access_monitor(*, since: datetime | None = None, dry_run: bool = False) -> int:
    """SEC-2: scan the audit log since ``since`` (default: the last 24 hours) and raise the
    alerts not raised yet; returns how many are new (or would be)."""
    since = since or timezone.now() - timedelta(hours=24)
    entries = list(AuditEntry.objects.filter(at__gte=since).only(
        "actor_id", "actor_role", "verb", "at"))
    users = get_user_model().objects
    security = list(users.filter(role=Role.AUDITOR, is_active=True))
    new = 0
    for kind, actor_id, day, evidence in _findings(entries):
        if SecurityAlert.objects.filter(kind=kind, actor_id=actor_id, day=day).exists():
            continue
        new += 1
        if dry_run:
            continue
        try:
            with transaction.atomic():
                alert = SecurityAlert.objects.create(kind=kind, actor_id=actor_id, day=day,
                                                     evidence=evidence)
                actor = users.get(pk=actor_id)
                log_action(None, "security.alert", alert, {"kind": kind, "actor": actor_id})
                for person in security:
                    notify(person, "security_alert",
                           {"kind": alert.get_kind_display(), "account": actor.username,
                            "day": day.isoformat()},
                           link="/staff/security/alerts/", urgent=True)
        except IntegrityError:  # a parallel run raised it first
            new -= 1
    return new


def security_alerts(*, viewer: Any) -> Any:
    require_perm(viewer, "security.alerts")
    return SecurityAlert.objects.select_related("actor")
