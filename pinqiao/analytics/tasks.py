"""Background task of the rollups (ANA-1), enqueued by the ``rollup_figures`` periodic job and
run by the task worker."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from pinqiao.analytics.rollup import china_date, rollup_day, rollup_hours


@task()
def rollup_recent() -> int:
    """Recompute today's hours, today and yesterday (late events of yesterday land too);
    returns the rows written."""
    now = timezone.now()
    today = china_date(now)
    written = rollup_hours(now)
    for day in (today - timedelta(days=1), today):
        written += rollup_day(day).rows
    return written
