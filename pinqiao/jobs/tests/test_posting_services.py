"""Posting services: JOB-1 completeness, JOB-2 lifecycle, screening on submit (MOD-1, MOD-2),
JOB-5 base changes, JOB-8 pay, JOB-9 duplicates, bad input."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from pinqiao.core.errors import NotPermitted, ServiceError
from pinqiao.core.models import AuditEntry
from pinqiao.jobs import services
from pinqiao.jobs.models import Posting, PostingStatus
from pinqiao.jobs.tests.fixtures import posting_data
from pinqiao.moderation.models import ReviewItem
from pinqiao.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_it_publishes_a_clean_complete_posting(recruiter: Any, draft: Posting) -> None:
    """JOB-1, JOB-2, MOD-1: a lawful complete posting passes screening and is published."""
    posting = services.posting_submit(actor=recruiter, posting=draft)
    assert posting.status == PostingStatus.PUBLISHED
    assert posting.published_at is not None
    assert [e.to_status for e in posting.events.all()] == ["draft", "pending_review", "published"]
    assert AuditEntry.objects.filter(verb="posting.transition",
                                     target_id=str(posting.pk)).count() == 2
    assert Notification.objects.filter(user=recruiter, event="posting_published").exists()


def test_it_keeps_an_incomplete_posting_in_draft_with_field_messages(recruiter: Any,
                                                                      employer: Any) -> None:
    """JOB-1: an incomplete posting cannot leave draft; each missing field is named."""
    posting = services.posting_create(actor=recruiter, organisation=employer,
                                      data={"title": "厨师"})
    with pytest.raises(ServiceError) as exc:
        services.posting_submit(actor=recruiter, posting=posting)
    assert exc.value.code == "incomplete"
    for field in ("headcount", "requirements", "work_content", "working_hours",
                  "social_insurance", "division_code", "address", "pay_min", "pay_max",
                  "pay_unit", "employment_type"):
        assert field in exc.value.fields, field
    posting.refresh_from_db()
    assert posting.status == PostingStatus.DRAFT


def test_it_rejects_discrimination_with_the_clause_and_words(recruiter: Any,
                                                             employer: Any) -> None:
    """MOD-2: a discriminatory posting is refused; the poster is told the clause and words."""
    posting = services.posting_create(actor=recruiter, organisation=employer, data=posting_data(
        requirements="限男性，本地户口，身体健康。"))
    posting = services.posting_submit(actor=recruiter, posting=posting)
    assert posting.status == PostingStatus.REJECTED
    assert "限男性" in "".join(posting.matched_words)
    assert "就业促进法" in posting.status_reason
    note = Notification.objects.get(user=recruiter, event="posting_rejected")
    assert "限男性" in note.body


def test_it_sends_age_limits_to_the_review_queue(recruiter: Any, employer: Any) -> None:
    """MOD-2: age limits go to review, not reject."""
    posting = services.posting_create(actor=recruiter, organisation=employer, data=posting_data(
        requirements="35岁以下，高中以上学历。"))
    posting = services.posting_submit(actor=recruiter, posting=posting)
    assert posting.status == PostingStatus.PENDING_REVIEW
    item = ReviewItem.objects.get(object_id=str(posting.pk))
    assert item.kind == "screening" and item.status == "open"
    assert item.due_at > item.created_at
    note = Notification.objects.get(user=recruiter, event="posting_in_review")
    assert "年龄限制" in note.body


def test_it_sends_pay_below_minimum_wage_to_review(recruiter: Any, employer: Any) -> None:
    """JOB-8: pay below the city's minimum wage goes to review."""
    posting = services.posting_create(actor=recruiter, organisation=employer,
                                      data=posting_data(pay_min="1000", pay_max="1200"))
    posting = services.posting_submit(actor=recruiter, posting=posting)
    assert posting.status == PostingStatus.PENDING_REVIEW
    item = ReviewItem.objects.get(object_id=str(posting.pk))
    assert any(r["code"] == "pay.below_minimum_wage" for r in item.reasons)


def test_it_refuses_pay_min_above_max(recruiter: Any, employer: Any) -> None:
    with pytest.raises(ServiceError) as exc:
        services.posting_create(actor=recruiter, organisation=employer,
                                data=posting_data(pay_min="9000", pay_max="8000"))
    assert "pay_min" in exc.value.fields


