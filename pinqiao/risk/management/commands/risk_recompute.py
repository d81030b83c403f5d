"""Nightly recomputation of every risk score (RISK-1) and the spot check of the day's
postings (RISK-4)."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from pinqiao.risk.formula import VERSION
from pinqiao.risk.services import postings_sample_for_review, scores_recompute_all


class Command(BaseCommand):
    help = ("Recompute the risk scores of organisations, recruiters and live postings; sample "
            "the last day's postings into review by risk.")

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: object, dry_run: bool = False, **options: object) -> None:
        run = scores_recompute_all(dry_run=dry_run)
        now = timezone.now()
        sampled = postings_sample_for_review(since=now - timedelta(days=1), dry_run=dry_run,
                                             seed=now.date().isoformat())
        suffix = " (dry run)" if dry_run else ""
        self.stdout.write(f"risk_recompute {VERSION}: {run.organisations} organisations, "
                          f"{run.recruiters} recruiters, {run.postings} postings; "
                          f"{sampled} postings sampled into review{suffix}")
