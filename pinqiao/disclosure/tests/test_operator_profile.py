"""The operator's disclosure record (DISC-1, DISC-3): edited by operators past the second factor
on /staff/operator/, every change audited, shown at once in the footer and the panel."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pytest
from django.forms.models import model_to_dict
from django.test import Client
from django_otp.middleware import is_verified

from pinqiao.accounts.models import User
from pinqiao.core.errors import NotPermitted, ServiceError
from pinqiao.core.models import AuditEntry
from pinqiao.disclosure.models import OperatorProfile
from pinqiao.disclosure.services import OPERATOR_FIELDS, operator_profile_update

URL = "/staff/operator/"
VERB = "disclosure.operator_profile_updated"


def form_data(profile: OperatorProfile, **changes: object) -> dict[str, object]:
    data = model_to_dict(profile, fields=OPERATOR_FIELDS)
    data["hr_licence_valid_until"] = profile.hr_licence_valid_until.isoformat()
    return data | changes


def test_it_rejects_anonymous(client: Client, disclosure: OperatorProfile) -> None:
    response = client.post(URL, form_data(disclosure, complaint_hotline="400-000-0000"))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    disclosure.refresh_from_db()
    assert disclosure.complaint_hotline == "020-12345678"


def test_it_requires_operator(reviewer: User, staff_client: Callable[[User], Client],
                              disclosure: OperatorProfile) -> None:
    client = staff_client(reviewer)

    assert client.get(URL).status_code == 403
    response = client.post(URL, form_data(disclosure, complaint_hotline="400-000-0000"))

    assert response.status_code == 403
    disclosure.refresh_from_db()
    assert disclosure.complaint_hotline == "020-12345678"
    assert not AuditEntry.objects.filter(verb=VERB).exists()


def test_it_requires_second_factor(operator: User, user_client: Callable[[User], Client],
                                   disclosure: OperatorProfile) -> None:
    response = user_client(operator).post(URL, form_data(disclosure,
                                                         complaint_hotline="400-000-0000"))

    assert response.status_code == 302
    assert response["Location"] == "/staff/otp/?next=/staff/operator/"
    disclosure.refresh_from_db()
    assert disclosure.complaint_hotline == "020-12345678"


def test_it_shows_the_record_for_editing(operator: User, staff_client: Callable[[User], Client],
                                         disclosure: OperatorProfile) -> None:
    response = staff_client(operator).get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert disclosure.hr_licence_no in html
    assert disclosure.icp_no in html


def test_it_saves_the_change_and_shows_it_in_the_footer_and_panel(
        client: Client, operator: User, staff_client: Callable[[User], Client],
        disclosure: OperatorProfile) -> None:
    response = staff_client(operator).post(URL, form_data(
        disclosure, complaint_hotline="400-800-1234", credit_score=91), follow=True)

    assert "公示信息已更新。" in response.content.decode()
    disclosure.refresh_from_db()
    assert disclosure.complaint_hotline == "400-800-1234"
    home = client.get("/").content.decode()
    assert "400-800-1234" in home[home.index("<footer"):]
    assert "91（A级）" in home


def test_it_audits_which_fields_changed(operator: User, staff_client: Callable[[User], Client],
                                        disclosure: OperatorProfile) -> None:
    staff_client(operator).post(URL, form_data(disclosure, icp_no="粤ICP备2026000999号-1"))

    entry = AuditEntry.objects.get(verb=VERB)
    assert entry.actor_id == operator.pk
    assert entry.target_type == "disclosure.operatorprofile"
    assert entry.target_id == str(disclosure.pk)
    assert entry.data == {"changed": {"icp_no": "粤ICP备2026000999号-1"}}


def test_it_refuses_an_invalid_value_with_a_message(
        operator: User, staff_client: Callable[[User], Client],
        disclosure: OperatorProfile) -> None:
    response = staff_client(operator).post(URL, form_data(
        disclosure, regulator_url="not a web address", complaint_hotline=""))

    assert response.status_code == 200
    html = response.content.decode()
    assert "输入一个有效的 URL。" in html
    assert "这个字段是必填项。" in html
    disclosure.refresh_from_db()
    assert disclosure.regulator_url == "https://rsj.gz.gov.cn/"
    assert not AuditEntry.objects.filter(verb=VERB).exists()


def test_it_refuses_an_invalid_value_in_the_service_with_a_message(
        verified_operator: User, disclosure: OperatorProfile) -> None:
    with pytest.raises(ServiceError) as refused:
        operator_profile_update(actor=verified_operator, profile=disclosure,
                                changes={"regulator_url": "not a web address"})

    assert refused.value.code == "invalid_operator_profile"
    assert refused.value.fields == {"regulator_url": ["输入一个有效的 URL。"]}
    assert OperatorProfile.objects.get().regulator_url == "https://rsj.gz.gov.cn/"
    assert not AuditEntry.objects.filter(verb=VERB).exists()


def test_it_refuses_the_service_to_anyone_but_an_operator(
        reviewer: User, past_second_factor: Callable[[User], User],
        disclosure: OperatorProfile) -> None:
    with pytest.raises(NotPermitted):
        operator_profile_update(actor=past_second_factor(reviewer), profile=disclosure,
                                changes={"complaint_hotline": "400-000-0000"})

    disclosure.refresh_from_db()
    assert disclosure.complaint_hotline == "020-12345678"


def test_it_refuses_the_service_to_an_operator_before_the_second_factor(
        operator: User, disclosure: OperatorProfile) -> None:
    operator.otp_device = None
    operator.is_verified = partial(is_verified, operator)  # type: ignore[method-assign]

    with pytest.raises(NotPermitted):
        operator_profile_update(actor=operator, profile=disclosure,
                                changes={"complaint_hotline": "400-000-0000"})
