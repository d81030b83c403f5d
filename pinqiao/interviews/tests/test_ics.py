"""APP-3: the .ics file keeps its UID, bumps SEQUENCE on reschedule, cancels with METHOD:CANCEL."""

from __future__ import annotations

from typing import Any

import icalendar
import pytest

from pinqiao.interviews import services, testing
from pinqiao.interviews.ics import interview_ics
from pinqiao.interviews.tests.conftest import NOW, at

pytestmark = pytest.mark.django_db


def _event(interview: Any) -> tuple[icalendar.Calendar, icalendar.Event]:
    interview.refresh_from_db()
    calendar = icalendar.Calendar.from_ical(interview_ics(interview, room_page_url="https://x/r"))
    return calendar, calendar.walk("VEVENT")[0]


def test_a_booked_interview_in_its_zone(recruiter: Any, application: Any) -> None:
    interview = testing.book(recruiter, application, at(29), now=NOW, duration_minutes=45)
    calendar, event = _event(interview)
    assert calendar["METHOD"] == "PUBLISH"
    assert str(event["UID"]) == f"{interview.uid}@pinqiao"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == at(29)
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert event.decoded("DTEND") == at(29, 10, 45)
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Asia/Shanghai"
    assert application.posting.title in str(event["SUMMARY"])
    assert str(event["LOCATION"]) == "广州市天河区天河路100号 8楼前台"
    assert "不会以任何名义收取费用" in str(event["DESCRIPTION"])
    assert str(event["STATUS"]) == "CONFIRMED"


def test_reschedule_keeps_the_uid_and_bumps_the_sequence(recruiter: Any, seeker: Any,
                                                         application: Any) -> None:
    interview = testing.book(recruiter, application, at(29), now=NOW)
    uid = str(_event(interview)[1]["UID"])
    services.interview_reschedule(actor=recruiter, interview=interview, reason="出差",
                                  slots=[at(30, 15)], now=NOW)
    services.interview_pick(actor=seeker, interview=interview,
                            slot_id=interview.slots.get(starts_at=at(30, 15)).pk, now=NOW)
    _calendar, event = _event(interview)
    assert str(event["UID"]) == uid
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART") == at(30, 15)


def test_cancellation_is_a_cancel_with_a_higher_sequence(recruiter: Any, seeker: Any,
                                                         application: Any) -> None:
    interview = testing.book(recruiter, application, at(29), now=NOW)
    services.interview_cancel(actor=seeker, interview=interview, reason="已入职他处", now=NOW)
    calendar, event = _event(interview)
    assert calendar["METHOD"] == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 1


def test_a_video_interview_points_at_the_room(recruiter: Any, application: Any) -> None:
    interview = testing.book(recruiter, application, at(29), now=NOW, mode="video",
                             location="")
    assert str(_event(interview)[1]["LOCATION"]) == "在线面试间：https://x/r"


def test_there_is_no_file_before_a_time_is_chosen(recruiter: Any, application: Any) -> None:
    interview = testing.propose(recruiter, application, [at(29)], now=NOW)
    with pytest.raises(ValueError):
        interview_ics(interview)
