"""Backfill the daily rollups of a date range (ANA-1): ``manage.py rollup --from 2026-01-01
--to 2026-12-31``, one day per transaction, with a progress bar on standard error. Each month's
``MonthlyFigure`` rows are summed once, in the transaction of its last day in the range (and,
when the run stops part-way through a month, before the command exits), not after every day:
re-summing after every day would read each month's daily rows once per day of it."""

from __future__ import annotations

import sys
import time
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError

from pinqiao.analytics.rollup import month_bounds, rollup_day, rollup_month
from pinqiao.core.audit import log_action

#: A backfill may cover at most this many days at once (ten years is a typing mistake).
MAX_DAYS = 366 * 3


def _parse(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{name} 应为 YYYY-MM-DD 格式的日期，收到「{value}」。") from None


class Command(BaseCommand):
    help = "Recompute the daily figures of every day from --from to --to (inclusive)."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--no-progress", action="store_true",
                            help="no progress bar (for logs)")

    def handle(self, *args: object, start: str, end: str, dry_run: bool = False,
               no_progress: bool = False, **options: object) -> None:
        first, last = _parse(start, "--from"), _parse(end, "--to")
        if first > last:
            raise CommandError("开始日期晚于结束日期，请交换 --from 与 --to。")
        total = (last - first).days + 1
        if total > MAX_DAYS:
            raise CommandError(f"一次最多补算 {MAX_DAYS} 天，请分段执行。")
        if dry_run:
            self.stdout.write(f"rollup: {total} days {first}..{last} (dry run)")
            return
        began, rows = time.perf_counter(), 0
        show = not no_progress
        owed: date | None = None  # a day whose month is not summed yet
        try:
            for done in range(total):
                day = first + timedelta(days=done)
                closing = day in (last, month_bounds(day)[1])
                rows += rollup_day(day, month=closing).rows
                owed = None if closing else day
                if show:
                    self._progress(done + 1, total, time.perf_counter() - began)
        finally:
            if owed is not None:  # interrupted within a month: its sum follows its days
                rollup_month(owed)
        if show:
            sys.stderr.write("\n")
        elapsed = time.perf_counter() - began
        log_action(None, "analytics.rollup_backfill", ("analytics.rollup", f"{first}..{last}"),
                   {"days": total, "rows": rows, "seconds": round(elapsed, 1)})
        self.stdout.write(f"rollup: {total} days {first}..{last}, {rows} rows, "
                          f"{elapsed:.1f} s")

    def _progress(self, done: int, total: int, elapsed: float) -> None:
        width = 30
        filled = width * done // total
        remaining = elapsed / done * (total - done)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} 天，"
                         f"已用 {elapsed:.0f} 秒，约剩 {remaining:.0f} 秒")
        sys.stderr.flush()
