"""Periodic job (ANA-1): enqueue the recomputation of today's hourly and daily figures and of
yesterday's (``pinqiao.analytics.tasks.rollup_recent``), for the task worker."""

from django.core.management.base import BaseCommand

from pinqiao.analytics.tasks import rollup_recent


class Command(BaseCommand):
    help = "Enqueue the rollup of today's hours, today and yesterday (idempotent)."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: object, dry_run: bool = False, **options: object) -> None:
        if dry_run:
            self.stdout.write("rollup_figures: would enqueue rollup_recent (dry run)")
            return
        result = rollup_recent.enqueue()
        self.stdout.write(f"rollup_figures: rollup_recent enqueued ({result.id})")
