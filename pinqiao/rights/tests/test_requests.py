"""PRIV-6: every rights request has its fifteen-working-day deadline on the Chinese calendar, a
handler, the answer and the reason for any refusal; overdue requests alert the staff."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from pinqiao.core.errors import ServiceError
from pinqiao.core.permissions import Role
from pinqiao.jobs.tests.fixtures import otp_verified
from pinqiao.notifications.models import Notification
from pinqiao.rights.deadlines import CHINA, add_working_days, due_on
from pinqiao.rights.models import RightsRequest
from pinqiao.rights.requests import rights_request_answer, rights_request_create

pytestmark = pytest.mark.django_db


def test_the_deadline_skips_the_national_day_holiday_and_counts_make_up_days() -> None:
    # 2025-10-01…08 off; Saturday 2025-10-11 is a make-up working day (调休).
    assert add_working_days(date(2025, 9, 30), 15) == date(2025, 10, 28)
    assert due_on(datetime(2025, 9, 30, 20, 0, tzinfo=CHINA)) == date(2025, 10, 28)
    # Plain weeks: fifteen working days are three calendar weeks.
    assert add_working_days(date(2025, 6, 2), 15) == date(2025, 6, 23)


def test_a_request_is_received_with_its_deadline_and_the_person_is_told(seeker: Any,
                                                                        user_client: Any) -> None:
    response = user_client(seeker).post("/me/privacy/rights/requests/", {
        "kind": "correct", "details": "我的毕业学校写错了"})
    assert response.status_code == 302
    request = RightsRequest.objects.get(user=seeker)
    assert request.due_on == due_on(request.received_at) and request.status == "received"
    assert Notification.objects.filter(user=seeker, event="rights_request_received").exists()
    page = user_client(seeker).get("/me/privacy/rights/").content.decode()
    assert request.due_on.isoformat() in page


def test_a_request_without_details_comes_back_onto_the_form(seeker: Any,
                                                            user_client: Any) -> None:
    response = user_client(seeker).post("/me/privacy/rights/requests/", {"kind": "access",
                                                                         "details": "  "})
    assert response.status_code == 400 and "请" in response.content.decode()
    assert not RightsRequest.objects.exists()


def test_staff_answer_or_refuse_with_a_reason(seeker: Any, rights_operator: Any) -> None:
    request = rights_request_create(user=seeker, kind="access", details="请提供我的登录记录")
    with pytest.raises(ServiceError) as exc:
        rights_request_answer(actor=rights_operator, request_id=request.pk, answer="",
                              refusal_reason="legal_hold")
    assert exc.value.code == "invalid_answer"
    refused = rights_request_answer(actor=rights_operator, request_id=request.pk,
                                    answer="该记录涉及正在处理的投诉", refusal_reason="legal_hold")
    assert refused.status == "refused" and refused.handler == rights_operator
    assert Notification.objects.filter(user=seeker, event="rights_request_answered").exists()


def test_a_seeker_cannot_answer_requests(seeker: Any) -> None:
    request = rights_request_create(user=seeker, kind="access", details="查阅")
    with pytest.raises(ServiceError) as exc:
        rights_request_answer(actor=seeker, request_id=request.pk, answer="好的")
    assert exc.value.status == 403


def test_overdue_requests_alert_customer_service_once(seeker: Any, make_user: Any) -> None:
    service = make_user(role=Role.CUSTOMER_SERVICE, phone=None, email="cs@test.example")
    request = rights_request_create(user=seeker, kind="explain", details="推荐规则")
    RightsRequest.objects.filter(pk=request.pk).update(
        due_on=timezone.localdate() - timedelta(days=1))
    call_command("alert_overdue_rights_requests")
    call_command("alert_overdue_rights_requests")
    assert Notification.objects.filter(user=service, event="rights_request_overdue").count() == 1


def test_the_staff_desk_marks_overdue_requests(seeker: Any, make_user: Any,
                                               staff_client: Any) -> None:
    service = make_user(role=Role.CUSTOMER_SERVICE, phone=None, email="cs@test.example")
    request = rights_request_create(user=seeker, kind="explain", details="推荐规则")
    RightsRequest.objects.filter(pk=request.pk).update(
        due_on=timezone.localdate() - timedelta(days=2))
    client = staff_client(service)
    page = client.get("/staff/privacy/rights/?status=overdue").content.decode()
    assert "已逾期" in page and f"#{request.pk}" in page
    bad = client.post(f"/staff/privacy/rights/{request.pk}/answer/", {
        f"r{request.pk}-answer": "", f"r{request.pk}-refusal_reason": "legal_hold"})
    assert bad.status_code == 400
    good = client.post(f"/staff/privacy/rights/{request.pk}/answer/", {
        f"r{request.pk}-answer": "推荐按求职意向和投递记录计算，详见算法公示页。"})
    assert good.status_code == 302
    assert RightsRequest.objects.get(pk=request.pk).status == "completed"


def test_the_staff_desk_requires_the_permission(seeker: Any, reviewer: Any,
                                                staff_client: Any, client: Any) -> None:
    assert staff_client(otp_verified(reviewer)).get("/staff/privacy/rights/").status_code == 403
    assert client.get("/staff/privacy/rights/").status_code == 302


def test_the_api_files_and_lists_requests(seeker: Any, user_client: Any) -> None:
    client = user_client(seeker)
    created = client.post("/api/v1/me/rights-requests",
                          {"kind": "access", "details": "查阅我的数据"},
                          content_type="application/json")
    assert created.status_code == 201 and created.json()["due_on"]
    bad = client.post("/api/v1/me/rights-requests", {"kind": "delete", "details": "x"},
                      content_type="application/json")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_kind"
    assert len(client.get("/api/v1/me/rights-requests").json()) == 1
