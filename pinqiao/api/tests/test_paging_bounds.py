"""Paging parameters are bounded (API contract, issue 11 finding 6): an ``offset`` past the
64-bit range or past ``MAX_OFFSET`` is a 422 with the error body, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

from pinqiao.api.params import MAX_OFFSET

pytestmark = pytest.mark.django_db

HUGE = "9223372036854775808"


@pytest.mark.parametrize("offset", [HUGE, str(MAX_OFFSET + 1), "-1"])
def test_the_public_job_list_refuses_an_offset_out_of_range(client: Client, offset: str) -> None:
    response = client.get(f"/api/v1/jobs?offset={offset}")
    assert response.status_code == 422
    body = response.json()["error"]
    assert body["code"] == "invalid_input" and "offset" in body["fields"]


def test_the_public_job_list_pages_within_range(client: Client) -> None:
    assert client.get(f"/api/v1/jobs?offset={MAX_OFFSET}").status_code == 200
    assert client.get("/api/v1/jobs?q=工程师&offset=0").status_code == 200


def test_the_recruiters_applications_refuse_a_huge_offset(user_client, recruiter) -> None:  # noqa: ANN001
    response = user_client(recruiter).get(f"/api/v1/recruiter/applications?offset={HUGE}")
    assert response.status_code == 422
    assert "offset" in response.json()["error"]["fields"]
    ok = user_client(recruiter).get("/api/v1/recruiter/applications?offset=0")
    assert ok.status_code == 200


def test_the_resume_viewers_list_refuses_a_huge_offset(user_client, seeker) -> None:  # noqa: ANN001
    response = user_client(seeker).get(f"/api/v1/me/resume/viewers?offset={HUGE}")
    assert response.status_code == 422
