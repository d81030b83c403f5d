"""Refresh the market-insight snapshot (ANA-4): the salary index and the hiring trends."""

from django.core.management.base import BaseCommand

from pinqiao.insights.services import insights_refresh


class Command(BaseCommand):
    help = "Recompute the salary index and hiring trends snapshot from the postings."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: object, dry_run: bool = False, **options: object) -> None:
        result = insights_refresh(dry_run=dry_run)
        suffix = " (dry run)" if dry_run else ""
        self.stdout.write(f"refresh_insights: {result.postings} monthly-pay postings, "
                          f"{result.cells} salary cells ({result.shown} shown){suffix}")
