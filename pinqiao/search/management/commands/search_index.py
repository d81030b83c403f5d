"""``manage.py search_index [--index postings|resumes|all] [--dry-run]``: apply the search
outbox (periodic; the task worker normally does it within a second of each change)."""

from typing import Any

from django.core.management.base import BaseCommand

from pinqiao.search.engine import WriterBusy
from pinqiao.search.services import SOURCES, outbox_apply, outbox_pending, sources


class Command(BaseCommand):
    help = "Apply queued changes to the search indexes (SRCH-1, SRCH-2)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--index", choices=["all", *SOURCES], default="all",
                            help="which index (default: all)")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        parts = []
        for source in sources(options["index"]):
            name = source.spec.name
            pending = outbox_pending(source=source)
            if options["dry_run"]:
                parts.append(f"{name} {pending} changes pending")
                continue
            try:
                applied = outbox_apply(source=source)
            except WriterBusy:
                parts.append(f"{name} writer busy, {pending} changes left for it")
                continue
            parts.append(f"{name} applied {applied} changes")
        self.stdout.write(f"search_index: {'; '.join(parts)}")
