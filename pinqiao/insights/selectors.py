"""Reads of the market insights (ANA-4): the newest snapshot only, never the postings.

Filters are validated here (an unknown job function or city is refused with its code); the
figures are those the refresh stored, already suppressed where too few postings back a cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from pinqiao.core.errors import NotFound, ServiceError
from pinqiao.insights.models import Guide, GuideStatus, SalaryCell, Snapshot, TrendPoint
from pinqiao.reference import divisions, taxonomy


def latest_snapshot() -> Snapshot | None:
    return Snapshot.objects.order_by("-computed_at", "-id").first()


def snapshot_computed_at() -> datetime | None:
    """When the newest snapshot was computed (the scheduler does not recompute a fresh one
    at its start)."""
    return Snapshot.objects.values_list("computed_at", flat=True).first()


def parse_function(value: str) -> str:
    value = (value or "").strip()
    if value and taxonomy.job_function(value) is None:
        raise ServiceError("unknown_function", _("没有这个职能，请从列表中选择。"),
                           fields={"function": [_("没有这个职能，请从列表中选择。")]})
    return value


def parse_city(value: str) -> str:
    value = (value or "").strip()
    if value:
        division = divisions.get(value)
        if division is None or division.level != "city":
            raise ServiceError("unknown_city", _("没有这个城市，请从列表中选择。"),
                               fields={"city": [_("没有这个城市，请从列表中选择。")]})
    return value


def function_name(slug: str) -> str:
    if not slug:
        return _("全部职能")
    found = taxonomy.job_function(slug)
    return found.name if found else _("其他职能")


def city_name(code: str) -> str:
    if not code:
        return _("全部城市")
    found = divisions.get(code)
    return found.name if found else _("其他城市")


@dataclass
class SalaryRow:
    label: str
    postings: int
    p25: int | None
    median: int | None
    p75: int | None


@dataclass
class SalaryIndex:
    snapshot: Snapshot | None
    function: str
    city: str
    rows: list[SalaryRow] = field(default_factory=list)
    overall: SalaryRow | None = None

    @property
    def chart(self) -> dict[str, Any]:
        shown = [row for row in self.rows if row.median is not None]
        return {"labels": [row.label for row in shown],
                "p25": [row.p25 for row in shown], "median": [row.median for row in shown],
                "p75": [row.p75 for row in shown]}


def salary_index(*, function: str = "", city: str = "", limit: int = 30) -> SalaryIndex:
    """The rows of the salary index for a filter: with a city, one row per job function in it;
    with a function, one row per city; with both, the one cell; with neither, one row per city
    (all functions). Rows with figures first (most postings first), then suppressed ones."""
    function, city = parse_function(function), parse_city(city)
    snapshot = latest_snapshot()
    index = SalaryIndex(snapshot=snapshot, function=function, city=city)
    if snapshot is None:
        return index
    cells = SalaryCell.objects.filter(snapshot=snapshot)
    if function and city:
        cells = cells.filter(function=function, city=city)
        label = lambda c: f"{city_name(c.city)} · {function_name(c.function)}"  # noqa: E731
    elif city:
        cells = cells.filter(city=city).exclude(function="")
        label = lambda c: function_name(c.function)  # noqa: E731
    else:
        cells = cells.filter(function=function).exclude(city="")
        label = lambda c: city_name(c.city)  # noqa: E731
    ordered = sorted(cells, key=lambda c: (c.median is None, -c.postings, c.function, c.city))
    index.rows = [SalaryRow(label(c), c.postings, c.p25, c.median, c.p75)
                  for c in ordered[:limit]]
    margin = SalaryCell.objects.filter(snapshot=snapshot, function=function, city=city).first() \
        if not (function and city) else None
    if margin is not None:
        index.overall = SalaryRow(_("合计"), margin.postings, margin.p25, margin.median,
                                  margin.p75)
    return index


@dataclass
class Trends:
    snapshot: Snapshot | None
    city: str
    months: list[str] = field(default_factory=list)
    postings: list[int] = field(default_factory=list)
    headcount: list[int] = field(default_factory=list)
    applications: list[int | None] = field(default_factory=list)
    hires: list[int | None] = field(default_factory=list)
    cities: list[tuple[str, str]] = field(default_factory=list)

    @property
    def chart(self) -> dict[str, Any]:
        return {"months": self.months, "postings": self.postings, "headcount": self.headcount,
                "applications": self.applications, "hires": self.hires}

    @property
    def rows(self) -> list[tuple[str, int, int, int | None, int | None]]:
        return list(zip(self.months, self.postings, self.headcount, self.applications,
                        self.hires, strict=True))


def hiring_trends(*, city: str = "") -> Trends:
    """Postings published per month (and their headcount), applications and hires (``None``
    where suppressed), all cities or one of the busiest."""
    city = parse_city(city)
    snapshot = latest_snapshot()
    trends = Trends(snapshot=snapshot, city=city)
    if snapshot is None:
        return trends
    points = TrendPoint.objects.filter(snapshot=snapshot)
    available = sorted({p for p in points.exclude(city="").values_list("city", flat=True)})
    trends.cities = [(code, city_name(code)) for code in available]
    if city and city not in available:
        raise ServiceError("city_without_trend",
                           _("该城市的职位较少，暂无单独的趋势数据，请查看全部城市。"),
                           fields={"city": [_("该城市暂无趋势数据。")]})
    for point in points.filter(city=city).order_by("month"):
        trends.months.append(point.month.strftime("%Y-%m"))
        trends.postings.append(point.postings)
        trends.headcount.append(point.headcount)
        trends.applications.append(point.applications)
        trends.hires.append(point.hires)
    return trends


def function_choices() -> list[tuple[str, str]]:
    return [(f.slug, f.name) for f in taxonomy.job_functions()]


def guides_published() -> QuerySet[Guide]:
    return Guide.objects.filter(status=GuideStatus.PUBLISHED).order_by("-published_at", "-id")


def guide_published(*, slug: str) -> Guide:
    guide = guides_published().filter(slug=slug).first()
    if guide is None:
        raise NotFound(_("没有找到这篇求职指南。"))
    return guide


def guides_for_staff() -> QuerySet[Guide]:
    return Guide.objects.order_by("-updated_at", "-id")