def test_it_refuses_validity_over_90_days(recruiter: Any, employer: Any) -> None:
    """JOB-3: at most 90 days."""
    too_far = (timezone.localdate() + timedelta(days=91)).isoformat()
    with pytest.raises(ServiceError) as exc:
        services.posting_create(actor=recruiter, organisation=employer,
                                data=posting_data(valid_until=too_far))
    assert "valid_until" in exc.value.fields


def test_it_defaults_validity_to_30_days(recruiter: Any, employer: Any) -> None:
    data = posting_data()
    data.pop("valid_until")
    posting = services.posting_create(actor=recruiter, organisation=employer, data=data)
    assert posting.valid_until == timezone.localdate() + timedelta(days=30)


def test_it_refuses_50000_characters_with_the_limit(recruiter: Any, employer: Any) -> None:
    with pytest.raises(ServiceError) as exc:
        services.posting_create(actor=recruiter, organisation=employer,
                                data=posting_data(work_content="很" * 50_000))
    assert "5000" in exc.value.fields["work_content"][0]


def test_it_strips_html_and_script(recruiter: Any, employer: Any) -> None:
    posting = services.posting_create(actor=recruiter, organisation=employer, data=posting_data(
        work_content='<script>alert(1)</script><b>负责</b>仓库<img src=x onerror=alert(2)>管理'))
    assert posting.work_content == "负责仓库管理"


def test_it_keeps_emoji_and_normalises_full_width_digits(recruiter: Any, employer: Any) -> None:
    posting = services.posting_create(actor=recruiter, organisation=employer, data=posting_data(
        title="仓管🚚", pay_min="６０００", working_hours="做五休二，９:００-１８:００"))
    assert posting.title == "仓管🚚"
    assert str(posting.pay_min) == "6000.00"
    assert posting.working_hours == "做五休二，9:00-18:00"


def test_it_refuses_an_organisation_the_user_does_not_belong_to(make_user: Any,
                                                               employer: Any) -> None:
    """Bad input: 403 and audited."""
    from pinqiao.core.permissions import Role

    stranger = make_user(role=Role.RECRUITER)
    with pytest.raises(NotPermitted):
        services.posting_create(actor=stranger, organisation=employer, data=posting_data())
    assert AuditEntry.objects.filter(verb="posting.create.denied", actor_id=stranger.pk).exists()


def test_it_sends_base_field_changes_back_to_review_and_keeps_versions(recruiter: Any,
                                                                      draft: Posting) -> None:
    """JOB-5: editing a base field of a published posting goes back to review."""
    posting = services.posting_submit(actor=recruiter, posting=draft)
    posting = services.posting_update(actor=recruiter, posting=posting,
                                      data={"pay_min": "5000"})
    assert posting.status == PostingStatus.PENDING_REVIEW
    assert posting.version == 2
    versions = list(posting.versions.all())
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].fields["pay_min"] == "6000.00"
    assert versions[1].changed == ["pay_min"]
    assert ReviewItem.objects.get(object_id=str(posting.pk)).kind == "base_change"


def test_it_flags_a_near_duplicate(recruiter: Any, employer: Any, draft: Posting) -> None:
    """JOB-9: a near duplicate of a live posting goes to review."""
    services.posting_submit(actor=recruiter, posting=draft)
    copy = services.posting_create(actor=recruiter, organisation=employer, data=posting_data(
        work_content=posting_data()["work_content"] + "！"))
    copy = services.posting_submit(actor=recruiter, posting=copy)
    assert copy.status == PostingStatus.PENDING_REVIEW
    item = ReviewItem.objects.get(object_id=str(copy.pk))
    assert any(r["code"] == "duplicate.same_org" for r in item.reasons)


def test_it_runs_the_lifecycle_pause_resume_close(recruiter: Any, draft: Posting) -> None:
    posting = services.posting_submit(actor=recruiter, posting=draft)
    posting = services.posting_pause(actor=recruiter, posting=posting)
    assert posting.status == PostingStatus.PAUSED
    posting = services.posting_resume(actor=recruiter, posting=posting)
    assert posting.status == PostingStatus.PUBLISHED
    posting = services.posting_close(actor=recruiter, posting=posting)
    assert posting.status == PostingStatus.CLOSED
    with pytest.raises(ServiceError):
        services.posting_update(actor=recruiter, posting=posting, data={"title": "x"})


