"""The reviewer console under /staff/orgs/ (ORG-2, ORG-3, ORG-9, RISK-3)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pinqiao.orgs import testing
from pinqiao.orgs.models import CheckKind, OrgStatus, Violation

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(recruiter):
    return testing.register(recruiter, "聘桥示范科技")


def test_it_lists_the_queue_with_anomalies(pending, recruiter2, reviewer, staff_client):
    risky = testing.register(recruiter2, "示范电子", name="别的名字有限公司", person=3)
    page = staff_client(reviewer).get(reverse("orgs:queue")).content.decode()
    assert page.index("别的名字有限公司") < page.index(pending.name)
    assert "单位名称与工商登记不一致" in page
    assert risky.pk


def test_it_shows_evidence_beside_the_registry_record(pending, reviewer, staff_client):
    page = staff_client(reviewer).get(reverse("orgs:review", args=[pending.pk])).content.decode()
    assert "工商登记记录" in page and "陈建国" in page and "存续" in page
    assert testing.valid_id(1) not in page  # the ID number is masked
    assert "4401" in page


def test_it_approves_after_the_registry_check(pending, reviewer, staff_client):
    c = staff_client(reviewer)
    response = c.post(reverse("orgs:approve", args=[pending.pk]))
    pending.refresh_from_db()
    assert pending.status == OrgStatus.PENDING  # refused: no registry check yet
    assert response.status_code == 302
    c.post(reverse("orgs:registry_check", args=[pending.pk]))
    c.post(reverse("orgs:approve", args=[pending.pk]))
    pending.refresh_from_db()
    assert pending.status == OrgStatus.VERIFIED


def test_it_records_a_manual_check(pending, reviewer, staff_client):
    staff_client(reviewer).post(reverse("orgs:check_record", args=[pending.pk]), {
        "kind": "site_visit", "result": "passed", "visited_on": "2026-11-20",
        "note": "办公地址真实"})
    check = pending.checks.get(kind=CheckKind.SITE_VISIT)
    assert check.checked_by == reviewer


def test_it_refuses_and_asks_for_more(pending, reviewer, staff_client, recruiter):
    c = staff_client(reviewer)
    c.post(reverse("orgs:more_info", args=[pending.pk]), {"reason": "请补充授权书原件扫描件"})
    pending.refresh_from_db()
    assert pending.status == OrgStatus.MORE_INFO
    other = testing.register(recruiter, "示范电子", person=2)
    response = c.post(reverse("orgs:refuse", args=[other.pk]), {"reason": ""})
    assert response.status_code == 400
    c.post(reverse("orgs:refuse", args=[other.pk]), {"reason": "材料与工商登记不符"})
    other.refresh_from_db()
    assert other.status == OrgStatus.REFUSED


def test_it_suspends_closes_and_records_violations(employer, reviewer, staff_client):
    c = staff_client(reviewer)
    c.post(reverse("orgs:violation_add", args=[employer.pk]), {
        "rule": "招聘信息发布规则", "what": "虚假薪酬", "sanction": "警告", "severity": "minor"})
    assert Violation.objects.filter(organisation=employer).count() == 1
    c.post(reverse("orgs:suspend", args=[employer.pk]), {"reason": "涉嫌虚假招聘，调查中"})
    employer.refresh_from_db()
    assert employer.status == OrgStatus.SUSPENDED
    c.post(reverse("orgs:close", args=[employer.pk]), {"reason": "查实虚假招聘"})
    employer.refresh_from_db()
    assert employer.status == OrgStatus.CLOSED


def test_it_reviews_a_client_authorisation_added_later(agency, agency_owner, reviewer,
                                                       staff_client):
    auth = testing.client_for(agency, agency_owner)
    staff_client(reviewer).post(reverse("orgs:client_review", args=[agency.pk, auth.pk]),
                                {"decision": "approve"})
    auth.refresh_from_db()
    assert auth.status == "verified"


STAFF_POSTS = ["orgs:registry_check", "orgs:check_record", "orgs:approve", "orgs:refuse",
               "orgs:more_info", "orgs:suspend", "orgs:close", "orgs:violation_add"]


@pytest.mark.parametrize("name", STAFF_POSTS)
def test_it_rejects_anonymous(client, pending, name):
    response = client.post(reverse(name, args=[pending.pk]), {"reason": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    pending.refresh_from_db()
    assert pending.status == OrgStatus.PENDING


@pytest.mark.parametrize("name", STAFF_POSTS)
def test_it_requires_reviewer(pending, recruiter, operator, staff_client, user_client, name):
    assert user_client(recruiter).post(reverse(name, args=[pending.pk]), {}).status_code == 403
    assert staff_client(operator).post(reverse(name, args=[pending.pk]), {}).status_code == 403
    assert not pending.checks.exists()


def test_it_requires_the_second_factor(pending, reviewer, client):
    client.force_login(reviewer)
    response = client.post(reverse("orgs:approve", args=[pending.pk]))
    assert response.status_code == 302 and "/staff/otp/" in response["Location"]
    response = client.get(reverse("orgs:queue"))
    assert "/staff/otp/" in response["Location"]


def test_it_links_the_console_from_the_staff_home(reviewer, staff_client):
    page = staff_client(reviewer).get(reverse("core:staff_home")).content.decode()
    assert reverse("orgs:queue") in page
