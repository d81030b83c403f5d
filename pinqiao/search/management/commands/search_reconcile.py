"""``manage.py search_reconcile [--index postings|resumes|all] [--dry-run]``: find drift
between the database and each index (missing, stale or extra documents, e.g. after a
``QuerySet.update``) and repair it (SRCH-1, SRCH-2)."""

from typing import Any

from django.core.management.base import BaseCommand

from pinqiao.search.engine import WriterBusy
from pinqiao.search.services import SOURCES, index_reconcile, sources


class Command(BaseCommand):
    help = "Compare the search indexes with the database and re-index what differs."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--index", choices=["all", *SOURCES], default="all",
                            help="which index (default: all)")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        parts = []
        verb = "would repair" if options["dry_run"] else "repaired"
        for source in sources(options["index"]):
            name = source.spec.name
            try:
                found = index_reconcile(source=source, dry_run=options["dry_run"])
            except WriterBusy:
                parts.append(f"{name} writer busy, try again later")
                continue
            if found["unavailable"]:
                done = "rebuilt" if found["rebuilt"] else "would rebuild"
                parts.append(f"{name} index missing or broken, {done}")
                continue
            parts.append(f"{name} {verb} {found['missing']} missing, {found['stale']} stale, "
                         f"{found['extra']} extra")
        self.stdout.write(f"search_reconcile: {'; '.join(parts)}")
