"""PRIV-6: alert staff once about each rights request past its fifteen-working-day deadline."""

from django.core.management.base import BaseCommand

from pinqiao.rights.requests import rights_overdue_alert


class Command(BaseCommand):
    help = "Notify staff of rights requests past their deadline."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, dry_run: bool, **options) -> None:  # noqa: ANN002, ANN003
        count = rights_overdue_alert(dry_run=dry_run)
        verb = "would alert" if dry_run else "alerted"
        self.stdout.write(f"rights requests: {verb} {count} overdue")
