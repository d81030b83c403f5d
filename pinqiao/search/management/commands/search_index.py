"""``manage.py search_index [--dry-run]``: apply the search outbox (periodic; the task worker
normally does it within a second of each change)."""

from typing import Any

from django.core.management.base import BaseCommand

from pinqiao.search.engine import WriterBusy
from pinqiao.search.services import outbox_apply, outbox_pending


class Command(BaseCommand):
    help = "Apply queued posting changes to the search index (SRCH-1)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        pending = outbox_pending()
        if options["dry_run"]:
            self.stdout.write(f"search_index: {pending} changes pending")
            return
        try:
            applied = outbox_apply()
        except WriterBusy:
            self.stdout.write(f"search_index: writer busy, {pending} changes left for it")
            return
        self.stdout.write(f"search_index: applied {applied} changes")
