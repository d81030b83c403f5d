"""ACC-1, ACC-3, ACC-4: log-in by password or SMS, lockout, login log, log-out, idle timeout."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from pinqiao.accounts.models import LoginRecord
from pinqiao.accounts.tests.helpers import request_code

pytestmark = pytest.mark.django_db


def _login(client: Client, identifier: str, password: str, ip: str = "10.0.0.1") -> object:
    return client.post("/api/v1/auth/login", {"identifier": identifier, "password": password},
                       content_type="application/json", REMOTE_ADDR=ip,
                       HTTP_USER_AGENT="pytest-browser/1.0")


def _idle(client: Client, *, minutes: int) -> None:
    """Pretend the last request on this session was ``minutes`` ago."""
    session = client.session
    session["last_seen"] = (timezone.now() - timedelta(minutes=minutes)).timestamp()
    session.save()


def test_it_logs_in_by_phone_and_records_the_login(client: Client, seeker: object) -> None:
    response = _login(client, seeker.test_phone, PASSWORD)
    assert response.status_code == 200
    record = LoginRecord.objects.get(user=seeker)
    assert record.succeeded and record.ip == "10.0.0.1"
    assert record.user_agent == "pytest-browser/1.0"
    assert record.phone_index and seeker.test_phone not in record.phone_ciphertext


def test_it_logs_in_a_recruiter_by_email(client: Client, recruiter: object) -> None:
    assert _login(client, "HR@company.example", PASSWORD).status_code == 200


def test_the_session_key_rotates_at_login(client: Client, seeker: object) -> None:
    client.get("/")
    client.session.save()
    before = client.session.session_key
    _login(client, seeker.test_phone, PASSWORD)
    assert client.session.session_key != before


def test_wrong_password_is_refused_and_logged(client: Client, seeker: object) -> None:
    response = _login(client, seeker.test_phone, "Wrong12345")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_credentials"
    assert LoginRecord.objects.get(user=seeker).succeeded is False


def test_the_sixth_failure_locks_the_account_even_from_a_second_ip(seeker: object) -> None:
    first_ip, second_ip = Client(), Client()
    for _ in range(5):
        assert _login(first_ip, seeker.test_phone, "Wrong12345").status_code == 400
    sixth = _login(second_ip, seeker.test_phone, "Wrong12345", ip="10.9.9.9")
    assert sixth.status_code == 429
    locked = _login(second_ip, seeker.test_phone, PASSWORD, ip="10.9.9.9")
    assert locked.status_code == 429
    assert locked.json()["error"]["code"] == "locked_out"


def test_five_failures_do_not_lock(client: Client, seeker: object) -> None:
    for _ in range(5):
        _login(client, seeker.test_phone, "Wrong12345")
    assert _login(client, seeker.test_phone, PASSWORD).status_code == 200


def test_the_lockout_page_says_so_in_chinese(client: Client, seeker: object) -> None:
    for _ in range(6):
        response = client.post("/accounts/login/", {
            "mode": "password", "pw-identifier": seeker.test_phone, "pw-password": "Wrong1234"})
    assert response.status_code == 429
    assert "账号已锁定15分钟" in response.content.decode()


def test_it_logs_in_by_sms_code(client: Client, seeker: object) -> None:
    code = request_code(seeker.test_phone, purpose="login")
    response = client.post("/api/v1/auth/login/sms", {"phone": seeker.test_phone,
                                                      "code": code},
                           content_type="application/json")
    assert response.status_code == 200
    assert LoginRecord.objects.get(user=seeker).method == "sms"


def test_logout_records_the_time_and_ends_the_session(client: Client, seeker: object) -> None:
    _login(client, seeker.test_phone, PASSWORD)
    client.post("/accounts/logout/")
    record = LoginRecord.objects.get(user=seeker)
    assert record.logout_at is not None and record.logout_reason == "logout"
    assert client.get("/accounts/me/").status_code == 302


def test_an_idle_session_expires_after_30_minutes(client: Client, seeker: object) -> None:
    _login(client, seeker.test_phone, PASSWORD)
    _idle(client, minutes=31)
    assert client.get("/accounts/me/").status_code == 302
    assert LoginRecord.objects.get(user=seeker).logout_reason == "idle_timeout"


def test_a_29_minute_pause_keeps_the_session(client: Client, seeker: object) -> None:
    _login(client, seeker.test_phone, PASSWORD)
    _idle(client, minutes=29)
    assert client.get("/accounts/me/").status_code == 200


def test_staff_sessions_expire_after_15_minutes(client: Client, reviewer: object) -> None:
    client.post("/accounts/login/", {"mode": "password", "pw-identifier": reviewer.email,
                                     "pw-password": PASSWORD})
    _idle(client, minutes=16)
    assert client.get("/staff/").status_code == 302
    assert LoginRecord.objects.get(user=reviewer).logout_reason == "idle_timeout"
