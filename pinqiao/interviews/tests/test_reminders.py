"""APP-3: reminders 24 hours and 1 hour before, to both sides, each sent exactly once."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from pinqiao.core.scheduler import SCHEDULE
from pinqiao.interviews import services, testing
from pinqiao.interviews.models import Reminder
from pinqiao.interviews.tasks import send_reminder
from pinqiao.interviews.tests.conftest import NOW, at
from pinqiao.notifications.models import Notification

pytestmark = pytest.mark.django_db

START = at(29, 10)  # Monday 10:00, booked on Friday 26 September


def _reminders(user: Any) -> list[str]:
    return [n.body for n in Notification.objects.filter(user=user, event="interview_reminder")
            .order_by("pk")]


def test_the_sweep_sends_each_reminder_once_at_the_right_time(
        recruiter: Any, seeker: Any, application: Any) -> None:
    interview = testing.book(recruiter, application, START, now=NOW)
    timeline = [
        (START - timedelta(hours=25), 0),
        (START - timedelta(hours=24, seconds=1), 0),
        (START - timedelta(hours=24), 1),          # the 24-hour reminder
        (START - timedelta(hours=23, minutes=55), 0),
        (START - timedelta(hours=2), 0),
        (START - timedelta(hours=1), 1),           # the 1-hour reminder
        (START - timedelta(minutes=30), 0),
        (START, 0),
        (START + timedelta(hours=1), 0),
    ]
    for moment, expected in timeline:
        assert services.reminders_send_due(now=moment) == expected, moment
    assert sorted(Reminder.objects.filter(interview=interview)
                  .values_list("kind", flat=True)) == ["1h", "24h"]
    for user in (seeker, recruiter):
        bodies = _reminders(user)
        assert len(bodies) == 2
        assert "24小时前提醒" in bodies[0] and "1小时前提醒" in bodies[1]
        assert "2025-09-29 10:00（北京时间，UTC+08:00）" in bodies[0]


def test_a_late_booking_gets_only_the_one_hour_reminder(recruiter: Any, seeker: Any,
                                                        application: Any) -> None:
    now = START - timedelta(minutes=50)
    testing.book(recruiter, application, START, now=now)
    assert services.reminders_send_due(now=now) == 1
    assert services.reminders_send_due(now=now + timedelta(minutes=10)) == 0
    assert len(_reminders(seeker)) == 1 and "1小时前提醒" in _reminders(seeker)[0]


def test_a_reschedule_gets_fresh_reminders_and_a_cancellation_none(
        recruiter: Any, seeker: Any, application: Any) -> None:
    interview = testing.book(recruiter, application, START, now=NOW)
    assert services.reminders_send_due(now=START - timedelta(hours=20)) == 1
    later = at(30, 15)
    services.interview_reschedule(actor=recruiter, interview=interview, reason="会议室冲突",
                                  slots=[later], now=START - timedelta(hours=19))
    assert services.reminders_send_due(now=later - timedelta(hours=20)) == 0  # not booked yet
    services.interview_pick(actor=seeker, interview=interview,
                            slot_id=interview.slots.get(starts_at=later).pk,
                            now=later - timedelta(hours=20))
    assert services.reminders_send_due(now=later - timedelta(hours=20)) == 1
    services.interview_cancel(actor=seeker, interview=interview, reason="身体不适",
                              now=later - timedelta(hours=2))
    assert services.reminders_send_due(now=later - timedelta(minutes=30)) == 0
    assert Reminder.objects.filter(interview=interview).count() == 2


def test_the_dry_run_counts_without_sending(recruiter: Any, seeker: Any,
                                            application: Any) -> None:
    testing.book(recruiter, application, START, now=NOW)
    moment = START - timedelta(hours=3)
    assert services.reminders_send_due(now=moment, dry_run=True) == 1
    assert not Reminder.objects.exists()


def test_the_task_sends_once_and_ignores_a_stale_time(recruiter: Any, seeker: Any,
                                                      application: Any) -> None:
    interview = testing.book(recruiter, application, START, now=NOW)
    moment = START - timedelta(minutes=59)
    stale = at(28, 10)
    assert not services.reminder_send(interview_id=interview.pk, kind="1h", starts_at=stale,
                                       now=moment)
    assert services.reminder_send(interview_id=interview.pk, kind="1h", starts_at=START,
                                  now=moment)
    assert not services.reminder_send(interview_id=interview.pk, kind="1h", starts_at=START,
                                      now=moment)
    assert services.reminders_send_due(now=moment) == 0
    assert len(_reminders(seeker)) == 1


def test_booking_enqueues_both_reminders_when_the_backend_can_defer(
        settings: Any, recruiter: Any, application: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from datetime import datetime

    from django.utils import timezone

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    send_reminder.get_backend().clear()
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        interview = testing.book(recruiter, application, start)
    queued = [r for r in send_reminder.get_backend().results
              if r.task.func is send_reminder.func]
    assert sorted(r.task.run_after for r in queued) == [start - timedelta(hours=24),
                                                        start - timedelta(hours=1)]
    assert {tuple(r.args) for r in queued} == {
        (interview.pk, kind, start.isoformat()) for kind in ("24h", "1h")}
    assert all(isinstance(datetime.fromisoformat(r.args[2]), datetime) for r in queued)


def test_the_immediate_backend_leaves_reminders_to_the_sweep(recruiter: Any,
                                                             application: Any) -> None:
    from django.utils import timezone

    interview = testing.book(recruiter, application, timezone.now() + timedelta(days=3))
    assert services.reminders_schedule(interview) == 0


def test_the_command_is_scheduled_and_takes_a_time(recruiter: Any, seeker: Any,
                                                   application: Any) -> None:
    assert any(job.command == "send_interview_reminders" for job in SCHEDULE)
    testing.book(recruiter, application, START, now=NOW)
    out = StringIO()
    call_command("send_interview_reminders", "--dry-run", "--at", "2025-09-28T11:00+08:00",
                 stdout=out)
    assert out.getvalue().strip() == ("send_interview_reminders: 1 reminders, 0 interviews of "
                                      "ended applications cancelled (dry run)")
    call_command("send_interview_reminders", "--at", "2025-09-28T11:00+08:00", stdout=out)
    assert len(_reminders(seeker)) == 1
