"""Send the interview reminders that are due and not yet sent; cancel open interviews whose
application has ended (APP-3)."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from pinqiao.interviews.services import (
    interviews_close_for_final_applications,
    reminders_send_due,
)


class Command(BaseCommand):
    help = "Send due interview reminders (24 h, 1 h); cancel interviews of ended applications."

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
                raise CommandError("--at needs a UTC offset, e.g. 2026-03-02T09:00+08:00")
        cancelled = interviews_close_for_final_applications(now=now, dry_run=dry_run)
        sent = reminders_send_due(now=now, dry_run=dry_run)
        suffix = " (dry run)" if dry_run else ""
        self.stdout.write(f"send_interview_reminders: {sent} reminders, "
                          f"{cancelled} interviews of ended applications cancelled{suffix}")
