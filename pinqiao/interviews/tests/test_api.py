"""Interview API with the pages' permissions; errors as {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from pinqiao.core.models import AuditEntry
from pinqiao.interviews import testing
from pinqiao.interviews.models import Interview, Status

pytestmark = pytest.mark.django_db


def _post(client: Any, url: str, body: dict | None = None, method: str = "post") -> Any:
    return getattr(client, method)(url, json.dumps(body or {}), content_type="application/json")


def _future(days: int, hour: int = 10) -> str:
    """A wall-clock time without offset: read in the interview's zone."""
    day = timezone.localdate() + timedelta(days=days)
    return f"{day.isoformat()}T{hour:02d}:00:00"


def _propose(client: Any, application: Any, **over: Any) -> Any:
    body = {"mode": "onsite", "location": "天河路100号", "title": "初试",
            "slots": [_future(3), _future(4)], **over}
    return _post(client, f"/api/v1/applications/{application.pk}/interviews", body)


def test_propose_pick_calendar_reschedule_cancel(user_client: Any, recruiter: Any,
                                                 seeker: Any, application: Any) -> None:
    hr, me = user_client(recruiter), user_client(seeker)
    created = _propose(hr, application)
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["side"] == "recruiter" and data["status"] == "proposed"
    assert data["slots"][0]["starts_at_local"].endswith("（北京时间，UTC+08:00）")
    assert {"is_workday", "label", "warning"} <= set(data["slots"][0]["day"])
    interview_id = data["id"]
    listed = me.get("/api/v1/interviews").json()
    assert [i["id"] for i in listed] == [interview_id] and listed[0]["side"] == "seeker"
    picked = _post(me, f"/api/v1/interviews/{interview_id}/pick",
                   {"slot_id": data["slots"][1]["id"]})
    assert picked.status_code == 200 and picked.json()["status"] == "booked"
    assert picked.json()["checkin_code"] == ""  # the seeker never sees the code
    assert len(hr.get(f"/api/v1/interviews/{interview_id}").json()["checkin_code"]) == 6
    ics = me.get(f"/api/v1/interviews/{interview_id}/calendar.ics")
    assert ics.status_code == 200 and b"BEGIN:VCALENDAR" in ics.content
    again = _post(me, f"/api/v1/interviews/{interview_id}/pick",
                  {"slot_id": data["slots"][0]["id"]})
    assert again.status_code == 400 and again.json()["error"]["code"] == "already_booked"
    moved = _post(hr, f"/api/v1/interviews/{interview_id}/reschedule",
                  {"reason": "会议室冲突", "slots": [_future(6)]})
    assert moved.json()["status"] == "proposed" and moved.json()["sequence"] == 1
    cancelled = _post(me, f"/api/v1/interviews/{interview_id}/cancel", {"reason": "不去了"})
    assert cancelled.json()["status"] == "cancelled"
    late = _post(hr, f"/api/v1/interviews/{interview_id}/cancel", {"reason": "再取消"})
    assert late.status_code == 400 and late.json()["error"]["code"] == "interview_closed"


def test_bad_input_gets_field_errors(user_client: Any, recruiter: Any, application: Any) -> None:
    hr = user_client(recruiter)
    past = _propose(hr, application, slots=["2020-01-01T10:00:00+08:00"])
    assert past.status_code == 400
    assert past.json()["error"]["code"] == "slot_in_past" and "slots" in past.json()["error"][
        "fields"]
    overlap = _propose(hr, application, slots=[_future(3, 10), f"{_future(3, 10)[:-5]}30:00"])
    assert overlap.json()["error"]["code"] == "slots_overlap"
    zone = _propose(hr, application, time_zone="Nowhere/Land")
    assert zone.status_code == 400 and "time_zone" in zone.json()["error"]["fields"]
    garbage = _propose(hr, application, slots=["not a time"])
    assert garbage.status_code == 422
    assert not Interview.objects.exists()


def test_a_time_with_an_offset_is_kept(user_client: Any, recruiter: Any,
                                       application: Any) -> None:
    day = (timezone.localdate() + timedelta(days=3)).isoformat()
    created = _propose(user_client(recruiter), application, slots=[f"{day}T09:00:00+00:00"],
                       time_zone="Europe/London")
    slot = created.json()["slots"][0]
    assert slot["starts_at"].startswith(f"{day}T09:00:00")
    assert "伦敦时间" in slot["starts_at_local"]


def test_others_get_404_and_are_audited(client: Any, user_client: Any, recruiter: Any,
                                        other_seeker: Any, other_recruiter: Any, seeker: Any,
                                        application: Any) -> None:
    interview = testing.propose(recruiter, application, [timezone.now() + timedelta(days=3)])
    slot = interview.slots.get()
    assert client.get(f"/api/v1/interviews/{interview.pk}").status_code == 401
    for user in (other_seeker, other_recruiter):
        api = user_client(user)
        assert api.get(f"/api/v1/interviews/{interview.pk}").status_code == 404
        response = _post(api, f"/api/v1/interviews/{interview.pk}/pick", {"slot_id": slot.pk})
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
        assert api.get("/api/v1/interviews").json() == []
        assert AuditEntry.objects.filter(verb="interview.view.denied",
                                         actor_id=user.pk).count() == 2
    proposal = _propose(user_client(other_recruiter), application)
    assert proposal.status_code == 404
    assert AuditEntry.objects.filter(verb="interview.propose.denied",
                                     actor_id=other_recruiter.pk).exists()
    # a recruiter cannot pick for the seeker, a seeker cannot add slots
    assert _post(user_client(recruiter), f"/api/v1/interviews/{interview.pk}/pick",
                 {"slot_id": slot.pk}).status_code == 404
    assert _post(user_client(seeker), f"/api/v1/interviews/{interview.pk}/slots",
                 {"slots": [_future(9)]}).status_code == 404
    interview.refresh_from_db()
    assert interview.status == Status.PROPOSED


def test_the_day_info_endpoint(user_client: Any, seeker: Any) -> None:
    response = user_client(seeker).get("/api/v1/interviews/day-info", {"day": "2025-10-01"})
    assert response.json() == {"date": "2025-10-01", "is_workday": False,
                               "label": "法定节假日：国庆节",
                               "warning": "该日为法定节假日（国庆节），请确认双方都方便。",
                               "known": True}
