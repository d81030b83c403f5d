"""The seeker's consent centre (PRIV-3) and 「谁看过我」 (RES-6)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from pinqiao.core.models import AuditEntry
from pinqiao.privacy.models import Consent, ConsentPurpose
from pinqiao.privacy.selectors import contact_released_to
from pinqiao.privacy.services import resume_open
from pinqiao.privacy.testing import applied, released, resume_for
from pinqiao.privacy.wording import EXPLANATIONS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["privacy:consents", "privacy:viewers"])
def test_it_rejects_anonymous(client: Any, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_the_centre_lists_each_consent_with_its_meaning(
        user_client: Any, seeker: Any, employer: Any) -> None:
    applied(seeker, employer)
    released(seeker, employer)
    body = user_client(seeker).get(reverse("privacy:consents")).content.decode()
    assert "个人信息保护法" in body
    assert body.count(employer.name) >= 2
    assert str(EXPLANATIONS[ConsentPurpose.CONTACT_RELEASE]) in body
    assert "向该单位提供我的联系方式" in body and "投递时" in body
    assert body.count("撤回：") == 2


def test_withdrawing_takes_effect_at_once_and_keeps_the_record(
        user_client: Any, seeker: Any, employer: Any) -> None:
    consent = released(seeker, employer)
    response = user_client(seeker).post(
        reverse("privacy:consent_withdraw", args=[consent.pk]), follow=True)
    assert "即时生效" in response.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert not contact_released_to(user=seeker, organisation=employer)
    assert "已撤回" in response.content.decode()
    assert AuditEntry.objects.filter(verb="privacy.consent_withdrawn").count() == 1


def test_nobody_withdraws_another_users_consent_from_the_page(
        user_client: Any, seeker: Any, employer: Any, make_user: Any) -> None:
    consent = released(seeker, employer)
    response = user_client(make_user()).post(
        reverse("privacy:consent_withdraw", args=[consent.pk]))
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_optional_platform_purposes_can_be_switched_on_but_not_sensitive_data(
        user_client: Any, seeker: Any) -> None:
    browser = user_client(seeker)
    browser.post(reverse("privacy:consent_grant"), {"purpose": "personalisation"})
    response = browser.post(reverse("privacy:consent_grant"), {"purpose": "sensitive_data"},
                            follow=True)
    assert "需要在具体场景中单独同意" in response.content.decode()
    assert list(Consent.objects.values_list("purpose", "source")) == [
        ("personalisation", "settings")]


def test_who_viewed_me_names_the_organisation_and_masks_the_recruiter(
        user_client: Any, seeker: Any, resume: Any, recruiter: Any, employer: Any,
        make_user: Any) -> None:
    applied(seeker, employer)
    resume_open(viewer=recruiter, public_id=resume.public_id)
    released(seeker, employer)
    resume_open(viewer=recruiter, public_id=resume.public_id, kind="api")
    someone_else = make_user()
    applied(someone_else, employer)
    resume_open(viewer=recruiter, public_id=resume_for(someone_else).public_id)

    body = user_client(seeker).get(reverse("privacy:viewers")).content.decode()
    assert employer.name in body
    assert recruiter.display_name not in body and "招*" in body
    assert body.count("<tr>") == 3  # the header and this seeker's two accesses
    assert "接口读取" in body and "查看" in body
    assert "已显示" in body and "未显示（已打码）" in body


def test_who_viewed_me_is_empty_for_a_new_seeker(user_client: Any, seeker: Any) -> None:
    body = user_client(seeker).get(reverse("privacy:viewers")).content.decode()
    assert "还没有单位查看过您的简历" in body
