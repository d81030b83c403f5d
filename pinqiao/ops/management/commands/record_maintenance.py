"""``manage.py record_maintenance``: write the maintenance log (SEC-5).

``--start PROCESS`` records a (re)start and any configuration change since the last one
(``make run`` calls it); ``--kind deploy --summary "…"`` records a deploy or other operation."""

import getpass

from django.core.management.base import BaseCommand, CommandError

from pinqiao.ops.models import MaintenanceKind
from pinqiao.ops.services import maintenance_record, record_start


class Command(BaseCommand):
    help = "Record a start, deploy, configuration change or other operation in the maintenance log."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--start", metavar="PROCESS", help="a process started")
        parser.add_argument("--kind", choices=MaintenanceKind.values)
        parser.add_argument("--summary", default="")
        parser.add_argument("--operator", default="")

    def handle(self, *args: object, **options: object) -> None:
        operator = str(options["operator"] or _login_name())
        if options["start"]:
            for record in record_start(process=str(options["start"]), operator=operator):
                self.stdout.write(f"maintenance log: {record}")
            return
        if not options["kind"] or not options["summary"]:
            raise CommandError("give --start PROCESS, or --kind and --summary")
        record = maintenance_record(kind=str(options["kind"]), summary=str(options["summary"]),
                                    operator=operator)
        self.stdout.write(f"maintenance log: {record}")


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
