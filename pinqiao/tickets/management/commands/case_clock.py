"""Escalate cases at working day five and alert on overdue ones (TKT-3)."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from pinqiao.tickets.services import clock_run


class Command(BaseCommand):
    help = "Escalate desk cases at working day 5 and alert on cases past their deadline."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--at", help="run as of this ISO time (with offset) instead of now")

    def handle(self, *args: object, dry_run: bool = False, at: str | None = None,
               **options: object) -> None:
        now = None
        if at:
            try:
                now = datetime.fromisoformat(at)
            except ValueError as exc:
                raise CommandError(f"--at: not an ISO time: {at}") from exc
            if now.tzinfo is None:
                raise CommandError("--at needs a UTC offset, e.g. 2025-10-14T09:00+08:00")
        run = clock_run(now=now, dry_run=dry_run)
        suffix = " (dry run)" if dry_run else ""
        self.stdout.write(f"case_clock: {run.escalated} escalated, {run.overdue} overdue "
                          f"alerts{suffix}")
