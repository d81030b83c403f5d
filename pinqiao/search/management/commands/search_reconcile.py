"""``manage.py search_reconcile [--dry-run]``: find drift between database and index (missing,
stale or extra documents, e.g. after a ``QuerySet.update``) and repair it (SRCH-1)."""

from typing import Any

from django.core.management.base import BaseCommand

from pinqiao.search.engine import WriterBusy
from pinqiao.search.services import index_reconcile


class Command(BaseCommand):
    help = "Compare the search index with the database and re-index what differs."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            found = index_reconcile(dry_run=options["dry_run"])
        except WriterBusy:
            self.stdout.write("search_reconcile: writer busy, try again later")
            return
        verb = "would repair" if options["dry_run"] else "repaired"
        if found["unavailable"]:
            done = "rebuilt" if found["rebuilt"] else "would rebuild"
            self.stdout.write(f"search_reconcile: index missing or broken, {done}")
            return
        self.stdout.write(f"search_reconcile: {verb} {found['missing']} missing, "
                          f"{found['stale']} stale, {found['extra']} extra")
