"""ORG-2: the reviewer's checklist, each check recorded with reviewer, time and result; approve,
refuse with reasons, ask for more material; the applicant notified."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail

from pinqiao.core.errors import NotPermitted, ServiceError
from pinqiao.notifications.models import Notification
from pinqiao.orgs import testing
from pinqiao.orgs.models import (
    CheckKind,
    CheckResult,
    LocalBankTransfer,
    OrgStatus,
    ReviewStatus,
    VerificationCheck,
)
from pinqiao.orgs.services import (
    bank_deposit_confirm,
    bank_deposit_start,
    email_code_confirm,
    email_code_send,
    organisation_approve,
    organisation_refuse,
    organisation_request_more,
    organisation_submit,
    registry_check_run,
    verification_check_record,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(recruiter):
    return testing.register(recruiter, "聘桥示范科技")


def test_it_records_the_registry_check_with_reviewer_time_and_evidence(pending, reviewer):
    check = registry_check_run(actor=reviewer, organisation=pending)
    assert check.result == CheckResult.PASSED
    assert check.checked_by == reviewer and check.checked_at
    assert check.evidence["legal_representative"] == "陈建国"
    assert check.evidence["status"] == "存续"


def test_it_fails_the_registry_check_on_a_name_mismatch(recruiter, reviewer):
    org = testing.register(recruiter, "聘桥示范科技", name="冒名顶替有限公司")
    check = registry_check_run(actor=reviewer, organisation=org)
    assert check.result == CheckResult.FAILED
    assert "不一致" in check.note


def test_it_refuses_to_approve_before_a_passed_registry_check(pending, reviewer):
    with pytest.raises(ServiceError) as exc:
        organisation_approve(actor=reviewer, organisation=pending)
    assert exc.value.code == "registry_check_required"


def test_it_approves_verifies_the_licences_and_notifies_the_applicant(pending, reviewer,
                                                                      recruiter):
    registry_check_run(actor=reviewer, organisation=pending)
    org = organisation_approve(actor=reviewer, organisation=pending)
    assert org.status == OrgStatus.VERIFIED
    assert org.next_review_due > org.verified_at
    assert set(org.licences.values_list("status", flat=True)) == {ReviewStatus.VERIFIED}
    assert Notification.objects.filter(user=recruiter, event="org_approved").exists()


def test_it_refuses_with_reasons_and_notifies(pending, reviewer, recruiter):
    with pytest.raises(ServiceError):
        organisation_refuse(actor=reviewer, organisation=pending, reasons=" ")
    org = organisation_refuse(actor=reviewer, organisation=pending, reasons="营业执照模糊不清")
    assert org.status == OrgStatus.REFUSED and org.status_reason == "营业执照模糊不清"
    note = Notification.objects.get(user=recruiter, event="org_refused")
    assert "营业执照模糊不清" in note.body


def test_it_asks_for_more_material_and_accepts_a_resubmission(pending, reviewer, recruiter):
    organisation_request_more(actor=reviewer, organisation=pending, message="请补充社保缴纳证明")
    pending.refresh_from_db()
    assert pending.status == OrgStatus.MORE_INFO
    assert Notification.objects.filter(user=recruiter, event="org_more_info").exists()
    organisation_submit(actor=recruiter, organisation=pending, pledge_signed=True,
                        agreement_version="2026.1")
    assert pending.status == OrgStatus.PENDING


def test_it_requires_the_review_permission(pending, recruiter, make_user):
    with pytest.raises(NotPermitted):
        registry_check_run(actor=recruiter, organisation=pending)
    with pytest.raises(NotPermitted):
        organisation_approve(actor=recruiter, organisation=pending)


def test_it_requires_the_second_factor(pending, make_user):
    from pinqiao.core.permissions import Role

    unverified = make_user(role=Role.REVIEWER, phone=None, email="r2@test.example")
    unverified.is_verified = lambda: False
    with pytest.raises(NotPermitted):
        organisation_approve(actor=unverified, organisation=pending)


def test_it_records_social_insurance_and_site_visit_checks(pending, reviewer):
    verification_check_record(actor=reviewer, organisation=pending,
                              kind=CheckKind.SOCIAL_INSURANCE, result=CheckResult.PASSED,
                              note="查验经办人近3个月社保缴纳记录，单位一致")
    with pytest.raises(ServiceError) as exc:
        verification_check_record(actor=reviewer, organisation=pending,
                                  kind=CheckKind.SITE_VISIT, result=CheckResult.PASSED,
                                  note="已走访")
    assert "visited_on" in exc.value.fields
    visit = verification_check_record(actor=reviewer, organisation=pending,
                                      kind=CheckKind.SITE_VISIT, result=CheckResult.PASSED,
                                      note="办公场所与登记地址一致", visited_on=date(2026, 11, 20))
    assert visit.evidence == {"visited_on": "2026-11-20"}
    assert VerificationCheck.objects.filter(organisation=pending).count() == 2


def test_it_checks_the_bank_account_with_a_micro_deposit(pending, recruiter):
    deposit = bank_deposit_start(actor=recruiter, organisation=pending, bank_name="工商银行",
                                 account_number="3602 0000 1234 5678 901")
    transfer = LocalBankTransfer.objects.get(reference=deposit.provider_reference)
    assert "1234" not in deposit.account_masked[3:-4]
    with pytest.raises(ServiceError):
        bank_deposit_confirm(actor=recruiter, organisation=pending, amount_yuan="1.00")
    check = bank_deposit_confirm(actor=recruiter, organisation=pending,
                                 amount_yuan=f"{transfer.amount_fen / 100:.2f}")
    assert check.result == CheckResult.PASSED
    assert pending.checks.filter(kind=CheckKind.BANK, result=CheckResult.FAILED).count() == 1


def test_it_locks_the_deposit_after_three_wrong_amounts(pending, recruiter):
    bank_deposit_start(actor=recruiter, organisation=pending, bank_name="工商银行",
                       account_number="360200001234567890")
    for _ in range(3):
        with pytest.raises(ServiceError):
            bank_deposit_confirm(actor=recruiter, organisation=pending, amount_yuan="5.55")
    with pytest.raises(ServiceError) as exc:
        bank_deposit_confirm(actor=recruiter, organisation=pending, amount_yuan="0.01")
    assert exc.value.code == "deposit_locked"


def test_it_checks_the_company_email_domain(pending, recruiter):
    with pytest.raises(ServiceError) as exc:
        email_code_send(actor=recruiter, organisation=pending, email="boss@qq.com")
    assert exc.value.code == "free_mail"
    email_code_send(actor=recruiter, organisation=pending, email="hr@pinqiao-demo.cn")
    code = mail.outbox[-1].body.split("验证码是 ")[1][:6]
    check = email_code_confirm(actor=recruiter, organisation=pending, code=code)
    assert check.result == CheckResult.PASSED and check.evidence["domain"] == "pinqiao-demo.cn"


def test_it_reverifies_on_request_and_reinstates_a_suspended_organisation(employer, recruiter,
                                                                         reviewer):
    """ORG-7: the owner asks for the re-check; a fresh registry check and approval renew it."""
    from pinqiao.orgs.selectors import review_queue
    from pinqiao.orgs.services import organisation_reverify_request, organisation_suspend

    organisation_suspend(actor=None, organisation=employer, reason="超过半年未复核")
    organisation_reverify_request(actor=recruiter, organisation=employer)
    assert employer in review_queue(viewer=reviewer)
    with pytest.raises(ServiceError):
        organisation_approve(actor=reviewer, organisation=employer)  # stale registry check
    registry_check_run(actor=reviewer, organisation=employer)
    organisation_approve(actor=reviewer, organisation=employer)
    employer.refresh_from_db()
    assert employer.status == OrgStatus.VERIFIED and employer.reverify_requested_at is None
    assert employer not in review_queue(viewer=reviewer)


def test_it_suspends_rather_than_refuses_a_failed_recheck(employer, recruiter, reviewer):
    from pinqiao.orgs.services import organisation_reverify_request

    organisation_reverify_request(actor=recruiter, organisation=employer)
    organisation_refuse(actor=reviewer, organisation=employer, reasons="营业执照已变更，未提交新证")
    employer.refresh_from_db()
    assert employer.status == OrgStatus.SUSPENDED


def test_it_limits_email_codes_and_deposits(pending, recruiter):
    for _ in range(5):
        email_code_send(actor=recruiter, organisation=pending, email="hr@pinqiao-demo.cn")
    with pytest.raises(ServiceError) as exc:
        email_code_send(actor=recruiter, organisation=pending, email="hr@pinqiao-demo.cn")
    assert exc.value.status == 429
    for _ in range(3):
        bank_deposit_start(actor=recruiter, organisation=pending, bank_name="工商银行",
                           account_number="360200001234567890")
    with pytest.raises(ServiceError) as exc:
        bank_deposit_start(actor=recruiter, organisation=pending, bank_name="工商银行",
                           account_number="360200001234567890")
    assert exc.value.code == "deposit_rate_limited"
