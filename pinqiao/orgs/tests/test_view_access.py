"""ACC-2: every page that changes data refuses anonymous visitors and the wrong role, and
changes nothing when it does."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pinqiao.core.models import AuditEntry
from pinqiao.orgs import testing
from pinqiao.orgs.models import Document, Licence, LicenceKind
from pinqiao.orgs.services import licence_add, member_invite

pytestmark = pytest.mark.django_db

OWNER_PAGES = ["orgs:register_materials", "orgs:register_confirm", "orgs:member_invite",
               "orgs:bank_start", "orgs:bank_confirm", "orgs:email_send", "orgs:email_confirm",
               "orgs:reverify_request", "orgs:licence_add", "orgs:client_add",
               "orgs:profile_edit", "orgs:document_upload", "orgs:agreement_accept"]


@pytest.fixture
def member(employer, recruiter, recruiter2):
    return member_invite(actor=recruiter, organisation=employer, phone=recruiter2.test_phone,
                         perms={})


@pytest.fixture
def later_licence(employer, recruiter):
    from datetime import timedelta

    from django.utils import timezone

    return licence_add(actor=recruiter, organisation=employer, kind=LicenceKind.LABOUR_DISPATCH,
                       number="D-1", authority="人社局", upload=testing.pdf("d.pdf", "d"),
                       valid_until=timezone.localdate() + timedelta(days=300))


def _owner_urls(org, member) -> list[str]:
    urls = [reverse(name, args=[org.pk]) for name in OWNER_PAGES]
    urls += [reverse("orgs:member_update", args=[org.pk, member.pk]),
             reverse("orgs:member_remove", args=[org.pk, member.pk])]
    return urls


def test_it_rejects_anonymous(client, employer, member):
    before = AuditEntry.objects.count()
    for url in _owner_urls(employer, member) + [reverse("orgs:register")]:
        response = client.post(url, {"phone": "13900000000", "reason": "x"})
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url
    assert AuditEntry.objects.count() == before


def test_it_requires_recruiter(seeker, user_client, employer, member):
    c = user_client(seeker)
    for url in _owner_urls(employer, member) + [reverse("orgs:register")]:
        assert c.post(url, {}).status_code == 403, url


def test_it_requires_the_owner(recruiter2, user_client, employer, member):
    """A member (recruiter2) is a recruiter but not the owner: owner pages are not found."""
    c = user_client(recruiter2)
    for url in _owner_urls(employer, member):
        assert c.post(url, {}).status_code == 404, url
    member.refresh_from_db()
    assert not member.can_post_jobs


def test_it_rejects_anonymous_on_staff_item_reviews(client, employer, later_licence):
    for url in (reverse("orgs:licence_review", args=[employer.pk, later_licence.pk]),
                reverse("orgs:permit_rule_edit", args=["food_business"]),
                reverse("orgs:agreement_publish")):
        response = client.post(url, {"decision": "approve"})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    later_licence.refresh_from_db()
    assert later_licence.status == "pending"


def test_it_requires_reviewer_for_item_reviews(employer, later_licence, operator, recruiter,
                                               staff_client, user_client, reviewer):
    url = reverse("orgs:licence_review", args=[employer.pk, later_licence.pk])
    assert user_client(recruiter).post(url, {"decision": "approve"}).status_code == 403
    assert staff_client(operator).post(url, {"decision": "approve"}).status_code == 403
    staff_client(reviewer).post(url, {"decision": "approve"})
    assert Licence.objects.get(pk=later_licence.pk).status == "verified"


def test_it_uploads_a_social_insurance_proof(employer, recruiter, user_client):
    response = user_client(recruiter).post(reverse("orgs:document_upload", args=[employer.pk]),
                                           {"kind": "social_insurance",
                                            "file": testing.pdf("si.pdf", "si")})
    assert response.status_code == 302
    assert Document.objects.filter(organisation=employer, kind="social_insurance").exists()
