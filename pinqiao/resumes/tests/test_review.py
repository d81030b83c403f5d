"""MOD-8: résumés are screened on submit (context ``resume``), missing required fields are
named, the seeker is told what to fix in the inbox and by SMS or e-mail, reviewers decide the
doubtful ones, and only an approved résumé can be used to apply."""

from __future__ import annotations

from typing import Any

import pytest

from pinqiao.core.errors import ServiceError
from pinqiao.moderation.models import ReviewItem
from pinqiao.moderation.services import review_decide
from pinqiao.notifications.models import Delivery, Notification
from pinqiao.resumes import selectors, services
from pinqiao.resumes.models import Resume

pytestmark = pytest.mark.django_db


@pytest.fixture
def verified_reviewer(reviewer: Any) -> Any:
    reviewer.is_verified = lambda: True
    return reviewer


def _events(user: Any) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("created_at", "pk")
                .values_list("event", flat=True))


def test_a_complete_lawful_resume_is_approved(seeker: Any, complete: Any) -> None:
    resume = services.resume_submit(actor=seeker, resume=complete)
    assert resume.review_status == "approved" and resume.review_reasons == []
    assert _events(seeker) == ["resume_approved"]
    assert selectors.resume_ready_for_application(resume)
    selectors.resume_application_check(resume)


def test_self_description_is_lawful_in_a_resume(seeker: Any) -> None:
    from pinqiao.resumes.testing import approved_resume

    resume = approved_resume(seeker, self_introduction="本人女，28岁，已婚已育，汉族，身体健康。")
    assert resume.review_status == "approved"


def test_missing_required_fields_are_named_in_the_notices(seeker: Any, resume: Any) -> None:
    services.resume_update(actor=seeker, resume=resume, data={"full_name": "王芳"})
    resume = services.resume_submit(actor=seeker, resume=resume)
    assert resume.review_status == "needs_changes"
    codes = {r["code"] for r in resume.review_reasons}
    assert codes == {"missing.phone", "missing.desired_function", "missing.desired_city",
                     "missing.education"}
    notice = Notification.objects.get(user=seeker, event="resume_needs_changes")
    assert "请填写手机号" in notice.body and "请选择期望职能" in notice.body
    sms = Delivery.objects.get(notification=notice, channel="sms")
    assert "未通过审核" in sms.body and "13" not in sms.body
    with pytest.raises(ServiceError) as caught:
        selectors.resume_application_check(resume)
    assert "需要修改" in caught.value.message


def test_refused_words_are_shown_with_rule_and_section(seeker: Any, complete: Any) -> None:
    services.resume_update(actor=seeker, resume=complete,
                           data={"skills": "可提供刷单兼职，日赚千元"})
    resume = services.resume_submit(actor=seeker, resume=complete)
    assert resume.review_status == "needs_changes"
    [reason] = [r for r in resume.review_reasons if r["code"] == "screening.fraud"]
    assert "刷单兼职" in reason["words"] and reason["sections"] == ["技能"]
    assert reason["notes"] and "诈骗" in reason["notes"][0] + reason["clause"]
    body = Notification.objects.get(event="resume_needs_changes").body
    assert "刷单兼职" in body and "技能" in body
    # DB4401 6.1.2.3: a possible fraud also reaches a person.
    assert ReviewItem.objects.filter(object_id=str(resume.pk), status="open").exists()


def test_contact_details_in_the_text_go_to_a_reviewer_who_approves(
        seeker: Any, complete: Any, verified_reviewer: Any) -> None:
    services.resume_update(actor=seeker, resume=complete,
                           data={"self_introduction": "有意者加微信 abc12345 详聊"})
    resume = services.resume_submit(actor=seeker, resume=complete)
    assert resume.review_status == "pending"
    assert _events(seeker) == ["resume_in_review"]
    item = ReviewItem.objects.get(object_id=str(resume.pk), status="open")
    assert "微信 abc12345" in item.text and "张小明" not in item.text
    assert "13912345678" not in item.text
    review_decide(actor=verified_reviewer, item=item, action="approve")
    resume.refresh_from_db()
    assert resume.review_status == "approved" and _events(seeker)[-1] == "resume_approved"


def test_a_reviewer_asks_for_an_edit_with_a_note(seeker: Any, complete: Any,
                                                 verified_reviewer: Any) -> None:
    services.resume_update(actor=seeker, resume=complete,
                           data={"self_introduction": "手机13800001111随时联系"})
    resume = services.resume_submit(actor=seeker, resume=complete)
    item = ReviewItem.objects.get(object_id=str(resume.pk), status="open")
    review_decide(actor=verified_reviewer, item=item, action="request_edit",
                  note="请把联系方式填写在联系方式栏")
    resume.refresh_from_db()
    assert resume.review_status == "needs_changes"
    assert resume.review_reasons[0]["message"] == "审核员意见：请把联系方式填写在联系方式栏"
    notice = Notification.objects.filter(event="resume_needs_changes").latest("pk")
    assert "请把联系方式填写在联系方式栏" in notice.body


def test_an_edit_of_an_approved_resume_is_reviewed_again_at_once(seeker: Any,
                                                                  complete: Any) -> None:
    resume = services.resume_submit(actor=seeker, resume=complete)
    services.resume_update(actor=seeker, resume=resume, data={"interests": "跑步，围棋"})
    resume = Resume.objects.get(pk=resume.pk)
    assert resume.review_status == "approved"
    assert _events(seeker) == ["resume_approved"]  # no new notice when nothing changed
    services.resume_update(actor=seeker, resume=resume,
                           data={"self_introduction": "加微信 abc12345 了解更多"})
    resume = Resume.objects.get(pk=resume.pk)
    assert resume.review_status == "pending"
    assert not selectors.resume_ready_for_application(resume)


def test_fixing_what_was_asked_approves_the_resume(seeker: Any, resume: Any) -> None:
    from pinqiao.resumes import testing

    services.resume_submit(actor=seeker, resume=resume)
    services.resume_update(actor=seeker, resume=resume, data=testing.BASIC)
    resume = Resume.objects.get(pk=resume.pk)
    assert resume.review_status == "needs_changes"
    assert "missing.full_name" not in {r["code"] for r in resume.review_reasons}
    services.resume_update(actor=seeker, resume=resume, data=testing.INTENTION)
    services.resume_contact_set(actor=seeker, resume=resume, **testing.CONTACT)
    services.entry_add(actor=seeker, resume=resume, kind="education", data=testing.EDUCATION)
    assert Resume.objects.get(pk=resume.pk).review_status == "approved"
    assert _events(seeker) == ["resume_needs_changes", "resume_approved"]


def test_a_draft_stays_a_draft_while_editing(seeker: Any, complete: Any) -> None:
    assert complete.review_status == "draft"
    with pytest.raises(ServiceError) as caught:
        selectors.resume_application_check(complete)
    assert "尚未提交审核" in caught.value.message
    assert not selectors.resume_ready_for_application(None)


def test_the_submit_button_shows_the_outcome(user_client: Any, seeker: Any,
                                             complete: Any) -> None:
    client = user_client(seeker)
    response = client.post("/me/resume/submit/", follow=True)
    html = response.content.decode()
    assert "简历已通过审核" in html and 'id="resume-status">已通过<' in html
