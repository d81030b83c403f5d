"""APP-3: reschedule and cancel by either side with a reason and notice to the other side."""

from __future__ import annotations

from typing import Any

import pytest

from pinqiao.applications.models import Application, Stage
from pinqiao.core.errors import NotFound, ServiceError
from pinqiao.core.models import AuditEntry
from pinqiao.interviews import services, testing
from pinqiao.interviews.models import EventKind, Status
from pinqiao.interviews.tests.conftest import NOW, at
from pinqiao.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _code(call: Any) -> str:
    with pytest.raises(ServiceError) as caught:
        call()
    return caught.value.code


def _booked(recruiter: Any, application: Any, **over: Any) -> Any:
    return testing.book(recruiter, application, at(29), now=NOW, **over)


def test_the_recruiter_reschedules_with_new_times(recruiter: Any, seeker: Any,
                                                  application: Any) -> None:
    interview = _booked(recruiter, application)
    services.interview_reschedule(actor=recruiter, interview=interview, reason="面试官临时出差",
                                  slots=[at(10, 14, month=10), at(11, 14, month=10)], now=NOW)
    interview.refresh_from_db()
    assert (interview.status, interview.starts_at, interview.sequence) == \
        (Status.PROPOSED, None, 1)
    assert interview.checkin_code == ""
    states = {s.starts_at: s.state for s in interview.slots.all()}
    assert states == {at(29): "withdrawn", at(10, 14, month=10): "open",
                      at(11, 14, month=10): "open"}
    event = interview.events.get(kind=EventKind.RESCHEDULED)
    assert (event.reason, event.old_starts_at, event.actor) == ("面试官临时出差", at(29), recruiter)
    notice = Notification.objects.get(user=seeker, event="interview_rescheduled")
    assert "面试官临时出差" in notice.body and "2025-09-29 10:00" in notice.body
    assert AuditEntry.objects.filter(verb="interview.rescheduled", actor_id=recruiter.pk).exists()


def test_the_seeker_gives_up_the_time_and_picks_another(recruiter: Any, seeker: Any,
                                                        application: Any) -> None:
    interview = testing.propose(recruiter, application, [at(29), at(30)], now=NOW)
    first, second = interview.slots.all()
    services.interview_pick(actor=seeker, interview=interview, slot_id=first.pk, now=NOW)
    services.interview_reschedule(actor=seeker, interview=interview, reason="当天要考试",
                                  now=NOW)
    notice = Notification.objects.get(user=recruiter, event="interview_rescheduled")
    assert notice.body.startswith("求职者申请调整") and "当天要考试" in notice.body
    with pytest.raises(ServiceError):
        services.interview_pick(actor=seeker, interview=interview, slot_id=first.pk, now=NOW)
    services.interview_pick(actor=seeker, interview=interview, slot_id=second.pk, now=NOW)
    interview.refresh_from_db()
    assert (interview.status, interview.starts_at, interview.sequence) == \
        (Status.BOOKED, at(30), 1)


def test_rescheduling_needs_a_reason_and_the_recruiter_needs_times(
        recruiter: Any, seeker: Any, application: Any) -> None:
    interview = _booked(recruiter, application)
    assert _code(lambda: services.interview_reschedule(
        actor=seeker, interview=interview, reason=" ", now=NOW)) == "reason_required"
    assert _code(lambda: services.interview_reschedule(
        actor=recruiter, interview=interview, reason="出差", now=NOW)) == "no_slots"
    assert _code(lambda: services.interview_reschedule(
        actor=seeker, interview=interview, reason="有事", slots=[at(30)],
        now=NOW)) == "seeker_slots"
    assert _code(lambda: services.interview_reschedule(
        actor=recruiter, interview=interview, reason="出差", slots=[at(20)],
        now=NOW)) == "slot_in_past"
    interview.refresh_from_db()
    assert interview.status == Status.BOOKED and interview.sequence == 0


