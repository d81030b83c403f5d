"""``manage.py reverify_organisations [--dry-run]``: the ORG-7 periodic re-verification.

Reminds organisations due for the six-monthly re-check and those with a licence expiring within
30 days; marks expired licences and suspends what depends on them; suspends organisations more
than 14 days past their re-check. Prints one summary line.
"""

from django.core.management.base import BaseCommand

from pinqiao.orgs.services import reverification_run


class Command(BaseCommand):
    help = "ORG-7: remind, expire licences and suspend organisations overdue for re-verification."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--dry-run", action="store_true",
                            help="Count what would happen without changing anything.")

    def handle(self, *args: object, **options: object) -> None:
        dry_run = bool(options["dry_run"])
        self.stdout.write(reverification_run(dry_run=dry_run).line(dry_run))
