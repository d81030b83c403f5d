"""Background tasks for interviews: each reminder runs when it is due (APP-3)."""

from datetime import datetime

from django_tasks import task

from pinqiao.interviews.services import reminder_send


@task()
def send_reminder(interview_id: int, kind: str, starts_at: str) -> bool:
    """Send one reminder if the interview is still booked for ``starts_at`` and it was not
    sent yet (the sweep may have sent it first)."""
    return reminder_send(interview_id=interview_id, kind=kind,
                         starts_at=datetime.fromisoformat(starts_at))
