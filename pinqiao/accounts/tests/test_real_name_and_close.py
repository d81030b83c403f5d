"""ACC-1 real-name verification through the RealNameVerifier; ACC-5 closing an account."""

import pytest
from django.test import Client

from pinqiao.accounts.models import ClosureRequest, RealNameCheck, User
from pinqiao.accounts.realname import LocalRealNameVerifier
from pinqiao.accounts.services import account_close, real_name_verify
from pinqiao.core.errors import ServiceError
from pinqiao.core.models import AuditEntry

pytestmark = pytest.mark.django_db
NAME, NUMBER = "张小明", "110105199003071239"


@pytest.fixture(autouse=True)
def registry() -> None:
    LocalRealNameVerifier().register(name=NAME, id_number=NUMBER)


def test_a_matching_name_and_number_verify_and_are_stored_encrypted(seeker: User) -> None:
    assert real_name_verify(user=seeker, name=NAME, id_number=NUMBER) is True
    seeker.refresh_from_db()
    assert seeker.is_real_name_verified
    assert NUMBER not in seeker.id_number_ciphertext and NAME not in seeker.real_name_ciphertext
    entry = AuditEntry.objects.get(verb="accounts.real_name_check")
    assert entry.data["id_number"] == "1101**********1239"


def test_a_wrong_name_is_recorded_but_not_verified(seeker: User) -> None:
    assert real_name_verify(user=seeker, name="李四", id_number=NUMBER) is False
    assert RealNameCheck.objects.get(user=seeker).reason == "name_mismatch"
    seeker.refresh_from_db()
    assert not seeker.is_real_name_verified and not seeker.id_number_ciphertext


def test_a_wrong_check_digit_never_reaches_the_provider(seeker: User) -> None:
    with pytest.raises(ServiceError) as exc:
        real_name_verify(user=seeker, name=NAME, id_number="110105199003071238")
    assert exc.value.code == "invalid_id_number" and "校验位" in exc.value.message
    assert not RealNameCheck.objects.exists()


def test_an_id_number_verified_by_another_account_is_refused(seeker: User,
                                                             make_user: object) -> None:
    real_name_verify(user=seeker, name=NAME, id_number=NUMBER)
    with pytest.raises(ServiceError) as exc:
        real_name_verify(user=make_user(), name=NAME, id_number=NUMBER)
    assert exc.value.code == "id_number_taken"


def test_the_page_shows_the_masked_identity(user_client, seeker: User) -> None:  # noqa: ANN001
    client = user_client(seeker)
    response = client.post("/accounts/real-name/", {"name": NAME, "id_number": NUMBER})
    assert response.status_code == 302
    page = client.get("/accounts/me/").content.decode()
    assert "1101**********1239" in page and NUMBER not in page and "张*" in page


def test_closing_deactivates_and_erases_the_phone(seeker: User) -> None:
    """ACC-5: closing runs the deletion workflow (PRIV-5) at once."""
    account_close(user=seeker, confirmation="确认注销", reason="找到工作了")
    seeker.refresh_from_db()
    assert not seeker.is_active and seeker.phone_index is None and not seeker.phone_ciphertext
    assert ClosureRequest.objects.get(user=seeker).status == "completed"
    assert AuditEntry.objects.filter(verb="accounts.closed").exists()


def test_closing_needs_the_confirmation_words(seeker: User) -> None:
    with pytest.raises(ServiceError) as exc:
        account_close(user=seeker, confirmation="好的")
    assert exc.value.code == "confirmation_required"
    seeker.refresh_from_db()
    assert seeker.is_active


def test_staff_cannot_close_themselves_here(reviewer: User) -> None:
    with pytest.raises(ServiceError):
        account_close(user=reviewer, confirmation="确认注销")


def test_the_close_page_logs_out(user_client, seeker: User) -> None:  # noqa: ANN001
    client = user_client(seeker)
    response = client.post("/accounts/close/", {"confirmation": "确认注销"})
    assert response.status_code == 302 and response["Location"] == "/me/privacy/erasure/done/"
    assert client.get("/accounts/me/").status_code == 302


def test_the_close_page_rejects_anonymous(client: Client) -> None:
    assert client.post("/accounts/close/", {"confirmation": "确认注销"}).status_code == 302


def test_the_closing_sms_reaches_the_phone_before_the_erasure_releases_it(seeker: User) -> None:
    """ACC-5: the "account_closed" SMS is sent while the phone is still held; the erasure
    then removes the phone from the account."""
    from pinqiao.core.crypto import decrypt
    from pinqiao.notifications.models import LocalSmsMessage

    account_close(user=seeker, confirmation="确认注销")

    sms = LocalSmsMessage.objects.get(text__contains="您的账号已按申请注销")
    assert decrypt(sms.phone_ciphertext, context="phone") == seeker.test_phone
    seeker.refresh_from_db()
    assert not seeker.phone_ciphertext
