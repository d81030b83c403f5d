"""Run the periodic jobs of ``pinqiao.core.scheduler.SCHEDULE`` until stopped."""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from pinqiao.core.scheduler import SCHEDULE


class Command(BaseCommand):
    help = "Run periodic jobs on their intervals (use --once to run each job a single time)."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--once", action="store_true", help="run every job once and exit")

    def handle(self, *args: object, once: bool = False, **options: object) -> None:
        next_run = {job.command: 0.0 for job in SCHEDULE}
        while True:
            now = time.monotonic()
            for job in SCHEDULE:
                if now >= next_run[job.command]:
                    try:
                        call_command(job.command, stdout=self.stdout)
                    except Exception as exc:  # one failing job must not stop the others
                        self.stderr.write(f"{job.command} failed: {exc!r}")
                    next_run[job.command] = now + job.every_seconds
            if once:
                return
            time.sleep(5)
