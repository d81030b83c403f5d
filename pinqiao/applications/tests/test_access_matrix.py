"""Every application URL, page and API, × {anonymous, another seeker, a recruiter of another
organisation, a recruiter whose organisation is not verified, a member without 查看简历, the
seeker who applied, the organisation's recruiter}: no unexpected success, and every refused
look at an application is audited."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from pinqiao.applications.models import Stage
from pinqiao.applications.testing import applied
from pinqiao.core.models import AuditEntry
from pinqiao.core.permissions import Role
from pinqiao.orgs import testing as org_testing
from pinqiao.orgs.services import member_invite

pytestmark = pytest.mark.django_db

OWNER, HANDLER = "owner", "handler"
OTHERS = ("other_seeker", "other_recruiter", "unverified_recruiter", "member_no_resumes")


@pytest.fixture
def world(seeker: Any, recruiter: Any, posting: Any, employer: Any, make_user: Any,
          make_seeker: Any, org_reviewer: Any) -> dict[str, Any]:
    application = applied(seeker, posting)
    other_recruiter = make_user(role=Role.RECRUITER)
    org_testing.verified_employer(other_recruiter, org_reviewer, fragment="天河餐饮")
    unverified = make_user(role=Role.RECRUITER)
    org_testing.register(unverified, "渝才人力", person=3)
    member = make_user(role=Role.RECRUITER)
    member_invite(actor=recruiter, organisation=employer, phone=member.test_phone,
                  perms={"can_post_jobs": True, "can_view_resumes": False})
    return {"application": application, OWNER: seeker, HANDLER: recruiter,
            "other_seeker": make_seeker(), "other_recruiter": other_recruiter,
            "unverified_recruiter": unverified, "member_no_resumes": member}


def _client(world: dict[str, Any], who: str) -> Client:
    client = Client()
    if who != "anonymous":
        client.force_login(world[who])
    return client


def _requests(pk: int) -> list[tuple[str, str, str, dict | None]]:
    """(side, method, url, json body or None for a form post)."""
    return [
        ("seeker", "get", f"/me/applications/{pk}/", None),
        ("seeker", "post", f"/me/applications/{pk}/withdraw/", None),
        ("seeker", "post", f"/me/applications/{pk}/offer/accept/", None),
        ("seeker", "get", f"/api/v1/applications/{pk}", None),
        ("seeker", "post", f"/api/v1/applications/{pk}/withdraw", {}),
        ("seeker", "post", f"/api/v1/applications/{pk}/offer/decline", {}),
        ("recruiter", "get", f"/recruiter/applications/{pk}/", None),
        ("recruiter", "post", f"/recruiter/applications/{pk}/note/", None),
        ("recruiter", "post", f"/recruiter/applications/{pk}/stage/", None),
        ("recruiter", "get", f"/api/v1/recruiter/applications/{pk}", None),
        ("recruiter", "post", f"/api/v1/recruiter/applications/{pk}/notes", {"body": "备注"}),
        ("recruiter", "post", f"/api/v1/recruiter/applications/{pk}/stage",
         {"stage": "shortlisted"}),
        ("recruiter", "put", f"/api/v1/recruiter/applications/{pk}/tags", {"tags": ["甲"]}),
        ("recruiter", "post", f"/api/v1/recruiter/applications/{pk}/reject", {}),
        ("recruiter", "post", "/api/v1/recruiter/applications/bulk-reject",
         {"application_ids": [pk]}),
        ("recruiter", "post", f"/api/v1/recruiter/applications/{pk}/offer",
         {"pay_amount": "8000", "pay_unit": "month", "start_date": "2099-01-10",
          "reply_by": "2099-01-05"}),
    ]


def _send(client: Client, method: str, url: str, body: dict | None) -> Any:
    if body is None:
        return getattr(client, method)(url, {"body": "备注", "stage": "shortlisted"}
                                       if method == "post" else None)
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("who", ["anonymous", *OTHERS])
def test_nobody_else_gets_anything(world: dict[str, Any], who: str) -> None:
    application = world["application"]
    client = _client(world, who)
    for _side, method, url, body in _requests(application.pk):
        response = _send(client, method, url, body)
        if who == "anonymous":
            expected = (401,) if url.startswith("/api/") else (302,)
        else:
            expected = (403, 404)
        assert response.status_code in expected, (who, method, url, response.status_code)
        assert application.posting.title not in response.content.decode(), (who, url)
    application.refresh_from_db()
    assert application.stage == Stage.NEW
    assert not application.notes.exists() and not application.tags.exists()
    if who != "anonymous":
        denied = AuditEntry.objects.filter(verb="application.access_denied",
                                           actor_id=world[who].pk,
                                           target_id=str(application.pk))
        assert denied.exists(), who


def test_the_seeker_reaches_only_the_seeker_side(world: dict[str, Any]) -> None:
    application = world["application"]
    client = _client(world, OWNER)
    assert client.get(f"/me/applications/{application.pk}/").status_code == 200
    assert client.get(f"/api/v1/applications/{application.pk}").status_code == 200
    for side, method, url, body in _requests(application.pk):
        if side == "recruiter":
            assert _send(client, method, url, body).status_code in (403, 404), url


def test_the_recruiter_reaches_only_the_recruiter_side(world: dict[str, Any]) -> None:
    application = world["application"]
    client = _client(world, HANDLER)
    assert client.get(f"/recruiter/applications/{application.pk}/").status_code == 200
    assert client.get(f"/api/v1/recruiter/applications/{application.pk}").status_code == 200
    for side, method, url, body in _requests(application.pk):
        if side == "seeker":
            assert _send(client, method, url, body).status_code in (403, 404), url
