"""Interview pages (APP-3, DISC-6): propose, pick, reschedule, cancel, the calendar file; others
get 404 and an audit entry."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from pinqiao.core.models import AuditEntry
from pinqiao.interviews import testing
from pinqiao.interviews.models import Interview, SlotState, Status
from pinqiao.interviews.workdays import slot_day_info

pytestmark = pytest.mark.django_db


def _local(when: datetime) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")


def _future(days: int, hour: int = 10) -> datetime:
    return timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0) \
        + timedelta(days=days)


def _propose_data(*slots: datetime, **over: Any) -> dict[str, Any]:
    data = {"title": "初试", "mode": "onsite", "location": "天河路100号8楼",
            "duration_minutes": "60", "time_zone": "Asia/Shanghai", "note": "请带简历"}
    data.update({f"slot_{i}": _local(s) for i, s in enumerate(slots, start=1)})
    data.update(over)
    return data


def _denied(verb: str, user: Any) -> bool:
    return AuditEntry.objects.filter(verb=verb, actor_id=user.pk).exists()


# --- recruiter ----------------------------------------------------------------------------------

def test_the_propose_page_asks_for_slots_with_a_day_hint(user_client: Any, recruiter: Any,
                                                         application: Any) -> None:
    url = reverse("interviews:propose", args=[application.pk])
    response = user_client(recruiter).get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'type="datetime-local" name="slot_1"' in body
    assert reverse("interviews:day_info") in body and "hx-get" in body
    assert "Asia/Shanghai" in body and "北京时间（UTC+08:00）" in body


def test_proposing_redirects_and_warns_about_non_working_days(user_client: Any,
                                                              recruiter: Any,
                                                              application: Any) -> None:
    days = [_future(d) for d in range(2, 40)]
    off = next(d for d in days if slot_day_info(d).warning)
    work = next(d for d in days if not slot_day_info(d).warning)
    response = user_client(recruiter).post(reverse("interviews:propose", args=[application.pk]),
                                           _propose_data(work, off))
    interview = Interview.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("interviews:recruiter_detail", args=[interview.pk])
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert len(warnings) == 1 and slot_day_info(off).warning in warnings[0]
    assert interview.slots.count() == 2


def test_a_past_slot_is_shown_on_the_form(user_client: Any, recruiter: Any,
                                          application: Any) -> None:
    past = timezone.now() - timedelta(days=1)
    response = user_client(recruiter).post(reverse("interviews:propose", args=[application.pk]),
                                           _propose_data(past))
    assert response.status_code == 400
    assert "已经过去" in response.content.decode()
    assert not Interview.objects.exists()


def test_overlapping_slots_are_refused_on_the_form(user_client: Any, recruiter: Any,
                                                   application: Any) -> None:
    start = _future(3)
    response = user_client(recruiter).post(
        reverse("interviews:propose", args=[application.pk]),
        _propose_data(start, start + timedelta(minutes=30)))
    assert response.status_code == 400 and "重叠" in response.content.decode()


def test_the_propose_page_is_for_the_right_recruiter_only(client: Any, user_client: Any,
                                                          seeker: Any, other_recruiter: Any,
                                                          application: Any) -> None:
    url = reverse("interviews:propose", args=[application.pk])
    assert client.get(url).status_code == 302
    assert user_client(seeker).get(url).status_code == 403
    assert user_client(other_recruiter).post(url, _propose_data(_future(3))).status_code == 404
    assert _denied("interview.propose.denied", other_recruiter)
    assert not Interview.objects.exists()


def test_the_recruiter_page_shows_the_checkin_code(user_client: Any, recruiter: Any,
                                                   application: Any) -> None:
    interview = testing.book(recruiter, application, _future(3))
    body = user_client(recruiter).get(
        reverse("interviews:recruiter_detail", args=[interview.pk])).content.decode()
    assert interview.checkin_code in body and "下载日历文件" in body
    listing = user_client(recruiter).get(reverse("interviews:recruiter_list")).content.decode()
    assert application.posting.title in listing


def test_the_recruiter_reschedules_and_cancels_on_the_page(user_client: Any, recruiter: Any,
                                                           application: Any) -> None:
    interview = testing.book(recruiter, application, _future(3))
    client = user_client(recruiter)
    url = reverse("interviews:recruiter_action", args=[interview.pk, "reschedule"])
    missing = client.post(url, {"reschedule-reason": "出差"})
    assert missing.status_code == 400 and "请至少提供一个面试时间" in missing.content.decode()
    response = client.post(url, {"reschedule-reason": "出差",
                                 "reschedule-slot_1": _local(_future(5))})
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.status == Status.PROPOSED and interview.sequence == 1
    client.post(reverse("interviews:recruiter_action", args=[interview.pk, "cancel"]),
                {"cancel-reason": "岗位已招满"})
    interview.refresh_from_db()
    assert interview.status == Status.CANCELLED


def test_unknown_actions_and_gets_are_refused(user_client: Any, recruiter: Any,
                                              application: Any) -> None:
    interview = testing.propose(recruiter, application, [_future(3)])
    client = user_client(recruiter)
    assert client.post(reverse("interviews:recruiter_action",
                               args=[interview.pk, "teleport"])).status_code == 404
    assert client.get(reverse("interviews:recruiter_action",
                              args=[interview.pk, "cancel"])).status_code == 405


# --- seeker ---------------------------------------------------------------------------------------

def test_the_seeker_sees_the_fraud_tips_and_picks_one_time(user_client: Any, seeker: Any,
                                                           recruiter: Any,
                                                           application: Any) -> None:
    interview = testing.propose(recruiter, application, [_future(3), _future(4)])
    client = user_client(seeker)
    listing = client.get(reverse("interviews:mine")).content.decode()
    assert reverse("interviews:seeker_detail", args=[interview.pk]) in listing
    body = client.get(reverse("interviews:seeker_detail", args=[interview.pk])).content.decode()
    assert "求职防骗提示" in body and "押金" in body
    assert 'type="radio" name="pick-slot"' in body
    second = interview.slots.order_by("starts_at").last()
    response = client.post(reverse("interviews:seeker_action", args=[interview.pk, "pick"]),
                           {"pick-slot": second.pk})
    assert response.status_code == 302
    interview.refresh_from_db()
    assert (interview.status, interview.starts_at) == (Status.BOOKED, second.starts_at)


def test_picking_two_slots_at_once_is_refused(user_client: Any, seeker: Any, recruiter: Any,
                                              application: Any) -> None:
    interview = testing.propose(recruiter, application, [_future(3), _future(4)])
    first, second = interview.slots.all()
    response = user_client(seeker).post(
        reverse("interviews:seeker_action", args=[interview.pk, "pick"]),
        {"pick-slot": [first.pk, second.pk]})
    assert response.status_code == 400 and "只能选择一个面试时间" in response.content.decode()
    assert not interview.slots.filter(state=SlotState.CHOSEN).exists()


def test_picking_a_slot_twice_shows_the_reason(user_client: Any, seeker: Any, recruiter: Any,
                                               application: Any) -> None:
    interview = testing.propose(recruiter, application, [_future(3), _future(4)])
    first, second = interview.slots.all()
    client = user_client(seeker)
    url = reverse("interviews:seeker_action", args=[interview.pk, "pick"])
    client.post(url, {"pick-slot": first.pk})
    response = client.post(url, {"pick-slot": second.pk}, follow=True)
    assert "您已选定面试时间" in response.content.decode()
    interview.refresh_from_db()
    assert interview.starts_at == first.starts_at


def test_the_seeker_asks_to_reschedule_and_cancels(user_client: Any, seeker: Any,
                                                   recruiter: Any, application: Any) -> None:
    interview = testing.book(recruiter, application, _future(3))
    client = user_client(seeker)
    empty = client.post(reverse("interviews:seeker_action", args=[interview.pk, "reschedule"]),
                        {"reschedule-reason": ""})
    assert empty.status_code == 400
    client.post(reverse("interviews:seeker_action", args=[interview.pk, "reschedule"]),
                {"reschedule-reason": "那天要考试"})
    interview.refresh_from_db()
    assert interview.status == Status.PROPOSED
    client.post(reverse("interviews:seeker_action", args=[interview.pk, "cancel"]),
                {"cancel-reason": "不考虑了"})
    interview.refresh_from_db()
    assert interview.status == Status.CANCELLED
    body = client.get(reverse("interviews:seeker_detail", args=[interview.pk])).content.decode()
    assert "求职防骗提示" not in body and "不考虑了" in body


def test_others_get_404_and_an_audit_entry(client: Any, user_client: Any, other_seeker: Any,
                                           other_recruiter: Any, recruiter: Any,
                                           application: Any) -> None:
    interview = testing.book(recruiter, application, _future(3))
    seeker_url = reverse("interviews:seeker_detail", args=[interview.pk])
    recruiter_url = reverse("interviews:recruiter_detail", args=[interview.pk])
    ics_url = reverse("interviews:ics", args=[interview.pk])
    assert client.get(seeker_url).status_code == 302
    assert user_client(other_seeker).get(seeker_url).status_code == 404
    assert user_client(other_seeker).get(ics_url).status_code == 404
    assert user_client(other_seeker).post(
        reverse("interviews:seeker_action", args=[interview.pk, "cancel"]),
        {"cancel-reason": "捣乱"}).status_code == 404
    assert user_client(other_recruiter).get(recruiter_url).status_code == 404
    assert user_client(recruiter).get(seeker_url).status_code == 404
    assert AuditEntry.objects.filter(verb="interview.view.denied",
                                     actor_id=other_seeker.pk).count() == 3
    assert _denied("interview.view.denied", other_recruiter)
    interview.refresh_from_db()
    assert interview.status == Status.BOOKED


# --- both ---------------------------------------------------------------------------------------

def test_both_sides_download_the_calendar_file(user_client: Any, seeker: Any, recruiter: Any,
                                               application: Any) -> None:
    interview = testing.propose(recruiter, application, [_future(3)])
    url = reverse("interviews:ics", args=[interview.pk])
    assert user_client(seeker).get(url).status_code == 404  # no time yet
    testing_slot = interview.slots.get()
    from pinqiao.interviews import services

    services.interview_pick(actor=seeker, interview=interview, slot_id=testing_slot.pk)
    for user in (seeker, recruiter):
        response = user_client(user).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert "attachment" in response["Content-Disposition"]
        assert f"UID:{interview.uid}@pinqiao" in response.content.decode()


def test_the_day_hint_names_holidays(user_client: Any, recruiter: Any) -> None:
    client = user_client(recruiter)
    url = reverse("interviews:day_info")
    holiday = client.get(url, {"slot_1": "2025-10-01T10:00", "time_zone": "Asia/Shanghai"})
    assert "法定节假日：国庆节" in holiday.content.decode()
    assert "warn" in holiday.content.decode()
    makeup = client.get(url, {"reschedule-slot_2": "2025-10-11T10:00"}).content.decode()
    assert "调休工作日" in makeup
    assert client.get(url, {"slot_1": "nonsense"}).content == b""
