"""RET-1: apply the retention schedule; ``--dry-run`` counts only. Prints one summary line and
leaves the report (a ``RetentionRun`` row; ``--report FILE`` also writes it as JSON)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from pinqiao.rights.exports import export_files_delete
from pinqiao.rights.retention import retention_apply


class Command(BaseCommand):
    help = "Purge or anonymise records past their retention period, except under legal hold."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--report", type=Path, help="also write the report to this file")

    def handle(self, *args, dry_run: bool, report: Path | None, **options) -> None:  # noqa: ANN002, ANN003
        run = retention_apply(dry_run=dry_run)
        expired = 0 if dry_run else export_files_delete(expired_only=True)
        if report:
            report.write_text(json.dumps({"started_at": run.started_at.isoformat(),
                                          "dry_run": run.dry_run, "kinds": run.report,
                                          "summary": run.summary},
                                         ensure_ascii=False, indent=2))
        self.stdout.write(f"{run.summary}; {expired} expired data downloads deleted "
                          f"(report #{run.pk})")
