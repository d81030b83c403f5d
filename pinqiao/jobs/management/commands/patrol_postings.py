"""``manage.py patrol_postings [--dry-run]``: the stale-posting patrol (JOB-4)."""

from typing import Any

from django.core.management.base import BaseCommand

from pinqiao.jobs.services import postings_patrol


class Command(BaseCommand):
    help = ("Take down postings of suspended organisations, remind employers after 30 days "
            "without update, take down postings still stale 7 days after the reminder (JOB-4).")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        summary = postings_patrol(dry_run=options["dry_run"])
        prefix = "dry run: " if options["dry_run"] else ""
        self.stdout.write(
            f"patrol_postings: {prefix}{summary['suspended']} of suspended organisations taken "
            f"down, {summary['reminded']} reminded, {summary['stale_removed']} stale taken down"
            + (f", {summary['relabelled']} quality labels changed" if "relabelled" in summary
               else ""))
