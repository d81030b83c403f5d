"""The registration wizard pages (ORG-1, ORG-10) and the owner's pages (ORG-5, ORG-6, ORG-11)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pinqiao.orgs import testing
from pinqiao.orgs.models import (
    ClientAuthorisation,
    Membership,
    Organisation,
    OrgStatus,
)

pytestmark = pytest.mark.django_db


def step1_data(fragment: str = "聘桥示范科技", **over: str) -> dict[str, str]:
    record = testing.company(fragment)
    data = {"kind": "employer", "name": record.name, "credit_code": record.credit_code,
            "industry": "software", "founded_on": "2018-06-01",
            "address": "广东省广州市天河区天河路100号", "contact_name": "李经理",
            "contact_phone": "13900001111", "contact_email": "hr@example.com",
            "introduction": "守法经营。"}
    data.update(over)
    return data


def step2_data(**over: object) -> dict[str, object]:
    data: dict[str, object] = {
        "responsible_name": "李招聘", "responsible_id_number": testing.valid_id(1),
        "business_licence_number": "BL-1", "business_licence_authority": "广州市市场监督管理局",
        "business_licence": testing.pdf("bl.pdf", "v1"), "id_proof": testing.pdf("id.pdf", "v2"),
        "authorisation_letter": testing.pdf("l.pdf", "v3")}
    data.update(over)
    return data


def test_it_walks_the_three_steps(recruiter, user_client):
    c = user_client(recruiter)
    response = c.get(reverse("orgs:register"))
    assert response.status_code == 200 and "pq_device" in response.cookies
    response = c.post(reverse("orgs:register"), step1_data())
    org = Organisation.objects.get()
    assert response["Location"] == reverse("orgs:register_materials", args=[org.pk])
    assert org.registration_device  # the device fingerprint is kept for ORG-9
    response = c.post(reverse("orgs:register_materials", args=[org.pk]), step2_data())
    assert response["Location"] == reverse("orgs:register_confirm", args=[org.pk])
    page = c.get(reverse("orgs:register_confirm", args=[org.pk]))
    assert "聘桥平台服务协议" in page.content.decode()
    response = c.post(reverse("orgs:register_confirm", args=[org.pk]), {
        "pledge_signed": "on", "agreement_accepted": "on", "agreement_version": "2026.1"})
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.status == OrgStatus.PENDING


def test_it_shows_the_check_character_error_on_the_form(recruiter, user_client):
    code = testing.company("聘桥示范科技").credit_code
    bad = code[:17] + ("1" if code[17] != "1" else "2")
    response = user_client(recruiter).post(reverse("orgs:register"),
                                           step1_data(credit_code=bad))
    assert response.status_code == 200
    assert "校验码错误" in response.content.decode()
    assert not Organisation.objects.exists()


def test_it_shows_a_renamed_html_file_refusal(recruiter, user_client):
    c = user_client(recruiter)
    c.post(reverse("orgs:register"), step1_data())
    org = Organisation.objects.get()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = c.post(reverse("orgs:register_materials", args=[org.pk]), step2_data(
        business_licence=SimpleUploadedFile("x.pdf", b"<html></html>", "application/pdf")))
    assert response.status_code == 200
    assert "按内容识别" in response.content.decode()
    assert not org.documents.exists()


def test_it_requires_the_agreement_to_be_ticked(recruiter, user_client):
    c = user_client(recruiter)
    c.post(reverse("orgs:register"), step1_data())
    org = Organisation.objects.get()
    c.post(reverse("orgs:register_materials", args=[org.pk]), step2_data())
    response = c.post(reverse("orgs:register_confirm", args=[org.pk]), {
        "pledge_signed": "on", "agreement_version": "2026.1"})
    assert "请阅读并同意平台服务协议" in response.content.decode()
    org.refresh_from_db()
    assert org.status == OrgStatus.DRAFT


@pytest.mark.parametrize("name", ["orgs:register"])
def test_it_rejects_anonymous(client, name):
    response = client.post(reverse(name), step1_data())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_requires_recruiter(seeker, user_client):
    response = user_client(seeker).post(reverse("orgs:register"), step1_data())
    assert response.status_code == 403
    assert not Organisation.objects.exists()


def test_it_hides_another_owners_wizard(recruiter, recruiter2, user_client):
    org = testing.register(recruiter, "聘桥示范科技")
    response = user_client(recruiter2).get(reverse("orgs:register_materials", args=[org.pk]))
    assert response.status_code == 404


def test_it_invites_and_refuses_a_second_invitation_on_the_page(employer, recruiter, recruiter2,
                                                                 user_client):
    c = user_client(recruiter)
    url = reverse("orgs:member_invite", args=[employer.pk])
    assert c.post(url, {"phone": recruiter2.test_phone, "can_chat": "on"}).status_code == 302
    response = c.post(url, {"phone": recruiter2.test_phone})
    assert response.status_code == 400
    assert "不能重复邀请" in response.content.decode()
    assert Membership.objects.filter(user=recruiter2).count() == 1


def test_it_updates_and_removes_members_on_the_page(employer, recruiter, recruiter2,
                                                    user_client):
    from pinqiao.orgs.services import member_invite

    m = member_invite(actor=recruiter, organisation=employer, phone=recruiter2.test_phone,
                      perms={})
    c = user_client(recruiter)
    c.post(reverse("orgs:member_update", args=[employer.pk, m.pk]), {"can_post_jobs": "on"})
    m.refresh_from_db()
    assert m.can_post_jobs
    c.post(reverse("orgs:member_remove", args=[employer.pk, m.pk]))
    assert not Membership.objects.filter(pk=m.pk).exists()


def test_it_lets_a_member_see_but_not_manage(employer, recruiter, recruiter2, user_client):
    from pinqiao.orgs.services import member_invite

    member_invite(actor=recruiter, organisation=employer, phone=recruiter2.test_phone,
                  perms={"can_chat": True})
    c = user_client(recruiter2)
    assert c.get(reverse("orgs:manage", args=[employer.pk])).status_code == 200
    response = c.post(reverse("orgs:member_invite", args=[employer.pk]),
                      {"phone": "13900009999"})
    assert response.status_code == 404


def test_it_adds_a_client_authorisation_on_the_page(agency, agency_owner, user_client):
    record = testing.company("天河餐饮")
    today = timezone.localdate()
    response = user_client(agency_owner).post(reverse("orgs:client_add", args=[agency.pk]), {
        "client_name": record.name, "client_credit_code": record.credit_code,
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=90)).isoformat(),
        "scope": "厨师 2 名", "file": testing.pdf("wt.pdf", "page")})
    assert response.status_code == 302
    assert ClientAuthorisation.objects.get().status == "pending"


def test_it_updates_the_profile_and_fee_statement(agency, agency_owner, user_client):
    response = user_client(agency_owner).post(reverse("orgs:profile_edit", args=[agency.pk]), {
        "introduction": "重庆本地人力资源服务机构", "highlights": "十年经验", "benefits": "",
        "team": "", "website": "https://yucai.example", "charges_seekers": "on",
        "seeker_fee_description": "入职成功后收取 200 元", "logo": testing.png()})
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.logo is not None and agency.seeker_fee_description == "入职成功后收取 200 元"


@pytest.mark.parametrize("name", [
    "orgs:member_invite", "orgs:bank_start", "orgs:bank_confirm", "orgs:email_send",
    "orgs:email_confirm", "orgs:reverify_request", "orgs:licence_add", "orgs:client_add",
    "orgs:profile_edit"])
def test_it_rejects_anonymous_on_owner_actions(client, employer, name):
    response = client.post(reverse(name, args=[employer.pk]), {})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", [
    "orgs:member_invite", "orgs:bank_start", "orgs:reverify_request", "orgs:licence_add",
    "orgs:profile_edit"])
def test_it_requires_recruiter_owner(seeker, recruiter2, user_client, employer, name):
    assert user_client(seeker).post(reverse(name, args=[employer.pk]), {}).status_code == 403
    assert user_client(recruiter2).post(reverse(name, args=[employer.pk]), {}).status_code == 404


def test_it_files_a_clients_permit_on_the_licence_page(agency, agency_owner, reviewer,
                                                       user_client):
    from pinqiao.orgs.models import Licence

    auth = testing.client_for(agency, agency_owner, reviewer)
    c = user_client(agency_owner)
    page = c.get(reverse("orgs:licence_add", args=[agency.pk])).content.decode()
    assert auth.client_name in page
    response = c.post(reverse("orgs:licence_add", args=[agency.pk]), {
        "kind": "special_permit", "permit": "food_business", "number": "JY1",
        "authority": "市场监管局", "scope": "",
        "valid_until": (timezone.localdate() + timedelta(days=200)).isoformat(),
        "client": str(auth.pk), "file": testing.pdf("p.pdf", "permit-page")})
    assert response.status_code == 302
    assert Licence.objects.get(kind="special_permit").client == auth
