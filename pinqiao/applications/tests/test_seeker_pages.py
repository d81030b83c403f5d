"""The seeker's pages (APP-1, APP-7): the apply box on the posting page, the apply form with
its questions and consents, the list with status, the detail with the visible history, and
withdrawing. Other people's applications are not found, and the attempt is audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from pinqiao.applications import services
from pinqiao.applications.models import Application, Stage
from pinqiao.applications.testing import applied, approved_resume
from pinqiao.core.models import AuditEntry
from pinqiao.privacy.models import Consent, ConsentPurpose

pytestmark = pytest.mark.django_db


def test_the_posting_page_offers_the_apply_button(client: Any, user_client: Any,
                                                  posting: Any, seeker: Any) -> None:
    html = client.get(reverse("jobs:detail", args=[posting.pk])).content.decode()
    assert "登录后投递" in html
    html = user_client(seeker).get(reverse("jobs:detail", args=[posting.pk])).content.decode()
    assert reverse("applications:apply", args=[posting.pk]) in html


def test_the_posting_page_shows_an_existing_application(user_client: Any, posting: Any,
                                                        seeker: Any) -> None:
    application = applied(seeker, posting)
    html = user_client(seeker).get(reverse("jobs:detail", args=[posting.pk])).content.decode()
    assert "您已投递该职位" in html
    assert reverse("applications:detail", args=[application.pk]) in html


def test_it_requires_login_to_apply(client: Any, posting: Any) -> None:
    response = client.get(reverse("applications:apply", args=[posting.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_applies_from_the_form_with_separate_consents(user_client: Any, posting: Any,
                                                         recruiter: Any,
                                                         ready_seeker: Any) -> None:
    question = services.question_add(actor=recruiter, posting=posting, data={
        "kind": "yes_no", "text": "是否持有叉车证？", "knockout_answer": "yes"})
    web = user_client(ready_seeker)
    form = web.get(reverse("applications:apply", args=[posting.pk])).content.decode()
    assert "是否持有叉车证？" in form
    assert "同意向该单位提供我的简历" in form and "同意向该单位提供我的联系方式" in form
    assert "期望" not in form, "the knockout answer is not shown to seekers"
    response = web.post(reverse("applications:apply", args=[posting.pk]),
                        {f"q_{question.pk}": "yes", "consent_resume": "on"})
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:detail", args=[application.pk])
    assert application.knockout_met is True
    assert list(Consent.objects.values_list("purpose", flat=True)) == [
        ConsentPurpose.RESUME_TO_EMPLOYER]


def test_the_form_explains_what_is_missing(user_client: Any, posting: Any, recruiter: Any,
                                           ready_seeker: Any) -> None:
    question = services.question_add(actor=recruiter, posting=posting, data={
        "kind": "single_choice", "text": "最快何时到岗？", "choices": ["一周内", "一个月内"]})
    response = user_client(ready_seeker).post(
        reverse("applications:apply", args=[posting.pk]), {f"q_{question.pk}": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<p class="error" role="alert">请回答此问题。</p>' in html, "beside the question"
    assert not Application.objects.exists() and not Consent.objects.exists()
    response = user_client(ready_seeker).post(
        reverse("applications:apply", args=[posting.pk]), {f"q_{question.pk}": "一周内"})
    assert "投递需要您同意向该单位提供简历。" in response.content.decode()
    assert not Application.objects.exists()


def test_the_form_explains_a_resume_that_is_not_ready(user_client: Any, posting: Any,
                                                      seeker: Any) -> None:
    approved_resume(seeker, review_status="pending")
    response = user_client(seeker).post(reverse("applications:apply", args=[posting.pk]),
                                        {"consent_resume": "on"})
    assert "您的简历正在人工审核" in response.content.decode()


def test_a_second_visit_goes_to_the_existing_application(user_client: Any, posting: Any,
                                                         seeker: Any) -> None:
    application = applied(seeker, posting)
    response = user_client(seeker).get(reverse("applications:apply", args=[posting.pk]))
    assert response["Location"] == reverse("applications:detail", args=[application.pk])


def test_a_closed_posting_cannot_be_applied_to(user_client: Any, posting: Any, recruiter: Any,
                                               ready_seeker: Any) -> None:
    from pinqiao.jobs import services as jobs_services

    jobs_services.posting_close(actor=recruiter, posting=posting)
    response = user_client(ready_seeker).get(reverse("applications:apply", args=[posting.pk]))
    assert response.status_code == 404


def test_the_list_and_detail_show_status_and_visible_history(user_client: Any, posting: Any,
                                                             seeker: Any,
                                                             recruiter: Any) -> None:
    application = applied(seeker, posting)
    services.application_stage_set(actor=recruiter, application=application,
                                   stage=Stage.SHORTLISTED, note="请留意面试通知。")
    services.note_add(actor=recruiter, application=application, body="候选人经验丰富，内部备注")
    web = user_client(seeker)
    listing = web.get(reverse("applications:mine")).content.decode()
    assert posting.title in listing and "初筛通过" in listing
    detail = web.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "已投递" in detail and "初筛通过" in detail and "请留意面试通知。" in detail
    assert "内部备注" not in detail


def test_the_seeker_withdraws_from_the_page(user_client: Any, posting: Any,
                                            seeker: Any) -> None:
    application = applied(seeker, posting)
    response = user_client(seeker).post(reverse("applications:withdraw",
                                                args=[application.pk]))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.stage == Stage.WITHDRAWN


def test_another_seeker_gets_not_found_and_an_audit_entry(user_client: Any, posting: Any,
                                                          seeker: Any,
                                                          make_seeker: Any) -> None:
    application = applied(seeker, posting)
    other = make_seeker()
    web = user_client(other)
    assert web.get(reverse("applications:detail", args=[application.pk])).status_code == 404
    assert web.post(reverse("applications:withdraw",
                            args=[application.pk])).status_code == 404
    denied = AuditEntry.objects.filter(verb="application.access_denied", actor_id=other.pk,
                                       target_id=str(application.pk))
    assert denied.count() == 2
    application.refresh_from_db()
    assert application.stage == Stage.NEW
