"""Applying (APP-1, APP-7): screening answers, two separate consents (PIPL Arts. 14, 23), and
every refusal leaves nothing behind."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from pinqiao.applications import services
from pinqiao.applications.models import Application, ApplicationEvent, Stage
from pinqiao.applications.testing import approved_resume
from pinqiao.core.errors import NotFound, NotPermitted, ServiceError
from pinqiao.core.models import AuditEntry
from pinqiao.jobs import services as jobs_services
from pinqiao.jobs.testing import published_posting
from pinqiao.jobs.tests.fixtures import posting_data
from pinqiao.privacy.models import Consent, ConsentPurpose
from pinqiao.resumes.models import BlockedOrganisation

pytestmark = pytest.mark.django_db


def _apply(seeker: Any, posting: Any, **over: Any) -> Application:
    kwargs = {"answers": {}, "resume_consent": True, "contact_consent": False, **over}
    return services.application_submit(seeker=seeker, posting_id=posting.pk, **kwargs)


def _refused(seeker: Any, posting_id: int, **over: Any) -> ServiceError:
    kwargs = {"answers": {}, "resume_consent": True, "contact_consent": True, **over}
    consents = Consent.objects.count()
    with pytest.raises(ServiceError) as exc:
        services.application_submit(seeker=seeker, posting_id=posting_id, **kwargs)
    assert Application.objects.count() == 0 or exc.value.code == "already_applied"
    assert Consent.objects.count() == consents, "no consent row left behind"
    return exc.value


def test_it_applies_with_the_resume_consent_and_keeps_it(ready_seeker: Any, posting: Any,
                                                         employer: Any) -> None:
    application = _apply(ready_seeker, posting)
    assert application.stage == Stage.NEW
    assert application.organisation == employer
    assert application.consent.purpose == ConsentPurpose.RESUME_TO_EMPLOYER
    assert application.consent.organisation == employer
    assert posting.title in application.consent.wording and employer.name in \
        application.consent.wording
    assert [e.to_stage for e in application.events.all()] == ["new"]
    assert AuditEntry.objects.filter(verb="application.submitted",
                                     target_id=str(application.pk)).exists()


def test_the_contact_consent_is_separate_and_optional(ready_seeker: Any, posting: Any,
                                                      employer: Any) -> None:
    _apply(ready_seeker, posting)
    purposes = set(Consent.objects.filter(user=ready_seeker).values_list("purpose", flat=True))
    assert purposes == {ConsentPurpose.RESUME_TO_EMPLOYER}

    other = published_posting(posting.created_by, employer,
                              **posting_data(title="叉车司机", requirements="持叉车证。",
                                             work_content="负责仓库内货物搬运与装卸。"))
    _apply(ready_seeker, other, contact_consent=True)
    contact = Consent.objects.get(user=ready_seeker, purpose=ConsentPurpose.CONTACT_RELEASE)
    assert contact.organisation == employer and contact.source == "application"
    # The résumé consent given for the first posting is reused, not duplicated.
    assert Consent.objects.filter(user=ready_seeker,
                                  purpose=ConsentPurpose.RESUME_TO_EMPLOYER).count() == 1


def test_it_requires_the_resume_consent(ready_seeker: Any, posting: Any) -> None:
    error = _refused(ready_seeker, posting.pk, resume_consent=False)
    assert error.code == "consent_required" and "consent_resume" in error.fields


def test_it_refuses_an_unknown_posting(ready_seeker: Any) -> None:
    error = _refused(ready_seeker, 999999)
    assert isinstance(error, NotFound)


def test_it_does_not_reveal_an_unpublished_posting(ready_seeker: Any, draft: Any) -> None:
    assert isinstance(_refused(ready_seeker, draft.pk), NotFound)


def test_it_refuses_a_closed_or_paused_posting(ready_seeker: Any, posting: Any,
                                               recruiter: Any) -> None:
    jobs_services.posting_pause(actor=recruiter, posting=posting)
    assert _refused(ready_seeker, posting.pk).code == "posting_paused"
    jobs_services.posting_resume(actor=recruiter, posting=posting)
    jobs_services.posting_close(actor=recruiter, posting=posting)
    assert _refused(ready_seeker, posting.pk).code == "posting_closed"


def test_it_refuses_an_expired_posting(ready_seeker: Any, posting: Any) -> None:
    posting.valid_until = timezone.localdate() - timedelta(days=1)
    posting.save(update_fields=["valid_until"])
    assert _refused(ready_seeker, posting.pk).code == "posting_expired"
    jobs_services.postings_expire()
    assert _refused(ready_seeker, posting.pk).code == "posting_expired"


def test_it_requires_an_approved_resume(seeker: Any, posting: Any) -> None:
    assert _refused(seeker, posting.pk).code == "resume_missing"
    approved_resume(seeker, review_status="pending")
    error = _refused(seeker, posting.pk)
    assert error.code == "resume_not_approved" and "审核" in error.message
    approved_resume(seeker, review_status="needs_changes")
    assert "修改" in _refused(seeker, posting.pk).message
    approved_resume(seeker, review_status="draft")
    assert "提交审核" in _refused(seeker, posting.pk).message


def test_it_refuses_an_organisation_the_seeker_blocked(ready_seeker: Any, posting: Any,
                                                       employer: Any) -> None:
    BlockedOrganisation.objects.create(resume=ready_seeker.resume, organisation=employer)
    assert _refused(ready_seeker, posting.pk).code == "organisation_blocked"


def test_it_refuses_a_second_application(ready_seeker: Any, posting: Any) -> None:
    _apply(ready_seeker, posting)
    assert _refused(ready_seeker, posting.pk).code == "already_applied"
    assert Application.objects.count() == 1


def test_recruiters_cannot_apply(recruiter: Any, posting: Any) -> None:
    with pytest.raises(NotPermitted):
        _apply(recruiter, posting)


# --- screening questions ---------------------------------------------------------------------

def _questions(recruiter: Any, posting: Any) -> list[Any]:
    return [
        services.question_add(actor=recruiter, posting=posting, data={
            "kind": "yes_no", "text": "是否持有叉车证？", "knockout_answer": "yes"}),
        services.question_add(actor=recruiter, posting=posting, data={
            "kind": "single_choice", "text": "最快何时到岗？",
            "choices": "一周内\n一个月内\n一个月以上", "knockout_answer": "一周内"}),
        services.question_add(actor=recruiter, posting=posting, data={
            "kind": "short_text", "text": "请简述您的仓库工作经验。", "required": False}),
    ]


def test_answers_are_kept_and_knockouts_evaluated(recruiter: Any, posting: Any,
                                                  make_seeker: Any) -> None:
    yes, when, text = _questions(recruiter, posting)
    good = _apply(make_seeker(), posting, answers={
        str(yes.pk): "yes", str(when.pk): "一周内", str(text.pk): "三年仓管经验"})
    assert good.knockout_met is True
    assert [(a["text"], a["answer_label"]) for a in good.answers] == [
        ("是否持有叉车证？", "是"), ("最快何时到岗？", "一周内"),
        ("请简述您的仓库工作经验。", "三年仓管经验")]
    bad = _apply(make_seeker(), posting, answers={str(yes.pk): "no", str(when.pk): "一周内"})
    assert bad.knockout_met is False
    assert bad.stage == Stage.NEW, "a knockout answer never rejects by itself"


def test_answers_without_knockout_questions_leave_the_filter_empty(ready_seeker: Any,
                                                                   posting: Any) -> None:
    assert _apply(ready_seeker, posting).knockout_met is None


@pytest.mark.parametrize(("answer", "field_message"), [
    ({}, "请回答此问题。"), ({"yes": "maybe"}, "请选择“是”或“否”。"),
    ({"when": "明天"}, "请从选项中选择。"), ({"text": "很" * 201}, "回答最多 200 个字。"),
])
def test_bad_answers_are_refused_field_by_field(recruiter: Any, posting: Any, ready_seeker: Any,
                                                answer: dict, field_message: str) -> None:
    yes, when, text = _questions(recruiter, posting)
    ids = {"yes": yes.pk, "when": when.pk, "text": text.pk}
    answers = {str(yes.pk): "yes", str(when.pk): "一周内"}
    answers.update({str(ids[k]): v for k, v in answer.items()})
    if not answer:
        answers.pop(str(yes.pk))
    error = _refused(ready_seeker, posting.pk, answers=answers)
    assert error.code == "invalid_answers"
    assert field_message in [m for msgs in error.fields.values() for m in msgs]


def test_an_answer_to_an_unknown_question_is_refused(ready_seeker: Any, posting: Any) -> None:
    assert _refused(ready_seeker, posting.pk, answers={"999": "yes"}).code == "unknown_question"


@pytest.mark.parametrize(("text", "code"), [
    ("您是否已婚？", "question_not_allowed"), ("近两年有生育计划吗？", "question_not_allowed"),
    ("您的户籍所在地？", "question_not_allowed"), ("是否携带乙肝病毒？", "question_not_allowed"),
    ("请加微信 hr_li2026 后回答", "content_refused"),
])
def test_discriminatory_questions_are_refused(recruiter: Any, posting: Any, text: str,
                                              code: str) -> None:
    with pytest.raises(ServiceError) as exc:
        services.question_add(actor=recruiter, posting=posting,
                              data={"kind": "short_text", "text": text})
    assert exc.value.code == code and "text" in exc.value.fields
    assert not posting.screening_questions.exists()


def test_a_lawful_question_about_a_licence_is_accepted(recruiter: Any, posting: Any) -> None:
    question = services.question_add(actor=recruiter, posting=posting, data={
        "kind": "yes_no", "text": "是否持有育婴师证或婚庆策划经验？"})
    assert question.pk


@pytest.mark.parametrize(("data", "code"), [
    ({"kind": "essay", "text": "问题"}, "invalid_kind"),
    ({"kind": "yes_no", "text": ""}, "required"),
    ({"kind": "single_choice", "text": "到岗时间", "choices": "一周内"}, "invalid_choices"),
    ({"kind": "short_text", "text": "经验", "knockout_answer": "有"}, "invalid_knockout"),
    ({"kind": "yes_no", "text": "有证吗", "knockout_answer": "maybe"}, "invalid_knockout"),
])
def test_bad_questions_are_refused(recruiter: Any, posting: Any, data: dict, code: str) -> None:
    with pytest.raises(ServiceError) as exc:
        services.question_add(actor=recruiter, posting=posting, data=data)
    assert exc.value.code == code


def test_only_the_posting_organisation_edits_questions(make_user: Any, posting: Any) -> None:
    from pinqiao.core.permissions import Role

    with pytest.raises(NotFound):
        services.question_add(actor=make_user(role=Role.RECRUITER), posting=posting,
                              data={"kind": "yes_no", "text": "是否持有叉车证？"})


def test_at_most_ten_questions(recruiter: Any, posting: Any) -> None:
    for n in range(services.MAX_QUESTIONS):
        services.question_add(actor=recruiter, posting=posting,
                              data={"kind": "short_text", "text": f"第{n}个问题"})
    with pytest.raises(ServiceError) as exc:
        services.question_add(actor=recruiter, posting=posting,
                              data={"kind": "short_text", "text": "再多一个"})
    assert exc.value.code == "too_many_questions"


# --- withdrawing -----------------------------------------------------------------------------

def test_the_seeker_withdraws_and_the_recruiter_is_told(ready_seeker: Any, posting: Any,
                                                        recruiter: Any) -> None:
    application = _apply(ready_seeker, posting)
    services.application_withdraw(seeker=ready_seeker, application=application)
    application.refresh_from_db()
    assert application.stage == Stage.WITHDRAWN
    assert recruiter.notifications.filter(event="application_withdrawn").exists()
    with pytest.raises(ServiceError) as exc:
        services.application_withdraw(seeker=ready_seeker, application=application)
    assert exc.value.code == "application_final"


def test_nobody_else_withdraws(ready_seeker: Any, posting: Any, make_seeker: Any) -> None:
    application = _apply(ready_seeker, posting)
    with pytest.raises(NotFound):
        services.application_withdraw(seeker=make_seeker(), application=application)
    assert ApplicationEvent.objects.filter(application=application).count() == 1
