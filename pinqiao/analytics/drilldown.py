"""Drill-down (ANA-1): the objects behind one figure, for staff holding
``analytics.drilldown``. Lists name postings, organisations, cases and screening records by
their own labels and link to the staff page of each; no seeker is named (an application shows
its number, its posting and its stage)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pinqiao.analytics.models import ALL, Metric
from pinqiao.analytics.rollup import day_bounds
from pinqiao.applications.models import Application, Stage
from pinqiao.core.errors import ServiceError
from pinqiao.core.permissions import require_perm
from pinqiao.jobs.models import Posting, PostingEvent, RemovalReason
from pinqiao.moderation.models import ScreeningRecord
from pinqiao.moderation.services import CATEGORY_LABELS
from pinqiao.orgs.models import Organisation
from pinqiao.privacy.models import AccessKind, ResumeAccess
from pinqiao.reference import taxonomy
from pinqiao.tickets.models import Case

LIMIT = 200

DRILLABLE = {
    Metric.POSTINGS_PUBLISHED: _("发布职位"),
    Metric.POSTINGS_REMOVED: _("下架职位"),
    Metric.POSTINGS_EXPIRED: _("过期职位"),
    Metric.APPLICATIONS: _("投递"),
    Metric.ORGS_NEW: _("新注册单位"),
    Metric.COMPLAINTS_RECEIVED: _("收到投诉"),
    Metric.SCREENINGS: _("机审"),
    "resume_downloads": _("简历下载"),
}


@dataclass(frozen=True)
class Query:
    metric: str
    start: date
    end: date
    city: str = ALL
    industry: str = ALL
    organisation: int | None = None
    created_by: int | None = None
    category: str = ""


@dataclass(frozen=True)
class Item:
    label: str
    detail: str
    at: str
    url: str


def _industries(letter: str) -> list[str]:
    return [letter, *(i.code for i in taxonomy.industry_children(letter))]


def _place(rows: Any, q: Query, prefix: str) -> Any:
    if q.city != ALL:
        rows = rows.filter(**{f"{prefix}division_code__startswith": q.city[:4]})
    if q.industry != ALL:
        rows = rows.filter(**{f"{prefix}industry__in": _industries(q.industry)})
    return rows


def drilldown(*, viewer: Any, query: Query) -> list[Item]:
    """At most ``LIMIT`` objects behind ``query``'s figure, newest first."""
    require_perm(viewer, "analytics.drilldown")
    if query.metric not in DRILLABLE:
        raise ServiceError("not_drillable", "该指标没有明细列表。", status=400)
    if query.start > query.end or (query.end - query.start).days > 366:
        raise ServiceError("invalid_range", "日期范围无效：开始日期须不晚于结束日期，且最长一年。")
    start, _e = day_bounds(query.start)
    _s, end = day_bounds(query.end)
    metric = query.metric
    if metric in (Metric.POSTINGS_PUBLISHED, Metric.POSTINGS_REMOVED, Metric.POSTINGS_EXPIRED):
        status = metric.removeprefix("postings_")
        events = _place(PostingEvent.objects.filter(at__gte=start, at__lt=end, to_status=status),
                        query, "posting__")
        if query.organisation:
            events = events.filter(posting__organisation_id=query.organisation)
        rows = events.order_by("-at").values_list(
            "at", "reason_code", "posting_id", "posting__title",
            "posting__organisation__name")[:LIMIT]  # tuples: 200 model triples cost 15 ms
        reasons = dict(RemovalReason.choices)
        return [Item(title, " · ".join(filter(None, (org, str(reasons.get(reason, ""))))),
                     _fmt(at), reverse("jobs:staff_posting", args=[posting]))
                for at, reason, posting, title, org in rows]
    if metric == Metric.APPLICATIONS:
        apps = _place(Application.objects.filter(created_at__gte=start, created_at__lt=end),
                      query, "posting__")
        if query.organisation:
            apps = apps.filter(organisation_id=query.organisation)
        stages = dict(Stage.choices)
        return [Item(f"投递 #{pk}", f"{title} · {stages.get(stage, stage)}", _fmt(at),
                     reverse("jobs:staff_posting", args=[posting]))
                for pk, at, stage, posting, title in apps.order_by("-created_at").values_list(
                    "pk", "created_at", "stage", "posting_id", "posting__title")[:LIMIT]]
    if metric == Metric.ORGS_NEW:
        orgs = Organisation.objects.filter(created_at__gte=start, created_at__lt=end)
        if query.created_by:
            orgs = orgs.filter(created_by_id=query.created_by)
        if query.industry != ALL:
            orgs = orgs.filter(industry__in=_industries(query.industry))
        return [Item(o.name, o.get_status_display(), _fmt(o.created_at),
                     reverse("orgs:review", args=[o.pk]))
                for o in orgs.order_by("-created_at")[:LIMIT]]
    if metric == Metric.COMPLAINTS_RECEIVED:
        cases = Case.objects.filter(received_at__gte=start, received_at__lt=end)
        if query.industry != ALL:
            cases = cases.filter(organisation__industry__in=_industries(query.industry))
        return [Item(c.reference, f"{c.get_kind_display()} · {c.get_status_display()}",
                     _fmt(c.received_at), reverse("tickets:staff_detail", args=[c.pk]))
                for c in cases.order_by("-received_at")[:LIMIT]]
    if metric == "resume_downloads":
        pulls = ResumeAccess.objects.filter(at__gte=start, at__lt=end, kind=AccessKind.DOWNLOAD)
        if query.organisation:
            pulls = pulls.filter(organisation_id=query.organisation)
        return [Item(f"简历 #{p.resume_id}", f"{p.organisation.name} · 账号 #{p.viewer_id}",
                     _fmt(p.at), reverse("orgs:review", args=[p.organisation_id]))
                for p in pulls.select_related("organisation").order_by("-at")[:LIMIT]]
    records = ScreeningRecord.objects.filter(created_at__gte=start, created_at__lt=end)
    if query.category:
        records = records.filter(pk__in=[
            pk for pk, cats in records.values_list("pk", "categories")
            if query.category in (cats or ())][:LIMIT])
    posting_type = Posting._meta.model_name
    return [Item(f"机审 #{r.pk}", f"{r.get_decision_display()} · {_categories(r.categories)}",
                 _fmt(r.created_at), reverse("jobs:staff_posting", args=[r.object_id])
                 if r.content_type and r.content_type.model == posting_type
                 and r.object_id.isdigit() else "")
            for r in records.select_related("content_type").order_by("-created_at")[:LIMIT]]


def _categories(codes: list[str] | None) -> str:
    return "、".join(str(CATEGORY_LABELS.get(c, c)) for c in codes or []) or "—"

def _fmt(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def default_range() -> tuple[date, date]:
    today = timezone.localdate()
    return today - timedelta(days=6), today
