"""SEC-2: raise alerts on bulk reads of personal data, unusual exports and off-hours staff
access found in the audit log of the last 24 hours."""

from django.core.management.base import BaseCommand

from pinqiao.rights.monitoring import access_monitor


class Command(BaseCommand):
    help = "Scan the audit log for risky access to personal data and alert the auditors."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, dry_run: bool, **options) -> None:  # noqa: ANN002, ANN003
        count = access_monitor(dry_run=dry_run)
        self.stdout.write(f"access monitor: {count} new alert(s){' (dry run)' if dry_run else ''}")
