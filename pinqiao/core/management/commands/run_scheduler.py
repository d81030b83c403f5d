"""Run the periodic jobs of ``pinqiao.core.scheduler.SCHEDULE`` until stopped.

SIGTERM or SIGINT stops it between jobs: a job already running (a search-index commit, say)
finishes first and the process exits with status 0, so stopping ``make run`` never cuts a job
short or tears the interpreter down under a native library's threads."""

import signal
import threading
import time
from types import FrameType

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from pinqiao.core.scheduler import SCHEDULE, PeriodicJob


class Command(BaseCommand):
    help = "Run periodic jobs on their intervals (use --once to run each job a single time)."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--once", action="store_true", help="run every job once and exit")

    def handle(self, *args: object, once: bool = False, **options: object) -> None:
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            stop.set()

        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, request_stop)
        def first_run(job: PeriodicJob) -> float:
            """The monotonic time of the job's next run: now, or its next nightly time."""
            local, clock = timezone.localtime(), time.monotonic()
            return clock + (job.first_run_after(local) - local).total_seconds()

        next_run = {job.command: 0.0 if once else first_run(job) for job in SCHEDULE}
        while not stop.is_set():
            now = time.monotonic()
            for job in SCHEDULE:
                if stop.is_set():
                    break
                if now >= next_run[job.command]:
                    try:
                        call_command(job.command, stdout=self.stdout)
                    except Exception as exc:  # one failing job must not stop the others
                        self.stderr.write(f"{job.command} failed: {exc!r}")
                    next_run[job.command] = (first_run(job) if job.nightly_at
                                             else now + job.every_seconds)
            if once:
                return
            stop.wait(5)
        self.stdout.write("scheduler stopped")
