"""Pages of the operations dashboard (ANA-1) and the live monitoring page (ANA-2)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from pinqiao.analytics import drilldown as drill
from pinqiao.analytics import services
from pinqiao.analytics.forms import ExportForm, FigureFilter, city_name, industry_name
from pinqiao.analytics.live import live_snapshot
from pinqiao.analytics.selectors import CHARTS, Filters, chart_table, chart_tables, coverage
from pinqiao.analytics.suppression import suppressed_label, suppression_note
from pinqiao.core.errors import ServiceError
from pinqiao.core.permissions import has_perm, staff_required


def _filters(form: FigureFilter) -> Filters:
    data = form.cleaned_data
    return Filters(start=data["start"], end=data["end"], city=data["city"],
                   industry=data["industry"])


def _dashboard(request: HttpRequest, form: FigureFilter, export_form: ExportForm | None = None,
               *, status: int = 200) -> HttpResponse:
    context: dict[str, Any] = {"form": form, "charts": [], "coverage": coverage(
        viewer=request.user), "note": suppression_note(), "suppressed": suppressed_label(),
        "can_export": has_perm(request.user, "analytics.export"),
        "can_drill": has_perm(request.user, "analytics.drilldown"),
        "export_form": export_form, "export_chart": export_form.data.get("chart")
        if export_form is not None else ""}
    if form.is_valid():
        filters = _filters(form)
        services.figures_viewed(actor=request.user, what="dashboard", filters=filters)
        context["filters"] = filters
        context["params"] = filters.as_params()
        context["query_string"] = urlencode(context["params"])
        context["place"] = f"{city_name(filters.city)} · {industry_name(filters.industry)}"
        context["charts"] = chart_tables(viewer=request.user, filters=filters,
                                         version=context["coverage"]["version"])
        context["chart_data"] = {t.name: t.as_dict() for t in context["charts"]}
    return render(request, "analytics/dashboard.html", context, status=status)


@require_GET
@staff_required("analytics.view")
def dashboard_view(request: HttpRequest) -> HttpResponse:
    """Trends, city and industry breakdowns, the funnel, moderation and complaint SLA; a bad
    filter comes back with its Chinese error and the input kept (400)."""
    form = FigureFilter(request.GET)
    return _dashboard(request, form, status=200 if form.is_valid() else 400)


@require_POST
@staff_required("analytics.export")
def export_view(request: HttpRequest) -> HttpResponse:
    """One chart's data as CSV or XLSX; a missing reason or bad range comes back onto the
    dashboard with the input kept."""
    form = ExportForm(request.POST)
    if form.is_valid() and form.cleaned_data["chart"] in CHARTS:
        try:
            download = services.figures_export(
                actor=request.user, chart=form.cleaned_data["chart"], filters=_filters(form),
                fmt=form.cleaned_data["format"], reason=form.cleaned_data["reason"])
        except ServiceError as exc:
            for name, messages in exc.fields.items():
                for message in messages:
                    form.add_error(name if name in form.fields else None, message)
        else:
            response = HttpResponse(download.body, content_type=download.content_type)
            response["Content-Disposition"] = f'attachment; filename="{download.filename}"'
            return response
    elif form.is_valid():
        form.add_error("chart", "未知的图表。")
    filter_form = FigureFilter({key: request.POST.get(key, "")
                                for key in ("start", "end", "city", "industry")})
    return _dashboard(request, filter_form, form, status=400)


@require_GET
@staff_required("analytics.drilldown")
def drilldown_view(request: HttpRequest) -> HttpResponse:
    """The objects behind one figure (postings, applications, organisations, cases,
    screenings, résumé downloads)."""
    form = FigureFilter(request.GET)
    metric = request.GET.get("metric", "")
    items: list[drill.Item] = []
    error = ""
    query = None
    if metric not in drill.DRILLABLE:
        error = "请选择要查看明细的指标。"
    elif form.is_valid():
        data = form.cleaned_data
        query = drill.Query(metric=metric, start=data["start"], end=data["end"],
                            city=data["city"], industry=data["industry"],
                            organisation=_int(request.GET.get("organisation")),
                            created_by=_int(request.GET.get("created_by")),
                            category=request.GET.get("category", "")[:40])
        items = drill.drilldown(viewer=request.user, query=query)
        services.figures_viewed(actor=request.user, what=f"drilldown:{metric}",
                                filters=_filters(form),
                                extra={"organisation": query.organisation,
                                       "created_by": query.created_by,
                                       "category": query.category, "shown": len(items)})
    return render(request, "analytics/drilldown.html", {
        "form": form, "metric": metric, "metric_label": drill.DRILLABLE.get(metric, ""),
        "metrics": drill.DRILLABLE, "items": items, "error": error, "query": query,
        "limit": drill.LIMIT}, status=400 if error else 200)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@require_GET
@staff_required("analytics.live")
def live_view(request: HttpRequest) -> HttpResponse:
    """The page that updates itself: it polls ``live_feed_view`` every few seconds."""
    services.figures_viewed(actor=request.user, what="live")
    today = timezone.localdate()
    return render(request, "analytics/live.html", {
        "snapshot": live_snapshot(viewer=request.user),
        "today": chart_table(viewer=request.user, chart="today",
                             filters=Filters(start=today, end=today))})


@require_GET
@staff_required("analytics.live")
def live_feed_view(request: HttpRequest) -> JsonResponse:
    """The live page's figures as JSON; a read path: writes nothing."""
    return JsonResponse(live_snapshot(viewer=request.user),
                        json_dumps_params={"ensure_ascii": False})

