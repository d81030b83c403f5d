"""Posting API (JOB-1, JOB-2, TKT-1): errors as {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pinqiao.core.models import AuditEntry
from pinqiao.jobs.models import Posting
from pinqiao.jobs.tests.fixtures import posting_data

pytestmark = pytest.mark.django_db


def _post(client: Any, url: str, body: dict | None = None) -> Any:
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_it_rejects_anonymous_creation(client: Any, employer: Any) -> None:
    response = _post(client, "/api/v1/my/jobs", {"organisation_id": employer.pk})
    assert response.status_code == 401


def test_it_requires_the_recruiter_role(user_client: Any, seeker: Any, employer: Any) -> None:
    response = _post(user_client(seeker), "/api/v1/my/jobs", {"organisation_id": employer.pk})
    assert response.status_code == 403


def test_it_creates_submits_and_lists(user_client: Any, recruiter: Any, employer: Any,
                                      client: Any) -> None:
    api = user_client(recruiter)
    body = {**posting_data(), "organisation_id": employer.pk}
    created = _post(api, "/api/v1/my/jobs", body)
    assert created.status_code == 201, created.content
    posting_id = created.json()["id"]
    submitted = _post(api, f"/api/v1/my/jobs/{posting_id}/submit")
    assert submitted.json()["status"] == "published"
    listed = client.get("/api/v1/jobs").json()
    assert [p["id"] for p in listed] == [posting_id]
    assert listed[0]["location"] == "广东省广州市天河区"


def test_it_gives_field_errors_for_an_incomplete_submit(user_client: Any, recruiter: Any,
                                                        employer: Any) -> None:
    api = user_client(recruiter)
    created = _post(api, "/api/v1/my/jobs", {"organisation_id": employer.pk, "title": "厨师"})
    response = _post(api, f"/api/v1/my/jobs/{created.json()['id']}/submit")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "incomplete" and "pay_min" in error["fields"]


def test_it_refuses_and_audits_a_foreign_organisation(user_client: Any, make_user: Any,
                                                      employer: Any) -> None:
    from pinqiao.core.permissions import Role

    other = make_user(role=Role.RECRUITER)
    response = _post(user_client(other), "/api/v1/my/jobs",
                     {**posting_data(), "organisation_id": employer.pk})
    assert response.status_code == 403
    assert not Posting.objects.exists()
    assert AuditEntry.objects.filter(verb="posting.create.denied", actor_id=other.pk).exists()


def test_it_accepts_reports(user_client: Any, seeker: Any, recruiter: Any, draft: Any) -> None:
    from pinqiao.jobs import services

    services.posting_submit(actor=recruiter, posting=draft)
    response = _post(user_client(seeker), "/api/v1/reports",
                     {"posting_id": draft.pk, "reason": "fraud", "detail": "要求先交钱"})
    assert response.status_code == 201
    bad = _post(user_client(seeker), "/api/v1/reports", {"posting_id": draft.pk,
                                                         "reason": "nonsense"})
    assert bad.status_code == 400


def test_it_refuses_oversized_and_sanitises_html(user_client: Any, recruiter: Any,
                                                  employer: Any) -> None:
    """Bad input through the API: 50,000 characters refused with the limit; HTML stripped."""
    api = user_client(recruiter)
    big = _post(api, "/api/v1/my/jobs", {**posting_data(), "organisation_id": employer.pk,
                                         "requirements": "要" * 50_000})
    assert big.status_code == 400
    assert "3000" in big.json()["error"]["fields"]["requirements"][0]
    ok = _post(api, "/api/v1/my/jobs", {**posting_data(), "organisation_id": employer.pk,
                                        "title": "<script>alert(1)</script>仓管😀"})
    assert ok.status_code == 201 and ok.json()["title"] == "仓管😀"
