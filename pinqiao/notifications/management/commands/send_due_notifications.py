"""Send every pending delivery that is due: retries and messages held for quiet hours."""

from django.core.management.base import BaseCommand

from pinqiao.notifications.services import deliveries_due, delivery_attempt


class Command(BaseCommand):
    help = "Send due notification deliveries (retries and quiet-hour holds)."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: object, dry_run: bool = False, **options: object) -> None:
        due = deliveries_due()
        if dry_run:
            self.stdout.write(f"send_due_notifications: {len(due)} due (dry run)")
            return
        outcomes: dict[str, int] = {}
        for pk in due:
            outcome = delivery_attempt(pk)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        summary = ", ".join(f"{k}={v}" for k, v in sorted(outcomes.items())) or "nothing due"
        self.stdout.write(f"send_due_notifications: {summary}")
