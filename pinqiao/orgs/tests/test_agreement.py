"""ORG-10: the versioned service agreement; a new version must be accepted before posting."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pinqiao.core.errors import NotPermitted, ServiceError
from pinqiao.orgs.models import AgreementAcceptance
from pinqiao.orgs.selectors import agreement_pending, posting_permission_check
from pinqiao.orgs.services import agreement_accept, service_agreement_publish

pytestmark = pytest.mark.django_db

BODY = "第一条 单位应当保证招聘信息真实、合法、有效。第二条 ……"


def test_it_records_the_acceptance_at_registration(employer):
    assert agreement_pending(employer) is None
    assert AgreementAcceptance.objects.get(organisation=employer).agreement.version == "2026.1"


def test_it_blocks_posting_until_a_new_version_is_accepted(employer, recruiter, operator):
    service_agreement_publish(actor=operator, version="2026.2", title="平台服务协议", body=BODY)
    with pytest.raises(NotPermitted) as exc:
        posting_permission_check(user=recruiter, organisation=employer, mode="own")
    assert "2026.2" in exc.value.message
    agreement_accept(actor=recruiter, organisation=employer, version="2026.2")
    posting_permission_check(user=recruiter, organisation=employer, mode="own")


def test_it_refuses_a_stale_version(employer, recruiter, operator):
    service_agreement_publish(actor=operator, version="2026.2", title="平台服务协议", body=BODY)
    with pytest.raises(ServiceError):
        agreement_accept(actor=recruiter, organisation=employer, version="2026.1")


def test_it_requires_the_legal_permission_to_publish(reviewer):
    with pytest.raises(NotPermitted):
        service_agreement_publish(actor=reviewer, version="2026.2", title="x", body=BODY)


def test_it_refuses_a_duplicate_version(operator):
    with pytest.raises(ServiceError) as exc:
        service_agreement_publish(actor=operator, version="2026.1", title="x", body=BODY)
    assert "version" in exc.value.fields


def test_it_accepts_on_the_organisation_page(employer, recruiter, operator, user_client):
    service_agreement_publish(actor=operator, version="2026.2", title="平台服务协议", body=BODY)
    c = user_client(recruiter)
    assert "2026.2" in c.get(reverse("orgs:manage", args=[employer.pk])).content.decode()
    c.post(reverse("orgs:agreement_accept", args=[employer.pk]),
           {"version": "2026.2", "accepted": "on"})
    assert agreement_pending(employer) is None


def test_it_rejects_anonymous(client, employer):
    response = client.post(reverse("orgs:agreement_accept", args=[employer.pk]), {})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_requires_recruiter(seeker, user_client, employer):
    response = user_client(seeker).post(reverse("orgs:agreement_accept", args=[employer.pk]),
                                        {"version": "2026.1", "accepted": "on"})
    assert response.status_code == 403


def test_it_publishes_through_the_staff_page(operator, staff_client, reviewer):
    c = staff_client(operator)
    response = c.post(reverse("orgs:agreement_publish"),
                      {"version": "2027.1", "title": "平台服务协议", "body": BODY})
    assert response.status_code == 302
    assert staff_client(reviewer).post(reverse("orgs:agreement_publish"), {}).status_code == 403


def test_a_seen_acceptance_costs_no_query_and_a_new_version_still_blocks(
        employer, recruiter, operator):
    """SEC-3: every posting submission checks the agreement; the version in force and an
    organisation's acceptance of it are read once per process, and a new version is asked
    for at once (its save reloads the versions)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert agreement_pending(employer) is None
    with CaptureQueriesContext(connection) as captured:
        assert agreement_pending(employer) is None
    assert captured.captured_queries == []
    service_agreement_publish(actor=operator, version="2026.2", title="平台服务协议", body=BODY)
    assert agreement_pending(employer).version == "2026.2"
