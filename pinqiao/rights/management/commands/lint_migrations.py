"""RET-3: ``manage.py lint_migrations`` — fail on a backward-incompatible operation in a new
migration (see ``pinqiao.rights.migration_lint``); run by ``make test``. ``--baseline`` prints
the baseline list for ``migration-lint.toml`` (every migration that exists now)."""

from django.core.management.base import BaseCommand, CommandError
from django.db.migrations.loader import MigrationLoader

from pinqiao.rights.migration_lint import lint, project_apps


class Command(BaseCommand):
    help = "Fail on backward-incompatible operations in migrations newer than the baseline."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--baseline", action="store_true",
                            help="print every existing project migration as a baseline list")

    def handle(self, *args, baseline: bool, **options) -> None:  # noqa: ANN002, ANN003
        if baseline:
            apps = project_apps()
            loader = MigrationLoader(None, ignore_no_migrations=True)
            for app, name in sorted(loader.disk_migrations):
                if app in apps:
                    self.stdout.write(f'  "{app}.{name}",')
            return
        findings, checked, config_errors = lint()
        for line in [*config_errors, *map(str, findings)]:
            self.stderr.write(line)
        if findings or config_errors:
            raise CommandError(
                f"{len(findings)} backward-incompatible operation(s) in new migrations: split "
                "the change over two deploys (expand, then contract), or record a reviewed "
                "exemption in migration-lint.toml")
        self.stdout.write(f"migrations lint: {len(checked)} new migration(s) checked, "
                          "no backward-incompatible operation")
