"""``manage.py search_rebuild``: rebuild the job index from the database into a fresh
directory, with a progress bar, then swap it in atomically (SRCH-1)."""

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand

from pinqiao.search.services import index_rebuild


class Command(BaseCommand):
    help = "Rebuild the search index from the database and swap it in atomically."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet-progress", action="store_true",
                            help="no progress bar (logs, cron)")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        show = not options["quiet_progress"]

        def progress(done: int, total: int) -> None:
            if not show:
                return
            share = done / total if total else 1.0
            bar = "#" * int(share * 30)
            rate = done / max(time.monotonic() - started, 1e-6)
            self.stdout.write(f"\r[{bar:<30}] {share:6.1%} {done}/{total}  {rate:,.0f}/s",
                              ending="")
            self.stdout.flush()

        count = index_rebuild(progress=progress)
        elapsed = time.monotonic() - started
        if show:
            self.stdout.write("")
        rate = count / elapsed if elapsed else 0.0
        self.stdout.write(f"search_rebuild: {count} postings indexed in {elapsed:.1f} s "
                          f"({rate:,.0f}/s)")
        sys.stdout.flush()
