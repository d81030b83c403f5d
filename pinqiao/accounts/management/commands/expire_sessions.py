"""Delete expired sessions and give their open log-in records a log-out time (ACC-3, ACC-4)."""

import hashlib

from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand
from django.utils import timezone

from pinqiao.accounts.models import LoginRecord


class Command(BaseCommand):
    help = "Purge expired sessions and close their login records."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: object, dry_run: bool = False, **options: object) -> None:
        now = timezone.now()
        expired = Session.objects.filter(expire_date__lte=now)
        keys = list(expired.values_list("session_key", flat=True))
        digests = [hashlib.sha256(k.encode()).hexdigest() for k in keys]
        if dry_run:
            self.stdout.write(f"expire_sessions: {len(keys)} expired (dry run)")
            return
        closed = LoginRecord.objects.filter(session_digest__in=digests, logout_at=None).update(
            logout_at=now, logout_reason="session_expired")
        expired.delete()
        self.stdout.write(f"expire_sessions: {len(keys)} sessions purged, {closed} log-ins closed")
