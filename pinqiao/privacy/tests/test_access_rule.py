"""Who may open a résumé (RES-4, enforced by ``resume_for_recruiter``): a member with
``can_view_resumes`` of a verified organisation, with a live ``resume_to_employer`` consent or
a public approved résumé, never a blocked organisation. Everything else is NotFound and an
audit entry."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from pinqiao.core.errors import NotFound
from pinqiao.core.models import AuditEntry
from pinqiao.core.permissions import Role
from pinqiao.orgs.models import Membership
from pinqiao.orgs.services import member_invite, organisation_suspend
from pinqiao.privacy.selectors import resume_for_recruiter
from pinqiao.privacy.services import consent_withdraw
from pinqiao.privacy.testing import applied, resume_for
from pinqiao.resumes.models import BlockedOrganisation, ReviewStatus, Visibility

pytestmark = pytest.mark.django_db


def _denials() -> list[dict]:
    return [e.data for e in AuditEntry.objects.filter(verb="privacy.resume_denied")]


def test_an_applied_resume_is_open_to_that_organisation_only(
        seeker: Any, resume: Any, recruiter: Any, employer: Any, other_recruiter: Any,
        other_employer: Any) -> None:
    applied(seeker, employer)
    grant = resume_for_recruiter(viewer=recruiter, public_id=resume.public_id)
    assert (grant.organisation, grant.via) == (employer, "consent")
    with pytest.raises(NotFound):
        resume_for_recruiter(viewer=other_recruiter, public_id=resume.public_id)
    assert _denials() == [{"organisation": None, "reason": "not_visible"}]


def test_a_public_approved_resume_is_open_to_any_verified_recruiter(
        seeker: Any, other_recruiter: Any, other_employer: Any) -> None:
    public = resume_for(seeker, visibility=Visibility.PUBLIC)
    grant = resume_for_recruiter(viewer=other_recruiter, public_id=public.public_id)
    assert (grant.organisation, grant.via) == (other_employer, "public")


@pytest.mark.parametrize("review_status", [ReviewStatus.PENDING, ReviewStatus.NEEDS_CHANGES,
                                           ReviewStatus.DRAFT])
def test_a_public_resume_not_yet_approved_stays_closed(
        seeker: Any, other_recruiter: Any, other_employer: Any, review_status: str) -> None:
    public = resume_for(seeker, visibility=Visibility.PUBLIC, review_status=review_status)
    with pytest.raises(NotFound):
        resume_for_recruiter(viewer=other_recruiter, public_id=public.public_id)


@pytest.mark.parametrize("visibility", [Visibility.APPLIED_ONLY, Visibility.HIDDEN])
def test_applied_only_and_hidden_need_the_live_consent(
        seeker: Any, recruiter: Any, employer: Any, visibility: str) -> None:
    resume = resume_for(seeker, visibility=visibility)
    with pytest.raises(NotFound):
        resume_for_recruiter(viewer=recruiter, public_id=resume.public_id)
    consent = applied(seeker, employer)
    assert resume_for_recruiter(viewer=recruiter, public_id=resume.public_id).via == "consent"
    consent_withdraw(user=seeker, consent_id=consent.pk)
    with pytest.raises(NotFound):
        resume_for_recruiter(viewer=recruiter, public_id=resume.public_id)


def test_a_blocked_organisation_never_sees_it_even_after_an_application(
        seeker: Any, recruiter: Any, employer: Any) -> None:
    resume = resume_for(seeker, visibility=Visibility.PUBLIC)
    applied(seeker, employer)
    BlockedOrganisation.objects.create(resume=resume, organisation=employer)
    with pytest.raises(NotFound):
        resume_for_recruiter(viewer=recruiter, public_id=resume.public_id)
    assert _denials()[-1]["reason"] == "not_visible"


def test_a_member_without_the_resume_permission_is_refused(
        seeker: Any, resume: Any, recruiter: Any, employer: Any, make_user: Any) -> None:
    applied(seeker, employer)
    member = make_user(role=Role.RECRUITER)
    member_invite(actor=recruiter, organisation=employer, phone=member.test_phone,
                  perms={"can_post_jobs": True})
    with pytest.raises(NotFound):
        resume_for_recruiter(viewer=member, public_id=resume.public_id)
    Membership.objects.filter(user=member).update(can_view_resumes=True)
    assert resume_for_recruiter(viewer=member, public_id=resume.public_id).organisation == employer


def test_a_suspended_organisation_is_refused(seeker: Any, resume: Any, recruiter: Any,
                                             employer: Any, org_reviewer: Any) -> None:
    applied(seeker, employer)
    organisation_suspend(actor=org_reviewer, organisation=employer, reason="资质过期")
    with pytest.raises(NotFound):
        resume_for_recruiter(viewer=recruiter, public_id=resume.public_id)
    assert _denials()[-1]["reason"] == "no_membership"


def test_an_inactive_viewer_or_a_closed_seeker_account_is_refused(
        seeker: Any, resume: Any, recruiter: Any, employer: Any) -> None:
    applied(seeker, employer)
    recruiter.is_active = False
    with pytest.raises(NotFound):
        resume_for_recruiter(viewer=recruiter, public_id=resume.public_id)
    recruiter.is_active = True
    seeker.is_active = False
    seeker.save(update_fields=["is_active"])
    with pytest.raises(NotFound):
        resume_for_recruiter(viewer=recruiter, public_id=resume.public_id)
    assert [d["reason"] for d in _denials()] == ["not_a_recruiter", "owner_closed"]


def test_a_missing_resume_gets_the_same_answer_and_is_audited(
        seeker: Any, resume: Any, recruiter: Any, employer: Any) -> None:
    with pytest.raises(NotFound) as hidden:
        resume_for_recruiter(viewer=recruiter, public_id=resume.public_id)
    with pytest.raises(NotFound) as missing:
        resume_for_recruiter(viewer=recruiter, public_id=uuid.uuid4())
    assert hidden.value.message == missing.value.message
    assert [d["reason"] for d in _denials()] == ["not_visible", "missing"]
    entry = AuditEntry.objects.filter(verb="privacy.resume_denied").first()
    assert (entry.actor_id, entry.target_id) == (recruiter.pk, str(resume.public_id))


def test_the_organisation_asked_for_must_be_one_that_may_see_it(
        seeker: Any, resume: Any, recruiter: Any, employer: Any, other_employer: Any) -> None:
    applied(seeker, employer)
    assert resume_for_recruiter(viewer=recruiter, public_id=resume.public_id,
                                organisation=employer.pk).organisation == employer
    with pytest.raises(NotFound):
        resume_for_recruiter(viewer=recruiter, public_id=resume.public_id,
                             organisation=other_employer)
    assert _denials()[-1] == {"organisation": other_employer.pk, "reason": "no_membership"}
