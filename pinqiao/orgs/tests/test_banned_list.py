"""ORG-9: a closed organisation's credit code, responsible person and device cannot register
again, and the refusal says why."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pinqiao.core.errors import ServiceError
from pinqiao.orgs import testing
from pinqiao.orgs.models import BannedEntry, Organisation, OrgStatus
from pinqiao.orgs.services import client_fingerprint, device_fingerprint, organisation_close
from pinqiao.orgs.tests.test_wizard_views import step1_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(recruiter, reviewer):
    org = testing.register(recruiter, "聘桥示范科技", person=5,
                           device=device_fingerprint("device-abc"))
    return organisation_close(actor=reviewer, organisation=org, reason="发布虚假招聘信息，情节严重")


def test_it_puts_code_person_and_device_on_the_list_when_closing(closed):
    assert closed.status == OrgStatus.CLOSED
    assert set(BannedEntry.objects.values_list("kind", flat=True)) == {
        "credit_code", "person", "device"}
    assert BannedEntry.objects.get(kind="credit_code").value == closed.credit_code


def test_it_refuses_the_banned_credit_code(closed, recruiter2):
    with pytest.raises(ServiceError) as exc:
        testing.register(recruiter2, "聘桥示范科技", salt="again", person=9)
    assert exc.value.code == "banned_credit_code"
    assert "禁止注册名单" in exc.value.message
    assert Organisation.objects.count() == 1


def test_it_refuses_the_banned_person_under_another_company(closed, recruiter2):
    with pytest.raises(ServiceError) as exc:
        testing.register(recruiter2, "示范电子", person=5)
    assert exc.value.code == "banned_person"
    assert "经办人" in exc.value.fields["responsible_id_number"][0]
    assert not Organisation.objects.filter(name__contains="示范电子").exists()


def test_it_refuses_the_banned_device(closed, recruiter2):
    with pytest.raises(ServiceError) as exc:
        testing.register(recruiter2, "示范电子", person=8, device=device_fingerprint("device-abc"))
    assert exc.value.code == "banned_device"
    assert "设备" in exc.value.message


def test_it_lets_other_companies_people_and_devices_register(closed, recruiter2):
    org = testing.register(recruiter2, "示范电子", person=8, device=device_fingerprint("other"))
    assert org.status == OrgStatus.PENDING


HEADERS = {"REMOTE_ADDR": "203.0.113.7", "HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 14)",
           "HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"}


def test_the_server_side_fingerprint_survives_a_deleted_cookie(recruiter, recruiter2,
                                                                reviewer, user_client):
    """Finding 13: the banned device is also known by what the server sees (network, browser,
    language), so a closed company's owner cannot register again by clearing cookies."""
    first = user_client(recruiter)
    first.get(reverse("orgs:register"), **HEADERS)
    first.post(reverse("orgs:register"), step1_data(), **HEADERS)
    org = Organisation.objects.get()
    assert org.registration_client_digest and org.registration_device
    organisation_close(actor=reviewer, organisation=org, reason="发布虚假招聘信息，情节严重")
    assert BannedEntry.objects.filter(kind="device").count() == 2

    again = user_client(recruiter2)  # a fresh browser: no pq_device cookie
    headers = {**HEADERS, "REMOTE_ADDR": "203.0.113.99"}  # same network, another address
    response = again.post(reverse("orgs:register"), step1_data("示范电子"), **headers)
    assert response.status_code == 200
    assert "当前设备曾用于已被平台关闭的单位" in response.content.decode()
    assert Organisation.objects.count() == 1


def test_another_network_or_browser_is_not_the_banned_device():
    base = client_fingerprint(ip="203.0.113.7", user_agent="UA", accept_language="zh-CN")
    assert base == client_fingerprint(ip="203.0.113.200", user_agent="UA",
                                      accept_language="zh-CN")
    assert base != client_fingerprint(ip="198.51.100.7", user_agent="UA",
                                      accept_language="zh-CN")
    assert base != client_fingerprint(ip="203.0.113.7", user_agent="UA2",
                                      accept_language="zh-CN")
    assert client_fingerprint(ip=None, user_agent="UA", accept_language="") == ""
