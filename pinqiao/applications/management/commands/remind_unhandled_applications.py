"""``manage.py remind_unhandled_applications [--dry-run]``: applications untouched for 14 days
remind the recruiters and then show as 「未处理」 to the seeker (no black hole)."""

from typing import Any

from django.core.management.base import BaseCommand

from pinqiao.applications.services import applications_unhandled_remind


class Command(BaseCommand):
    help = "Remind recruiters of applications with no stage change for 14 days."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        summary = applications_unhandled_remind(dry_run=options["dry_run"])
        verb = "would remind" if options["dry_run"] else "reminded"
        self.stdout.write(f"remind_unhandled_applications: {verb} {summary['organisations']} "
                          f"organisations of {summary['applications']} applications")
