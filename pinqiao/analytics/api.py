"""The figures API under ``/api/v1/analytics/`` (ANA-1, ANA-2): the same suppressed tables as
the dashboard, and the live snapshot."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Schema

from pinqiao.analytics import services
from pinqiao.analytics.forms import FigureFilter
from pinqiao.analytics.live import live_snapshot
from pinqiao.analytics.selectors import CHARTS, Filters, chart_table, chart_tables
from pinqiao.api.auth import user_auth
from pinqiao.core.errors import NotFound, ServiceError

router = Router(tags=["运营数据"])


class FilterIn(Schema):
    start: date | None = None
    end: date | None = None
    city: str = ""
    industry: str = ""


class ColumnOut(Schema):
    key: str
    label: str


class TableOut(Schema):
    name: str
    title: str
    kind: str
    columns: list[ColumnOut]
    rows: list[dict[str, Any]]
    notes: list[str]


def _filters(params: FilterIn) -> Filters:
    form = FigureFilter({"start": params.start or "", "end": params.end or "",
                         "city": params.city, "industry": params.industry})
    if not form.is_valid():
        raise ServiceError.from_validation_error("invalid_filter", _errors(form))
    data = form.cleaned_data
    return Filters(start=data["start"], end=data["end"], city=data["city"],
                   industry=data["industry"])


def _errors(form: FigureFilter) -> ValidationError:
    return ValidationError({name if name != "__all__" else "range": errors
                            for name, errors in form.errors.items()})


@router.get("/analytics/charts", auth=user_auth, response=list[TableOut],
            summary="运营数据：全部图表的数据（小于最小单元的数字为 null）")
def charts(request: HttpRequest, params: Query[FilterIn]) -> list[dict[str, Any]]:
    filters = _filters(params)
    services.figures_viewed(actor=request.auth, what="api:charts", filters=filters)
    return [table.as_dict() for table in chart_tables(viewer=request.auth, filters=filters)]


@router.get("/analytics/charts/{chart}", auth=user_auth, response=TableOut,
            summary="运营数据：单个图表的数据")
def chart(request: HttpRequest, chart: str, params: Query[FilterIn]) -> dict[str, Any]:
    if chart not in CHARTS:
        raise NotFound(f"没有名为「{chart}」的图表，可用：{'、'.join(CHARTS)}。")
    filters = _filters(params)
    services.figures_viewed(actor=request.auth, what=f"api:{chart}", filters=filters)
    return chart_table(viewer=request.auth, chart=chart, filters=filters).as_dict()


@router.get("/analytics/live", auth=user_auth, response=dict[str, Any],
            summary="实时监测：近 1 小时发布、机审与异常（只读，不写入）")
def live(request: HttpRequest) -> dict[str, Any]:
    return live_snapshot(viewer=request.auth)
