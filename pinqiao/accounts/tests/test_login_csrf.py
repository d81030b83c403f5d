"""SEC-3 login CSRF: the anonymous sign-in endpoints of the API take only a JSON body from
this site. A plain HTML form on another site (``text/plain``, url-encoded or multipart, with a
foreign ``Origin``) can neither sign a victim in nor send codes in their name."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from conftest import PASSWORD
from pinqiao.accounts.models import ApiToken, LoginRecord
from pinqiao.notifications.providers import LocalSmsProvider

pytestmark = pytest.mark.django_db

EVIL = "https://evil.example"


def _bodies(seeker: object, path: str) -> dict:
    if path == "/api/v1/auth/sms-code":
        return {"phone": seeker.test_phone, "purpose": "login"}
    return {"identifier": seeker.test_phone, "password": PASSWORD}


def _forms(client: Client, path: str, data: dict) -> list:
    """What a cross-site HTML form can send without a preflight."""
    return [
        client.post(path, json.dumps(data), content_type="text/plain"),
        client.post(path, data),  # multipart/form-data
        client.post(path, "&".join(f"{k}={v}" for k, v in data.items()),
                    content_type="application/x-www-form-urlencoded"),
    ]


@pytest.mark.parametrize("path", ["/api/v1/auth/login", "/api/v1/auth/token",
                                  "/api/v1/auth/sms-code"])
def test_form_bodies_are_refused_with_415_and_start_nothing(path: str, seeker: object) -> None:
    client = Client()
    for response in _forms(client, path, _bodies(seeker, path)):
        assert response.status_code == 415
        assert response.json()["error"]["code"] == "json_required"
        assert "sessionid" not in response.cookies
    assert not LoginRecord.objects.exists()
    assert not ApiToken.objects.exists()
    assert LocalSmsProvider.inbox(seeker.test_phone) == []


@pytest.mark.parametrize("path", ["/api/v1/auth/login", "/api/v1/auth/token",
                                  "/api/v1/auth/sms-code"])
def test_a_json_body_from_another_origin_is_refused(path: str, seeker: object) -> None:
    data = json.dumps(_bodies(seeker, path))
    for headers in ({"HTTP_ORIGIN": EVIL}, {"HTTP_ORIGIN": "null"},
                    {"HTTP_SEC_FETCH_SITE": "cross-site"}):
        response = Client().post(path, data, content_type="application/json", **headers)
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "cross_site_refused"
        assert "sessionid" not in response.cookies
    assert not LoginRecord.objects.exists()


def test_the_login_of_this_site_and_of_api_clients_still_works(seeker: object) -> None:
    data = json.dumps(_bodies(seeker, "/api/v1/auth/login"))
    own = Client().post("/api/v1/auth/login", data, content_type="application/json",
                        HTTP_ORIGIN="http://testserver", HTTP_SEC_FETCH_SITE="same-origin")
    assert own.status_code == 200 and "sessionid" in own.cookies
    cli = Client().post("/api/v1/auth/token", data, content_type="application/json")
    assert cli.status_code == 201 and cli.json()["token"]


def test_sms_login_and_signup_take_json_only_too(seeker: object) -> None:
    for path in ("/api/v1/auth/login/sms", "/api/v1/auth/signup"):
        response = Client().post(path, json.dumps({"phone": seeker.test_phone, "code": "1"}),
                                 content_type="text/plain")
        assert response.status_code == 415
