"""Posting API: public list and detail; drafts, edits, submission and lifecycle for recruiters;
reports (JOB-1, JOB-2, TKT-1). Errors follow ``{"error": {"code", "message", "fields"}}``."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from pinqiao.api.auth import user_auth
from pinqiao.api.params import Offset
from pinqiao.core.errors import NotFound, NotPermitted
from pinqiao.core.permissions import Role
from pinqiao.jobs import selectors, services
from pinqiao.jobs.models import Posting
from pinqiao.moderation.services import explain, report_create
from pinqiao.orgs.selectors import organisations_for_user
from pinqiao.reference import divisions
from pinqiao.search.selectors import job_search_postings

router = Router(tags=["职位"])


class PostingIn(Schema):
    title: str | None = None
    headcount: int | None = None
    employment_type: str | None = None
    requirements: str | None = None
    work_content: str | None = None
    working_hours: str | None = None
    social_insurance: str | None = None
    housing: str | None = None
    division_code: str | None = None
    address: str | None = None
    pay_min: Decimal | None = None
    pay_max: Decimal | None = None
    pay_unit: str | None = None
    education: str | None = None
    experience: str | None = None
    job_function: str | None = None
    industry: str | None = None
    valid_until: date | None = None
    seeker_fee_charged: bool | None = None
    seeker_fee_statement: str | None = None
    repost_source_name: str | None = None
    repost_source_url: str | None = None


class PostingCreateIn(PostingIn):
    organisation_id: int
    mode: str = "own"
    client_authorisation_id: int | None = None


class PublicPostingOut(Schema):
    id: int
    title: str
    employer_name: str
    mode: str
    headcount: int | None
    employment_type: str
    requirements: str
    work_content: str
    working_hours: str
    social_insurance: str
    housing: str
    division_code: str
    location: str
    address: str
    pay_min: Decimal | None
    pay_max: Decimal | None
    pay_unit: str
    education: str
    experience: str
    job_function: str
    industry: str
    valid_until: date
    seeker_fee_charged: bool
    seeker_fee_statement: str
    repost_source_name: str
    quality_label: bool
    published_at: datetime | None

    @staticmethod
    def resolve_location(obj: Posting) -> str:
        return (divisions.full_name(obj.division_code) or "") if obj.division_code else ""


class PostingOut(PublicPostingOut):
    status: str
    status_reason_code: str
    status_reason: str
    matched_words: list[str]
    version: int
    organisation_id: int
    reasons: list[dict[str, Any]]

    @staticmethod
    def resolve_reasons(obj: Posting) -> list[dict[str, Any]]:
        return explain(obj.last_screening) if obj.last_screening_id else []


class ReportIn(Schema):
    posting_id: int
    reason: str
    detail: str = ""


class ReportOut(Schema):
    id: int
    reason: str
    created_at: datetime


def _recruiter(request: HttpRequest) -> Any:
    user = request.auth
    if user.role != Role.RECRUITER:
        raise NotPermitted(_("只有招聘者可以管理职位。"))
    return user


def _fields(payload: PostingIn) -> dict[str, Any]:
    return {k: v for k, v in payload.dict(exclude_unset=True).items()
            if k in services.EDITABLE}


@router.get("/jobs", response=list[PublicPostingOut], summary="公开职位列表")
def job_list(request: HttpRequest, q: str = "", limit: int = 20, offset: Offset = 0) -> object:
    """Newest first; with ``q``, by relevance (SRCH-1; filters: ``/jobs/search``)."""
    limit, offset = max(1, min(limit, 100)), max(0, offset)
    if q.strip():
        return job_search_postings(q=q, offset=offset, limit=limit)
    return list(selectors.postings_public()[offset:offset + limit])


@router.get("/jobs/{int:posting_id}", response=PublicPostingOut, summary="职位详情")
def job_detail(request: HttpRequest, posting_id: int) -> object:
    return selectors.posting_public_get(posting_id=posting_id)


@router.get("/my/jobs", response=list[PostingOut], auth=user_auth, summary="我的职位")
def my_jobs(request: HttpRequest, status: str = "") -> object:
    return list(selectors.postings_for_recruiter(user=_recruiter(request), status=status)[:200])


@router.get("/my/jobs/{posting_id}", response=PostingOut, auth=user_auth, summary="我的职位详情")
def my_job(request: HttpRequest, posting_id: int) -> object:
    return selectors.posting_for_recruiter(user=_recruiter(request), posting_id=posting_id)


@router.post("/my/jobs", response={201: PostingOut}, auth=user_auth, summary="新建职位草稿")
def job_create(request: HttpRequest, payload: PostingCreateIn) -> object:
    user = _recruiter(request)
    organisation = organisations_for_user(user=user).filter(pk=payload.organisation_id).first()
    if organisation is None:
        from pinqiao.orgs.models import Organisation

        target = Organisation.objects.filter(pk=payload.organisation_id).first()
        exc = NotPermitted(_("您不是该单位的成员。"), code="not_member")
        services.audit_denied(user, "posting.create", target or ("orgs.organisation",
                                                                 payload.organisation_id), exc)
        raise exc
    client = None
    if payload.client_authorisation_id:
        client = next((c for c in selectors.clients_available(user=user)
                       if c.pk == payload.client_authorisation_id), None)
        if client is None:
            raise NotFound(_("委托证明不存在或已被使用。"))
    posting = services.posting_create(actor=user, organisation=organisation,
                                      data=_fields(payload), mode=payload.mode, client=client)
    return Status(201, posting)


@router.patch("/my/jobs/{posting_id}", response=PostingOut, auth=user_auth, summary="修改职位")
def job_update(request: HttpRequest, posting_id: int, payload: PostingIn) -> object:
    user = _recruiter(request)
    posting = selectors.posting_for_recruiter(user=user, posting_id=posting_id)
    return services.posting_update(actor=user, posting=posting, data=_fields(payload))


_ACTIONS = {"submit": services.posting_submit, "pause": services.posting_pause,
            "resume": services.posting_resume, "close": services.posting_close,
            "withdraw": services.posting_withdraw}


@router.post("/my/jobs/{posting_id}/{action}", response=PostingOut, auth=user_auth,
             summary="提交审核 / 暂停 / 恢复 / 关闭 / 撤回")
def job_action(request: HttpRequest, posting_id: int, action: str) -> object:
    user = _recruiter(request)
    if action not in _ACTIONS:
        raise NotFound(_("未知的操作。"))
    posting = selectors.posting_for_recruiter(user=user, posting_id=posting_id, for_action=True)
    return _ACTIONS[action](actor=user, posting=posting)


@router.post("/reports", response={201: ReportOut}, auth=user_auth, summary="举报职位")
def report(request: HttpRequest, payload: ReportIn) -> object:
    posting = selectors.posting_public_get(posting_id=payload.posting_id)
    created = report_create(reporter=request.auth, target=posting, reason=payload.reason,
                            detail=payload.detail, title=posting.title,
                            text=services.screening_text(posting))
    return Status(201, created)
