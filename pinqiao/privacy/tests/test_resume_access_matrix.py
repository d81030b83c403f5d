"""Every recruiter résumé URL, page and API, × {anonymous, the seeker herself, another seeker,
a recruiter of another organisation, a recruiter whose organisation is not verified, a member
without 查看简历, the right recruiter}: only the right recruiter gets through; every refused
signed-in look is the same 404 and an audit entry; nothing is recorded for refusals."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pinqiao.core.models import AuditEntry
from pinqiao.core.permissions import Role
from pinqiao.orgs import testing as org_testing
from pinqiao.orgs.services import member_invite
from pinqiao.privacy.models import ContactRequest, ResumeAccess
from pinqiao.privacy.testing import applied, resume_for

pytestmark = pytest.mark.django_db

REFUSED = ("owner", "other_seeker", "other_recruiter", "unverified_recruiter",
           "member_no_resumes")


@pytest.fixture
def world(seeker: Any, recruiter: Any, employer: Any, other_recruiter: Any,
          other_employer: Any, make_user: Any) -> dict[str, Any]:
    resume = resume_for(seeker)
    applied(seeker, employer)
    unverified = make_user(role=Role.RECRUITER)
    org_testing.register(unverified, "渝才人力", person=4)
    member = make_user(role=Role.RECRUITER)
    member_invite(actor=recruiter, organisation=employer, phone=member.test_phone,
                  perms={"can_post_jobs": True})
    return {"resume": resume, "owner": seeker, "right": recruiter,
            "other_seeker": make_user(), "other_recruiter": other_recruiter,
            "unverified_recruiter": unverified, "member_no_resumes": member}


def _requests(public_id: Any) -> list[tuple[str, str, bool]]:
    """(method, url, is_api)"""
    return [("get", f"/recruiter/resumes/{public_id}/", False),
            ("get", f"/recruiter/resumes/{public_id}/pdf/", False),
            ("post", f"/recruiter/resumes/{public_id}/contact-request/", False),
            ("get", f"/api/v1/recruiter/resumes/{public_id}", True),
            ("get", f"/api/v1/recruiter/resumes/{public_id}/pdf", True),
            ("post", f"/api/v1/recruiter/resumes/{public_id}/contact-requests", True)]


def _call(client: Client, method: str, url: str) -> Any:
    if method == "post":
        return client.post(url, "{}" if url.startswith("/api/") else {},
                           content_type="application/json" if url.startswith("/api/")
                           else "application/x-www-form-urlencoded")
    return client.get(url)


def test_nobody_but_the_right_recruiter_gets_through(world: dict[str, Any]) -> None:
    requests = _requests(world["resume"].public_id)
    for method, url, is_api in requests:
        response = _call(Client(), method, url)
        assert response.status_code == (401 if is_api else 302), (url, "anonymous")
    for who in REFUSED:
        client = Client()
        client.force_login(world[who])
        before = AuditEntry.objects.filter(verb="privacy.resume_denied").count()
        for method, url, is_api in requests:
            response = _call(client, method, url)
            assert response.status_code == 404, (url, who, response.status_code)
            if is_api:
                assert response.json()["error"]["code"] == "not_found"
        denied = AuditEntry.objects.filter(verb="privacy.resume_denied").count() - before
        assert denied == len(requests), who
    assert not ResumeAccess.objects.exists() and not ContactRequest.objects.exists()

    right = Client()
    right.force_login(world["right"])
    outcomes = [_call(right, method, url).status_code for method, url, _ in requests]
    assert outcomes == [200, 200, 302, 200, 200, 400]  # the API asks once more: already open
    assert ResumeAccess.objects.count() == 4
