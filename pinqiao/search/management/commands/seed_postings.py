"""``manage.py seed_postings --count N --seed S``: N realistic generated postings (and their
organisations) for benchmarks and demos, the same for the same seed; then rebuilds the index
unless ``--no-index``."""

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from pinqiao.search.seeding import seed_postings


class Command(BaseCommand):
    help = "Insert N generated Chinese postings across cities, industries and pay levels."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument("--no-index", action="store_true",
                            help="do not rebuild the search index afterwards")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            rate = done / max(time.monotonic() - started, 1e-6)
            self.stdout.write(f"\rseed_postings: {done}/{total} ({rate:,.0f}/s)", ending="")
            self.stdout.flush()

        orgs, count = seed_postings(count=options["count"], seed=options["seed"],
                                    batch_size=options["batch_size"], progress=progress)
        elapsed = time.monotonic() - started
        self.stdout.write("")
        self.stdout.write(f"seed_postings: {count} postings, {orgs} new organisations "
                          f"in {elapsed:.1f} s")
        if not options["no_index"]:
            call_command("search_rebuild", stdout=self.stdout)
