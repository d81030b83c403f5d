"""Bulk-collection limits (RES-7): per-recruiter and per-organisation daily limits on distinct
résumés viewed, a burst limit, refusals as 429 ``resume_quota_exceeded``, and flags with the
evidence for staff when volume is unusual."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from pinqiao.core.models import AuditEntry
from pinqiao.core.permissions import Role
from pinqiao.notifications.models import Notification
from pinqiao.orgs.services import member_invite
from pinqiao.privacy.models import AccessCounter, AccessFlag, FlagReason, ResumeAccess
from pinqiao.privacy.quotas import QuotaExceeded
from pinqiao.privacy.services import resume_open
from pinqiao.privacy.testing import resume_for
from pinqiao.resumes.models import Visibility

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_resumes(make_user: Any) -> list[Any]:
    return [resume_for(make_user(), visibility=Visibility.PUBLIC) for _ in range(5)]


def _limits(settings: Any, **values: int) -> None:
    settings.PRIVACY_RESUME_LIMITS = values


def _open(viewer: Any, resume: Any, kind: str = "view") -> Any:
    return resume_open(viewer=viewer, public_id=resume.public_id, kind=kind)


def test_a_recruiter_counts_distinct_resumes_per_day(
        settings: Any, recruiter: Any, employer: Any, public_resumes: list[Any]) -> None:
    _limits(settings, user_views=2)
    first, second, third = public_resumes[:3]
    _open(recruiter, first)
    _open(recruiter, first, kind="api")  # the same résumé again: not counted
    _open(recruiter, second)
    with pytest.raises(QuotaExceeded) as exc:
        _open(recruiter, third)
    assert (exc.value.status, exc.value.code, exc.value.scope) == (
        429, "resume_quota_exceeded", "user")
    assert "2 份" in exc.value.message
    _open(recruiter, first)  # already opened today: still allowed
    assert not ResumeAccess.objects.filter(resume=third).exists()
    assert AuditEntry.objects.get(verb="privacy.resume_quota_exceeded").data["scope"] == "user"
    flag = AccessFlag.objects.get()
    assert (flag.organisation, flag.user, flag.reason) == (employer, recruiter, FlagReason.QUOTA)
    assert flag.evidence["counts"] == {"count": 2, "limit": 2}
    assert {s["resume"] for s in flag.evidence["sample"]} == {
        str(first.public_id), str(second.public_id)}
    assert Notification.objects.filter(user=recruiter, event="resume_access_flagged").exists()


def test_the_organisation_limit_counts_colleagues_once_per_resume(
        settings: Any, recruiter: Any, employer: Any, make_user: Any,
        public_resumes: list[Any]) -> None:
    _limits(settings, org_views=2)
    colleague = make_user(role=Role.RECRUITER)
    member_invite(actor=recruiter, organisation=employer, phone=colleague.test_phone,
                  perms={"can_view_resumes": True})
    _open(recruiter, public_resumes[0])
    _open(colleague, public_resumes[0])
    _open(colleague, public_resumes[1])
    with pytest.raises(QuotaExceeded) as exc:
        _open(recruiter, public_resumes[2])
    assert exc.value.scope == "organisation"
    assert "贵单位" in exc.value.message


def test_a_burst_is_refused_and_flagged(settings: Any, recruiter: Any, employer: Any,
                                        public_resumes: list[Any]) -> None:
    _limits(settings, burst_resumes=3, burst_minutes=10)
    for resume in public_resumes[:3]:
        _open(recruiter, resume)
    with pytest.raises(QuotaExceeded) as exc:
        _open(recruiter, public_resumes[3])
    assert exc.value.scope == "burst" and "10 分钟" in exc.value.message
    _open(recruiter, public_resumes[0])  # one already open in the window stays readable
    flag = AccessFlag.objects.get(reason=FlagReason.BURST)
    assert len(flag.evidence["sample"]) == 3
    ResumeAccess.objects.update(at=timezone.now() - timedelta(minutes=11))
    _open(recruiter, public_resumes[3])


def test_one_flag_per_reason_and_day(settings: Any, recruiter: Any, employer: Any,
                                     public_resumes: list[Any]) -> None:
    _limits(settings, user_views=1)
    _open(recruiter, public_resumes[0])
    for resume in public_resumes[1:3]:
        with pytest.raises(QuotaExceeded):
            _open(recruiter, resume)
    assert AccessFlag.objects.count() == 1
    assert AuditEntry.objects.filter(verb="privacy.resume_quota_exceeded").count() == 2


def test_unusual_volume_against_the_organisations_median_is_flagged(
        settings: Any, recruiter: Any, employer: Any, public_resumes: list[Any]) -> None:
    _limits(settings, volume_floor_views=3, volume_factor=3, volume_days=14)
    today = timezone.localdate()
    for n in range(1, 15):
        AccessCounter.objects.create(scope="org", scope_id=employer.pk, kind="view",
                                     day=today - timedelta(days=n), count=1)
    for resume in public_resumes[:3]:
        _open(recruiter, resume)
    assert not AccessFlag.objects.exists()  # 3 is not above 3 × 1
    _open(recruiter, public_resumes[3])
    _open(recruiter, public_resumes[4])
    flag = AccessFlag.objects.get()
    assert (flag.reason, flag.user) == (FlagReason.VOLUME, None)
    assert flag.evidence["counts"] == {"today": 4, "median": 1, "factor": 3, "days": 14}
    assert len(flag.evidence["sample"]) == 4


def test_a_quiet_organisation_is_not_flagged_below_the_floor(
        settings: Any, recruiter: Any, employer: Any, public_resumes: list[Any]) -> None:
    _limits(settings, volume_floor_views=50)
    for resume in public_resumes:
        _open(recruiter, resume)
    assert not AccessFlag.objects.exists()


def test_the_page_and_the_api_answer_429(settings: Any, user_client: Any, recruiter: Any,
                                         employer: Any, public_resumes: list[Any]) -> None:
    _limits(settings, user_views=1)
    browser = user_client(recruiter)
    assert browser.get(reverse("privacy:recruiter_resume",
                               args=[public_resumes[0].public_id])).status_code == 200
    page = browser.get(reverse("privacy:recruiter_resume", args=[public_resumes[1].public_id]))
    assert page.status_code == 429
    assert "已达上限" in page.content.decode()
    api = browser.get(f"/api/v1/recruiter/resumes/{public_resumes[2].public_id}")
    assert api.status_code == 429
    assert api.json()["error"]["code"] == "resume_quota_exceeded"
