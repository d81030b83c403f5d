"""Contact requests (RES-5): a recruiter asks from the résumé page, the seeker is notified and
accepts (a separate ``contact_release`` consent) or declines; the recruiter is notified."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from pinqiao.core.errors import NotFound, ServiceError
from pinqiao.core.models import AuditEntry
from pinqiao.notifications.models import Notification
from pinqiao.privacy.models import (
    Consent,
    ConsentPurpose,
    ConsentSource,
    ContactRequest,
    ContactRequestStatus,
)
from pinqiao.privacy.selectors import contact_released_to
from pinqiao.privacy.services import (
    consent_withdraw,
    contact_request_accept,
    contact_request_create,
    contact_request_decline,
)
from pinqiao.privacy.testing import CONTACT, applied, released

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(seeker: Any, resume: Any, employer: Any) -> Any:
    applied(seeker, employer)
    return resume


def test_the_recruiter_asks_from_the_page_and_the_seeker_accepts(
        user_client: Any, seeker: Any, shared: Any, recruiter: Any, employer: Any) -> None:
    recruiter_browser = user_client(recruiter)
    response = recruiter_browser.post(
        reverse("privacy:contact_request", args=[shared.public_id]),
        {"organisation": employer.pk}, follow=True)
    assert "已向求职者发出请求" in response.content.decode()
    request = ContactRequest.objects.get()
    assert (request.organisation, request.requested_by, request.status) == (
        employer, recruiter, ContactRequestStatus.OPEN)
    notice = Notification.objects.get(user=seeker, event="contact_request_received")
    assert employer.name in notice.body

    seeker_browser = user_client(seeker)
    centre = seeker_browser.get(reverse("privacy:consents")).content.decode()
    assert employer.name in centre and "同意提供" in centre
    seeker_browser.post(reverse("privacy:contact_request_accept", args=[request.pk]))
    request.refresh_from_db()
    assert request.status == ContactRequestStatus.ACCEPTED
    assert (request.consent.purpose, request.consent.source) == (
        ConsentPurpose.CONTACT_RELEASE, ConsentSource.CONTACT_REQUEST)
    assert employer.name in request.consent.wording
    assert Notification.objects.filter(user=recruiter, event="contact_request_accepted").exists()
    page = recruiter_browser.get(reverse("privacy:recruiter_resume", args=[shared.public_id]))
    assert CONTACT["phone"] in page.content.decode()


def test_one_open_request_per_organisation_and_resume(
        seeker: Any, shared: Any, recruiter: Any) -> None:
    contact_request_create(actor=recruiter, public_id=shared.public_id)
    with pytest.raises(ServiceError) as exc:
        contact_request_create(actor=recruiter, public_id=shared.public_id)
    assert exc.value.code == "contact_request_open"
    assert ContactRequest.objects.count() == 1
    assert Notification.objects.filter(event="contact_request_received").count() == 1


def test_no_request_once_released(seeker: Any, shared: Any, recruiter: Any,
                                  employer: Any) -> None:
    released(seeker, employer)
    with pytest.raises(ServiceError) as exc:
        contact_request_create(actor=recruiter, public_id=shared.public_id)
    assert exc.value.code == "contact_already_released"


def test_a_decline_tells_the_recruiter_and_pauses_new_requests_for_a_week(
        seeker: Any, shared: Any, recruiter: Any, employer: Any) -> None:
    request = contact_request_create(actor=recruiter, public_id=shared.public_id)
    contact_request_decline(user=seeker, request_id=request.pk)
    assert Notification.objects.filter(user=recruiter, event="contact_request_declined").exists()
    assert not contact_released_to(user=seeker, organisation=employer)
    with pytest.raises(ServiceError) as exc:
        contact_request_create(actor=recruiter, public_id=shared.public_id)
    assert exc.value.code == "contact_request_paused"
    ContactRequest.objects.filter(pk=request.pk).update(
        decided_at=timezone.now() - timedelta(days=8))
    assert contact_request_create(actor=recruiter, public_id=shared.public_id).pk != request.pk


def test_a_withdrawn_release_also_pauses_new_requests(
        seeker: Any, shared: Any, recruiter: Any, employer: Any) -> None:
    consent = released(seeker, employer)
    consent_withdraw(user=seeker, consent_id=consent.pk)
    with pytest.raises(ServiceError) as exc:
        contact_request_create(actor=recruiter, public_id=shared.public_id)
    assert exc.value.code == "contact_request_paused"


def test_a_request_is_answered_once_and_only_by_its_seeker(
        seeker: Any, shared: Any, recruiter: Any, make_user: Any) -> None:
    request = contact_request_create(actor=recruiter, public_id=shared.public_id)
    stranger = make_user()
    for answer in (contact_request_accept, contact_request_decline):
        with pytest.raises(NotFound):
            answer(user=stranger, request_id=request.pk)
    assert AuditEntry.objects.filter(verb="privacy.contact_request_denied",
                                     actor_id=stranger.pk).count() == 2
    contact_request_accept(user=seeker, request_id=request.pk)
    with pytest.raises(ServiceError) as exc:
        contact_request_decline(user=seeker, request_id=request.pk)
    assert exc.value.code == "contact_request_decided"
    assert Consent.objects.filter(purpose=ConsentPurpose.CONTACT_RELEASE).count() == 1


def test_a_recruiter_of_another_organisation_cannot_ask(
        client: Any, user_client: Any, shared: Any, other_recruiter: Any,
        other_employer: Any) -> None:
    url = reverse("privacy:contact_request", args=[shared.public_id])
    assert user_client(other_recruiter).post(url).status_code == 404
    assert client.post(url).status_code == 302
    assert not ContactRequest.objects.exists()


def test_answering_requires_login(client: Any, seeker: Any, shared: Any,
                                  recruiter: Any) -> None:
    request = contact_request_create(actor=recruiter, public_id=shared.public_id)
    response = client.post(reverse("privacy:contact_request_accept", args=[request.pk]))
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == ContactRequestStatus.OPEN
