"""The public disclosure API (DISC-1, DISC-2, DISC-5): the operator's licences, the services and
prices, the legal documents in force; open to everyone, in the one error format."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from pinqiao.accounts.models import User
from pinqiao.disclosure.models import LegalKind, OperatorProfile, ServiceOffering
from pinqiao.disclosure.services import legal_document_publish


def test_it_discloses_the_operator(client: Client, disclosure: OperatorProfile) -> None:
    response = client.get("/api/v1/disclosure/operator")

    assert response.status_code == 200
    body = response.json()
    assert body["credit_code"] == disclosure.credit_code
    assert body["business_licence_no"] == disclosure.business_licence_no
    assert body["hr_licence_no"] == disclosure.hr_licence_no
    assert body["hr_licence_valid_until"] == "2030-06-30"
    assert body["icp_no"] == disclosure.icp_no
    assert body["complaint_hotline"] == disclosure.complaint_hotline
    assert body["credit_score"] == 98
    assert body["violation_summary"] == ""
    assert body["regulator_url"] == disclosure.regulator_url


def test_it_answers_404_in_the_error_format_before_the_operator_is_disclosed(
        client: Client) -> None:
    OperatorProfile.objects.all().delete()

    response = client.get("/api/v1/disclosure/operator")

    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "运营主体信息尚未公示。",
                                         "fields": {}}}


def test_it_lists_the_services_with_free_and_paid_apart(client: Client) -> None:
    response = client.get("/api/v1/disclosure/services")

    assert response.status_code == 200
    services = {s["name"]: s for s in response.json()}
    assert len(services) == ServiceOffering.objects.count()
    assert services["简历创建与投递"]["is_free"] is True
    assert services["简历创建与投递"]["price_yuan"] == "0.00"
    assert services["职位置顶"]["is_free"] is False
    assert services["职位置顶"]["price_yuan"] == "199.00"  # yuan, exact decimal
    assert services["职位置顶"]["price_unit"] == "个职位·7天"
    assert all(s["is_free"] for s in services.values() if s["audience"] == "seeker")


def test_it_leaves_switched_off_services_out(client: Client) -> None:
    ServiceOffering.objects.filter(name="职位置顶").update(is_active=False)

    names = [s["name"] for s in client.get("/api/v1/disclosure/services").json()]

    assert "职位置顶" not in names


def test_it_lists_the_legal_documents_in_force(client: Client) -> None:
    response = client.get("/api/v1/legal/current")

    assert response.status_code == 200
    assert {(d["kind"], d["version"]) for d in response.json()} == {
        (kind, "1.0") for kind in LegalKind.values}


def test_it_lists_a_newly_published_version(client: Client,
                                            verified_operator: User) -> None:
    legal_document_publish(actor=verified_operator, kind=LegalKind.USER_AGREEMENT, version="1.1",
                           title="用户协议", body="修订后的正文")

    current = {d["kind"]: d["version"] for d in client.get("/api/v1/legal/current").json()}

    assert current[LegalKind.USER_AGREEMENT] == "1.1"
    assert current[LegalKind.PRIVACY_POLICY] == "1.0"


def test_it_asks_for_a_login_before_listing_pending_documents(client: Client) -> None:
    response = client.get("/api/v1/legal/pending")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_it_lists_nothing_pending_for_a_user_who_accepted(
        seeker: User, accepted: Callable[[User], User],
        user_client: Callable[[User], Client]) -> None:
    assert user_client(accepted(seeker)).get("/api/v1/legal/pending").json() == []


def test_it_documents_the_endpoints_in_openapi(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    for path in ("/api/v1/disclosure/operator", "/api/v1/disclosure/services",
                 "/api/v1/legal/current", "/api/v1/legal/pending", "/api/v1/legal/accept"):
        assert path in paths
