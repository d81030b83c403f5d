"""``manage.py reclaim_tasks``: requeue or fail tasks a dead worker left RUNNING (RET-3)."""

from django.core.management.base import BaseCommand

from pinqiao.ops.selectors import task_health
from pinqiao.ops.services import tasks_reclaim


class Command(BaseCommand):
    help = "Requeue tasks RUNNING past their lease (or mark them failed after 3 runs)."

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: object, **options: object) -> None:
        if options["dry_run"]:
            health = task_health()
            self.stdout.write(f"{health.stuck} stuck tasks would be reclaimed")
            return
        result = tasks_reclaim()
        self.stdout.write(f"retried {len(result.retried)}, failed {len(result.failed)}")
