"""PRIV-5, ACC-5: closing an account runs the deletion workflow — what may be erased is erased
or anonymised, what the law requires to keep is restricted until a date, derived data and
indexes follow, and the phone and ID numbers can no longer be found through any blind index.
A legal hold restricts instead, with the reason shown."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from pinqiao.accounts.backends import find_user_by_identifier
from pinqiao.accounts.identity import encrypt_phone, phone_index
from pinqiao.accounts.models import LoginRecord, SmsCode
from pinqiao.accounts.realname import id_number_index
from pinqiao.applications.models import Application
from pinqiao.core.crypto import encrypt
from pinqiao.privacy.models import Consent
from pinqiao.recommendations.models import Exposure
from pinqiao.resumes.models import Resume
from pinqiao.rights.models import Erasure, RightsRequest
from pinqiao.rights.services import legal_hold_place
from pinqiao.search.talent.index import visible

pytestmark = pytest.mark.django_db

ID_NUMBER = "110105199003071239"

#: The local real-name provider's registry stands in for the public-security service outside
#: the platform; it is not the platform's record of the person.
OUTSIDE = {"accounts.IdentityRecord"}


def _blind_index_holders(*values: str) -> list[str]:
    found = []
    for model in apps.get_models():
        if model._meta.label in OUTSIDE:
            continue
        for field in model._meta.concrete_fields:
            if field.name.endswith("_index") and model.objects.filter(
                    **{f"{field.name}__in": values}).exists():
                found.append(f"{model._meta.label}.{field.name}")
    return found


@pytest.fixture
def history(seeker: Any, application: Any, posting: Any) -> Any:
    """A real-name-verified seeker with an application, a login, an SMS code and exposures."""
    seeker.id_number_ciphertext = encrypt(ID_NUMBER, context="id_number")
    seeker.id_number_index = id_number_index(ID_NUMBER)
    seeker.real_name_ciphertext = encrypt("张小明", context="real_name")
    seeker.save()
    LoginRecord.objects.create(user=seeker, method="sms", phone_index=seeker.phone_index,
                               phone_ciphertext=encrypt_phone(seeker.test_phone))
    SmsCode.objects.create(phone_index=seeker.phone_index, purpose="login", code_digest="x",
                           expires_at=timezone.now() + timedelta(minutes=5))
    Exposure.objects.create(surface="search", posting=posting, seeker=seeker, rank=1)
    return seeker


def test_closing_erases_anonymises_and_restricts_with_end_dates(
        history: Any, application: Any, user_client: Any) -> None:
    phone = history.test_phone
    client = user_client(history)
    response = client.post("/accounts/close/", {"confirmation": "确认注销"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    erasure = Erasure.objects.get(user=history)
    actions = {item["action"] for item in erasure.items}
    assert actions == {"erased", "anonymised", "restricted"}
    until = {i["what"][:4]: i["until"] for i in erasure.items if i["action"] != "erased"}
    assert all(until.values())
    assert "限制处理" in page and "已匿名化" in page
    for day in until.values():
        assert day in page
    # Applications stay for the employer and the statistics, anonymised.
    kept = Application.objects.get(pk=application.pk)
    assert kept.stage == application.stage and kept.answers == []
    resume = Resume.objects.get(owner=history)
    assert resume.full_name == resume.phone_ciphertext == ""
    assert resume.visibility == "hidden"
    assert not visible().filter(pk=resume.pk).exists()
    # Neither number can be found through any blind index.
    assert find_user_by_identifier(phone) is None
    assert _blind_index_holders(phone_index(phone), id_number_index(ID_NUMBER)) == []
    assert not SmsCode.objects.exists()
    # Derived data follows; consents are withdrawn but kept as proof.
    assert not Exposure.objects.filter(seeker=history).exists()
    assert not Consent.objects.filter(user=history, withdrawn_at=None).exists()
    history.refresh_from_db()
    assert not history.is_active and history.display_name == "已注销用户"
    assert RightsRequest.objects.get(user=history, kind="delete").status == "completed"


def test_a_person_under_legal_hold_is_restricted_with_the_reason_shown(
        history: Any, rights_operator: Any, user_client: Any) -> None:
    legal_hold_place(actor=rights_operator, scope="person", user=history,
                     reason="投诉 T-2026-031 正在处理")
    client = user_client(history)
    response = client.post("/accounts/close/", {"confirmation": "确认注销"})
    page = client.get(response["Location"]).content.decode()
    assert "投诉 T-2026-031 正在处理" in page and "保全解除后" in page
    history.refresh_from_db()
    assert not history.is_active and history.phone_ciphertext and history.id_number_index
    request = RightsRequest.objects.get(user=history, kind="delete")
    assert request.status == "refused" and request.refusal_reason == "legal_hold"
    assert Exposure.objects.filter(seeker=history).exists()


def test_a_hold_must_say_why_and_on_whom(rights_operator: Any, seeker: Any) -> None:
    from pinqiao.core.errors import ServiceError

    with pytest.raises(ServiceError) as exc:
        legal_hold_place(actor=rights_operator, scope="case", case_ref="", user=seeker,
                         reason="执法协查")
    assert "case_ref" in exc.value.fields
    with pytest.raises(ServiceError) as exc:
        legal_hold_place(actor=seeker, scope="person", user=seeker, reason="x")
    assert exc.value.status == 403


def test_the_confirmation_page_is_not_shown_without_a_closing(client: Any) -> None:
    assert client.get("/me/privacy/erasure/done/").status_code == 302
