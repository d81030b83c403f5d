"""Background tasks for notifications (MSG-3)."""

from django_tasks import task

from pinqiao.notifications.services import delivery_attempt


@task()
def deliver(delivery_id: int) -> str:
    return delivery_attempt(delivery_id)
