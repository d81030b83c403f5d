"""``manage.py load_demo``: create the demo data, idempotently (safe to run on every start)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from pinqiao.core.demo import DEMO_LOADERS


class Command(BaseCommand):
    help = "Load demo data (operator profile, legal documents, templates, one user per role)."

    def handle(self, *args: object, **options: object) -> None:
        with transaction.atomic():
            for loader in DEMO_LOADERS:
                loader(self.stdout)
        self.stdout.write(self.style.SUCCESS("demo data ready"))
