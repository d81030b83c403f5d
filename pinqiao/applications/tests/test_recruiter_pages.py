"""The recruiter's pages (APP-2, APP-6, APP-7): the pipeline with its filters and bulk
actions, one application with its answers, history, notes, tags, the résumé link, stage moves,
rejection, the offer and the outcome; screening questions; the organisation's settings."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from pinqiao.applications import services
from pinqiao.applications.models import Application, Stage
from pinqiao.applications.testing import applied
from pinqiao.core.permissions import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def web(user_client: Any, recruiter: Any) -> Any:
    return user_client(recruiter)


@pytest.fixture
def application(seeker: Any, posting: Any, recruiter: Any) -> Application:
    question = services.question_add(actor=recruiter, posting=posting, data={
        "kind": "yes_no", "text": "是否持有叉车证？", "knockout_answer": "是"})
    return applied(seeker, posting, answers={str(question.pk): "no"})


def _detail(application: Application) -> str:
    return reverse("applications:recruiter_detail", args=[application.pk])


def _action(application: Application, action: str) -> str:
    return reverse("applications:recruiter_action", args=[application.pk, action])


def test_the_pipeline_lists_and_filters(web: Any, application: Application,
                                        posting: Any) -> None:
    url = reverse("applications:recruiter_list")
    html = web.get(url).content.decode()
    assert f"投递 #{application.pk}" in html and "不符合" in html
    assert "张*" in html and "张小明" not in html, "names masked in the list"
    assert f"投递 #{application.pk}" not in web.get(url + "?knockout=met").content.decode()
    assert f"投递 #{application.pk}" in web.get(
        url + f"?knockout=not_met&posting={posting.pk}&stage=new").content.decode()
    assert web.get(url + "?posting=abc&stage=zzz&tag=1").status_code == 200


def test_the_pipeline_needs_a_recruiter(user_client: Any, client: Any, seeker: Any) -> None:
    url = reverse("applications:recruiter_list")
    assert client.get(url).status_code == 302
    assert user_client(seeker).get(url).status_code == 403


def test_a_recruiter_without_a_verified_organisation_sees_an_explanation(
        user_client: Any, make_user: Any) -> None:
    html = user_client(make_user(role=Role.RECRUITER)).get(
        reverse("applications:recruiter_list")).content.decode()
    assert "尚未通过认证" in html


def test_the_detail_shows_answers_resume_and_interview_links(web: Any,
                                                             application: Application) -> None:
    html = web.get(_detail(application)).content.decode()
    assert "是否持有叉车证？" in html and "不符合" in html
    assert f"/recruiter/resumes/{application.resume.public_id}/?application={application.pk}" \
        in html
    assert reverse("interviews:propose", args=[application.pk]) in html


def test_stage_note_tags_and_rejection_from_the_page(web: Any, seeker: Any,
                                                     application: Application) -> None:
    assert web.post(_action(application, "stage"),
                    {"stage": "shortlisted", "message": ""}).status_code == 302
    assert web.post(_action(application, "note"), {"body": "电话沟通良好"}).status_code == 302
    assert web.post(_action(application, "tags"), {"tags": "优先，叉车"}).status_code == 302
    html = web.get(_detail(application)).content.decode()
    assert "电话沟通良好" in html and "优先" in html and "叉车" in html
    assert web.post(_action(application, "reject"),
                    {"template": "filled", "message": ""}).status_code == 302
    application.refresh_from_db()
    assert application.stage == Stage.REJECTED
    assert sorted(t.name for t in application.tags.all()) == ["优先", "叉车"]


def test_refusals_are_shown_on_the_form(web: Any, application: Application) -> None:
    response = web.post(_action(application, "offer"), {
        "position": "仓管", "pay_amount": "-5", "pay_unit": "month",
        "start_date": "2020-01-01", "reply_by": "2020-01-01"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "请填写大于 0 的薪资金额（元）。" in html and "入职日期不能早于今天。" in html
    response = web.post(_action(application, "stage"), {"stage": "shortlisted",
                                                        "message": "加微信 hr_li2026 聊"})
    assert response.status_code == 400 and "内容不符合平台规则" in response.content.decode()
    assert web.post(_action(application, "dance"), {}).status_code == 404


def test_offer_and_outcome_from_the_pages(web: Any, user_client: Any, seeker: Any,
                                          posting: Any, application: Application) -> None:
    today = timezone.localdate()
    response = web.post(_action(application, "offer"), {
        "position": "仓库管理员", "pay_amount": "7,500", "pay_unit": "month",
        "start_date": (today + timedelta(days=10)).isoformat(),
        "reply_by": (today + timedelta(days=3)).isoformat(), "note": ""})
    assert response.status_code == 302
    seeker_web = user_client(seeker)
    page = seeker_web.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "录用通知" in page and "7500" in page and "接受录用" in page
    seeker_web.post(reverse("applications:offer_answer", args=[application.pk, "accept"]))
    assert web.post(_action(application, "outcome"), {"outcome": "hired"}).status_code == 302
    application.refresh_from_db()
    posting.refresh_from_db()
    assert application.stage == Stage.HIRED and posting.hired_count == 1
    assert "已入职" in seeker_web.get(reverse("applications:mine")).content.decode()


def test_bulk_actions_from_the_list(web: Any, posting: Any, make_seeker: Any) -> None:
    rows = [applied(make_seeker(), posting) for _ in range(3)]
    url = reverse("applications:recruiter_bulk")
    response = web.post(url, {"ids": [rows[0].pk, rows[1].pk], "action": "move",
                              "stage": "shortlisted"})
    assert response.status_code == 302
    response = web.post(url, {"ids": [r.pk for r in rows], "action": "reject",
                              "template": "fit", "message": ""}, follow=True)
    assert "已处理 3 条投递" in response.content.decode()
    assert set(Application.objects.values_list("stage", flat=True)) == {Stage.REJECTED}
    response = web.post(url, {"ids": [rows[0].pk], "action": "explode"}, follow=True)
    assert "请选择批量操作" in response.content.decode()


def test_bulk_actions_refuse_foreign_applications(user_client: Any, make_user: Any,
                                                  application: Application) -> None:
    stranger = user_client(make_user(role=Role.RECRUITER))
    response = stranger.post(reverse("applications:recruiter_bulk"),
                             {"ids": [application.pk], "action": "reject", "template": "fit"})
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.stage == Stage.NEW


def test_the_poster_edits_screening_questions(web: Any, posting: Any) -> None:
    url = reverse("applications:questions", args=[posting.pk])
    response = web.post(url, {"kind": "single_choice", "text": "最快何时到岗？",
                              "choices": "一周内\n一个月内", "knockout_answer": "一周内",
                              "required": "on"})
    assert response.status_code == 302
    question = posting.screening_questions.get()
    assert question.choices == ["一周内", "一个月内"]
    html = web.get(url).content.decode()
    assert "最快何时到岗？" in html and "期望回答" in html
    response = web.post(url, {"kind": "yes_no", "text": "是否已婚？"})
    assert "筛选问题不得询问婚姻或生育状况" in response.content.decode()
    web.post(reverse("applications:question_delete", args=[posting.pk, question.pk]))
    assert not posting.screening_questions.exists()
    assert reverse("applications:questions", args=[posting.pk]) in web.get(
        reverse("jobs:my_detail", args=[posting.pk])).content.decode()


def test_another_organisation_cannot_edit_the_questions(user_client: Any, make_user: Any,
                                                        posting: Any) -> None:
    stranger = user_client(make_user(role=Role.RECRUITER))
    url = reverse("applications:questions", args=[posting.pk])
    assert stranger.get(url).status_code == 404
    assert stranger.post(url, {"kind": "yes_no", "text": "有证吗"}).status_code == 404


def test_the_organisation_settings(web: Any, employer: Any) -> None:
    url = reverse("applications:settings", args=[employer.pk])
    assert "婉拒模板" in web.get(url).content.decode()
    response = web.post(url, {
        "stages-TOTAL_FORMS": "2", "stages-INITIAL_FORMS": "0",
        "stages-0-label": "电话沟通", "stages-0-base_stage": "shortlisted",
        "stages-1-label": "二面", "stages-1-base_stage": "interview"})
    assert response.status_code == 302
    assert [s.label for s in employer.pipeline_stages.all()] == ["电话沟通", "二面"]
    response = web.post(reverse("applications:template_add", args=[employer.pk]),
                        {"template-title": "经验不足", "template-body": "感谢关注，期待再会。"})
    assert response.status_code == 302
    template = employer.rejection_templates.get()
    web.post(reverse("applications:template_delete", args=[employer.pk, template.pk]))
    assert not employer.rejection_templates.exists()


def test_someone_elses_settings_are_not_found(user_client: Any, make_user: Any,
                                              employer: Any) -> None:
    stranger = user_client(make_user(role=Role.RECRUITER))
    assert stranger.get(reverse("applications:settings", args=[employer.pk])).status_code == 404
