"""ACC-2, ACC-3: staff pages need the TOTP second factor; every pass or failure is audited."""

from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from pinqiao.accounts.models import ApiToken
from pinqiao.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def device(reviewer: object) -> TOTPDevice:
    return TOTPDevice.objects.create(user=reviewer, name="phone", confirmed=True)


def _password_login(client: Client, user: object) -> object:
    return client.post("/accounts/login/", {"mode": "password", "pw-identifier": user.email,
                                            "pw-password": PASSWORD})


def test_staff_login_goes_to_the_second_factor(client: Client, reviewer: object,
                                               device: TOTPDevice) -> None:
    response = _password_login(client, reviewer)
    assert response.status_code == 302 and response["Location"].startswith("/staff/otp/")


def test_a_staff_page_is_refused_without_the_second_factor(client: Client, reviewer: object,
                                                           device: TOTPDevice) -> None:
    _password_login(client, reviewer)
    response = client.get("/staff/login-log/")
    assert response.status_code == 302 and response["Location"].startswith("/staff/otp/")


def test_a_wrong_code_is_refused_and_audited(client: Client, reviewer: object,
                                             device: TOTPDevice) -> None:
    _password_login(client, reviewer)
    response = client.post("/staff/otp/", {"otp_token": "000000"})
    assert "动态验证码错误" in response.content.decode()
    assert client.get("/staff/").status_code == 302
    assert AuditEntry.objects.filter(verb="accounts.second_factor_failed").exists()


def test_the_right_code_opens_staff_pages(client: Client, reviewer: object,
                                          device: TOTPDevice) -> None:
    _password_login(client, reviewer)
    token = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    response = client.post("/staff/otp/", {"otp_token": token, "next": "/staff/login-log/"})
    assert response.status_code == 302 and response["Location"] == "/staff/login-log/"
    assert client.get("/staff/login-log/").status_code == 200
    assert AuditEntry.objects.filter(verb="accounts.second_factor_passed").exists()


def test_seekers_get_403_on_staff_pages(user_client, seeker: object) -> None:  # noqa: ANN001
    response = user_client(seeker).get("/staff/")
    assert response.status_code == 403
    assert "仅对平台工作人员开放" in response.content.decode()


def test_staff_pages_send_anonymous_users_to_login(client: Client) -> None:
    response = client.get("/staff/login-log/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def _api_login(path: str, user: object, **extra: str) -> object:
    return Client().post(path, {"identifier": user.email, "password": PASSWORD, **extra},
                         content_type="application/json")


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.parametrize("path", ["/api/v1/auth/login", "/api/v1/auth/token"])
def test_the_api_gives_staff_no_session_or_token_on_the_password_alone(
        path: str, reviewer: object, device: TOTPDevice) -> None:
    """ACC-3 (finding 9): the second factor is asked on the API too."""
    for extra in ({}, {"otp_token": "000000"}):
        response = _api_login(path, reviewer, **extra)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "second_factor_required"
        assert "otp_token" in response.json()["error"]["fields"]
        assert "sessionid" not in response.cookies
    assert not ApiToken.objects.exists()
    assert AuditEntry.objects.filter(verb="accounts.second_factor_failed").count() == 2


def test_the_api_gives_staff_a_token_with_the_second_factor(reviewer: object,
                                                            device: TOTPDevice) -> None:
    response = _api_login("/api/v1/auth/token", reviewer, otp_token=_code(device))
    assert response.status_code == 201
    assert ApiToken.objects.filter(user=reviewer).count() == 1
    assert AuditEntry.objects.filter(verb="accounts.second_factor_passed").exists()


def test_an_api_session_of_staff_counts_only_after_the_second_factor(
        reviewer: object, device: TOTPDevice) -> None:
    client = Client()
    _password_login(client, reviewer)  # the page log-in: password done, code not yet
    assert client.get("/api/v1/me").status_code == 401
    verified = Client()
    response = verified.post("/api/v1/auth/login", {"identifier": reviewer.email,
                                                    "password": PASSWORD,
                                                    "otp_token": _code(device)},
                             content_type="application/json")
    assert response.status_code == 200
    assert verified.get("/api/v1/me").json()["role"] == "reviewer"


def test_seekers_need_no_second_factor_on_the_api(seeker: object) -> None:
    response = Client().post("/api/v1/auth/token", {"identifier": seeker.test_phone,
                                                    "password": PASSWORD},
                             content_type="application/json")
    assert response.status_code == 201


def test_the_second_factor_redirect_encodes_next(client: Client, reviewer: object,
                                                 device: TOTPDevice) -> None:
    """Finding 11: ``next`` keeps its own query string whole through the OTP page."""
    target = "/staff/login-log/?ip=10.0.0.1&page=2"
    response = client.post(f"/accounts/login/?next={quote(target)}",
                           {"mode": "password", "pw-identifier": reviewer.email,
                            "pw-password": PASSWORD})
    location = response["Location"]
    assert location == f"/staff/otp/?next={quote(target, safe='')}"
    assert parse_qs(urlsplit(location).query) == {"next": [target]}
    done = client.post(location, {"otp_token": _code(device)})
    assert done["Location"] == target
