"""The desk API under ``/api/v1/cases/`` (TKT-1 … TKT-7, RISK-1 … RISK-3).

Complainants file and follow their cases; handlers (session past the second factor) accept,
decide and see the queue ordered by deadline; a sanctioned organisation reads its notices and
appeals. No response to the sanctioned side carries the complainant's identity (TKT-5).
Errors follow ``{"error": {"code", "message", "fields"}}``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status, UploadedFile

from pinqiao.api.auth import user_auth
from pinqiao.orgs.selectors import credit_export_rows
from pinqiao.risk import selectors as risk_selectors
from pinqiao.risk import services as risk
from pinqiao.tickets import selectors, services, targets
from pinqiao.tickets.models import Case

router = Router(tags=["投诉举报与申诉"])
NO_FILES = File(None)


class CaseIn(Schema):
    kind: str = "complaint"
    target_type: str
    target_id: str
    reason_code: str
    content: str
    desired_outcome: str = ""
    contact: str = ""


class CaseOut(Schema):
    id: int
    reference: str
    kind: str
    channel: str
    status: str
    reason_code: str
    target_label: str
    content: str
    desired_outcome: str
    received_at: datetime
    deadline: date
    upheld: bool | None
    result: str


class StaffCaseOut(CaseOut):
    escalate_on: date
    assigned_to_id: int | None
    organisation_id: int | None
    finding: str
    complainant_name: str
    complainant_contact: str
    working_days_left: int


class RatingIn(Schema):
    satisfaction: int
    process: int
    efficiency: int
    result: int
    attitude: int
    comment: str = ""


class ReopenIn(Schema):
    reason: str


class ResolveIn(Schema):
    upheld: bool
    finding: str
    result: str
    remove_target: bool = False
    sanction_kind: str = ""
    rule: str = ""
    daily_limit: int | None = None
    features: list[str] = []
    days: int | None = None


class NoticeOut(Schema):
    sanction_id: int
    kind: str
    kind_label: str
    status: str
    rule: str
    daily_limit: int | None
    features: list[str]
    ends_at: datetime | None
    acknowledged_at: datetime | None
    evidence: str
    evidence_source: str
    case_reference: str
    appeal_until: date
    appeal_outcome: str


class AppealIn(Schema):
    content: str
    desired_outcome: str = ""


class RiskOut(Schema):
    subject: str
    subject_id: int
    score: int
    level: str
    formula_version: str
    contributions: list[dict[str, Any]]
    computed_at: datetime


def _staff_out(viewer: Any, case: Case) -> dict[str, Any]:
    contact = selectors.case_contact(viewer=viewer, case=case)
    out = CaseOut.from_orm(case).dict()
    return {**out, "escalate_on": case.escalate_on, "assigned_to_id": case.assigned_to_id,
            "organisation_id": case.organisation_id, "finding": case.finding,
            "complainant_name": contact.name, "complainant_contact": contact.contact,
            "working_days_left": selectors.working_days_left(case)}


def _notice_out(notice: Any) -> dict[str, Any]:
    sanction = notice.sanction
    return {"sanction_id": notice.sanction_id, "kind": sanction.kind,
            "kind_label": sanction.get_kind_display(), "status": sanction.status,
            "rule": sanction.rule, "daily_limit": sanction.daily_limit,
            "features": sanction.features, "ends_at": sanction.ends_at,
            "acknowledged_at": notice.acknowledged_at,
            "evidence": notice.evidence, "evidence_source": notice.source,
            "case_reference": notice.case.reference if notice.case else "",
            "appeal_until": notice.appeal_until, "appeal_outcome": notice.appeal_outcome}


# --- complainants -----------------------------------------------------------------------------

@router.post("/cases", auth=user_auth, response={201: CaseOut},
             summary="提交投诉或举报（TKT-1、TKT-2）")
def case_create(request: HttpRequest, payload: Form[CaseIn],
                evidence: list[UploadedFile] | None = NO_FILES) -> object:
    """Multipart: the fields and up to five evidence files (PDF, PNG, JPEG, checked by
    content). The same complaint submitted twice the same day returns the same case."""
    target = targets.target_get(payload.target_type, payload.target_id)
    case = services.case_submit(actor=request.auth, kind=payload.kind,
                                reason_code=payload.reason_code, content=payload.content,
                                desired_outcome=payload.desired_outcome, target=target,
                                contact=payload.contact, files=evidence or [])
    return Status(201, case)


@router.get("/cases/mine", auth=user_auth, response=list[CaseOut], summary="我的投诉")
def cases_mine(request: HttpRequest) -> object:
    return list(selectors.cases_for_complainant(viewer=request.auth)[:200])


@router.get("/cases/mine/{case_id}", auth=user_auth, response=CaseOut, summary="我的投诉详情")
def case_mine(request: HttpRequest, case_id: int) -> object:
    return selectors.case_for_complainant(viewer=request.auth, case_id=case_id)


@router.post("/cases/mine/{case_id}/reopen", auth=user_auth, response=CaseOut,
             summary="对处理结果提出异议（TKT-4）")
def case_reopen(request: HttpRequest, case_id: int, payload: ReopenIn) -> object:
    case = selectors.case_for_complainant(viewer=request.auth, case_id=case_id)
    return services.case_reopen(actor=request.auth, case=case, reason=payload.reason)


@router.post("/cases/mine/{case_id}/close", auth=user_auth, response=CaseOut,
             summary="接受结果并办结")
def case_close_mine(request: HttpRequest, case_id: int) -> object:
    case = selectors.case_for_complainant(viewer=request.auth, case_id=case_id)
    return services.case_close(actor=request.auth, case=case)


@router.post("/cases/mine/{case_id}/rating", auth=user_auth, response={201: dict},
             summary="满意度评价与服务评价（TKT-6、TKT-7）")
def case_rating(request: HttpRequest, case_id: int, payload: RatingIn) -> object:
    case = selectors.case_for_complainant(viewer=request.auth, case_id=case_id)
    rating = services.case_rate(actor=request.auth, case=case, **payload.dict())
    return Status(201, {"id": rating.pk})


# --- handlers ---------------------------------------------------------------------------------

@router.get("/cases/desk", auth=user_auth, response=list[StaffCaseOut],
            summary="受理台：按办结时限排列（TKT-3）")
def desk(request: HttpRequest, scope: str = "open", mine: bool = False) -> object:
    cases = selectors.desk_queue(viewer=request.auth, scope=scope, mine=mine)[:200]
    return [_staff_out(request.auth, case) for case in cases]


@router.get("/cases/desk/{case_id}", auth=user_auth, response=StaffCaseOut,
            summary="案件详情（工作人员，投诉人信息脱敏）")
def desk_case(request: HttpRequest, case_id: int) -> object:
    case = selectors.case_for_staff(viewer=request.auth, case_id=case_id)
    return _staff_out(request.auth, case)


@router.post("/cases/desk/{case_id}/accept", auth=user_auth, response=StaffCaseOut,
             summary="受理")
def desk_accept(request: HttpRequest, case_id: int) -> object:
    case = selectors.case_for_staff(viewer=request.auth, case_id=case_id)
    return _staff_out(request.auth, services.case_accept(actor=request.auth, case=case))


@router.post("/cases/desk/{case_id}/resolve", auth=user_auth, response=StaffCaseOut,
             summary="作出处理（可下架、处置，RISK-2）")
def desk_resolve(request: HttpRequest, case_id: int, payload: ResolveIn) -> object:
    case = selectors.case_for_staff(viewer=request.auth, case_id=case_id)
    data = payload.dict()
    measures = services.Measures(
        remove_target=data.pop("remove_target"), sanction_kind=data.pop("sanction_kind"),
        rule=data.pop("rule"), daily_limit=data.pop("daily_limit"),
        features=tuple(data.pop("features")), days=data.pop("days"))
    case = services.case_resolve(actor=request.auth, case=case, measures=measures, **data)
    return _staff_out(request.auth, case)


# --- the sanctioned party (RISK-2) --------------------------------------------------------

@router.get("/cases/sanctions", auth=user_auth, response=list[NoticeOut],
            summary="本单位受到的处置（含证据与申诉期限）")
def sanctions(request: HttpRequest) -> object:
    return [_notice_out(n) for n in risk_selectors.notices_for_member(viewer=request.auth)]


@router.get("/cases/sanctions/{sanction_id}", auth=user_auth, response=NoticeOut,
            summary="处置详情")
def sanction(request: HttpRequest, sanction_id: int) -> object:
    return _notice_out(risk_selectors.notice_for_member(viewer=request.auth,
                                                        sanction_id=sanction_id))


@router.post("/cases/sanctions/{sanction_id}/acknowledge", auth=user_auth, response=NoticeOut,
             summary="确认已阅读警告（弹窗警告，RISK-2）")
def acknowledge(request: HttpRequest, sanction_id: int) -> object:
    notice = risk_selectors.notice_for_member(viewer=request.auth, sanction_id=sanction_id)
    return _notice_out(risk.notice_acknowledge(actor=request.auth, notice=notice))


@router.post("/cases/sanctions/{sanction_id}/appeal", auth=user_auth, response={201: CaseOut},
             summary="对处置提出申诉")
def appeal(request: HttpRequest, sanction_id: int, payload: AppealIn) -> object:
    notice = risk_selectors.notice_for_member(viewer=request.auth, sanction_id=sanction_id)
    return Status(201, risk.appeal_submit(actor=request.auth, sanction=notice.sanction,
                                   content=payload.content,
                                   desired_outcome=payload.desired_outcome))


# --- risk scores and credit sharing -------------------------------------------------------

@router.get("/cases/risk/{subject}/{subject_id}", auth=user_auth, response=RiskOut,
            summary="风险评分及其构成（RISK-1）")
def risk_score(request: HttpRequest, subject: str, subject_id: int) -> object:
    return risk_selectors.risk_score_get(viewer=request.auth, subject=subject,
                                         subject_id=subject_id)


@router.get("/cases/credit-export", auth=user_auth, response=list[dict[str, Any]],
            summary="信用信息共享导出（RISK-3，监管人员）")
def credit_export(request: HttpRequest) -> object:
    return credit_export_rows(viewer=request.auth)
