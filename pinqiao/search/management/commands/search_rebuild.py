"""``manage.py search_rebuild [--index postings|resumes|all]``: rebuild search indexes from the
database into fresh directories, with a progress bar, then swap each in atomically (SRCH-1,
SRCH-2)."""

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand

from pinqiao.search.services import SOURCES, index_rebuild, sources


class Command(BaseCommand):
    help = "Rebuild the search indexes from the database and swap them in atomically."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--index", choices=["all", *SOURCES], default="all",
                            help="which index (default: all)")
        parser.add_argument("--quiet-progress", action="store_true",
                            help="no progress bar (logs, cron)")

    def handle(self, *args: Any, **options: Any) -> None:
        show = not options["quiet_progress"]
        for source in sources(options["index"]):
            name = source.spec.name
            started = time.monotonic()

            def progress(done: int, total: int, started: float = started) -> None:
                if not show:
                    return
                share = done / total if total else 1.0
                bar = "#" * int(share * 30)
                rate = done / max(time.monotonic() - started, 1e-6)
                self.stdout.write(f"\r[{bar:<30}] {share:6.1%} {done}/{total}  {rate:,.0f}/s",
                                  ending="")
                self.stdout.flush()

            count = index_rebuild(source=source, progress=progress)
            elapsed = time.monotonic() - started
            if show:
                self.stdout.write("")
            rate = count / elapsed if elapsed else 0.0
            self.stdout.write(f"search_rebuild: {count} {name} indexed in {elapsed:.1f} s "
                              f"({rate:,.0f}/s)")
        sys.stdout.flush()
