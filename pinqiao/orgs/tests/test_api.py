"""The /api/v1/orgs endpoints: same services, one error body."""

from __future__ import annotations

import pytest

from pinqiao.orgs import testing
from pinqiao.orgs.models import Membership, Organisation

pytestmark = pytest.mark.django_db


def form(fragment: str = "聘桥示范科技", **over: object) -> dict[str, object]:
    record = testing.company(fragment)
    data: dict[str, object] = {
        "name": record.name, "credit_code": record.credit_code, "kind": "employer",
        "industry": "software", "address": "广东省广州市天河区天河路100号",
        "founded_on": "2018-06-01",
        "contact_name": "李经理", "contact_phone": "13900001111",
        "responsible_name": "李招聘", "responsible_id_number": testing.valid_id(1),
        "business_licence_number": "BL-1", "business_licence_authority": "广州市市场监管局",
        "pledge_signed": "true", "agreement_version": "2026.1",
        "business_licence": testing.pdf("a.pdf", "a"), "id_proof": testing.pdf("b.pdf", "b"),
        "authorisation_letter": testing.pdf("c.pdf", "c")}
    data.update(over)
    return data


def test_it_registers_through_the_api(recruiter, user_client):
    response = user_client(recruiter).post("/api/v1/orgs", form())
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "pending"


def test_it_returns_the_error_body_for_a_wrong_check_character(recruiter, user_client):
    code = testing.company("聘桥示范科技").credit_code
    bad = code[:17] + ("1" if code[17] != "1" else "2")
    response = user_client(recruiter).post("/api/v1/orgs", form(credit_code=bad))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_organisation" and "credit_code" in error["fields"]
    assert not Organisation.objects.exists()


def test_it_rejects_anonymous(client):
    response = client.post("/api/v1/orgs", form())
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_it_requires_recruiter(seeker, user_client):
    response = user_client(seeker).post("/api/v1/orgs", form())
    assert response.status_code == 403


def test_it_manages_members_through_the_api(employer, recruiter, recruiter2, user_client):
    c = user_client(recruiter)
    response = c.post(f"/api/v1/orgs/{employer.pk}/members",
                      {"phone": recruiter2.test_phone, "can_post_jobs": True},
                      content_type="application/json")
    assert response.status_code == 201
    member_id = response.json()["id"]
    again = c.post(f"/api/v1/orgs/{employer.pk}/members", {"phone": recruiter2.test_phone},
                   content_type="application/json")
    assert again.status_code == 400 and again.json()["error"]["code"] == "already_member"
    response = c.patch(f"/api/v1/orgs/{employer.pk}/members/{member_id}",
                       {"can_chat": True}, content_type="application/json")
    assert response.json()["can_chat"] is True and response.json()["can_post_jobs"] is False
    assert c.delete(f"/api/v1/orgs/{employer.pk}/members/{member_id}").status_code == 204
    assert not Membership.objects.filter(user=recruiter2).exists()


def test_it_reports_posting_permission(agency, agency_owner, reviewer, user_client):
    client_auth = testing.client_for(agency, agency_owner, reviewer)
    c = user_client(agency_owner)
    ok = c.get(f"/api/v1/orgs/{agency.pk}/posting-permission",
               {"mode": "agency", "client_id": client_auth.pk})
    assert ok.status_code == 200 and ok.json() == {"allowed": True}
    refused = c.get(f"/api/v1/orgs/{agency.pk}/posting-permission", {"mode": "agency"})
    assert refused.status_code == 403 and "委托证明" in refused.json()["error"]["message"]


def test_it_shows_the_public_agency_panel(agency, client):
    body = client.get(f"/api/v1/orgs/{agency.pk}/public").json()
    assert body["panel"]["licence_no"].startswith("(渝)人服证字")
    assert body["charges_seekers"] is True


def test_it_documents_the_endpoints_in_openapi(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/orgs", "/api/v1/orgs/{org_id}/members",
            "/api/v1/orgs/{org_id}/posting-permission"} <= set(paths)
