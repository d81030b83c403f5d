"""APP-3: the recruiter proposes start times, the seeker picks exactly one."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from pinqiao.applications.models import Application, Stage
from pinqiao.core.errors import NotFound, ServiceError
from pinqiao.core.models import AuditEntry
from pinqiao.interviews import services, testing
from pinqiao.interviews.models import Interview, InterviewSlot, SlotState, Status
from pinqiao.interviews.tests.conftest import NOW, at
from pinqiao.notifications.models import Notification
from pinqiao.orgs.models import Membership

pytestmark = pytest.mark.django_db


def _propose(recruiter: Any, application: Any, starts: list, **over: Any) -> Interview:
    return testing.propose(recruiter, application, starts, now=NOW, **over)


def _code(call: Any) -> str:
    with pytest.raises(ServiceError) as caught:
        call()
    return caught.value.code


# --- propose ----------------------------------------------------------------------------------

def test_it_proposes_several_slots_and_tells_the_seeker(recruiter: Any, seeker: Any,
                                                        application: Any) -> None:
    interview = _propose(recruiter, application, [at(30, 14), at(29), at(10, 9, month=10)])
    assert interview.status == Status.PROPOSED and interview.starts_at is None
    assert interview.time_zone == "Asia/Shanghai"
    assert [s.starts_at for s in interview.slots.all()] == [at(29), at(30, 14),
                                                            at(10, 9, month=10)]
    notice = Notification.objects.get(user=seeker, event="interview_proposed")
    assert "3 个可选时间" in notice.body and application.posting.title in notice.body
    assert notice.link == f"/me/interviews/{interview.pk}/"
    entry = AuditEntry.objects.get(verb="interview.proposed")
    assert entry.actor_id == recruiter.pk and entry.target_id == str(interview.pk)


def test_it_stores_utc_and_shows_the_zone(recruiter: Any, application: Any) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    london = datetime(2025, 10, 13, 9, 0, tzinfo=ZoneInfo("Europe/London"))
    interview = _propose(recruiter, application, [london], mode="video", location="",
                         time_zone="Europe/London")
    slot = interview.slots.get()
    assert slot.starts_at.utcoffset() == timedelta(0)
    assert slot.starts_at == london
    assert services.format_when(interview, slot.starts_at) == \
        "2025-10-13 09:00（伦敦时间，UTC+01:00）"


def test_it_warns_about_holidays_but_accepts_them(recruiter: Any, application: Any) -> None:
    from pinqiao.interviews.selectors import slots_with_days

    interview = _propose(recruiter, application, [at(1, month=10), at(28), at(29)])
    labels = {v.slot.starts_at.date().isoformat(): (v.day.label, bool(v.day.warning))
              for v in slots_with_days(interview, now=NOW)}
    assert labels == {"2025-10-01": ("法定节假日：国庆节", True),
                      "2025-09-28": ("调休工作日（国庆节）", False),
                      "2025-09-29": ("工作日", False)}


@pytest.mark.parametrize(("starts", "code"), [
    ([], "no_slots"),
    ([NOW - timedelta(minutes=1)], "slot_in_past"),
    ([NOW], "slot_in_past"),
    ([NOW + timedelta(days=181)], "slot_too_far"),
    ([at(29, 10), at(29, 10, 30)], "slots_overlap"),
    ([at(29, 10), at(29, 10)], "slots_overlap"),
    ([at(29, h) for h in range(9, 18)], "too_many_slots"),
])
def test_it_refuses_bad_slots(recruiter: Any, application: Any, starts: list,
                              code: str) -> None:
    assert _code(lambda: _propose(recruiter, application, starts)) == code
    assert not Interview.objects.exists()


def test_back_to_back_slots_do_not_overlap(recruiter: Any, application: Any) -> None:
    interview = _propose(recruiter, application, [at(29, 10), at(29, 11)], duration_minutes=60)
    assert interview.slots.count() == 2


def test_it_refuses_a_time_without_a_zone(recruiter: Any, application: Any) -> None:
    naive = at(29).replace(tzinfo=None)
    assert _code(lambda: _propose(recruiter, application, [naive])) == "naive_time"


@pytest.mark.parametrize(("over", "field"), [
    ({"mode": "onsite", "location": ""}, "location"),
    ({"mode": "carrier_pigeon"}, "mode"),
    ({"duration_minutes": 5}, "duration_minutes"),
    ({"duration_minutes": 600}, "duration_minutes"),
    ({"time_zone": "Mars/Olympus"}, "time_zone"),
    ({"note": "面试时请携带押金300元和培训费"}, "note"),
])
def test_it_refuses_bad_proposals_with_the_field(recruiter: Any, application: Any,
                                                 over: dict, field: str) -> None:
    with pytest.raises(ServiceError) as caught:
        _propose(recruiter, application, [at(29)], **over)
    assert field in caught.value.fields


def test_only_one_open_interview_per_application(recruiter: Any, application: Any) -> None:
    _propose(recruiter, application, [at(29)])
    assert _code(lambda: _propose(recruiter, application, [at(30)])) == "interview_open"
    with pytest.raises(IntegrityError), transaction.atomic():
        Interview.objects.create(application=application, organiser=recruiter, mode="phone")


def test_it_refuses_an_ended_application(recruiter: Any, application: Any) -> None:
    Application.objects.filter(pk=application.pk).update(stage=Stage.REJECTED)
    assert _code(lambda: _propose(recruiter, application, [at(29)])) == "application_final"


def test_it_is_not_found_for_other_people(other_recruiter: Any, colleague_without_resumes: Any,
                                         seeker: Any, application: Any) -> None:
    for actor in (other_recruiter, colleague_without_resumes, seeker):
        with pytest.raises(NotFound):
            _propose(actor, application, [at(29)])
    assert not Interview.objects.exists()


def test_a_colleague_who_may_view_resumes_can_propose(colleague: Any, application: Any) -> None:
    assert _propose(colleague, application, [at(29)]).organiser == colleague


def test_more_slots_can_be_added_without_overlap(recruiter: Any, application: Any) -> None:
    interview = _propose(recruiter, application, [at(29)])
    services.interview_slots_add(actor=recruiter, interview=interview, slots=[at(30)], now=NOW)
    assert interview.slots.count() == 2
    code = _code(lambda: services.interview_slots_add(actor=recruiter, interview=interview,
                                                      slots=[at(29, 10, 30)], now=NOW))
    assert code == "slots_overlap"


# --- pick -------------------------------------------------------------------------------------

def test_picking_books_moves_the_application_and_tells_both_sides(
        recruiter: Any, seeker: Any, application: Any) -> None:
    interview = _propose(recruiter, application, [at(29), at(30)])
    slot = interview.slots.get(starts_at=at(30))
    services.interview_pick(actor=seeker, interview=interview, slot_id=slot.pk, now=NOW)
    interview.refresh_from_db()
    assert (interview.status, interview.starts_at) == (Status.BOOKED, at(30))
    assert len(interview.checkin_code) == 6 and interview.checkin_code.isdigit()
    assert list(interview.slots.values_list("state", flat=True)) == ["open", "chosen"]
    application.refresh_from_db()
    assert application.stage == Stage.INTERVIEW
    assert application.events.get(to_stage=Stage.INTERVIEW).actor == recruiter
    booked = Notification.objects.get(user=seeker, event="interview_booked_seeker")
    assert "2025-09-30 10:00（北京时间，UTC+08:00）" in booked.body
    assert "防骗提示" in booked.body and "押金" in booked.body
    assert Notification.objects.filter(user=recruiter, event="interview_booked").exists()
    assert AuditEntry.objects.filter(verb="interview.booked", actor_id=seeker.pk).exists()


def test_picking_twice_or_another_slot_is_refused(recruiter: Any, seeker: Any,
                                                  application: Any) -> None:
    interview = _propose(recruiter, application, [at(29), at(30)])
    first, second = interview.slots.all()
    services.interview_pick(actor=seeker, interview=interview, slot_id=first.pk, now=NOW)
    for slot in (first, second):
        code = _code(lambda s=slot: services.interview_pick(actor=seeker, interview=interview,
                                                            slot_id=s.pk, now=NOW))
        assert code == "already_booked"
    assert interview.slots.filter(state=SlotState.CHOSEN).count() == 1


def test_the_database_allows_one_chosen_slot(recruiter: Any, application: Any) -> None:
    interview = _propose(recruiter, application, [at(29), at(30)])
    first, second = interview.slots.all()
    InterviewSlot.objects.filter(pk=first.pk).update(state=SlotState.CHOSEN)
    with pytest.raises(IntegrityError), transaction.atomic():
        InterviewSlot.objects.filter(pk=second.pk).update(state=SlotState.CHOSEN)


def test_it_refuses_a_past_slot_a_foreign_slot_and_other_people(
        recruiter: Any, seeker: Any, other_seeker: Any, application: Any, posting: Any) -> None:
    interview = _propose(recruiter, application, [at(29)])
    slot = interview.slots.get()
    late = at(29, 10, 1)
    assert _code(lambda: services.interview_pick(actor=seeker, interview=interview,
                                                 slot_id=slot.pk, now=late)) == "slot_in_past"
    assert _code(lambda: services.interview_pick(actor=seeker, interview=interview,
                                                 slot_id=999999, now=NOW)) == "invalid_slot"
    for actor in (other_seeker, recruiter):
        with pytest.raises(NotFound):
            services.interview_pick(actor=actor, interview=interview, slot_id=slot.pk, now=NOW)
    interview.refresh_from_db()
    assert interview.status == Status.PROPOSED


def test_booking_never_moves_an_application_back(recruiter: Any, seeker: Any,
                                                 application: Any) -> None:
    Application.objects.filter(pk=application.pk).update(stage=Stage.OFFER)
    testing.book(recruiter, application, at(29), now=NOW)
    application.refresh_from_db()
    assert application.stage == Stage.OFFER


def test_an_organiser_who_lost_access_leaves_the_stage_and_an_audit_entry(
        recruiter: Any, colleague: Any, seeker: Any, application: Any) -> None:
    interview = _propose(colleague, application, [at(29)])
    Membership.objects.filter(user=colleague).update(can_view_resumes=False)
    services.interview_pick(actor=seeker, interview=interview,
                            slot_id=interview.slots.get().pk, now=NOW)
    application.refresh_from_db()
    assert application.stage == Stage.NEW
    assert AuditEntry.objects.filter(verb="interview.stage_not_moved").exists()


def test_a_video_interview_gets_a_room_and_no_checkin_code(recruiter: Any,
                                                           application: Any) -> None:
    interview = testing.book(recruiter, application, at(29), now=NOW, mode="video",
                             location="")
    assert interview.room_ref and interview.room_provider.endswith("LocalRoomProvider")
    assert interview.checkin_code == ""
