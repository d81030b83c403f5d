"""Market insights under ``/api/v1/insights/`` (ANA-4): the salary index, hiring trends and
the published job-search guides for everyone; guide editing for staff. Errors follow
``{"error": {"code", "message", "fields"}}``."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from pinqiao.analytics.suppression import min_cell
from pinqiao.api.auth import user_auth
from pinqiao.core.errors import NotFound
from pinqiao.core.permissions import require_perm
from pinqiao.insights import selectors, services
from pinqiao.insights.models import Guide

router = Router(tags=["就业市场洞察"])


class SalaryRowOut(Schema):
    label: str
    postings: int
    p25: int | None
    median: int | None
    p75: int | None


class SalaryOut(Schema):
    function: str
    city: str
    computed_at: datetime | None
    min_postings: int
    pay_unit: str
    rows: list[SalaryRowOut]
    overall: SalaryRowOut | None


class TrendsOut(Schema):
    city: str
    computed_at: datetime | None
    months: list[str]
    postings: list[int]
    headcount: list[int]
    applications: list[int | None]
    hires: list[int | None]


class GuideSummaryOut(Schema):
    slug: str
    title: str
    summary: str
    published_at: datetime | None


class GuideOut(GuideSummaryOut):
    body: str


class GuideIn(Schema):
    slug: str
    title: str
    summary: str
    body: str
    status: str = "draft"


class StaffGuideOut(GuideOut):
    id: int
    status: str


@router.get("/insights/salary", response=SalaryOut, auth=None,
            summary="薪酬指数：按职能、城市的月薪四分位（ANA-4）")
def salary(request: HttpRequest, function: str = "", city: str = "") -> object:
    """Monthly posted pay only; a cell backed by fewer postings than ``min_postings`` has
    empty figures. ``function`` is a job-function slug, ``city`` a city division code;
    unknown values are refused (``unknown_function``, ``unknown_city``)."""
    index = selectors.salary_index(function=function, city=city)
    return {"function": index.function, "city": index.city,
            "computed_at": index.snapshot.computed_at if index.snapshot else None,
            "min_postings": min_cell(), "pay_unit": "month",
            "rows": index.rows, "overall": index.overall}


@router.get("/insights/trends", response=TrendsOut, auth=None,
            summary="招聘趋势：每月新发布职位数、招聘人数、投递与入职（少于最小单元为 null）")
def trends(request: HttpRequest, city: str = "") -> object:
    data = selectors.hiring_trends(city=city)
    return {"city": data.city,
            "computed_at": data.snapshot.computed_at if data.snapshot else None,
            "months": data.months, "postings": data.postings, "headcount": data.headcount,
            "applications": data.applications, "hires": data.hires}


@router.get("/insights/guides", response=list[GuideSummaryOut], auth=None,
            summary="求职指南列表")
def guides(request: HttpRequest) -> object:
    return list(selectors.guides_published()[:100])


@router.get("/insights/guides/{slug}", response=GuideOut, auth=None, summary="求职指南")
def guide(request: HttpRequest, slug: str) -> object:
    return selectors.guide_published(slug=slug)


@router.post("/insights/staff/guides", auth=user_auth, response={201: StaffGuideOut},
             summary="新建求职指南（工作人员，保存时审核）")
def guide_create(request: HttpRequest, payload: GuideIn) -> object:
    return Status(201, services.guide_save(actor=request.auth, **payload.dict()))


@router.put("/insights/staff/guides/{guide_id}", auth=user_auth, response=StaffGuideOut,
            summary="修改求职指南（工作人员，保存时审核）")
def guide_update(request: HttpRequest, guide_id: int, payload: GuideIn) -> object:
    require_perm(request.auth, "insights.guides")
    found = Guide.objects.filter(pk=guide_id).first()
    if found is None:
        raise NotFound(_("没有找到这篇求职指南。"))
    return services.guide_save(actor=request.auth, guide=found, **payload.dict())
