"""``manage.py remind_hiring_outcomes [--dry-run]``: expire unanswered offers past their
reply-by date and remind recruiters to record interview and offer outcomes (APP-6)."""

from typing import Any

from django.core.management.base import BaseCommand

from pinqiao.applications.services import outcomes_remind


class Command(BaseCommand):
    help = "Expire overdue offers; remind recruiters of interview and offer outcomes due."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        summary = outcomes_remind(dry_run=options["dry_run"])
        verb = "would remind" if options["dry_run"] else "reminded"
        self.stdout.write(f"remind_hiring_outcomes: {summary['offers_expired']} offers expired, "
                          f"{verb} {summary['organisations']} organisations of "
                          f"{summary['applications']} applications")
