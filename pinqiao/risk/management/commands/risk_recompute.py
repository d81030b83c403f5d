"""Nightly recomputation of every risk score (RISK-1)."""

from django.core.management.base import BaseCommand

from pinqiao.risk.formula import VERSION
from pinqiao.risk.services import scores_recompute_all


class Command(BaseCommand):
    help = "Recompute the risk scores of organisations, recruiters and live postings."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: object, dry_run: bool = False, **options: object) -> None:
        run = scores_recompute_all(dry_run=dry_run)
        suffix = " (dry run)" if dry_run else ""
        self.stdout.write(f"risk_recompute {VERSION}: {run.organisations} organisations, "
                          f"{run.recruiters} recruiters, {run.postings} postings{suffix}")
