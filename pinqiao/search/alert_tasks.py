"""Background task of job alerts (SRCH-3), enqueued when a transaction publishes postings."""

from django_tasks import task

from pinqiao.search.alerts import instant_alerts_match, instant_alerts_send


@task()
def send_instant_alerts() -> int:
    """Match newly published postings against instant saved searches and send what the
    per-seeker rate limit allows; returns the number of notices sent."""
    instant_alerts_match()
    return instant_alerts_send()["sent"]
