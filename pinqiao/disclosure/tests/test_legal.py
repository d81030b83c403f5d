"""Versioned legal documents (DISC-5): the version in force, acceptance at sign-up, asking again
when a new version is published (pages redirect, the API answers 403), recording every
acceptance; the staff page that publishes a version."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from pinqiao.accounts.models import User
from pinqiao.accounts.services import (
    SignupInput,
    account_signup,
    api_token_issue,
    sms_code_request,
)
from pinqiao.core.errors import NotPermitted, ServiceError
from pinqiao.core.models import AuditEntry
from pinqiao.disclosure.models import LegalAcceptance, LegalDocument, LegalKind
from pinqiao.disclosure.selectors import (
    legal_document_current,
    legal_documents_current,
    legal_documents_pending,
)
from pinqiao.disclosure.services import legal_document_publish
from pinqiao.notifications.providers import LocalSmsProvider

NEW_PHONE = "13800138000"
SEEKER_KINDS = {LegalKind.USER_AGREEMENT, LegalKind.PRIVACY_POLICY, LegalKind.BEHAVIOUR_RULES}


def sms_code(phone: str) -> str:
    """The 6-digit code in the newest text the local SMS provider delivered to ``phone``."""
    match = re.search(r"\d{6}", LocalSmsProvider.inbox(phone)[0])
    assert match is not None
    return match.group()


def signup(role: str = "seeker", accept_terms: bool = True, email: str = "") -> User:
    sms_code_request(phone=NEW_PHONE, purpose="signup")
    return account_signup(data=SignupInput(
        phone=NEW_PHONE, code=sms_code(NEW_PHONE), password="Secret2026pass",
        accept_terms=accept_terms, role=role, email=email), ip="203.0.113.7")


def publish(actor: User, kind: str = LegalKind.PRIVACY_POLICY,
            version: str = "2.0") -> LegalDocument:
    return legal_document_publish(actor=actor, kind=kind, version=version,
                                  title="隐私政策", body="第二版正文。",
                                  summary_of_changes="新增个人信息出境说明")


@pytest.fixture
def seeker_client(seeker: User, accepted: Callable[[User], User],
                  user_client: Callable[[User], Client]) -> Client:
    """A seeker who accepted every document in force, logged in."""
    return user_client(accepted(seeker))


# --- the version in force --------------------------------------------------------------------

def test_it_takes_the_newest_published_version_as_current(verified_operator: User) -> None:
    new = publish(verified_operator)

    assert legal_document_current(LegalKind.PRIVACY_POLICY) == new
    current = {d.kind: d.version for d in legal_documents_current()}
    assert current == {kind: "1.0" for kind in LegalKind.values} | {"privacy_policy": "2.0"}


def test_it_ignores_a_version_not_yet_in_force(db: None) -> None:
    LegalDocument.objects.create(kind=LegalKind.USER_AGREEMENT, version="3.0", title="用户协议",
                                 body="将来的版本", published_at=timezone.now() + timedelta(days=7))

    assert legal_document_current(LegalKind.USER_AGREEMENT).version == "1.0"


def test_it_shows_the_document_in_force(client: Client, verified_operator: User) -> None:
    publish(verified_operator)

    html = client.get("/legal/privacy_policy/").content.decode()

    assert "第二版正文。" in html
    assert "版本 2.0" in html
    assert "新增个人信息出境说明" in html


def test_it_answers_404_for_an_unknown_document(client: Client) -> None:
    assert client.get("/legal/no_such_rules/").status_code == 404


# --- acceptance at sign-up -------------------------------------------------------------------

def test_it_records_acceptance_of_the_current_documents_at_sign_up(db: None) -> None:
    user = signup()

    rows = LegalAcceptance.objects.filter(user=user).select_related("document")
    assert {(a.document.kind, a.document.version) for a in rows} == {
        (kind, "1.0") for kind in SEEKER_KINDS}
    assert {a.ip for a in rows} == {"203.0.113.7"}
    assert legal_documents_pending(user=user) == []
    assert AuditEntry.objects.filter(verb="legal.accepted", actor_id=user.pk).exists()


def test_it_has_recruiters_accept_the_posting_rules_and_credit_pledge(db: None) -> None:
    user = signup(role="recruiter", email="hr@new.example")

    kinds = set(LegalAcceptance.objects.filter(user=user).values_list("document__kind",
                                                                      flat=True))
    assert kinds == SEEKER_KINDS | {LegalKind.POSTING_RULES, LegalKind.CREDIT_PLEDGE}


def test_it_refuses_sign_up_without_accepting_the_user_agreement(db: None) -> None:
    with pytest.raises(ServiceError) as refused:
        signup(accept_terms=False)

    assert refused.value.fields["accept_terms"] == ["请阅读并同意用户协议和隐私政策。"]
    assert not User.objects.exists()
    assert not LegalAcceptance.objects.exists()


# --- asking again after a new version --------------------------------------------------------

def test_it_lets_a_user_who_accepted_everything_through(seeker_client: Client) -> None:
    assert seeker_client.get("/accounts/me/").status_code == 200
    assert seeker_client.get("/api/v1/me").status_code == 200


def test_it_redirects_the_next_page_to_the_acceptance_page_after_a_new_version(
        seeker_client: Client, verified_operator: User) -> None:
    publish(verified_operator)

    response = seeker_client.get("/accounts/me/")

    assert response.status_code == 302
    assert response["Location"] == "/legal/accept/?next=/accounts/me/"


def test_it_keeps_the_whole_address_to_return_to(seeker_client: Client,
                                                 verified_operator: User) -> None:
    publish(verified_operator)

    response = seeker_client.get("/inbox/?page=2&sort=new")

    assert response["Location"] == "/legal/accept/?next=/inbox/%3Fpage%3D2%26sort%3Dnew"
    html = seeker_client.get(response["Location"]).content.decode()
    assert 'name="next" value="/inbox/?page=2&amp;sort=new"' in html


def test_it_answers_the_api_with_legal_acceptance_required(seeker_client: Client,
                                                           verified_operator: User) -> None:
    publish(verified_operator)

    response = seeker_client.get("/api/v1/me")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "legal_acceptance_required"
    assert response.json()["error"]["message"] == "协议已更新，请先阅读并同意新版本。"


def test_it_answers_a_bearer_token_with_legal_acceptance_required(
        seeker: User, accepted: Callable[[User], User], verified_operator: User) -> None:
    token = api_token_issue(user=accepted(seeker), name="app")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get("/api/v1/me").status_code == 200

    publish(verified_operator)
    response = client.get("/api/v1/me")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "legal_acceptance_required"
    assert client.post("/api/v1/legal/accept").status_code == 200
    assert client.get("/api/v1/me").status_code == 200


def test_it_does_not_ask_seekers_to_accept_recruiter_rules(
        seeker: User, recruiter: User, accepted: Callable[[User], User],
        user_client: Callable[[User], Client], verified_operator: User) -> None:
    seeker_client, recruiter_client = user_client(accepted(seeker)), user_client(
        accepted(recruiter))

    publish(verified_operator, kind=LegalKind.POSTING_RULES)

    assert seeker_client.get("/accounts/me/").status_code == 200
    assert recruiter_client.get("/accounts/me/")["Location"].startswith("/legal/accept/")


@pytest.mark.parametrize("path", ["/", "/services/", "/safety/", "/disclosure/licences/",
                                  "/legal/privacy_policy/", "/api/v1/legal/current",
                                  "/api/v1/disclosure/operator",
                                  "/api/v1/disclosure/services"])
def test_it_leaves_public_pages_open_while_acceptance_is_pending(
        seeker_client: Client, verified_operator: User, path: str) -> None:
    publish(verified_operator)

    assert seeker_client.get(path).status_code == 200


def test_it_lets_a_user_who_does_not_agree_close_the_account(seeker_client: Client,
                                                             seeker: User,
                                                             verified_operator: User) -> None:
    publish(verified_operator)

    assert seeker_client.get("/accounts/close/").status_code == 200
    response = seeker_client.post("/accounts/close/", {"confirmation": "确认注销"})

    assert response.status_code == 302
    seeker.refresh_from_db()
    assert seeker.is_active is False


def test_it_lets_a_user_who_does_not_agree_close_the_account_through_the_api(
        seeker_client: Client, seeker: User, verified_operator: User) -> None:
    publish(verified_operator)

    response = seeker_client.post("/api/v1/me/close", {"confirmation": "确认注销"},
                                  content_type="application/json")

    assert response.status_code == 200
    seeker.refresh_from_db()
    assert seeker.is_active is False


def test_it_lists_the_new_versions_on_the_acceptance_page(seeker_client: Client,
                                                          verified_operator: User) -> None:
    publish(verified_operator)

    html = seeker_client.get("/legal/accept/?next=/accounts/me/").content.decode()

    assert "《隐私政策》2.0" in html
    assert "新增个人信息出境说明" in html
    assert "用户协议" not in html.split("<footer")[0].split("协议已更新")[1].split("</ul>")[0]


def test_it_records_the_acceptance_and_lets_the_user_through(
        seeker_client: Client, seeker: User, verified_operator: User) -> None:
    new = publish(verified_operator)

    response = seeker_client.post("/legal/accept/", {"accept": "yes", "next": "/accounts/me/"},
                                  REMOTE_ADDR="198.51.100.4")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/me/"
    acceptance = LegalAcceptance.objects.get(user=seeker, document=new)
    assert acceptance.ip == "198.51.100.4"
    assert LegalAcceptance.objects.filter(user=seeker).count() == len(SEEKER_KINDS) + 1
    entry = AuditEntry.objects.filter(verb="legal.accepted", actor_id=seeker.pk).last()
    assert entry.data == {"documents": ["privacy_policy:2.0"]}
    assert seeker_client.get("/accounts/me/").status_code == 200
    assert seeker_client.get("/api/v1/me").status_code == 200


def test_it_keeps_asking_until_the_box_is_ticked(seeker_client: Client, seeker: User,
                                                 verified_operator: User) -> None:
    new = publish(verified_operator)

    response = seeker_client.post("/legal/accept/", {"next": "/accounts/me/"}, follow=True)

    assert "请勾选同意后继续" in response.content.decode()
    assert not LegalAcceptance.objects.filter(user=seeker, document=new).exists()
    assert seeker_client.get("/accounts/me/").status_code == 302


def test_it_does_not_follow_a_next_address_off_the_site(seeker_client: Client,
                                                        verified_operator: User) -> None:
    publish(verified_operator)

    response = seeker_client.post("/legal/accept/",
                                  {"accept": "yes", "next": "https://evil.example/"})

    assert response["Location"] == "/"


def test_it_accepts_through_the_api(seeker_client: Client, verified_operator: User) -> None:
    publish(verified_operator)

    pending = seeker_client.get("/api/v1/legal/pending").json()
    accepted = seeker_client.post("/api/v1/legal/accept").json()

    assert [(d["kind"], d["version"]) for d in pending] == [("privacy_policy", "2.0")]
    assert [(d["kind"], d["version"]) for d in accepted] == [("privacy_policy", "2.0")]
    assert seeker_client.get("/api/v1/legal/pending").json() == []
    assert seeker_client.get("/api/v1/me").status_code == 200


def test_it_records_each_acceptance_once(seeker: User, accepted: Callable[[User], User]) -> None:
    accepted(seeker)
    accepted(seeker)

    assert LegalAcceptance.objects.filter(user=seeker).count() == len(SEEKER_KINDS)


# --- publishing ------------------------------------------------------------------------------

def test_it_audits_publishing(verified_operator: User) -> None:
    document = publish(verified_operator)

    entry = AuditEntry.objects.get(verb="legal.published")
    assert entry.actor_id == verified_operator.pk
    assert entry.target_id == str(document.pk)
    assert entry.data == {"kind": "privacy_policy", "version": "2.0"}


def test_it_refuses_a_version_number_used_before(verified_operator: User) -> None:
    with pytest.raises(ServiceError) as refused:
        publish(verified_operator, version="1.0")

    assert refused.value.code == "version_exists"
    assert refused.value.message == "该版本号已存在。"


def test_it_refuses_an_unknown_kind_of_document(verified_operator: User) -> None:
    with pytest.raises(ServiceError) as refused:
        publish(verified_operator, kind="house_rules")

    assert refused.value.fields == {"kind": ["协议类型无效。"]}
    assert not LegalDocument.objects.filter(kind="house_rules").exists()


def test_it_refuses_a_blank_title_or_body(verified_operator: User) -> None:
    with pytest.raises(ServiceError) as refused:
        legal_document_publish(actor=verified_operator, kind=LegalKind.PRIVACY_POLICY,
                               version="2.0", title="隐私政策", body=" \n ")

    assert refused.value.message == "标题和正文不能为空。"
    assert not LegalDocument.objects.filter(version="2.0").exists()


def test_it_refuses_publishing_by_anyone_but_an_operator(
        reviewer: User, past_second_factor: Callable[[User], User]) -> None:
    with pytest.raises(NotPermitted):
        publish(past_second_factor(reviewer))

    assert not LegalDocument.objects.filter(version="2.0").exists()


class TestStaffLegalPage:
    """/staff/legal/: operators past the second factor publish a new version."""

    url = "/staff/legal/"
    form = {"kind": "privacy_policy", "version": "2.0", "title": "隐私政策",
            "body": "第二版正文。", "summary_of_changes": "新增个人信息出境说明"}

    def test_it_rejects_anonymous(self, client: Client) -> None:
        response = client.post(self.url, self.form)

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
        assert not LegalDocument.objects.filter(version="2.0").exists()

    def test_it_requires_operator(self, reviewer: User,
                                  staff_client: Callable[[User], Client]) -> None:
        client = staff_client(reviewer)

        assert client.get(self.url).status_code == 403
        assert client.post(self.url, self.form).status_code == 403
        assert not LegalDocument.objects.filter(version="2.0").exists()

    def test_it_refuses_seekers(self, seeker: User, accepted: Callable[[User], User],
                                user_client: Callable[[User], Client]) -> None:
        assert user_client(accepted(seeker)).get(self.url).status_code == 403

    def test_it_requires_second_factor(self, operator: User,
                                       user_client: Callable[[User], Client]) -> None:
        response = user_client(operator).post(self.url, self.form)

        assert response.status_code == 302
        assert response["Location"] == "/staff/otp/?next=/staff/legal/"
        assert not LegalDocument.objects.filter(version="2.0").exists()

    def test_it_lists_the_versions_in_force(self, operator: User,
                                            staff_client: Callable[[User], Client]) -> None:
        html = staff_client(operator).get(self.url).content.decode()

        assert "隐私政策 1.0" in html

    def test_it_publishes_a_version_that_users_must_accept(
            self, operator: User, staff_client: Callable[[User], Client],
            seeker_client: Client) -> None:
        response = staff_client(operator).post(self.url, self.form, follow=True)

        assert "已发布 隐私政策 2.0" in response.content.decode()
        assert legal_document_current(LegalKind.PRIVACY_POLICY).version == "2.0"
        assert AuditEntry.objects.filter(verb="legal.published", actor_id=operator.pk).exists()
        assert seeker_client.get("/accounts/me/")["Location"].startswith("/legal/accept/")

    def test_it_refuses_a_version_number_used_before(
            self, operator: User, staff_client: Callable[[User], Client]) -> None:
        response = staff_client(operator).post(self.url, self.form | {"version": "1.0"})

        assert response.status_code == 200
        assert "该版本号已存在。" in response.content.decode()
        assert LegalDocument.objects.filter(kind="privacy_policy").count() == 1