def test_it_publishes_an_agency_posting_for_its_client(agency_owner: Any, agency: Any) -> None:
    """ORG-5, DISC-4: a 代招 posting names its client authorisation and the fee statement."""
    posting = services.posting_create(actor=agency_owner, organisation=agency,
                                      data=posting_data(), mode="agency",
                                      client=agency.client_auth)
    assert posting.seeker_fee_charged is True
    assert "200" in posting.seeker_fee_statement
    posting = services.posting_submit(actor=agency_owner, posting=posting)
    assert posting.status == PostingStatus.PUBLISHED
    assert posting.employer_name == agency.client_auth.client_name


def test_it_refuses_a_special_permit_industry_without_the_permit(recruiter: Any,
                                                                employer: Any) -> None:
    """ORG-12 through posting_permission_check: refused (403) and audited."""
    posting = services.posting_create(actor=recruiter, organisation=employer,
                                      data=posting_data(industry="catering"))
    with pytest.raises(NotPermitted) as exc:
        services.posting_submit(actor=recruiter, posting=posting)
    assert "食品经营许可证" in exc.value.message
    assert AuditEntry.objects.filter(verb="posting.submit.denied").exists()
    posting.refresh_from_db()
    assert posting.status == PostingStatus.DRAFT


def test_it_refuses_dispatch_postings_without_a_dispatch_licence(recruiter: Any,
                                                                 employer: Any) -> None:
    """ORG-4: dispatch postings need a labour-dispatch licence."""
    posting = services.posting_create(actor=recruiter, organisation=employer,
                                      data=posting_data(), mode="dispatch")
    with pytest.raises(NotPermitted):
        services.posting_submit(actor=recruiter, posting=posting)


def test_it_refuses_agency_postings_from_an_employer(recruiter: Any, employer: Any) -> None:
    """ORG-4, ORG-5: only agencies post for clients, each with its own authorisation."""
    posting = services.posting_create(actor=recruiter, organisation=employer,
                                      data=posting_data(), mode="agency")
    with pytest.raises(ServiceError) as exc:
        services.posting_submit(actor=recruiter, posting=posting)
    assert exc.value.status == 403


def test_it_uses_a_client_authorisation_once(agency_owner: Any, agency: Any) -> None:
    """ORG-5: one authorisation, one 代招 posting."""
    services.posting_create(actor=agency_owner, organisation=agency, data=posting_data(),
                            mode="agency", client=agency.client_auth)
    with pytest.raises(ServiceError) as exc:
        services.posting_create(actor=agency_owner, organisation=agency, data=posting_data(),
                                mode="agency", client=agency.client_auth)
    assert exc.value.code == "client_used"


def test_it_lets_the_poster_appeal_a_machine_refusal_once(recruiter: Any, reviewer: Any,
                                                          employer: Any) -> None:
    """MOD-2 false positives: an appeal goes to a person, who may publish."""
    from pinqiao.jobs.tests.fixtures import otp_verified
    from pinqiao.moderation.services import review_decide

    posting = services.posting_submit(actor=recruiter, posting=services.posting_create(
        actor=recruiter, organisation=employer, data=posting_data(
            requirements="限男性，能搬运重物。")))
    assert posting.status == PostingStatus.REJECTED
    with pytest.raises(ServiceError):
        services.posting_appeal(actor=recruiter, posting=posting, reason=" ")
    posting = services.posting_appeal(actor=recruiter, posting=posting,
                                      reason="岗位需搬运50公斤货物，已改为体力要求")
    assert posting.status == PostingStatus.PENDING_REVIEW
    item = ReviewItem.objects.get(kind="appeal")
    assert "搬运50公斤" in item.reasons[0]["message"]
    review_decide(actor=otp_verified(reviewer), item=item, action="reject",
                  reason_code="discrimination", note="性别限制不因岗位体力要求而合法")
    posting.refresh_from_db()
    assert posting.status == PostingStatus.REJECTED
    with pytest.raises(ServiceError) as exc:
        services.posting_appeal(actor=recruiter, posting=posting, reason="再次申诉")
    assert exc.value.code in ("already_appealed", "not_appealable")
