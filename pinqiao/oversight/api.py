"""The regulator's API under ``/api/v1/oversight/`` (ANA-3, RISK-3 credit view) and the public
一公开 results under ``/api/v1/oversight/inspections``.

Read-only and masked like the pages; every read is audited; exports need a reason; a request
for unmasked data is refused (403 ``unmasked_refused``) and audited. Errors follow
``{"error": {"code", "message", "fields"}}``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from pinqiao.api.auth import user_auth
from pinqiao.core.errors import NotFound
from pinqiao.orgs.selectors import credit_record
from pinqiao.oversight import selectors, services
from pinqiao.oversight.models import SampledItem, SamplingDraw

router = Router(tags=["监管查看与双随机抽查"])


class OversightFilterIn(Schema):
    date_from: date | None = None
    date_to: date | None = None
    city: str = ""
    industry: str = ""


def _filters(query: OversightFilterIn) -> selectors.Filters:
    return selectors.parse_filters(date_from=query.date_from, date_to=query.date_to,
                                   city=query.city, industry=query.industry)


class LicenceOut(Schema):
    kind: str
    number: str
    authority: str
    valid_until: date | None
    status: str


class ViolationOut(Schema):
    id: int
    organisation_id: int
    rule: str
    what: str
    occurred_at: datetime
    sanction: str
    severity: str


class OversightOrganisationOut(Schema):
    id: int
    name: str
    credit_code: str
    kind: str
    status: str
    industry: str
    verified_at: datetime | None
    credit_score: int
    credit_grade: str
    violations: int


class OversightOrganisationDetailOut(OversightOrganisationOut):
    contact_name: str
    contact_phone: str
    licences: list[LicenceOut]
    violation_records: list[ViolationOut]


class OversightPostingOut(Schema):
    id: int
    title: str
    organisation_id: int
    organisation_name: str
    status: str
    division_code: str
    submitted_at: datetime | None
    published_at: datetime | None
    last_decision: str


class ScreeningOut(Schema):
    created_at: datetime
    decision: str
    categories: list[str]
    rule_version: str


class PostingEventOut(Schema):
    at: datetime
    from_status: str
    to_status: str
    reason_code: str


class OversightPostingDetailOut(OversightPostingOut):
    screenings: list[ScreeningOut]
    events: list[PostingEventOut]


class SanctionOut(Schema):
    id: int
    organisation_id: int
    kind: str
    status: str
    rule: str
    reason: str
    created_at: datetime


class ComplaintOut(Schema):
    reference: str
    kind: str
    channel: str
    reason_code: str
    organisation_id: int | None
    received_at: datetime
    deadline: date
    status: str
    upheld: bool | None
    result: str
    closed_at: datetime | None


class AnnualOut(Schema):
    year: int
    figures: dict[str, int]
    labels: dict[str, str]


class ExportIn(OversightFilterIn):
    dataset: str
    fmt: str = "csv"
    reason: str = ""
    year: int | None = None


class DrawIn(Schema):
    title: str
    kind: str
    size: int
    weighting: str = "risk"
    min_risk_score: int = 0
    seed: int | None = None


class ItemOut(Schema):
    id: int
    position: int
    subject_id: int
    organisation_id: int
    organisation_name: str
    posting_id: int | None
    weight: float
    inspector_id: int | None
    outcome: str
    finding: str


class DrawOut(Schema):
    id: int
    title: str
    kind: str
    weighting: str
    min_risk_score: int
    size: int
    population_size: int
    seed: int
    status: str
    created_at: datetime
    published_at: datetime | None
    reproduced: bool
    items: list[ItemOut]


class InspectorsIn(Schema):
    inspector_ids: list[int]


class FindingIn(Schema):
    outcome: str
    finding: str


class PublicItemOut(Schema):
    position: int
    organisation_name: str
    posting_title: str
    outcome: str
    outcome_label: str


class PublicDrawOut(Schema):
    id: int
    title: str
    kind: str
    weighting: str
    size: int
    population_size: int
    seed: int
    published_at: datetime
    items: list[PublicItemOut]


def _org_out(org: Any) -> dict[str, Any]:
    record = credit_record(org)
    return {"id": org.pk, "name": org.name, "credit_code": org.credit_code, "kind": org.kind,
            "status": org.status, "industry": org.industry, "verified_at": org.verified_at,
            "credit_score": record.score, "credit_grade": record.grade,
            "violations": len(record.violations)}


def _violation_out(v: Any) -> dict[str, Any]:
    return {"id": v.pk, "organisation_id": v.organisation_id, "rule": v.rule,
            "what": selectors.masked_text(v.what), "occurred_at": v.occurred_at,
            "sanction": v.sanction, "severity": v.severity}


def _posting_out(p: Any) -> dict[str, Any]:
    return {"id": p.pk, "title": p.title, "organisation_id": p.organisation_id,
            "organisation_name": p.organisation.name, "status": p.status,
            "division_code": p.division_code, "submitted_at": p.submitted_at,
            "published_at": p.published_at,
            "last_decision": p.last_screening.decision if p.last_screening else ""}


def _draw_out(draw: SamplingDraw) -> dict[str, Any]:
    items = selectors.draw_items(draw)
    return {"id": draw.pk, "title": draw.title, "kind": draw.kind,
            "weighting": draw.weighting, "min_risk_score": draw.min_risk_score,
            "size": draw.size, "population_size": draw.population_size, "seed": draw.seed,
            "status": draw.status, "created_at": draw.created_at,
            "published_at": draw.published_at,
            "reproduced": services.draw_reproduce(draw) == [i.subject_id for i in items],
            "items": [{"id": i.pk, "position": i.position, "subject_id": i.subject_id,
                       "organisation_id": i.organisation_id,
                       "organisation_name": i.organisation.name, "posting_id": i.posting_id,
                       "weight": i.weight, "inspector_id": i.inspector_id,
                       "outcome": i.outcome, "finding": i.finding} for i in items]}


@router.get("/oversight/organisations", auth=user_auth, response=list[OversightOrganisationOut],
            summary="单位及许可、信用记录（监管，脱敏）")
def organisations(request: HttpRequest, query: Query[OversightFilterIn]) -> object:
    filters = _filters(query)
    rows = selectors.organisations(viewer=request.auth, filters=filters)[:selectors.PAGE_ROWS]
    services.access_record(viewer=request.auth, page="api.organisations",
                           detail=filters.as_dict())
    return [_org_out(org) for org in rows]


@router.get("/oversight/organisations/{organisation_id}", auth=user_auth,
            response=OversightOrganisationDetailOut,
            summary="单位详情：许可证照、信用记录（RISK-3）")
def organisation(request: HttpRequest, organisation_id: int, reveal: bool = False) -> object:
    """``reveal=true`` (unmasked contact details) is refused with 403 ``unmasked_refused`` and
    the attempt is audited."""
    view = selectors.organisation_view(viewer=request.auth, organisation_id=organisation_id)
    if reveal:
        services.reveal_refuse(viewer=request.auth, target=view.organisation,
                               what="organisation_contact")
    services.access_record(viewer=request.auth, page="api.organisation",
                           target=view.organisation)
    return {**_org_out(view.organisation), "contact_name": view.contact_name,
            "contact_phone": view.contact_phone,
            "licences": [{"kind": lic.kind, "number": lic.number, "authority": lic.authority,
                          "valid_until": lic.valid_until, "status": lic.status}
                         for lic in view.licences],
            "violation_records": [_violation_out(v) for v in view.violations]}


@router.get("/oversight/postings", auth=user_auth, response=list[OversightPostingOut],
            summary="招聘信息（监管）")
def postings(request: HttpRequest, query: Query[OversightFilterIn]) -> object:
    filters = _filters(query)
    rows = selectors.postings(viewer=request.auth, filters=filters)[:selectors.PAGE_ROWS]
    services.access_record(viewer=request.auth, page="api.postings", detail=filters.as_dict())
    return [_posting_out(p) for p in rows]


@router.get("/oversight/postings/{posting_id}", auth=user_auth, response=OversightPostingDetailOut,
            summary="招聘信息及其审核记录（监管）")
def posting(request: HttpRequest, posting_id: int) -> object:
    view = selectors.posting_view(viewer=request.auth, posting_id=posting_id)
    services.access_record(viewer=request.auth, page="api.posting", target=view.posting)
    return {**_posting_out(view.posting),
            "screenings": [{"created_at": s.created_at, "decision": s.decision,
                            "categories": list(s.categories), "rule_version": s.rule_version}
                           for s in view.screenings],
            "events": [{"at": e.at, "from_status": e.from_status, "to_status": e.to_status,
                        "reason_code": e.reason_code} for e in view.events]}


@router.get("/oversight/violations", auth=user_auth, response=list[ViolationOut],
            summary="违法违规记录（监管）")
def violations(request: HttpRequest, query: Query[OversightFilterIn]) -> object:
    filters = _filters(query)
    rows = selectors.violations(viewer=request.auth, filters=filters)[:selectors.PAGE_ROWS]
    services.access_record(viewer=request.auth, page="api.violations",
                           detail=filters.as_dict())
    return [_violation_out(v) for v in rows]


@router.get("/oversight/sanctions", auth=user_auth, response=list[SanctionOut],
            summary="处置措施（监管）")
def sanctions(request: HttpRequest, query: Query[OversightFilterIn]) -> object:
    filters = _filters(query)
    rows = selectors.sanctions(viewer=request.auth, filters=filters)[:selectors.PAGE_ROWS]
    services.access_record(viewer=request.auth, page="api.sanctions", detail=filters.as_dict())
    return [{"id": s.pk, "organisation_id": s.organisation_id, "kind": s.kind,
             "status": s.status, "rule": s.rule, "reason": selectors.masked_text(s.reason),
             "created_at": s.created_at} for s in rows]


@router.get("/oversight/complaints", auth=user_auth, response=list[ComplaintOut],
            summary="投诉举报及处理结果（监管，不含投诉人信息）")
def complaints(request: HttpRequest, query: Query[OversightFilterIn],
               reveal: bool = False) -> object:
    """``reveal=true`` (the complainants) is refused with 403 ``unmasked_refused``, audited."""
    if reveal:
        services.reveal_refuse(viewer=request.auth, target=None, what="complainant")
    filters = _filters(query)
    rows = selectors.complaints(viewer=request.auth, filters=filters)[:selectors.PAGE_ROWS]
    services.access_record(viewer=request.auth, page="api.complaints",
                           detail=filters.as_dict())
    return [{"reference": c.reference, "kind": c.kind, "channel": c.channel,
             "reason_code": c.reason_code, "organisation_id": c.organisation_id,
             "received_at": c.received_at, "deadline": c.deadline, "status": c.status,
             "upheld": c.upheld, "result": selectors.masked_text(c.result),
             "closed_at": c.closed_at} for c in rows]


@router.get("/oversight/annual-report", auth=user_auth, response=AnnualOut,
            summary="年度报告数据（ANA-3）")
def annual_report(request: HttpRequest, year: str) -> object:
    parsed = selectors.parse_year(year)
    figures = selectors.annual_report(viewer=request.auth, year=parsed)
    services.access_record(viewer=request.auth, page="api.annual", detail={"year": parsed})
    return {"year": parsed, "figures": figures,
            "labels": dict(selectors.ANNUAL_FIELDS)}


@router.post("/oversight/exports", auth=user_auth,
             summary="导出数据集（CSV/XLSX，脱敏，须填写事由，记入审计）")
def export(request: HttpRequest, payload: ExportIn) -> HttpResponse:
    year = selectors.parse_year(payload.year) if payload.dataset == "annual" else None
    file = services.export_build(actor=request.auth, dataset=payload.dataset, fmt=payload.fmt,
                                 reason=payload.reason, filters=_filters(payload), year=year)
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    return response


@router.get("/oversight/samples", auth=user_auth, response=list[DrawOut],
            summary="双随机抽查任务")
def samples(request: HttpRequest) -> object:
    draws = list(selectors.draws(viewer=request.auth)[:50])
    services.access_record(viewer=request.auth, page="api.samples")
    return [_draw_out(d) for d in draws]


@router.post("/oversight/samples", auth=user_auth, response={201: DrawOut},
             summary="随机抽取检查对象（可按风险加权，记录随机种子）")
def sample_create(request: HttpRequest, payload: DrawIn) -> object:
    draw = services.draw_create(actor=request.auth, **payload.dict())
    return Status(201, _draw_out(draw))


@router.get("/oversight/samples/{draw_id}", auth=user_auth, response=DrawOut,
            summary="抽查任务详情（含复现核验）")
def sample(request: HttpRequest, draw_id: int) -> object:
    draw = selectors.draw_get(viewer=request.auth, draw_id=draw_id)
    services.access_record(viewer=request.auth, page="api.sample", target=draw)
    return _draw_out(draw)


@router.post("/oversight/samples/{draw_id}/inspectors", auth=user_auth, response=DrawOut,
             summary="随机分配检查人员")
def sample_inspectors(request: HttpRequest, draw_id: int, payload: InspectorsIn) -> object:
    draw = selectors.draw_get(viewer=request.auth, draw_id=draw_id)
    services.inspectors_assign(actor=request.auth, draw=draw,
                               inspector_ids=payload.inspector_ids)
    return _draw_out(draw)


@router.post("/oversight/samples/{draw_id}/items/{item_id}/finding", auth=user_auth,
             response=DrawOut, summary="记录抽中对象的检查结果")
def sample_finding(request: HttpRequest, draw_id: int, item_id: int,
                   payload: FindingIn) -> object:
    draw = selectors.draw_get(viewer=request.auth, draw_id=draw_id)
    item = SampledItem.objects.filter(pk=item_id, draw=draw).first()
    if item is None:
        raise NotFound(_("抽中对象不存在。"))
    services.finding_record(actor=request.auth, item=item, outcome=payload.outcome,
                            finding=payload.finding)
    return _draw_out(draw)


@router.post("/oversight/samples/{draw_id}/publish", auth=user_auth, response=DrawOut,
             summary="公示抽查结果（一公开）")
def sample_publish(request: HttpRequest, draw_id: int) -> object:
    draw = selectors.draw_get(viewer=request.auth, draw_id=draw_id)
    return _draw_out(services.draw_publish(actor=request.auth, draw=draw))


@router.get("/oversight/inspections", response=list[PublicDrawOut], auth=None,
            summary="双随机抽查结果公示（公开）")
def inspections(request: HttpRequest) -> object:
    return [{"id": d.pk, "title": d.title, "kind": d.kind, "weighting": d.weighting,
             "size": d.size, "population_size": d.population_size, "seed": d.seed,
             "published_at": d.published_at,
             "items": [{"position": i.position, "organisation_name": i.organisation.name,
                        "posting_title": i.posting.title if i.posting_id else "",
                        "outcome": i.outcome, "outcome_label": i.get_outcome_display()}
                       for i in d.items.all()]}
            for d in selectors.published_draws()[:50]]
