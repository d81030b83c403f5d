"""Privacy API (RES-5, RES-6, PRIV-3): the same rules as the pages; errors as
{"error": {"code", "message", "fields"}}."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from pinqiao.core.models import AuditEntry
from pinqiao.privacy.models import AccessKind, ContactRequest, ResumeAccess
from pinqiao.privacy.services import consent_withdraw
from pinqiao.privacy.testing import CONTACT, applied, released

pytestmark = pytest.mark.django_db


def _post(client: Any, url: str, body: dict | None = None) -> Any:
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_it_rejects_anonymous(client: Any, resume: Any) -> None:
    response = client.get(f"/api/v1/recruiter/resumes/{resume.public_id}")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_the_api_masks_until_released_and_logs_each_read(
        user_client: Any, seeker: Any, resume: Any, recruiter: Any, employer: Any) -> None:
    applied(seeker, employer)
    api = user_client(recruiter)
    url = f"/api/v1/recruiter/resumes/{resume.public_id}"
    masked = api.get(url).json()
    assert masked["contact"] == {"released": False, "phone": "138****5678",
                                 "email": "z***@example.com", "im": "z***x"}
    assert masked["organisation"]["id"] == employer.pk and masked["fields"] == ["basic"]
    consent = released(seeker, employer)
    plain = api.get(url).json()
    assert plain["contact"] == {"released": True, **CONTACT}
    consent_withdraw(user=seeker, consent_id=consent.pk)
    assert api.get(url).json()["contact"]["phone"] == "138****5678"
    assert list(ResumeAccess.objects.order_by("pk").values_list("kind", flat=True)) == [
        AccessKind.API] * 3


def test_another_organisation_gets_the_not_found_body(
        user_client: Any, seeker: Any, resume: Any, employer: Any, other_recruiter: Any,
        other_employer: Any) -> None:
    applied(seeker, employer)
    api = user_client(other_recruiter)
    hidden = api.get(f"/api/v1/recruiter/resumes/{resume.public_id}")
    missing = api.get(f"/api/v1/recruiter/resumes/{uuid.uuid4()}")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert hidden.json()["error"]["code"] == "not_found"
    assert AuditEntry.objects.filter(verb="privacy.resume_denied").count() == 2


def test_contact_request_round_trip(user_client: Any, seeker: Any, resume: Any,
                                    recruiter: Any, employer: Any) -> None:
    applied(seeker, employer)
    created = _post(user_client(recruiter),
                    f"/api/v1/recruiter/resumes/{resume.public_id}/contact-requests")
    assert created.status_code == 201, created.content
    again = _post(user_client(recruiter),
                  f"/api/v1/recruiter/resumes/{resume.public_id}/contact-requests")
    assert again.status_code == 400
    assert again.json()["error"]["code"] == "contact_request_open"
    me = user_client(seeker)
    listed = me.get("/api/v1/me/privacy/contact-requests").json()
    assert [r["status"] for r in listed] == ["open"]
    accepted = _post(me, f"/api/v1/me/privacy/contact-requests/{listed[0]['id']}/accept")
    assert accepted.json()["status"] == "accepted"
    consents = me.get("/api/v1/me/privacy/consents").json()
    assert {c["purpose"] for c in consents} == {"resume_to_employer", "contact_release"}
    assert all(c["explanation"] and c["organisation"]["name"] == employer.name
               for c in consents)
    assert ContactRequest.objects.get().consent_id is not None


def test_consents_are_withdrawn_and_optional_ones_granted(
        user_client: Any, seeker: Any, employer: Any, make_user: Any) -> None:
    consent = released(seeker, employer)
    assert _post(user_client(make_user()),
                 f"/api/v1/me/privacy/consents/{consent.pk}/withdraw").status_code == 404
    me = user_client(seeker)
    withdrawn = _post(me, f"/api/v1/me/privacy/consents/{consent.pk}/withdraw").json()
    assert withdrawn["active"] is False and withdrawn["withdrawn_at"]
    granted = _post(me, "/api/v1/me/privacy/consents", {"purpose": "resume_suggestions"})
    assert granted.status_code == 201 and granted.json()["source"] == "settings"
    refused = _post(me, "/api/v1/me/privacy/consents", {"purpose": "contact_release"})
    assert refused.json()["error"]["code"] == "invalid_purpose"


def test_who_viewed_me(user_client: Any, seeker: Any, resume: Any, recruiter: Any,
                       employer: Any) -> None:
    applied(seeker, employer)
    user_client(recruiter).get(f"/api/v1/recruiter/resumes/{resume.public_id}")
    rows = user_client(seeker).get("/api/v1/me/resume/viewers").json()
    assert len(rows) == 1
    assert rows[0]["organisation"]["name"] == employer.name
    assert rows[0]["viewer"] == "招****" and rows[0]["kind"] == "api"
    assert rows[0]["contact_shown"] is False
