"""The staff page of résumé-access flags (RES-7): reviewers and operators see the evidence and
resolve flags; a confirmed flag warns the organisation's owner."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from pinqiao.core.errors import NotPermitted, ServiceError
from pinqiao.core.models import AuditEntry
from pinqiao.jobs.tests.fixtures import otp_verified
from pinqiao.notifications.models import Notification
from pinqiao.privacy.models import AccessFlag, FlagReason, FlagStatus
from pinqiao.privacy.services import flag_resolve

pytestmark = pytest.mark.django_db


@pytest.fixture
def flag(recruiter: Any, employer: Any) -> AccessFlag:
    return AccessFlag.objects.create(
        organisation=employer, user=recruiter, reason=FlagReason.BURST,
        day=timezone.localdate(), evidence={
            "counts": {"count": 30, "limit": 30}, "scope": "burst", "kind": "view",
            "window": {"from": "2026-01-05T10:00:00+08:00", "to": "2026-01-05T10:10:00+08:00"},
            "sample": [{"resume": "0b7c7a8e-2f0e-4c1e-9a55-1d9e1c0d7f11", "viewer": "u_hr",
                        "kind": "view", "kind_label": "查看", "at": "2026-01-05T10:09:00"}]})


def test_it_rejects_anonymous(client: Any) -> None:
    response = client.get(reverse("privacy:flags"))
    assert response.status_code == 302


@pytest.mark.parametrize("role_fixture", ["auditor", "customer_service"])
def test_it_requires_reviewer_or_operator(request: Any, staff_client: Any,
                                          role_fixture: str) -> None:
    user = request.getfixturevalue(role_fixture)
    assert staff_client(user).get(reverse("privacy:flags")).status_code == 403


def test_a_recruiter_cannot_open_the_staff_page(user_client: Any, recruiter: Any) -> None:
    assert user_client(recruiter).get(reverse("privacy:flags")).status_code == 403


@pytest.mark.parametrize("role_fixture", ["reviewer", "operator"])
def test_staff_see_the_evidence(request: Any, staff_client: Any, flag: AccessFlag,
                                role_fixture: str) -> None:
    body = staff_client(request.getfixturevalue(role_fixture)).get(
        reverse("privacy:flags")).content.decode()
    assert flag.organisation.name in body and flag.user.username in body
    assert "短时间内集中查看大量简历" in body
    assert "0b7c7a8e-2f0e-4c1e-9a55-1d9e1c0d7f11" in body
    assert "已用数量" in body and "2026-01-05T10:00" in body


def test_a_reviewer_confirms_a_flag_and_the_owner_is_warned(
        staff_client: Any, reviewer: Any, recruiter: Any, flag: AccessFlag) -> None:
    client = staff_client(reviewer)
    prefix = f"flag{flag.pk}"
    response = client.post(reverse("privacy:flag_resolve", args=[flag.pk]),
                           {f"{prefix}-status": "confirmed",
                            f"{prefix}-note": "10 分钟内连续打开 30 份简历，与招聘岗位无关"},
                           follow=True)
    assert "预警已处理" in response.content.decode()
    flag.refresh_from_db()
    assert (flag.status, flag.resolved_by) == (FlagStatus.CONFIRMED, reviewer)
    warning = Notification.objects.get(user=recruiter, event="resume_access_flag_confirmed")
    assert "与招聘岗位无关" in warning.body
    assert AuditEntry.objects.get(verb="privacy.flag_resolved").actor_id == reviewer.pk
    again = client.post(reverse("privacy:flag_resolve", args=[flag.pk]),
                        {f"{prefix}-status": "benign", f"{prefix}-note": "改判"}, follow=True)
    assert "该预警已处理" in again.content.decode()


def test_resolving_needs_a_conclusion_a_note_and_the_permission(
        reviewer: Any, auditor: Any, flag: AccessFlag) -> None:
    with pytest.raises(NotPermitted):
        flag_resolve(actor=otp_verified(auditor), flag_id=flag.pk, status="benign", note="ok")
    with pytest.raises(ServiceError) as exc:
        flag_resolve(actor=otp_verified(reviewer), flag_id=flag.pk, status="benign", note=" ")
    assert exc.value.code == "note_required"
    with pytest.raises(ServiceError) as exc:
        flag_resolve(actor=otp_verified(reviewer), flag_id=flag.pk, status="open", note="x")
    assert exc.value.code == "invalid_status"
    resolved = flag_resolve(actor=otp_verified(reviewer), flag_id=flag.pk, status="benign",
                            note="招聘季集中筛选，属正常")
    assert resolved.status == FlagStatus.BENIGN
    assert not Notification.objects.filter(event="resume_access_flag_confirmed").exists()
