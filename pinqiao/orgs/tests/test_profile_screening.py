"""MOD-1, ORG-11, ORG-15, DISC-4 (issue 16): an organisation's public texts are screened before
they are saved — in the service, on the page (refused with the clauses and the words marked,
the input kept) and in the API (the error body names the words and their offsets)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from pinqiao.core.errors import ServiceError
from pinqiao.moderation.models import ScreeningRecord
from pinqiao.orgs import testing
from pinqiao.orgs.models import SpecialPermitRule
from pinqiao.orgs.selectors import OVERSEAS_LABOUR_PERMIT, screening_waivers
from pinqiao.orgs.services import (
    OrganisationInput,
    licence_add,
    licence_review,
    organisation_draft_create,
)
from pinqiao.orgs.services import organisation_profile_update as update

pytestmark = pytest.mark.django_db

PROBE = "本公司只招男性，乙肝勿扰，加微信 vx12345678"


def test_it_refuses_the_probe_in_benefits_with_the_words(employer, recruiter):
    with pytest.raises(ServiceError) as caught:
        update(actor=recruiter, organisation=employer, changes={"benefits": PROBE})
    error = caught.value
    assert error.code == "content_refused"
    assert set(error.fields) == {"benefits"}
    for words in ("性别歧视", "只招男", "乙肝勿扰", "vx12345678", "就业促进法"):
        assert words in error.fields["benefits"][0]
    found = error.details["screening"]["benefits"]
    assert found["decision"] == "reject"
    assert {"discrimination.gender", "discrimination.health", "contact_info"} <= set(
        found["categories"])
    for evidence in found["evidence"]:
        assert PROBE[evidence["start"]:evidence["end"]] == evidence["text"]
    employer.refresh_from_db()
    assert employer.benefits == ""
    assert ScreeningRecord.objects.filter(context="profile", decision="reject").exists()


def test_it_saves_a_lawful_profile(employer, recruiter):
    update(actor=recruiter, organisation=employer, changes={
        "benefits": "五险一金，带薪年假，男女同工同酬", "highlights": "欢迎残疾人士应聘",
        "team": "團隊來自一線互聯網公司", "website": "https://pinqiao.example"})
    employer.refresh_from_db()
    assert employer.benefits.startswith("五险一金")


def test_it_screens_traditional_chinese_in_the_introduction(employer, recruiter):
    with pytest.raises(ServiceError) as caught:
        update(actor=recruiter, organisation=employer,
               changes={"introduction": "僅限男性，詳情加薇"})
    assert "introduction" in caught.value.fields


def test_it_screens_the_agency_fee_statement_by_who_pays(agency, agency_owner):
    update(actor=agency_owner, organisation=agency, changes={
        "charges_seekers": True,
        "seeker_fee_description": "向用人单位收取服务费，为首月工资的20%；求职者不收取任何费用"})
    with pytest.raises(ServiceError) as caught:
        update(actor=agency_owner, organisation=agency, changes={
            "charges_seekers": True, "seeker_fee_description": "求职登记费50元，另收介绍费300元"})
    assert set(caught.value.fields) == {"seeker_fee_description"}
    assert caught.value.details["screening"]["seeker_fee_description"]["categories"] == [
        "fee_charging"]


def test_it_screens_the_brand_name_at_registration(recruiter):
    record = testing.company("聘桥示范科技")
    data = OrganisationInput(**{**testing.org_input(record).__dict__,
                                "introduction": "招商加盟，加盟费3.8万元，诚招区域代理"})
    with pytest.raises(ServiceError) as caught:
        organisation_draft_create(actor=recruiter, data=data)
    assert "introduction" in caught.value.fields
    assert "非招聘信息" in caught.value.fields["introduction"][0]


def test_it_shows_the_refusal_on_the_page_with_the_input_kept(employer, recruiter, user_client):
    response = user_client(recruiter).post(reverse("orgs:profile_edit", args=[employer.pk]), {
        "introduction": "专注新能源汽车零部件研发", "highlights": "", "benefits": PROBE,
        "team": "", "website": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "以下内容未通过审核" in page
    assert "专注新能源汽车零部件研发" in page  # the other fields are kept too
    assert 'data-field="benefits"' in page
    assert '<mark class="hit" data-category="discrimination.gender"' in page
    assert ">乙肝勿扰</mark>" in page
    assert "vx12345678" in page
    employer.refresh_from_db()
    assert employer.benefits == ""


def test_it_returns_the_words_in_the_api_error_body(employer, recruiter, user_client):
    client = user_client(recruiter)
    response = client.patch(f"/api/v1/orgs/{employer.pk}/profile", {"benefits": PROBE},
                            content_type="application/json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "content_refused"
    assert "乙肝勿扰" in error["fields"]["benefits"][0]
    evidence = error["details"]["screening"]["benefits"]["evidence"]
    assert {"乙肝勿扰"} <= {e["text"] for e in evidence}
    ok = client.patch(f"/api/v1/orgs/{employer.pk}/profile", {"benefits": "六险一金 弹性工作"},
                      content_type="application/json")
    assert ok.status_code == 200 and ok.json()["benefits"] == "六险一金 弹性工作"


def test_it_waives_jobs_abroad_for_a_verified_overseas_labour_licence(employer, recruiter,
                                                                      reviewer):
    """ORG-12: a verified 对外劳务合作 licence on file lets the organisation describe jobs
    abroad; without it the same text is held (refused on a profile, which has no queue)."""
    text = "长期招聘赴新加坡建筑工地务工人员 两年合同"
    with pytest.raises(ServiceError) as caught:
        update(actor=recruiter, organisation=employer, changes={"highlights": text})
    assert "境外务工" in caught.value.fields["highlights"][0]
    SpecialPermitRule.objects.create(
        slug=OVERSEAS_LABOUR_PERMIT, industry_label="对外劳务合作",
        permit_name="对外劳务合作经营资格证书", authority="商务主管部门",
        industries=[employer.industry])
    licence = licence_add(actor=recruiter, organisation=employer, kind="special_permit",
                          number="WL-2026-001", authority="广东省商务厅",
                          valid_until=date(2030, 12, 31),
                          upload=testing.pdf("permit.pdf", "permit"),
                          permit=OVERSEAS_LABOUR_PERMIT)
    assert screening_waivers(employer) == ()  # pending until a reviewer verifies it
    licence_review(actor=reviewer, licence=licence, approve=True)
    assert screening_waivers(employer) == ("overseas",)
    update(actor=recruiter, organisation=employer, changes={"highlights": text})
    employer.refresh_from_db()
    assert employer.highlights == text
    with pytest.raises(ServiceError):  # the fraud lure is never waived
        update(actor=recruiter, organisation=employer,
               changes={"highlights": "境外高薪，护照代办，落地即上岗"})


def test_it_screens_the_brand_name_and_website_themselves(recruiter, employer):
    """ORG-15: the brand (organisation) name and the website are screened in the ``brand``
    context, at registration and on every profile edit; a lawful URL is not a contact detail."""
    record = testing.company("聘桥示范科技")
    data = OrganisationInput(**{**testing.org_input(record).__dict__,
                                "name": record.name + "（只招男性，加薇 vx12345678）"})
    with pytest.raises(ServiceError) as caught:
        organisation_draft_create(actor=recruiter, data=data)
    assert "name" in caught.value.fields
    assert caught.value.details["screening"]["name"]["decision"] == "reject"
    with pytest.raises(ServiceError) as caught:
        update(actor=recruiter, organisation=employer,
               changes={"website": "https://jobs.example.cn/乙肝勿扰"})
    assert set(caught.value.fields) == {"website"}
    assert ScreeningRecord.objects.filter(context="brand", decision="reject").count() == 2
    update(actor=recruiter, organisation=employer, changes={"website": "https://jobs.example.cn"})
