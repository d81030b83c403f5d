"""ACC-1, DISC-5: sign-up by phone + SMS code; bad input refused with nothing half-created."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pinqiao.accounts.models import SmsCode, User
from pinqiao.accounts.services import SignupInput, account_signup, sms_code_request
from pinqiao.accounts.tests.helpers import last_code, request_code
from pinqiao.core.errors import ServiceError
from pinqiao.core.models import AuditEntry
from pinqiao.disclosure import demo as disclosure_demo
from pinqiao.disclosure.models import LegalAcceptance
from pinqiao.notifications.models import Notification

pytestmark = pytest.mark.django_db
PHONE = "13912340000"


@pytest.fixture(autouse=True)
def legal_documents() -> None:
    import io

    disclosure_demo.load(io.StringIO())


def _signup(**overrides: object) -> User:
    data = {"phone": PHONE, "code": "", "password": "Qiao2026Xyz", "accept_terms": True}
    data.update(overrides)
    if not data["code"]:
        data["code"] = request_code(PHONE)
    return account_signup(data=SignupInput(**data))


def test_it_creates_a_seeker_with_encrypted_phone_and_recorded_acceptance() -> None:
    user = _signup(display_name="小王")
    assert user.role == "seeker" and PHONE not in user.phone_ciphertext
    assert LegalAcceptance.objects.filter(user=user).count() == 3
    assert AuditEntry.objects.filter(verb="accounts.signup", actor_id=user.pk).exists()
    assert Notification.objects.filter(user=user, event="welcome").exists()


def test_the_sms_code_is_stored_only_as_a_keyed_hash() -> None:
    code = request_code(PHONE)
    row = SmsCode.objects.get()
    assert code not in row.code_digest and len(row.code_digest) == 64


@pytest.mark.parametrize(("overrides", "code"), [
    ({"phone": "1234"}, "invalid_signup"),
    ({"password": "abcdefgh"}, "invalid_signup"),
    ({"password": "12345678"}, "invalid_signup"),
    ({"accept_terms": False}, "invalid_signup"),
    ({"code": "000000"}, "sms_code_invalid"),
])
def test_it_refuses_bad_input_and_creates_nothing(overrides: dict, code: str) -> None:
    request_code(PHONE)
    real = last_code(PHONE)
    if overrides.get("code") == "000000" and real == "000000":
        overrides["code"] = "111111"
    with pytest.raises(ServiceError) as exc:
        _signup(**{"code": real, **overrides})
    assert exc.value.code == code and exc.value.message
    assert not User.objects.exists()


def test_it_refuses_an_expired_code() -> None:
    code = request_code(PHONE)
    SmsCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ServiceError, match="过期"):
        _signup(code=code)
    assert not User.objects.exists()


def test_it_refuses_a_reused_code() -> None:
    code = request_code(PHONE)
    _signup(code=code)
    User.objects.all().delete()
    with pytest.raises(ServiceError, match="已使用"):
        _signup(code=code)


def test_it_refuses_a_duplicate_phone() -> None:
    _signup()
    with pytest.raises(ServiceError) as exc:
        sms_code_request(phone=PHONE, purpose="signup")
    assert exc.value.code == "phone_taken"
    assert User.objects.count() == 1


def test_it_limits_codes_to_five_per_phone_per_hour() -> None:
    for _ in range(5):
        sms_code_request(phone=PHONE, purpose="signup")
    with pytest.raises(ServiceError) as exc:
        sms_code_request(phone=PHONE, purpose="signup")
    assert exc.value.code == "sms_rate_limited" and exc.value.status == 429


def test_it_locks_a_code_after_five_wrong_attempts() -> None:
    code = request_code(PHONE)
    wrong = "999999" if code != "999999" else "888888"
    for _ in range(5):
        with pytest.raises(ServiceError):
            _signup(code=wrong)
    with pytest.raises(ServiceError, match="次数过多"):
        _signup(code=code)


class TestSignupPage:
    def test_it_signs_up_through_the_page(self, client: Client) -> None:
        client.post("/accounts/sms-code/", {"phone": PHONE, "purpose": "signup"})
        response = client.post("/accounts/signup/", {
            "phone": PHONE, "code": last_code(PHONE), "password": "Qiao2026Xyz",
            "accept_terms": "on"})
        assert response.status_code == 302 and response["Location"] == "/accounts/me/"
        assert client.get("/accounts/me/").status_code == 200

    def test_it_shows_chinese_errors_beside_fields(self, client: Client) -> None:
        response = client.post("/accounts/signup/", {"phone": "12", "code": "1",
                                                     "password": "abc"})
        content = response.content.decode()
        assert response.status_code == 200
        assert "请输入正确的11位手机号码" in content and "请阅读并同意" in content

    def test_recruiters_must_set_a_password(self, client: Client) -> None:
        client.post("/accounts/sms-code/", {"phone": PHONE, "purpose": "signup"})
        response = client.post("/accounts/signup/recruiter/", {
            "phone": PHONE, "code": last_code(PHONE), "accept_terms": "on"})
        assert response.status_code == 200 and not User.objects.exists()


class TestSignupApi:
    def test_it_signs_up_and_returns_the_masked_account(self, client: Client) -> None:
        assert client.post("/api/v1/auth/sms-code", {"phone": PHONE},
                           content_type="application/json").status_code == 200
        response = client.post("/api/v1/auth/signup", {
            "phone": PHONE, "code": last_code(PHONE), "password": "Qiao2026Xyz",
            "accept_terms": True}, content_type="application/json")
        assert response.status_code == 201
        assert response.json()["phone_masked"] == "139****0000"

    def test_errors_have_one_shape(self, client: Client) -> None:
        response = client.post("/api/v1/auth/signup", {
            "phone": "12", "code": "1", "password": "x", "accept_terms": False},
            content_type="application/json")
        error = response.json()["error"]
        assert response.status_code == 400 and error["code"] == "invalid_signup"
        assert set(error["fields"]) >= {"phone", "password", "accept_terms"}

    def test_schema_errors_have_the_same_shape(self, client: Client) -> None:
        response = client.post("/api/v1/auth/signup", {"phone": PHONE},
                               content_type="application/json")
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "invalid_input"
