"""The recruiter's résumé page (RES-5, PRIV-2, RES-6): contact details masked unless the
seeker released them to this organisation — checked on every request — and every view
written to the access trail in the same request."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.urls import reverse

from pinqiao.applications.models import Application
from pinqiao.core.models import AuditEntry
from pinqiao.jobs.testing import published_posting
from pinqiao.privacy.models import AccessKind, ResumeAccess
from pinqiao.privacy.services import consent_withdraw, resume_open
from pinqiao.privacy.signals import resume_viewed
from pinqiao.privacy.testing import CONTACT, applied, released, resume_for
from pinqiao.resumes.testing import complete_resume

pytestmark = pytest.mark.django_db

MASKED_PHONE = "138****5678"


def _url(resume: Any, query: str = "") -> str:
    return reverse("privacy:recruiter_resume", args=[resume.public_id]) + query


def test_it_rejects_anonymous(client: Any, resume: Any) -> None:
    response = client.get(_url(resume))
    assert response.status_code == 302
    assert "/login" in response["Location"]
    assert not ResumeAccess.objects.exists()


def test_contact_details_are_masked_until_released(
        user_client: Any, seeker: Any, resume: Any, recruiter: Any, employer: Any) -> None:
    applied(seeker, employer)
    page = user_client(recruiter).get(_url(resume))
    assert page.status_code == 200
    body = page.content.decode()
    assert MASKED_PHONE in body and "z***@example.com" in body
    assert CONTACT["phone"] not in body and CONTACT["email"] not in body
    assert CONTACT["im"] not in body
    assert "请求联系方式" in body
    access = ResumeAccess.objects.get()
    assert (access.viewer, access.organisation, access.kind, access.fields) == (
        recruiter, employer, AccessKind.VIEW, ["basic"])
    assert not AuditEntry.objects.filter(verb="resume.contact_read").exists()

    released(seeker, employer)
    body = user_client(recruiter).get(_url(resume)).content.decode()
    assert CONTACT["phone"] in body and CONTACT["email"] in body and CONTACT["im"] in body
    latest = ResumeAccess.objects.latest("pk")
    assert latest.fields == ["basic", "contact"]
    shown = AuditEntry.objects.get(verb="resume.contact_read")
    assert (shown.data["organisation"], shown.data["fields"]) == (
        employer.pk, ["phone", "email", "im"])
    assert shown.actor_id == recruiter.pk


def test_a_withdrawal_masks_the_next_request_of_an_open_page(
        user_client: Any, seeker: Any, resume: Any, recruiter: Any, employer: Any) -> None:
    applied(seeker, employer)
    consent = released(seeker, employer)
    browser = user_client(recruiter)
    first = browser.get(_url(resume))
    assert CONTACT["phone"] in first.content.decode()
    assert "no-store" in first["Cache-Control"]
    consent_withdraw(user=seeker, consent_id=consent.pk)
    again = browser.get(_url(resume)).content.decode()
    assert CONTACT["phone"] not in again and MASKED_PHONE in again
    assert [a.fields for a in ResumeAccess.objects.order_by("pk")] == [
        ["basic", "contact"], ["basic"]]


def test_a_recruiter_of_another_organisation_gets_404_and_an_audit_entry(
        user_client: Any, seeker: Any, resume: Any, employer: Any, other_recruiter: Any,
        other_employer: Any) -> None:
    applied(seeker, employer)
    response = user_client(other_recruiter).get(_url(resume))
    missing = user_client(other_recruiter).get(
        reverse("privacy:recruiter_resume", args=[uuid.uuid4()]))
    assert response.status_code == missing.status_code == 404
    assert "没有找到该简历" in response.content.decode()
    assert CONTACT["phone"][-4:] not in response.content.decode()
    denied = AuditEntry.objects.filter(verb="privacy.resume_denied").order_by("seq")
    assert [(e.actor_id, e.target_id) for e in denied][0] == (
        other_recruiter.pk, str(resume.public_id))
    assert not ResumeAccess.objects.exists()


def test_the_seeker_and_other_seekers_cannot_use_the_recruiter_page(
        user_client: Any, seeker: Any, resume: Any, make_user: Any) -> None:
    assert user_client(seeker).get(_url(resume)).status_code == 404
    assert user_client(make_user()).get(_url(resume)).status_code == 404
    assert AuditEntry.objects.filter(verb="privacy.resume_denied").count() == 2


def test_the_application_context_names_the_posting_and_must_match_the_resume(
        user_client: Any, seeker: Any, resume: Any, recruiter: Any, employer: Any,
        make_user: Any) -> None:
    posting = published_posting(recruiter, employer)
    application = Application.objects.create(seeker=seeker, posting=posting,
                                             organisation=employer, resume=resume,
                                             consent=applied(seeker, employer))
    page = user_client(recruiter).get(_url(resume, f"?application={application.pk}"))
    assert page.status_code == 200
    assert posting.title in page.content.decode()
    elsewhere = resume_for(make_user())
    wrong = user_client(recruiter).get(_url(elsewhere, f"?application={application.pk}"))
    assert wrong.status_code == 404
    assert AuditEntry.objects.filter(verb="privacy.resume_denied").get().data["reason"] == \
        "application_mismatch"


def test_the_view_signal_names_resume_organisation_and_viewer(
        seeker: Any, resume: Any, recruiter: Any, employer: Any) -> None:
    applied(seeker, employer)
    seen: list[tuple] = []

    def listener(sender: Any, **kwargs: Any) -> None:
        seen.append((kwargs["resume"], kwargs["organisation"], kwargs["viewer"]))

    resume_viewed.connect(listener)
    try:
        resume_open(viewer=recruiter, public_id=resume.public_id, ip="10.0.0.1")
    finally:
        resume_viewed.disconnect(listener)
    assert seen == [(resume, employer, recruiter)]
    assert ResumeAccess.objects.get().ip == "10.0.0.1"


def test_the_page_shows_the_sections_and_the_trail_names_them(
        user_client: Any, seeker: Any, recruiter: Any, employer: Any) -> None:
    resume = complete_resume(seeker)
    applied(seeker, employer)
    body = user_client(recruiter).get(_url(resume)).content.decode()
    assert "华南理工大学" in body and "Python开发工程师" in body and "Django" in body
    assert ResumeAccess.objects.get().fields == ["basic", "intention", "about", "education",
                                                 "work"]
