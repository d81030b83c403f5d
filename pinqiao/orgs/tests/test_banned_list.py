"""ORG-9: a closed organisation's credit code, responsible person and device cannot register
again, and the refusal says why."""

from __future__ import annotations

import pytest

from pinqiao.core.errors import ServiceError
from pinqiao.orgs import testing
from pinqiao.orgs.models import BannedEntry, Organisation, OrgStatus
from pinqiao.orgs.services import device_fingerprint, organisation_close

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
