"""``manage.py audit_verify``: check the audit hash chain (SEC-1).

Exits 1 and names the first altered or deleted row, or the first signed checkpoint (in the file
outside the database) that the chain no longer matches."""

from django.core.management.base import BaseCommand, CommandError

from pinqiao.core.audit import read_checkpoints, verify_chain
from pinqiao.core.models import AuditEntry


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exits non-zero and names the first bad entry."

    def handle(self, *args: object, **options: object) -> None:
        problem = verify_chain()
        if problem is not None:
            raise CommandError(f"audit chain broken at seq {problem.seq}: {problem.reason}")
        self.stdout.write(f"audit chain intact: {AuditEntry.objects.count()} entries, "
                          f"{len(read_checkpoints())} signed checkpoints match")
