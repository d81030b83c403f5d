"""API authentication: bearer tokens, session auth, the error body (ACC-1, SEC-3)."""

import pytest
from django.test import Client

from conftest import PASSWORD
from pinqiao.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def test_me_rejects_anonymous_with_the_error_body(client: Client) -> None:
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_token_is_issued_once_and_stored_hashed(client: Client, seeker: object) -> None:
    response = client.post("/api/v1/auth/token", {"identifier": seeker.test_phone,
                                                  "password": PASSWORD, "name": "cli"},
                           content_type="application/json")
    assert response.status_code == 201
    raw = response.json()["token"]
    assert not ApiToken.objects.filter(digest=raw).exists()
    me = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert me.status_code == 200 and me.json()["phone_masked"].count("*") == 4


def test_a_revoked_token_stops_working(client: Client, seeker: object) -> None:
    raw = client.post("/api/v1/auth/token", {"identifier": seeker.test_phone,
                                             "password": PASSWORD},
                      content_type="application/json").json()["token"]
    ApiToken.objects.update(revoked_at="2026-01-01T00:00:00Z")
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_a_closed_account_is_refused(user_client, seeker: object) -> None:  # noqa: ANN001
    client = user_client(seeker)
    assert client.get("/api/v1/me").status_code == 200
    seeker.is_active = False
    seeker.save()
    assert client.get("/api/v1/me").status_code == 401