def test_it_cannot_reschedule_a_started_interview(recruiter: Any, application: Any) -> None:
    interview = _booked(recruiter, application)
    assert _code(lambda: services.interview_reschedule(
        actor=recruiter, interview=interview, reason="出差", slots=[at(30)],
        now=at(29, 10, 5))) == "interview_started"


def test_the_seeker_cancels_and_the_recruiter_is_told(recruiter: Any, seeker: Any,
                                                      application: Any) -> None:
    interview = _booked(recruiter, application, mode="video", location="")
    room = interview.room_ref
    services.interview_cancel(actor=seeker, interview=interview, reason="已接受其他工作",
                              now=NOW)
    interview.refresh_from_db()
    assert (interview.status, interview.sequence, interview.room_ref) == \
        (Status.CANCELLED, 1, "")
    from pinqiao.interviews.models import LocalRoom

    assert LocalRoom.objects.get(ref=room).closed_at is not None
    notice = Notification.objects.get(user=recruiter, event="interview_cancelled")
    assert "已接受其他工作" in notice.body and "2025-09-29 10:00" in notice.body
    assert interview.events.get(kind=EventKind.CANCELLED).reason == "已接受其他工作"


def test_the_recruiter_cancels_a_proposal(recruiter: Any, seeker: Any,
                                          application: Any) -> None:
    interview = testing.propose(recruiter, application, [at(29)], now=NOW)
    services.interview_cancel(actor=recruiter, interview=interview, reason="岗位已招满",
                              now=NOW)
    interview.refresh_from_db()
    assert (interview.status, interview.sequence) == (Status.CANCELLED, 0)
    assert Notification.objects.filter(user=seeker, event="interview_cancelled").exists()
    testing.propose(recruiter, application, [at(30)], now=NOW)  # a new one may follow


def test_it_refuses_to_cancel_after_completion(recruiter: Any, seeker: Any,
                                               application: Any) -> None:
    interview = _booked(recruiter, application)
    services.interview_complete(actor=recruiter, interview=interview, now=at(29, 11))
    for actor in (recruiter, seeker):
        assert _code(lambda a=actor: services.interview_cancel(
            actor=a, interview=interview, reason="取消", now=at(29, 12))) == "interview_closed"
        assert _code(lambda a=actor: services.interview_reschedule(
            actor=a, interview=interview, reason="改期", slots=[at(30)],
            now=at(29, 12))) == "interview_closed"


def test_strangers_cannot_change_it(recruiter: Any, other_seeker: Any, other_recruiter: Any,
                                    application: Any) -> None:
    interview = _booked(recruiter, application)
    for actor in (other_seeker, other_recruiter):
        with pytest.raises(NotFound):
            services.interview_cancel(actor=actor, interview=interview, reason="捣乱", now=NOW)
    interview.refresh_from_db()
    assert interview.status == Status.BOOKED


def test_withdrawing_the_application_cancels_the_interview(recruiter: Any, seeker: Any,
                                                           application: Any) -> None:
    from pinqiao.applications.services import application_withdraw

    interview = _booked(recruiter, application)
    application_withdraw(seeker=seeker, application=application)
    interview.refresh_from_db()
    assert interview.status == Status.CANCELLED
    event = interview.events.get(kind=EventKind.CANCELLED)
    assert event.actor is None and "已撤回" in event.reason
    notice = Notification.objects.get(user=recruiter, event="interview_cancelled")
    assert notice.body.startswith("平台取消了")


def test_the_sweep_cancels_interviews_of_ended_applications(recruiter: Any, seeker: Any,
                                                            application: Any) -> None:
    interview = _booked(recruiter, application)
    assert services.interviews_close_for_final_applications(now=NOW) == 0
    Application.objects.filter(pk=application.pk).update(stage=Stage.WITHDRAWN)
    assert services.interviews_close_for_final_applications(now=NOW, dry_run=True) == 1
    assert services.interviews_close_for_final_applications(now=NOW) == 1
    interview.refresh_from_db()
    assert interview.status == Status.CANCELLED
    assert Notification.objects.filter(event="interview_cancelled").count() == 2
    assert services.interviews_close_for_final_applications(now=NOW) == 0
