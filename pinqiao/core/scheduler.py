"""The one table of periodic jobs. ``manage.py run_scheduler`` runs each command on its interval;
each job is a short management command with ``--dry-run`` printing one summary line.

A job with ``nightly_at`` is a batch over whole tables (every live posting's risk score, the
backup, the patrol): it runs once a day at that local time, like a cron entry — not when the
scheduler starts, where at a million postings it kept a core and the database's write lock
busy for hours beside the web processes (docs/benchmarks.md, "Web tier"). As with cron, a night
the scheduler is down is not made up; ``run_scheduler --once`` runs every job at once. The
hourly repair of the search indexes (a walk over every document) first runs an hour after the
start, and the market-insight snapshot (a pass over the window's postings) is recomputed at the
start only when the newest one is older than its interval."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils.module_loading import import_string


@dataclass(frozen=True)
class PeriodicJob:
    command: str
    every_seconds: int
    purpose: str
    nightly_at: time | None = None
    #: False: the first run comes one interval after the start (a repair pass over a whole
    #: index has nothing urgent to do at start-up).
    at_start: bool = True
    #: A function (dotted path) telling when the job's result was last made: the first run
    #: comes one interval after that, at once when there is none or it is older.
    last_made: str = ""

    def first_run_after(self, start: datetime) -> datetime:
        """When the job first runs for a scheduler started at ``start`` (local time): at once,
        one interval later, or a nightly job at the next ``nightly_at``."""
        if self.nightly_at is None:
            if not self.at_start:
                return start + timedelta(seconds=self.every_seconds)
            made = import_string(self.last_made)() if self.last_made else None
            return start if made is None else max(
                start, made.astimezone(start.tzinfo) + timedelta(seconds=self.every_seconds))
        at = datetime.combine(start.date(), self.nightly_at, tzinfo=start.tzinfo)
        return at if at > start else at + timedelta(days=1)


SCHEDULE: tuple[PeriodicJob, ...] = (
    PeriodicJob("send_due_notifications", 60, "MSG-3 retries and quiet-hour holds"),
    PeriodicJob("expire_sessions", 3600, "ACC-3 purge expired sessions and close their log-ins"),
    PeriodicJob("reverify_organisations", 86400,
                "ORG-7 six-monthly re-check reminders, licence expiry, suspensions"),
    PeriodicJob("expire_postings", 3600, "JOB-3 expire postings past their validity date"),
    PeriodicJob("patrol_postings", 86400,
                "JOB-4 take down postings of suspended organisations, stale-posting reminders",
                nightly_at=time(2, 10)),
    PeriodicJob("send_interview_reminders", 300,
                "APP-3 interview reminders 24 h and 1 h before; cancel interviews of ended "
                "applications"),
    PeriodicJob("remind_unhandled_applications", 86400,
                "APP-1 no black hole: applications untouched 14 days remind the recruiter"),
    PeriodicJob("remind_hiring_outcomes", 86400,
                "APP-6 expire overdue offers, remind recruiters to record outcomes"),
    PeriodicJob("bias_report", 86400, "ALG-1 exposure and apply-rate disparities by group",
                nightly_at=time(2, 40)),
    PeriodicJob("search_index", 30,
                "SRCH-1, SRCH-2 apply search-outbox rows (jobs, résumés) the task worker missed"),
    PeriodicJob("search_reconcile", 3600,
                "SRCH-1, SRCH-2 repair drift between the search indexes and the database",
                at_start=False),
    PeriodicJob("send_job_alerts", 60,
                "SRCH-3 job alerts: instant notices held by the rate limit, daily digests"),
    PeriodicJob("reclaim_tasks", 60,
                "RET-3 requeue (or fail after 3 runs) tasks a dead worker left RUNNING"),
    PeriodicJob("audit_checkpoint", 300,
                "SEC-1 sign the audit chain head into the checkpoint file outside the database"),
    PeriodicJob("apply_retention", 86400,
                "RET-1 purge or anonymise records past the retention schedule (legal holds "
                "respected); delete expired data downloads", nightly_at=time(3, 10)),
    PeriodicJob("alert_overdue_rights_requests", 3600,
                "PRIV-6 alert staff to rights requests past their 15-working-day deadline"),
    PeriodicJob("backup", 86400,
                "RET-2, SEC-4 encrypted backup of the database and media into var/backups, "
                "newest seven kept", nightly_at=time(3, 40)),
    PeriodicJob("monitor_access", 900,
                "SEC-2 alerts on bulk reads of personal data, unusual exports and off-hours "
                "staff access, sent to the auditors"),
    PeriodicJob("case_clock", 900,
                "TKT-3 escalate desk cases at working day 5, alert on overdue cases"),
    PeriodicJob("receive_complaint_mail", 300, "TKT-2 complaint e-mails (Maildir) become cases"),
    PeriodicJob("risk_recompute", 86400,
                "RISK-1 nightly recomputation of organisation, recruiter and posting scores",
                nightly_at=time(4, 10)),
    PeriodicJob("rollup_figures", 300,
                "ANA-1 recompute today's hourly and daily figures and yesterday's (rollups)"),
    PeriodicJob("refresh_insights", 21600,
                "ANA-4 salary index and hiring trends snapshot (pages never scan postings)",
                last_made="pinqiao.insights.selectors.snapshot_computed_at"),
)
