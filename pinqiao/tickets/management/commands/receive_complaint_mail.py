"""Turn unread complaint e-mails into cases (TKT-2)."""

from django.core.management.base import BaseCommand

from pinqiao.tickets.inbound import MaildirInbox, complaint_inbox
from pinqiao.tickets.services import mail_receive


class Command(BaseCommand):
    help = "Read the complaint mailbox and put each message on the desk as a case."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--maildir", help="read this Maildir instead of the configured one")

    def handle(self, *args: object, dry_run: bool = False, maildir: str | None = None,
               **options: object) -> None:
        inbox = MaildirInbox(maildir) if maildir else complaint_inbox()
        run = mail_receive(inbox=inbox, dry_run=dry_run)
        suffix = " (dry run)" if dry_run else ""
        self.stdout.write(f"receive_complaint_mail: {run.received} cases, "
                          f"{run.refused} refused{suffix}")
