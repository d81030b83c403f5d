"""``manage.py expire_postings [--dry-run]``: expire live postings past their date (JOB-3)."""

from typing import Any

from django.core.management.base import BaseCommand

from pinqiao.jobs.services import postings_expire


class Command(BaseCommand):
    help = "Expire published and paused postings past their validity date (JOB-3)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        count = postings_expire(dry_run=options["dry_run"])
        prefix = "would expire" if options["dry_run"] else "expired"
        self.stdout.write(f"expire_postings: {prefix} {count} postings")
