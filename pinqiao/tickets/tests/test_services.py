"""The desk's services: intake (TKT-1, TKT-2), handling and results (TKT-3, TKT-4), sanctions
citing the case and appeals decided by someone else (RISK-2, RISK-3), rating (TKT-6, TKT-7)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pinqiao.core.errors import NotPermitted, ServiceError
from pinqiao.core.models import AuditEntry
from pinqiao.jobs.models import PostingStatus
from pinqiao.moderation.models import Report, ReviewItem, Sanction
from pinqiao.moderation.services import report_create
from pinqiao.notifications.models import Notification
from pinqiao.risk import services as risk
from pinqiao.risk.models import AppealOutcome, SanctionNotice
from pinqiao.tickets import services
from pinqiao.tickets.models import Case, CaseEvidence, CaseStatus
from pinqiao.tickets.services import Intake, Measures

from .conftest import pdf, png

pytestmark = pytest.mark.django_db


def complain(seeker: Any, posting: Any, **over: Any) -> Case:
    data = {"actor": seeker, "kind": "complaint", "reason_code": "fee_charging",
            "content": "面试时要求先交500元押金才能入职。", "desired_outcome": "下架该职位",
            "target": posting, "contact": "13900000001"}
    data.update(over)
    return services.case_submit(**data)


def test_it_files_a_web_complaint_with_evidence_and_a_deadline(seeker: Any,
                                                               posting: Any) -> None:
    """TKT-2, TKT-3: contact kept encrypted, evidence checked by content, deadline told."""
    case = complain(seeker, posting, files=[png()])
    assert case.status == CaseStatus.RECEIVED and case.organisation == posting.organisation
    assert "13900000001" not in case.contact_ciphertext
    assert case.evidence.get().content_type == "image/png"
    body = Notification.objects.get(user=seeker, event="case_received").body
    assert case.deadline.isoformat() in body
    assert AuditEntry.objects.filter(verb="case.receive", target_id=str(case.pk)).exists()


@pytest.mark.parametrize(("over", "code"), [
    ({"content": "   "}, "content_required"),
    ({"content": "押" * 50_000}, "content_too_long"),
    ({"reason_code": "nonsense"}, "invalid_reason"),
    ({"files": [SimpleUploadedFile("proof.pdf", b"<html><script>x</script></html>",
                                   "application/pdf")]}, "file_type"),
    ({"files": [SimpleUploadedFile("a.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>",
                                   "image/png")]}, "file_type"),
])
def test_it_refuses_bad_input_and_writes_nothing(seeker: Any, posting: Any, over: dict,
                                                 code: str) -> None:
    with pytest.raises(ServiceError) as exc:
        complain(seeker, posting, **over)
    assert exc.value.code == code
    assert not Case.objects.exists() and not CaseEvidence.objects.exists()


def test_duplicate_submissions_are_one_case(seeker: Any, posting: Any) -> None:
    first = complain(seeker, posting)
    again = complain(seeker, posting, content="面试时要求先交500元押金才能入职。  ")
    assert again.pk == first.pk and Case.objects.count() == 1


def test_it_refuses_a_complaint_about_oneself(recruiter: Any, posting: Any) -> None:
    with pytest.raises(ServiceError) as exc:
        complain(recruiter, posting)
    assert exc.value.code == "self_complaint" and not Case.objects.exists()


def test_staff_enter_a_visit_with_the_signed_form(service_agent: Any, posting: Any) -> None:
    """TKT-2: phone, visit and letter cases are entered by staff; visits need the form."""
    with pytest.raises(ServiceError) as exc:
        services.case_submit(actor=service_agent, kind="complaint", channel="visit",
                             reason_code="fraud", content="来访反映虚假招聘。", target=posting,
                             intake=Intake(name="王五", contact="13900000002"))
    assert exc.value.code == "intake_form_required"
    case = services.case_submit(actor=service_agent, kind="complaint", channel="visit",
                                reason_code="fraud", content="来访反映虚假招聘。", target=posting,
                                intake=Intake(name="王五", contact="13900000002"),
                                intake_form=pdf())
    assert case.complainant is None and case.intake_by == service_agent
    assert case.evidence.get().kind == "intake_form"


def test_the_report_button_lands_on_the_desk(seeker: Any, posting: Any) -> None:
    """TKT-1: the existing report button still feeds the review queue and now the desk."""
    report = report_create(reporter=seeker, target=posting, reason="fee_charging",
                           detail="要交押金")
    assert ReviewItem.objects.filter(kind="report", object_id=str(posting.pk)).exists()
    case = Case.objects.get(report=report)
    assert case.kind == "report" and case.complainant == seeker


def _uphold(handler: Any, case: Case, **measures: Any) -> Case:
    case = services.case_accept(actor=handler, case=case)
    return services.case_resolve(actor=handler, case=case, upheld=True,
                                 finding="经核实，该单位在面试中要求求职者缴纳500元押金。",
                                 result="职位已下架，单位已被警告。",
                                 measures=Measures(**measures))


def test_an_upheld_complaint_removes_the_posting_and_warns_citing_the_case(
        seeker: Any, recruiter: Any, posting: Any, handler: Any) -> None:
    """TKT-4, RISK-2: the sanction names the rule, quotes the finding, cites the case and
    carries an appeal deadline; the complainant is told the result."""
    case = _uphold(handler, complain(seeker, posting), remove_target=True,
                   sanction_kind="warning", rule="《网络招聘服务管理规定》不得收取押金")
    posting.refresh_from_db()
    assert posting.status == PostingStatus.REMOVED
    notice = SanctionNotice.objects.get(case=case)
    assert notice.sanction.kind == "warning" and case.reference in notice.evidence
    assert "500元押金" in notice.evidence and notice.appeal_until
    assert Notification.objects.filter(user=seeker, event="case_resolved").exists()
    body = Notification.objects.get(user=recruiter, event="sanction_notice").body
    assert case.reference in body and notice.appeal_until.isoformat() in body


def test_a_handler_cannot_decide_a_case_assigned_to_someone_else(
        seeker: Any, posting: Any, handler: Any, handler2: Any) -> None:
    case = services.case_accept(actor=handler, case=complain(seeker, posting))
    with pytest.raises(NotPermitted) as exc:
        services.case_resolve(actor=handler2, case=case, upheld=False, finding="x", result="y")
    assert exc.value.code == "not_assignee"
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED


def test_the_supervisor_assigns_and_the_complainant_disputes_and_rates(
        seeker: Any, posting: Any, handler: Any, supervisor: Any) -> None:
    """TKT-3 assignment, TKT-4 reopening with a fresh clock, TKT-6/7 rating after closing."""
    case = services.case_assign(actor=supervisor, case=complain(seeker, posting),
                                handler=handler)
    case = services.case_accept(actor=handler, case=case)
    case = services.case_resolve(actor=handler, case=case, upheld=False,
                                 finding="未能核实", result="证据不足，暂不处理。")
    case = services.case_reopen(actor=seeker, case=case, reason="我有录音证据")
    assert case.status == CaseStatus.REOPENED
    case = services.case_accept(actor=handler, case=case)
    case = services.case_resolve(actor=handler, case=case, upheld=True, finding="录音属实",
                                 result="已警告")
    case = services.case_close(actor=seeker, case=case)
    with pytest.raises(ServiceError):
        services.case_rate(actor=seeker, case=case, satisfaction=6, process=5, efficiency=5,
                           result=5, attitude=5)
    services.case_rate(actor=seeker, case=case, satisfaction=4, process=5, efficiency=3,
                       result=4, attitude=5, comment="处理及时")
    assert case.rating.efficiency == 3


def test_an_appeal_is_decided_by_someone_else_and_corrects_the_credit_record(
        seeker: Any, recruiter: Any, posting: Any, handler: Any, handler2: Any) -> None:
    """RISK-2, RISK-3: the imposer may not decide the appeal; upheld lifts the sanction and
    removes its violation from the credit record."""
    case = _uphold(handler, complain(seeker, posting), sanction_kind="warning", rule="押金")
    sanction = Sanction.objects.get(notice__case=case)
    organisation = sanction.organisation
    assert organisation.violations.count() == 1
    appeal = risk.appeal_submit(actor=recruiter, sanction=sanction,
                                content="押金是工服费，已退还。")
    assert appeal.kind == "appeal" and appeal.deadline
    with pytest.raises(NotPermitted):
        services.case_accept(actor=handler, case=appeal)
    appeal = services.case_accept(actor=handler2, case=appeal)
    services.case_resolve(actor=handler2, case=appeal, upheld=True, finding="已全额退还",
                          result="撤销警告")
    sanction.refresh_from_db()
    assert sanction.status == Sanction.Status.LIFTED
    assert organisation.violations.count() == 0
    assert SanctionNotice.objects.get(sanction=sanction).appeal_outcome == AppealOutcome.UPHELD


def test_it_refuses_an_appeal_of_someone_elses_sanction_or_after_the_deadline(
        seeker: Any, posting: Any, handler: Any, make_user: Any, recruiter: Any) -> None:
    case = _uphold(handler, complain(seeker, posting), sanction_kind="warning", rule="押金")
    sanction = Sanction.objects.get(notice__case=case)
    with pytest.raises(NotPermitted):
        risk.appeal_submit(actor=seeker, sanction=sanction, content="不服")
    SanctionNotice.objects.filter(sanction=sanction).update(appeal_until="2020-01-01")
    with pytest.raises(ServiceError) as exc:
        risk.appeal_submit(actor=recruiter, sanction=sanction, content="不服")
    assert exc.value.code == "appeal_expired"
    assert not Case.objects.filter(kind="appeal").exists()


def test_the_clock_escalates_on_day_five_and_alerts_when_overdue(
        seeker: Any, posting: Any, handler: Any, supervisor: Any) -> None:
    """TKT-3: each once; a dry run changes nothing."""
    from datetime import datetime

    from pinqiao.interviews.workdays import CHINA

    received = datetime(2025, 9, 30, 10, tzinfo=CHINA)
    case = complain(seeker, posting, received_at=received)
    services.case_accept(actor=handler, case=case)
    day5 = datetime(2025, 10, 14, 9, tzinfo=CHINA)
    assert services.clock_run(now=day5, dry_run=True).escalated == 1
    case.refresh_from_db()
    assert case.escalated_at is None
    run = services.clock_run(now=day5)
    assert (run.escalated, run.overdue) == (1, 0)
    assert Notification.objects.filter(user=supervisor, event="case_escalated").count() == 1
    assert services.clock_run(now=datetime(2025, 10, 16, 20, tzinfo=CHINA)).overdue == 0
    run = services.clock_run(now=datetime(2025, 10, 17, 9, tzinfo=CHINA))
    assert (run.escalated, run.overdue) == (0, 1)
    assert Notification.objects.filter(user=handler, event="case_overdue").exists()
    assert Report.objects.count() == 0
