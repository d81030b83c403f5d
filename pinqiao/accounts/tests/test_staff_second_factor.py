"""ACC-2, ACC-3: staff pages need the TOTP second factor; every pass or failure is audited."""

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
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
