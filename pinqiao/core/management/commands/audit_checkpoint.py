"""``manage.py audit_checkpoint``: sign the audit chain head into the checkpoint file (SEC-1)."""

from django.core.management.base import BaseCommand

from pinqiao.core.audit import audit_checkpoint
from pinqiao.core.models import AuditChainHead


class Command(BaseCommand):
    help = "Append the HMAC-signed audit chain head to the append-only checkpoint file."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: object, **options: object) -> None:
        if options["dry_run"]:
            head = AuditChainHead.objects.filter(pk=1).first()
            self.stdout.write(f"would checkpoint seq {head.seq if head else 0}")
            return
        row = audit_checkpoint()
        self.stdout.write(f"checkpoint at seq {row['seq']}" if row else "head unchanged")
