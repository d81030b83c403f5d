"""RET-2, SEC-4: ``manage.py backup --to DIR [--keep N]`` — an encrypted, consistent backup of the
database and media with a manifest of row counts and checksums. Run by the scheduler into
``PINQIAO_BACKUP_DIR`` (default ``var/backups``), keeping the newest seven."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pinqiao.core.errors import ServiceError
from pinqiao.rights.backups import BackupError, backup_create

DEFAULT_KEEP = 7


def default_dir() -> Path:
    return Path(getattr(settings, "BACKUP_DIR", settings.VAR_DIR / "backups"))


class Command(BaseCommand):
    help = "Back up the database and media files, encrypted, with a manifest."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--to", type=Path, default=None)
        parser.add_argument("--keep", type=int, default=DEFAULT_KEEP,
                            help="keep the newest N backups in DIR (0 keeps all)")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, to: Path | None, keep: int, dry_run: bool, **options) -> None:  # noqa: ANN002, ANN003
        target = to or default_dir()
        if dry_run:
            self.stdout.write(f"backup (dry run): would write to {target}, keeping {keep}")
            return
        try:
            path = backup_create(to=target, keep=keep)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        except ServiceError as exc:  # PRIV-9: the directory is not a listed destination
            raise CommandError(exc.message) from exc
        self.stdout.write(f"backup: written to {path}")
