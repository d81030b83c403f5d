"""ORG-13 (issue 16): 招聘简章 are reviewed like a posting — screened on save in the
``brochure`` context (title, text and the text read out of a PDF), refused with the clauses and
the words (page: input kept; API: the evidence in the error body), held for the review queue
when a person must decide, and shown on the public page only when published."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pinqiao.core.errors import NotFound, ServiceError
from pinqiao.core.models import AuditEntry
from pinqiao.moderation.models import ReviewItem, ScreeningRecord
from pinqiao.moderation.services import review_decide
from pinqiao.notifications.models import Notification
from pinqiao.orgs.brochures import (
    BrochureInput,
    brochure_delete,
    brochure_save,
    brochures_public,
)
from pinqiao.orgs.models import Brochure, BrochureStatus
from pinqiao.resumes.tests.files import pdf_with_text

pytestmark = pytest.mark.django_db

PROBE = "本公司只招男性，乙肝勿扰，加微信 vx12345678"
LAWFUL = "2027届校园招聘：研发、测试、运营岗位，男女不限，欢迎残疾人士，五险一金，双休。"


def _pdf(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("brochure.pdf", pdf_with_text(text),
                              content_type="application/pdf")


def test_a_lawful_brochure_is_published_and_audited(employer, recruiter):
    brochure = brochure_save(actor=recruiter, organisation=employer,
                             data=BrochureInput(title="2027届校园招聘简章", body=LAWFUL))
    assert brochure.status == BrochureStatus.PUBLISHED
    assert list(brochures_public(employer)) == [brochure]
    assert ScreeningRecord.objects.filter(context="brochure", decision="pass").count() == 2
    assert AuditEntry.objects.filter(verb="orgs.brochure_saved",
                                     target_id=str(brochure.pk)).exists()


def test_the_probe_is_refused_with_the_words_and_nothing_is_saved(employer, recruiter):
    with pytest.raises(ServiceError) as caught:
        brochure_save(actor=recruiter, organisation=employer,
                      data=BrochureInput(title="社会招聘简章", body=PROBE))
    error = caught.value
    assert error.code == "content_refused" and set(error.fields) == {"body"}
    for words in ("只招男", "乙肝勿扰", "vx12345678"):
        assert words in error.fields["body"][0]
    found = error.details["screening"]["body"]
    assert {"discrimination.gender", "discrimination.health"} <= set(found["categories"])
    assert not Brochure.objects.exists()


def test_traditional_chinese_in_the_title_is_screened_too(employer, recruiter):
    with pytest.raises(ServiceError) as caught:
        brochure_save(actor=recruiter, organisation=employer,
                      data=BrochureInput(title="誠聘店員，僅限女性", body=LAWFUL))
    assert set(caught.value.fields) == {"title"}


def test_a_brochure_needing_a_person_is_held_then_published_on_approval(employer, recruiter,
                                                                       reviewer):
    brochure = brochure_save(actor=recruiter, organisation=employer, data=BrochureInput(
        title="海外项目招聘简章", body="招聘赴沙特项目电焊工，月薪2万元，两年合同。"))
    assert brochure.status == BrochureStatus.PENDING
    assert not brochures_public(employer).exists()
    item = ReviewItem.objects.get(object_id=str(brochure.pk), status=ReviewItem.Status.OPEN)
    assert "overseas" in item.screening.categories
    review_decide(actor=reviewer, item=item, action="approve")
    brochure.refresh_from_db()
    assert brochure.status == BrochureStatus.PUBLISHED
    assert Notification.objects.filter(user=recruiter, event="org_brochure_reviewed").exists()


def test_the_text_of_a_pdf_is_read_out_and_screened(employer, recruiter, reviewer):
    published = brochure_save(actor=recruiter, organisation=employer, data=BrochureInput(
        title="校园招聘", pdf=_pdf("Campus hiring 2027: software engineers in Guangzhou")))
    assert published.status == BrochureStatus.PUBLISHED
    assert "software engineers" in published.pdf_text and published.pdf_id
    held = brochure_save(actor=recruiter, organisation=employer, data=BrochureInput(
        title="社会招聘", pdf=_pdf("Apply now, call 13812345678")))
    assert held.status == BrochureStatus.PENDING
    item = ReviewItem.objects.get(object_id=str(held.pk))
    assert item.screening.categories == ["contact_info"]
    review_decide(actor=reviewer, item=item, action="reject", reason_code="contact_info")
    held.refresh_from_db()
    assert held.status == BrochureStatus.REFUSED
    assert list(brochures_public(employer)) == [published]


def test_bad_input_is_refused_with_a_chinese_message(employer, recruiter):
    with pytest.raises(ServiceError) as caught:
        brochure_save(actor=recruiter, organisation=employer, data=BrochureInput(title=""))
    assert caught.value.code == "invalid_brochure" and "title" in caught.value.fields
    with pytest.raises(ServiceError) as caught:
        brochure_save(actor=recruiter, organisation=employer, data=BrochureInput(
            title="简章", pdf=SimpleUploadedFile("x.pdf", b"<html>not a pdf</html>")))
    assert "pdf" in caught.value.fields


def test_only_the_owner_writes_or_deletes(employer, recruiter, recruiter2):
    with pytest.raises(NotFound):
        brochure_save(actor=recruiter2, organisation=employer,
                      data=BrochureInput(title="简章", body=LAWFUL))
    brochure = brochure_save(actor=recruiter, organisation=employer,
                             data=BrochureInput(title="简章", body=LAWFUL))
    with pytest.raises(NotFound):
        brochure_delete(actor=recruiter2, brochure=brochure)
    brochure_delete(actor=recruiter, brochure=brochure)
    assert not Brochure.objects.exists()
    assert AuditEntry.objects.filter(verb="orgs.brochure_deleted").exists()


def test_the_page_refuses_with_the_words_marked_and_keeps_the_input(employer, recruiter,
                                                                   user_client, client):
    browser = user_client(recruiter)
    url = reverse("orgs:brochures", args=[employer.pk])
    response = browser.post(url, {"title": "社会招聘简章", "body": PROBE})
    page = response.content.decode()
    assert response.status_code == 200
    assert "以下内容未通过审核" in page and 'data-field="body"' in page
    assert ">乙肝勿扰</mark>" in page
    assert 'value="社会招聘简章"' in page  # the input is kept
    response = browser.post(url, {"title": "2027届校园招聘简章", "body": LAWFUL}, follow=True)
    assert "已保存并发布" in response.content.decode()
    brochure = Brochure.objects.get()
    edit = browser.post(reverse("orgs:brochure_edit", args=[employer.pk, brochure.pk]),
                        {"title": "2027届校园招聘简章", "body": LAWFUL + "限男性。"})
    assert "以下内容未通过审核" in edit.content.decode()
    public = client.get(reverse("orgs:public", args=[employer.pk])).content.decode()
    assert "2027届校园招聘简章" in public and "限男性" not in public


def test_the_api_creates_lists_and_refuses_with_the_evidence(employer, recruiter, user_client,
                                                            client):
    api = user_client(recruiter)
    base = f"/api/v1/orgs/{employer.pk}/brochures"
    refused = api.post(base, {"title": "社会招聘简章", "body": PROBE})
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["code"] == "content_refused"
    assert "乙肝勿扰" in {e["text"] for e in error["details"]["screening"]["body"]["evidence"]}
    created = api.post(base, {"title": "校园招聘简章", "body": LAWFUL})
    assert created.status_code == 201 and created.json()["status"] == "published"
    listed = client.get(base).json()
    assert [b["title"] for b in listed] == ["校园招聘简章"]
    gone = api.delete(f"{base}/{created.json()['id']}")
    assert gone.status_code == 204 and client.get(base).json() == []
