"""``manage.py bias_report [--dry-run]``: the ALG-1 bias monitor over the last 30 days, and the
purge of exposure rows past their retention."""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand

from pinqiao.recommendations import services


class Command(BaseCommand):
    help = "Exposure share and apply rate by gender, age and region; four-fifths flags (ALG-1)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--days", type=int, default=services.BIAS_PERIOD.days)
        parser.add_argument("--threshold", type=float, default=services.BIAS_THRESHOLD)
        parser.add_argument("--min-exposures", type=int, default=services.BIAS_MIN_EXPOSURES)

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        report = services.bias_report_run(period=timedelta(days=options["days"]),
                                          threshold=options["threshold"],
                                          min_exposures=options["min_exposures"],
                                          dry_run=dry_run)
        purged = services.exposures_purge(dry_run=dry_run)
        exposures = sum(s["exposures"] for s in report.data.values())
        saved = "not saved (dry run)" if dry_run else f"report #{report.pk}"
        self.stdout.write(f"bias_report: {exposures} exposures, {len(report.flags)} flags, "
                          f"{saved}; {'would purge' if dry_run else 'purged'} {purged} old "
                          "exposures")
