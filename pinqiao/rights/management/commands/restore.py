"""RET-2, SEC-4: ``manage.py restore --from DIR --verify`` restores the newest backup in DIR (or
DIR itself) into a scratch location and compares it with the manifest; any difference, a
tampered or truncated file exits non-zero. ``--apply`` then restores into the live database
and media directory (see docs/runbook-incidents.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pinqiao.rights.backups import BackupError, backup_apply, backup_verify


class Command(BaseCommand):
    help = "Verify a backup in a scratch location (--verify) or restore it (--apply)."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--from", dest="source", type=Path, required=True)
        mode = parser.add_mutually_exclusive_group(required=True)
        mode.add_argument("--verify", action="store_true")
        mode.add_argument("--apply", action="store_true")

    def handle(self, *args, source: Path, verify: bool, apply: bool, **options) -> None:  # noqa: ANN002, ANN003
        try:
            result = backup_apply(source=source) if apply else backup_verify(source=source)
        except BackupError as exc:
            raise CommandError(f"restore refused: {exc}") from exc
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(problem)
            raise CommandError(f"restore refused: {result.problems[0]} "
                               f"({len(result.problems)} difference(s))")
        verb = "restored" if apply else "verified"
        self.stdout.write(f"restore: {verb} {result.tables} tables, {result.rows} rows, "
                          f"{result.media} media files; no differences")
