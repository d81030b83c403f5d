"""``manage.py send_job_alerts [--dry-run]``: job alerts for saved searches (SRCH-3, periodic).

Matches postings queued for instant alerts that the task worker has not matched, sends instant
notices the per-seeker rate limit held back, and sends the daily digests that are due."""

from typing import Any

from django.core.management.base import BaseCommand

from pinqiao.search.alerts import (
    daily_alerts_run,
    instant_alerts_match,
    instant_alerts_send,
    job_alerts_pending,
)

#: The scheduler runs the command every minute: a run sends digests for at most this long and
#: leaves the rest due for the next run.
DAILY_SECONDS = 45.0


class Command(BaseCommand):
    help = "Send job alerts for saved searches: instant notices and daily digests (SRCH-3)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dry_run"]:
            pending = job_alerts_pending()
            self.stdout.write(
                f"send_job_alerts: {pending['daily_due']} daily searches due, "
                f"{pending['queued']} postings queued, "
                f"{pending['instant_waiting']} instant matches waiting")
            return
        matched = instant_alerts_match()
        instant = instant_alerts_send()
        daily = daily_alerts_run(max_seconds=DAILY_SECONDS)
        self.stdout.write(
            f"send_job_alerts: instant {matched['postings']} postings matched "
            f"({matched['matches']} matches), {instant['sent']} notices sent, "
            f"{instant['held']} held by the rate limit; daily {daily['sent']} digests sent, "
            f"{daily['nothing_new']} with nothing new"
            + (f", {daily['deferred']} left for the next run" if daily["deferred"] else "")
            + (f", {daily['failed'] + instant['failed']} failed (see the log)"
               if daily["failed"] or instant["failed"] else ""))
