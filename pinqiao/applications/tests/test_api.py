"""Applications API (APP-1, APP-2, APP-6, APP-7): the same rules as the pages, errors as
{"error": {"code", "message", "fields"}}."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from pinqiao.applications.models import Application, Stage
from pinqiao.applications.testing import applied
from pinqiao.privacy.models import Consent

pytestmark = pytest.mark.django_db


def _send(client: Any, method: str, url: str, body: Any = None) -> Any:
    return getattr(client, method)(url, json.dumps({} if body is None else body),
                                   content_type="application/json")


@pytest.fixture
def api(user_client: Any, recruiter: Any) -> Any:
    return user_client(recruiter)


@pytest.fixture
def question(api: Any, posting: Any) -> dict:
    response = _send(api, "post", f"/api/v1/recruiter/jobs/{posting.pk}/questions",
                     {"kind": "yes_no", "text": "是否持有叉车证？", "knockout_answer": "yes"})
    assert response.status_code == 201, response.content
    return response.json()


def test_a_seeker_applies_through_the_api(user_client: Any, ready_seeker: Any, posting: Any,
                                          question: dict, client: Any) -> None:
    public = client.get(f"/api/v1/jobs/{posting.pk}/questions").json()
    assert public == [{"id": question["id"], "kind": "yes_no", "text": "是否持有叉车证？",
                       "choices": [], "required": True}], "no knockout answer in public"
    web = user_client(ready_seeker)
    response = _send(web, "post", "/api/v1/applications", {
        "posting_id": posting.pk, "answers": {str(question["id"]): "yes"},
        "consent_resume": True, "consent_contact": True})
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["stage"] == "new" and data["posting_title"] == posting.title
    assert data["answers"][0]["answer_label"] == "是" and "expected" not in data["answers"][0]
    assert [e["to_stage"] for e in data["history"]] == ["new"]
    assert Consent.objects.filter(user=ready_seeker).count() == 2
    again = _send(web, "post", "/api/v1/applications", {
        "posting_id": posting.pk, "answers": {str(question["id"]): "yes"},
        "consent_resume": True})
    assert again.status_code == 400 and again.json()["error"]["code"] == "already_applied"
    listed = web.get("/api/v1/applications").json()
    assert [a["id"] for a in listed] == [data["id"]]


@pytest.mark.parametrize(("body", "status", "code"), [
    ({}, 422, "invalid_input"),
    ({"posting_id": "abc"}, 422, "invalid_input"),
    ({"posting_id": 999999, "consent_resume": True}, 404, "posting_not_found"),
    ({"posting_id": None, "consent_resume": True}, 422, "invalid_input"),
])
def test_bad_apply_input(user_client: Any, ready_seeker: Any, body: dict, status: int,
                         code: str) -> None:
    response = _send(user_client(ready_seeker), "post", "/api/v1/applications", body)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_the_consent_is_required_field_by_field(user_client: Any, ready_seeker: Any,
                                                posting: Any) -> None:
    response = _send(user_client(ready_seeker), "post", "/api/v1/applications",
                     {"posting_id": posting.pk})
    error = response.json()["error"]
    assert response.status_code == 400 and error["code"] == "consent_required"
    assert "consent_resume" in error["fields"]
    assert not Application.objects.exists() and not Consent.objects.exists()


def test_anonymous_and_recruiters_cannot_apply(client: Any, api: Any, posting: Any) -> None:
    assert _send(client, "post", "/api/v1/applications",
                 {"posting_id": posting.pk}).status_code == 401
    response = _send(api, "post", "/api/v1/applications",
                     {"posting_id": posting.pk, "consent_resume": True})
    assert response.status_code == 403 and response.json()["error"]["code"] == "not_seeker"


def test_the_pipeline_through_the_api(api: Any, posting: Any, make_seeker: Any,
                                      question: dict, employer: Any) -> None:
    good = applied(make_seeker(), posting, answers={str(question["id"]): "yes"})
    bad = applied(make_seeker(), posting, answers={str(question["id"]): "no"})
    listed = api.get("/api/v1/recruiter/applications?knockout=not_met").json()
    assert [a["id"] for a in listed] == [bad.pk]
    assert listed[0]["candidate"] == "张**" and listed[0]["knockout_met"] is False
    detail = api.get(f"/api/v1/recruiter/applications/{good.pk}").json()
    assert detail["answers"][0]["met"] is True
    assert detail["resume_url"].endswith(f"?application={good.pk}")

    stages = _send(api, "put", f"/api/v1/recruiter/orgs/{employer.pk}/pipeline-stages",
                   [{"label": "一面", "base_stage": "interview"}]).json()
    moved = _send(api, "post", f"/api/v1/recruiter/applications/{good.pk}/stage",
                  {"pipeline_stage_id": stages[0]["id"], "message": "请准备作品"}).json()
    assert (moved["stage"], moved["stage_label"]) == ("interview", "一面")
    note = _send(api, "post", f"/api/v1/recruiter/applications/{good.pk}/notes",
                 {"body": "沟通顺畅"})
    assert note.status_code == 201
    assert _send(api, "put", f"/api/v1/recruiter/applications/{good.pk}/tags",
                 {"tags": ["优先"]}).json() == ["优先"]
    detail = api.get(f"/api/v1/recruiter/applications/{good.pk}").json()
    assert detail["notes"][0]["body"] == "沟通顺畅" and detail["tags"] == ["优先"]
    templates = api.get(f"/api/v1/recruiter/orgs/{employer.pk}/rejection-templates").json()
    assert [t["key"] for t in templates][:3] == ["fit", "filled", "after_interview"]
    result = _send(api, "post", "/api/v1/recruiter/applications/bulk-reject",
                   {"application_ids": [good.pk, bad.pk], "template": "fit"}).json()
    assert result == {"moved": 2, "skipped": 0}


def test_pipeline_bad_input(api: Any, posting: Any, seeker: Any) -> None:
    application = applied(seeker, posting)
    response = _send(api, "post", f"/api/v1/recruiter/applications/{application.pk}/stage",
                     {"stage": "hired"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_stage"
    response = _send(api, "post", f"/api/v1/recruiter/applications/{application.pk}/reject",
                     {"template": "org-99999"})
    assert response.json()["error"]["code"] == "invalid_template"
    response = _send(api, "post", "/api/v1/recruiter/applications/bulk-move",
                     {"application_ids": "all"})
    assert response.status_code == 422
    response = _send(api, "post", f"/api/v1/recruiter/applications/{application.pk}/offer",
                     {"pay_amount": "7000", "pay_unit": "month", "start_date": "not a date",
                      "reply_by": "2030-01-01"})
    assert response.status_code == 422 and "start_date" in response.json()["error"]["fields"]


def test_offer_answer_and_outcome_through_the_api(api: Any, user_client: Any, seeker: Any,
                                                  posting: Any) -> None:
    application = applied(seeker, posting)
    today = timezone.localdate()
    offer = _send(api, "post", f"/api/v1/recruiter/applications/{application.pk}/offer", {
        "pay_amount": "7000.50", "pay_unit": "month",
        "start_date": (today + timedelta(days=9)).isoformat(),
        "reply_by": (today + timedelta(days=2)).isoformat()})
    assert offer.status_code == 201 and offer.json()["position"] == posting.title
    web = user_client(seeker)
    assert _send(web, "post", f"/api/v1/applications/{application.pk}/offer/maybe"
                 ).status_code == 404
    answered = _send(web, "post", f"/api/v1/applications/{application.pk}/offer/accept")
    assert answered.json()["status"] == "accepted"
    seen = web.get(f"/api/v1/applications/{application.pk}").json()
    assert seen["offer"]["status"] == "accepted"
    result = _send(api, "post", f"/api/v1/recruiter/applications/{application.pk}/outcome",
                   {"outcome": "hired"}).json()
    assert result["stage"] == Stage.HIRED
    posting.refresh_from_db()
    assert posting.hired_count == 1


def test_the_seeker_withdraws_through_the_api(user_client: Any, seeker: Any,
                                              posting: Any) -> None:
    application = applied(seeker, posting)
    web = user_client(seeker)
    assert _send(web, "post", f"/api/v1/applications/{application.pk}/withdraw"
                 ).json()["stage"] == "withdrawn"
    again = _send(web, "post", f"/api/v1/applications/{application.pk}/withdraw")
    assert again.status_code == 400 and again.json()["error"]["code"] == "application_final"


def test_questions_through_the_api(api: Any, posting: Any, question: dict,
                                   user_client: Any, make_user: Any) -> None:
    from pinqiao.core.permissions import Role

    listed = api.get(f"/api/v1/recruiter/jobs/{posting.pk}/questions").json()
    assert listed[0]["knockout_answer"] == "yes"
    bad = _send(api, "post", f"/api/v1/recruiter/jobs/{posting.pk}/questions",
                {"kind": "single_choice", "text": "到岗时间", "choices": ["一周内"]})
    assert bad.status_code == 400 and "choices" in bad.json()["error"]["fields"]
    stranger = user_client(make_user(role=Role.RECRUITER))
    assert stranger.get(f"/api/v1/recruiter/jobs/{posting.pk}/questions").status_code == 404
    assert _send(stranger, "delete", f"/api/v1/recruiter/jobs/{posting.pk}/questions/"
                 f"{question['id']}").status_code == 404
    assert _send(api, "delete", f"/api/v1/recruiter/jobs/{posting.pk}/questions/"
                 f"{question['id']}").status_code == 204
    assert api.get(f"/api/v1/recruiter/jobs/{posting.pk}/questions").json() == []


def test_the_openapi_schema_lists_the_application_endpoints(client: Any) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/applications", "/api/v1/recruiter/applications",
                 "/api/v1/recruiter/applications/bulk-reject",
                 "/api/v1/orgs/{org_id}/responsiveness"):
        assert path in paths, path
