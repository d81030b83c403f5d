"""The review queue (MOD-5): decisions applied to postings, the poster told the rule and the
words, SLA clock, reports (TKT-1), two-person account closure (RISK-2), highlighting."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from pinqiao.core.errors import NotPermitted, ServiceError
from pinqiao.jobs import services as jobs
from pinqiao.jobs.models import PostingStatus
from pinqiao.jobs.tests.fixtures import (  # noqa: F401 - fixtures
    _media,
    draft,
    employer,
    org_reviewer,
    otp_verified,
    posting_data,
    reviewer2,
)
from pinqiao.moderation import services
from pinqiao.moderation.models import ReviewItem, Sanction
from pinqiao.moderation.templatetags.moderation_tags import highlight
from pinqiao.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(recruiter: Any, employer: Any) -> Any:  # noqa: F811
    posting = jobs.posting_create(actor=recruiter, organisation=employer, data=posting_data(
        requirements="限25-35岁，高中以上学历。"))
    return jobs.posting_submit(actor=recruiter, posting=posting)


def _item(posting: Any) -> ReviewItem:
    return ReviewItem.objects.get(object_id=str(posting.pk), status="open")


def test_it_publishes_on_approval(reviewer: Any, queued: Any) -> None:
    item = _item(queued)
    services.review_decide(actor=otp_verified(reviewer), item=item, action="approve")
    queued.refresh_from_db()
    assert queued.status == PostingStatus.PUBLISHED
    assert queued.events.last().actor == reviewer


def test_it_rejects_with_reason_and_tells_the_poster_the_words(reviewer: Any, recruiter: Any,
                                                               queued: Any) -> None:
    """MOD-2, MOD-5: the poster is told which rule and which words."""
    services.review_decide(actor=otp_verified(reviewer), item=_item(queued), action="reject",
                           reason_code="discrimination", note="年龄限制属于就业歧视")
    queued.refresh_from_db()
    assert queued.status == PostingStatus.REJECTED
    assert queued.matched_words
    body = Notification.objects.get(user=recruiter, event="posting_rejected").body
    assert "年龄限制属于就业歧视" in body and queued.matched_words[0] in body


def test_it_requires_a_reason_to_reject(reviewer: Any, queued: Any) -> None:
    with pytest.raises(ServiceError):
        services.review_decide(actor=otp_verified(reviewer), item=_item(queued), action="reject")


def test_it_sends_back_for_edit(reviewer: Any, recruiter: Any, queued: Any) -> None:
    services.review_decide(actor=otp_verified(reviewer), item=_item(queued),
                           action="request_edit", note="请删除年龄限制")
    queued.refresh_from_db()
    assert queued.status == PostingStatus.DRAFT
    assert queued.status_reason_code == "edit_requested"
    assert Notification.objects.filter(user=recruiter, event="posting_edit_requested").exists()


def test_it_refuses_decisions_without_review_permission(operator: Any, queued: Any) -> None:
    with pytest.raises(NotPermitted):
        services.review_decide(actor=otp_verified(operator), item=_item(queued),
                               action="approve")


def test_it_orders_the_queue_by_risk_then_age(reviewer: Any, recruiter: Any,
                                             employer: Any) -> None:  # noqa: F811
    low = jobs.posting_submit(actor=recruiter, posting=jobs.posting_create(
        actor=recruiter, organisation=employer, data=posting_data(
            title="收银员", requirements="35岁以下。", work_content="负责超市收银和理货工作。")))
    high = jobs.posting_submit(actor=recruiter, posting=jobs.posting_create(
        actor=recruiter, organisation=employer, data=posting_data(
            title="客服", requirements="有意者加微信 abc12345 详聊。",
            work_content="负责电话回访客户，记录客户意见。")))
    from pinqiao.moderation.selectors import review_queue

    items = list(review_queue(viewer=otp_verified(reviewer)))
    assert [i.object_id for i in items] == [str(high.pk), str(low.pk)]
    assert items[0].risk > items[1].risk


def test_it_highlights_evidence_and_escapes_the_rest() -> None:
    text = "<b>限男性</b>，&身体健康"
    html = str(highlight(text, [{"start": 3, "end": 6, "category": "discrimination.gender"}]))
    assert html.startswith("&lt;b&gt;<mark")
    assert ">限男性</mark>&lt;/b&gt;，&amp;身体健康" in html


def test_it_needs_two_reviewers_to_close_an_account(reviewer: Any, reviewer2: Any,  # noqa: F811
                                                    employer: Any, draft: Any,  # noqa: F811
                                                    recruiter: Any) -> None:
    """MOD-5, RISK-2: account closure takes effect only when a second reviewer approves."""
    first = otp_verified(reviewer)
    jobs.posting_submit(actor=recruiter, posting=draft)
    sanction = services.sanction_impose(actor=first, organisation=employer,
                                        kind="account_closure", rule="DB4401 7.2.3",
                                        reason="多次发布诈骗信息")
    assert sanction.status == Sanction.Status.PROPOSED
    item = ReviewItem.objects.get(kind="account_closure")
    with pytest.raises(NotPermitted):
        services.review_decide(actor=first, item=item, action="approve")
    services.review_decide(actor=reviewer2, item=item, action="approve")
    sanction.refresh_from_db()
    employer.refresh_from_db()
    draft.refresh_from_db()
    assert sanction.status == Sanction.Status.ACTIVE and sanction.approved_by == reviewer2
    assert employer.status == "closed"
    assert draft.status == PostingStatus.REMOVED
    assert employer.violations.get().severity == "grave"


def test_it_limits_posting_volume(reviewer: Any, recruiter: Any, employer: Any) -> None:  # noqa: F811
    """RISK-2: limits on posting volume."""
    services.sanction_impose(actor=otp_verified(reviewer), organisation=employer,
                             kind="volume_limit", rule="DB4401 7.2.2", reason="批量发布",
                             daily_limit=1)
    first = jobs.posting_create(actor=recruiter, organisation=employer, data=posting_data())
    jobs.posting_submit(actor=recruiter, posting=first)
    second = jobs.posting_create(actor=recruiter, organisation=employer, data=posting_data(
        title="叉车司机", work_content="驾驶叉车装卸货物，保养车辆，遵守安全规程。"))
    with pytest.raises(ServiceError) as exc:
        jobs.posting_submit(actor=recruiter, posting=second)
    assert exc.value.code == "volume_limit"


def test_it_sets_an_sla_clock(queued: Any) -> None:
    item = _item(queued)
    hours = (item.due_at - item.created_at).total_seconds() / 3600
    assert hours in (services.SLA_HOURS_HIGH, services.SLA_HOURS_NORMAL)
    assert not item.is_overdue
    item.due_at = timezone.now() - timezone.timedelta(minutes=1)
    assert item.is_overdue


def test_it_rejects_anonymous_queue_access(client: Any, queued: Any) -> None:
    item = _item(queued)
    response = client.post(reverse("moderation:item", args=[item.pk]), {"action": "approve"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "open"


def test_it_requires_a_reviewer_for_the_queue(staff_client: Any, operator: Any,
                                              user_client: Any, recruiter: Any,
                                              queued: Any) -> None:
    item = _item(queued)
    assert staff_client(operator).post(reverse("moderation:item", args=[item.pk]),
                                       {"action": "approve"}).status_code == 403
    assert user_client(recruiter).get(reverse("moderation:queue")).status_code == 403


def test_it_decides_from_the_console(staff_client: Any, reviewer: Any, queued: Any) -> None:
    item = _item(queued)
    client = staff_client(reviewer)
    page = client.get(reverse("moderation:queue")).content.decode()
    assert queued.title in page
    detail = client.get(reverse("moderation:item", args=[item.pk])).content.decode()
    assert '<mark class="hit" data-category="discrimination.age"' in detail
    response = client.post(reverse("moderation:item", args=[item.pk]), {"action": "approve"})
    assert response.status_code == 302
    queued.refresh_from_db()
    assert queued.status == PostingStatus.PUBLISHED


def test_it_removes_a_reported_posting_when_the_report_is_upheld(
        reviewer: Any, seeker: Any, recruiter: Any, draft: Any) -> None:  # noqa: F811
    """TKT-1 → MOD-5 → JOB-2: an upheld report takes the posting down with the reason code."""
    posting = jobs.posting_submit(actor=recruiter, posting=draft)
    services.report_create(reporter=seeker, target=posting, reason="fee_charging",
                           detail="面试要交300元服装费")
    item = ReviewItem.objects.get(kind="report")
    services.review_decide(actor=otp_verified(reviewer), item=item, action="reject",
                           reason_code="fee_charging", note="核实收取服装费")
    posting.refresh_from_db()
    assert posting.status == PostingStatus.REMOVED
    assert posting.status_reason_code == "fee_charging"
    assert Notification.objects.filter(user=recruiter, event="posting_removed").exists()


def test_it_rejects_anonymous_sanctions(client: Any, employer: Any) -> None:  # noqa: F811
    response = client.post(reverse("moderation:sanction_new", args=[employer.pk]),
                           {"kind": "warning", "rule": "x", "reason": "y"})
    assert response.status_code == 302
    assert not Sanction.objects.exists()


def test_it_requires_a_reviewer_for_sanctions(staff_client: Any, customer_service: Any,
                                              employer: Any) -> None:  # noqa: F811
    response = staff_client(customer_service).post(
        reverse("moderation:sanction_new", args=[employer.pk]),
        {"kind": "warning", "rule": "x", "reason": "y"})
    assert response.status_code == 403
    assert not Sanction.objects.exists()


def test_it_imposes_a_posting_suspension_from_the_page(staff_client: Any, reviewer: Any,
                                                       recruiter: Any, draft: Any,  # noqa: F811
                                                       employer: Any) -> None:  # noqa: F811
    """RISK-2: suspension of posting takes live postings down and blocks new submissions."""
    posting = jobs.posting_submit(actor=recruiter, posting=draft)
    response = staff_client(reviewer).post(
        reverse("moderation:sanction_new", args=[employer.pk]),
        {"kind": "posting_suspension", "rule": "DB4401 7.2.2", "reason": "多次发布歧视信息",
         "days": 30})
    assert response.status_code == 302
    posting.refresh_from_db()
    employer.refresh_from_db()
    assert posting.status == PostingStatus.REMOVED
    assert employer.status == "suspended"
    assert employer.violations.count() == 1
    other = jobs.posting_create(actor=recruiter, organisation=employer, data=posting_data(
        title="叉车司机", work_content="驾驶叉车装卸货物。"))
    with pytest.raises(NotPermitted):
        jobs.posting_submit(actor=recruiter, posting=other)


def test_it_records_the_hand_over_of_a_case_file(staff_client: Any, reviewer: Any,
                                                 recruiter: Any, draft: Any) -> None:  # noqa: F811
    """MOD-7: a case file is prepared on removal and its hand-over recorded."""
    from pinqiao.core.models import AuditEntry
    from pinqiao.moderation.models import CaseFile

    posting = jobs.posting_submit(actor=recruiter, posting=draft)
    jobs.posting_remove(actor=otp_verified(reviewer), posting=posting,
                        reason_code="illegal_content", note="招聘信息涉赌")
    case = CaseFile.objects.get()
    client = staff_client(reviewer)
    page = client.get(reverse("moderation:case_file", args=[case.pk])).content.decode()
    assert case.reference in page and "招聘信息涉赌" in page
    client.post(reverse("moderation:case_file", args=[case.pk]),
                {"authority": "广州市公安局天河区分局"})
    case.refresh_from_db()
    assert case.status == "submitted" and case.submitted_at is not None
    assert AuditEntry.objects.filter(verb="casefile.submit").exists()


def test_it_rejects_anonymous_case_file_submission(client: Any, reviewer: Any, recruiter: Any,
                                                   draft: Any) -> None:  # noqa: F811
    from pinqiao.moderation.models import CaseFile

    posting = jobs.posting_submit(actor=recruiter, posting=draft)
    jobs.posting_remove(actor=otp_verified(reviewer), posting=posting,
                        reason_code="illegal_content")
    case = CaseFile.objects.get()
    response = client.post(reverse("moderation:case_file", args=[case.pk]), {"authority": "x"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "prepared"


def test_it_requires_a_reviewer_for_case_files(staff_client: Any, operator: Any,
                                               reviewer: Any, recruiter: Any,
                                               draft: Any) -> None:  # noqa: F811
    from pinqiao.moderation.models import CaseFile

    posting = jobs.posting_submit(actor=recruiter, posting=draft)
    jobs.posting_remove(actor=otp_verified(reviewer), posting=posting,
                        reason_code="illegal_content")
    case = CaseFile.objects.get()
    response = staff_client(operator).post(reverse("moderation:case_file", args=[case.pk]),
                                           {"authority": "x"})
    assert response.status_code == 403
