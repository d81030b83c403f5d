"""The figures the dashboard shows (ANA-1): each chart is a ``Table`` read only from the rollup
tables, with the suppression rule applied. Pages, the API and the CSV/XLSX exports all call
``chart_table``, so what is downloaded is what is drawn.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Sum
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from pinqiao.analytics.forms import city_name, industry_name
from pinqiao.analytics.models import (
    ALL,
    SNAPSHOTS,
    DailyFigure,
    HourlyFigure,
    Metric,
    MonthlyFigure,
    RollupRun,
)
from pinqiao.analytics.rollup import day_bounds, month_bounds
from pinqiao.analytics.suppression import min_cell, suppress_rows, suppressed_label
from pinqiao.core.permissions import require_perm
from pinqiao.moderation.models import Decision
from pinqiao.moderation.services import CATEGORY_LABELS

#: The funnel from posting to hire, in order.
FUNNEL = (Metric.POSTINGS_PUBLISHED, Metric.APPLICATIONS, Metric.INTERVIEWS, Metric.OFFERS,
          Metric.HIRES)
#: The metrics of the trend chart.
TREND = (Metric.USERS_NEW, Metric.ORGS_NEW, Metric.POSTINGS_PUBLISHED, Metric.POSTINGS_REMOVED,
         Metric.POSTINGS_EXPIRED, Metric.APPLICATIONS, Metric.INTERVIEWS, Metric.OFFERS,
         Metric.HIRES, Metric.CHATS, Metric.COMPLAINTS_RECEIVED)
#: The metrics compared across cities and industries.
BREAKDOWN = (Metric.POSTINGS_PUBLISHED, Metric.APPLICATIONS, Metric.INTERVIEWS, Metric.HIRES,
             Metric.CHATS, Metric.COMPLAINTS_RECEIVED)


@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    city: str = ALL
    industry: str = ALL

    def as_params(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(),
                "city": "" if self.city == ALL else self.city,
                "industry": "" if self.industry == ALL else self.industry}

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    @property
    def weekly(self) -> bool:
        """Ranges longer than ``DAILY_UP_TO`` days are shown week by week."""
        return (self.end - self.start).days + 1 > DAILY_UP_TO

    @property
    def period_label(self) -> str:
        return str(_("周（起始日）")) if self.weekly else str(_("日期"))


#: Up to this many days a time chart has a point per day; beyond, a point per week.
DAILY_UP_TO = 92


def _periods(filters: Filters, values: dict[date, dict[str, int]],
             snapshots: tuple[str, ...] = ()) -> list[tuple[str, dict[str, int]]]:
    """``values`` by day, grouped into the range's periods (days, or weeks from Monday):
    flows summed, ``snapshots`` (a state at day end) taken from the period's last day."""
    periods: list[tuple[str, dict[str, int]]] = []
    current = ""
    for day in filters.days:
        label = (max(day - timedelta(days=day.weekday()), filters.start) if filters.weekly
                 else day).isoformat()
        if label != current:
            periods.append((label, {}))
            current = label
        bucket = periods[-1][1]
        for metric, value in values.get(day, {}).items():
            bucket[metric] = value if metric in snapshots else bucket.get(metric, 0) + value
        for metric in snapshots:
            if metric not in values.get(day, {}):
                bucket[metric] = 0
    return periods


@dataclass
class Table:
    """One chart's data: ``columns`` are ``(key, label)``, the first the category (day, city,
    stage …); ``rows`` are dicts, already suppressed (``None`` = 「<5」)."""

    name: str
    title: str
    columns: list[tuple[str, str]]
    rows: list[dict[str, Any]]
    kind: str = "line"  # how the page draws it: line, bar, funnel
    notes: list[str] = field(default_factory=list)
    drill: str = ""  # the metric whose objects the drill-down link lists

    @property
    def drill_label(self) -> str:
        return _label(self.drill) if self.drill else ""

    def html_body(self) -> SafeString:
        """The ``<tbody>`` rows of the page's table (built here, not in a template loop: a
        year's table has thousands of cells; numbers written as they are and text through the
        standard library's ``html.escape``, not Django's lazy-aware ``escape``, which cost
        most of the page's time); 「<5」 for a suppressed cell."""
        if not self.rows:
            return format_html('<tr><td colspan="{}">{}</td></tr>', len(self.columns),
                               _("该时段没有数据。"))
        keys = [key for key, _label in self.columns]
        first, rest = keys[0], keys[1:]
        hidden = html.escape(str(suppressed_label()))
        lines = []
        for row in self.rows:
            cells = "".join(f"<td>{hidden if row.get(k) is None else _cell(row[k])}</td>"
                            for k in rest)
            lines.append(f'<tr><th scope="row">{_cell(row.get(first))}</th>{cells}</tr>')
        return mark_safe("\n".join(lines))  # noqa: S308 - every value escaped above

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "kind": self.kind,
                "columns": [{"key": k, "label": str(v)} for k, v in self.columns],
                "rows": self.rows, "notes": [str(n) for n in self.notes]}


def _place(rows: Any, filters: Filters, *, by_city: bool, by_industry: bool) -> Any:
    """``rows`` narrowed to the filter's city and industry; a breakdown's dimension keeps every
    value but the total (``ALL``), or only the chosen one."""
    if by_city:
        rows = rows.exclude(city=ALL)
        if filters.city != ALL:
            rows = rows.filter(city=filters.city)
    else:
        rows = rows.filter(city=filters.city)
    if by_industry:
        rows = rows.exclude(industry=ALL)
        if filters.industry != ALL:
            rows = rows.filter(industry=filters.industry)
    else:
        rows = rows.filter(industry=filters.industry)
    return rows


def _cell(value: Any) -> str:
    """A table cell's text, escaped for HTML (numbers need nothing)."""
    if isinstance(value, int | float):
        return str(value)
    return html.escape(str(value))


def _figures(filters: Filters, metrics: tuple[str, ...], *, by_city: bool = False,
             by_industry: bool = False):  # noqa: ANN202 - a values() queryset
    """The daily rows of the range (charts with a point per day or week)."""
    return _place(DailyFigure.objects.filter(metric__in=metrics, day__gte=filters.start,
                                             day__lte=filters.end),
                  filters, by_city=by_city, by_industry=by_industry)


Span = tuple[date, date]


def split_months(start: date, end: date) -> tuple[Span | None, list[Span]]:
    """``[start, end]`` as the first days of its whole calendar months (first, last; ``None``
    when it holds no whole month) and the spans of days outside them, at either end."""
    first = start if start.day == 1 else month_bounds(start)[1] + timedelta(days=1)
    last_end = end if end == month_bounds(end)[1] else end.replace(day=1) - timedelta(days=1)
    if first > last_end:
        return None, [(start, end)]
    edges = [(a, b) for a, b in ((start, first - timedelta(days=1)),
                                 (last_end + timedelta(days=1), end)) if a <= b]
    return (first, last_end.replace(day=1)), edges


def _month_parts(metrics: tuple[str, ...], start: date, end: date) -> list[Any]:
    """The rows of flow ``metrics`` over ``[start, end]``: its whole months from
    ``MonthlyFigure`` and the days at either end from ``DailyFigure`` (summed, they equal the
    daily rows: ``rollup_month``)."""
    if SNAPSHOTS.intersection(metrics):
        raise ValueError(f"day-end snapshots are not summed over a range: {metrics}")
    months, edges = split_months(start, end)
    parts: list[Any] = []
    if months is not None:
        parts.append(MonthlyFigure.objects.filter(metric__in=metrics, month__gte=months[0],
                                                  month__lte=months[1]))
    parts.extend(DailyFigure.objects.filter(metric__in=metrics, day__gte=a, day__lte=b)
                 for a, b in edges)
    return parts


def summed(filters: Filters, metrics: tuple[str, ...], fields: tuple[str, ...], *,
           by_city: bool = False, by_industry: bool = False) -> dict[tuple, int]:
    """``{values of fields: sum}`` of flow ``metrics`` over the range: whole months from
    ``MonthlyFigure`` (twelve rows a year per cell instead of 365), the days at either end
    from ``DailyFigure``; equal to summing the daily rows (``rollup_month``). One query: a
    ``UNION ALL`` of the months and each span of days, every part a range of its index."""
    parts = [_place(rows, filters, by_city=by_city, by_industry=by_industry)
             .values_list(*fields).annotate(n=Sum("value")).order_by()
             for rows in _month_parts(metrics, filters.start, filters.end)]
    totals: dict[tuple, int] = defaultdict(int)
    for row in parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]:
        totals[row[:-1]] += row[-1]
    return totals


def _label(metric: str) -> str:
    return str(Metric(metric).label)


def _flows(filters: Filters, metrics: tuple[str, ...]) -> dict[date, dict[str, int]]:
    """``{day: {metric: sum}}`` of flow ``metrics`` for ``_periods``: a row per day, or, for a
    range shown week by week, per week summed in SQL (keyed by the week's first day in the
    range), so a year's chart fetches 53 rows per metric instead of 365."""
    values: dict[date, dict[str, int]] = defaultdict(dict)
    rows = _figures(filters, metrics)
    if filters.weekly:
        for week, metric, n in (rows.annotate(week=TruncWeek("day")).values_list("week", "metric")
                                .annotate(n=Sum("value")).order_by()):
            week = week.date() if isinstance(week, datetime) else week
            values[max(week, filters.start)][metric] = n
    else:
        for day, metric, n in rows.values_list("day", "metric").annotate(n=Sum("value")):
            values[day][metric] = n
    return values


def trend_table(filters: Filters) -> Table:
    """Each day's (or week's) count of every trend metric (new users are not by city: users
    have none)."""
    values = _flows(filters, TREND)
    rows = [{"day": label, **{m: found.get(m, 0) for m in TREND}}
            for label, found in _periods(filters, values)]
    return Table("trend", str(_("趋势")),
                 [("day", filters.period_label)] + [(m, _label(m)) for m in TREND],
                 suppress_rows(rows, counts=list(TREND), complementary=False),
                 notes=[str(_("新注册用户不分城市与行业，按城市或行业筛选时为 0。"))],
                 drill=Metric.POSTINGS_PUBLISHED)


def _breakdown(filters: Filters, *, dimension: str) -> list[dict[str, Any]]:
    by_city = dimension == "city"
    totals: dict[str, dict[str, int]] = defaultdict(dict)
    for (code, metric), n in summed(filters, BREAKDOWN, (dimension, "metric"), by_city=by_city,
                                    by_industry=not by_city).items():
        totals[code][metric] = n
    name = city_name if by_city else industry_name
    rows = [{dimension: code, "name": name(code), **{m: found.get(m, 0) for m in BREAKDOWN}}
            for code, found in totals.items()]
    rows.sort(key=lambda r: (-r[Metric.POSTINGS_PUBLISHED], r[dimension]))
    return suppress_rows(rows, counts=list(BREAKDOWN))


def city_table(filters: Filters) -> Table:
    return Table("city", str(_("按城市")),
                 [("name", str(_("城市"))), *((m, _label(m)) for m in BREAKDOWN)],
                 _breakdown(filters, dimension="city"), kind="bar",
                 drill=Metric.POSTINGS_PUBLISHED)


def industry_table(filters: Filters) -> Table:
    return Table("industry", str(_("按行业")),
                 [("name", str(_("行业"))), *((m, _label(m)) for m in BREAKDOWN)],
                 _breakdown(filters, dimension="industry"), kind="bar",
                 drill=Metric.APPLICATIONS)


def funnel_table(filters: Filters) -> Table:
    """Postings published → applications → interviews → offers → hires over the range, each
    stage with its share of the one before (suppressed with its base)."""
    found = {metric: n for (metric,), n in summed(filters, FUNNEL, ("metric",)).items()}
    rows: list[dict[str, Any]] = []
    previous: int | None = None
    for metric in FUNNEL:
        value = found.get(metric, 0)
        rate = round(value / previous, 3) if previous else None
        rows.append({"stage": _label(metric), "metric": metric, "value": value,
                     "rate": rate, "base": previous or 0})
        previous = value
    rows = suppress_rows(rows, counts=["value", "base"], derived={"rate": ("value", "base")},
                         complementary=False)
    for row in rows:
        row.pop("base")
    return Table("funnel", str(_("招聘漏斗")),
                 [("stage", str(_("环节"))), ("value", str(_("数量"))),
                  ("rate", str(_("较上一环节")))], rows, kind="funnel",
                 notes=[str(_("比率为本环节数量除以上一环节数量，同一时段内的流量，并非同一批人的转化。"))],
                 drill=Metric.APPLICATIONS)


def moderation_table(filters: Filters) -> Table:
    """Each day's screenings by decision and the review queue at day end: items open, their
    average age in hours and those past their due time (platform-wide)."""
    metrics = (Metric.SCREENINGS, Metric.REVIEW_QUEUE_OPEN, Metric.REVIEW_QUEUE_AGE,
               Metric.REVIEW_QUEUE_OVERDUE)
    values: dict[date, dict[str, int]] = defaultdict(dict)
    rows_q = DailyFigure.objects.filter(metric__in=metrics, day__gte=filters.start,
                                        day__lte=filters.end, industry=ALL, city=ALL)
    for row in rows_q.values("day", "metric", "key").annotate(n=Sum("value")):
        column = (f"screen_{row['key']}" if row["metric"] == Metric.SCREENINGS
                  else row["metric"])
        values[row["day"]][column] = values[row["day"]].get(column, 0) + row["n"]
    decisions = [f"screen_{d}" for d in Decision.values]
    rows = []
    snapshots = (Metric.REVIEW_QUEUE_OPEN, Metric.REVIEW_QUEUE_AGE, Metric.REVIEW_QUEUE_OVERDUE)
    for label, found in _periods(filters, values, snapshots):
        open_items = found.get(Metric.REVIEW_QUEUE_OPEN, 0)
        age = found.get(Metric.REVIEW_QUEUE_AGE, 0)
        rows.append({"day": label, **{d: found.get(d, 0) for d in decisions},
                     "queue_open": open_items,
                     "queue_age_hours": round(age / open_items / 60, 1) if open_items else None,
                     "queue_overdue": found.get(Metric.REVIEW_QUEUE_OVERDUE, 0)})
    rows = suppress_rows(rows, counts=[*decisions, "queue_open", "queue_overdue"],
                         derived={"queue_age_hours": "queue_open"}, complementary=False)
    labels = dict(Decision.choices)
    return Table("moderation", str(_("机审与人工审核")),
                 [("day", filters.period_label),
                  *((f"screen_{d}", f"{_('机审')}·{labels[d]}") for d in Decision.values),
                  ("queue_open", str(_("日终待审"))),
                  ("queue_age_hours", str(_("平均等待（小时）"))),
                  ("queue_overdue", str(_("超时待审")))],
                 rows, notes=[str(_("机审与审核队列为全平台数字，不按城市与行业筛选。"))],
                 drill=Metric.SCREENINGS)


def categories_table(filters: Filters) -> Table:
    """Screening hits by category over the range, largest first."""
    found = sorted(((key, n) for (key,), n in
                    summed(filters, (Metric.SCREENING_CATEGORIES,), ("key",)).items()),
                   key=lambda kn: (-kn[1], kn[0]))
    rows = suppress_rows([{"category": str(CATEGORY_LABELS.get(key, key)), "code": key,
                           "value": n} for key, n in found], counts=["value"])
    return Table("categories", str(_("机审命中类别")),
                 [("category", str(_("类别"))), ("value", str(_("命中次数")))], rows, kind="bar",
                 drill=Metric.SCREENINGS)


def complaints_table(filters: Filters) -> Table:
    """Each day's cases received and handled, the share handled within the 7-working-day
    deadline (TKT-3) and those unhandled past it at day end."""
    metrics = (Metric.COMPLAINTS_RECEIVED, Metric.COMPLAINTS_CLOSED, Metric.COMPLAINTS_ON_TIME,
               Metric.COMPLAINTS_OVERDUE)
    values = _flows(filters, metrics[:3])
    for day, n in (_figures(filters, (Metric.COMPLAINTS_OVERDUE,)).values_list("day")
                   .annotate(n=Sum("value"))):
        values[day][Metric.COMPLAINTS_OVERDUE] = n
    rows = []
    for label, found in _periods(filters, values, (Metric.COMPLAINTS_OVERDUE,)):
        closed = found.get(Metric.COMPLAINTS_CLOSED, 0)
        on_time = found.get(Metric.COMPLAINTS_ON_TIME, 0)
        rows.append({"day": label,
                     **{m: found.get(m, 0) for m in metrics},
                     "on_time_rate": round(on_time / closed, 3) if closed else None})
    rows = suppress_rows(rows, counts=list(metrics),
                         derived={"on_time_rate": (Metric.COMPLAINTS_CLOSED,
                                                   Metric.COMPLAINTS_ON_TIME)},
                         complementary=False)
    return Table("complaints", str(_("投诉处理时效")),
                 [("day", filters.period_label), *((m, _label(m)) for m in metrics),
                  ("on_time_rate", str(_("按时处理率")))], rows,
                 notes=[str(_("时限为受理后 7 个工作日（TKT-3）；含举报、投诉与申诉。"))],
                 drill=Metric.COMPLAINTS_RECEIVED)


def today_table(filters: Filters, *, now: datetime | None = None) -> Table:
    """Today's figures hour by hour, read from the hourly rollups (recomputed every 5 minutes
    with the day): the trend metrics for the filter's city and industry; the date range does
    not apply."""
    now = now or timezone.now()
    start, _end = day_bounds(timezone.localdate(now))
    values: dict[datetime, dict[str, int]] = defaultdict(dict)
    for row in (HourlyFigure.objects.filter(metric__in=TREND, hour__gte=start, city=filters.city,
                                            industry=filters.industry)
                .values("hour", "metric").annotate(n=Sum("value"))):
        values[row["hour"]][row["metric"]] = row["n"]
    rows = []
    hour = start
    while hour <= now:
        found = values.get(hour, {})
        rows.append({"hour": timezone.localtime(hour).strftime("%H:00"),
                     **{m: found.get(m, 0) for m in TREND}})
        hour += timedelta(hours=1)
    return Table("today", str(_("今日分时")),
                 [("hour", str(_("小时")))] + [(m, _label(m)) for m in TREND],
                 suppress_rows(rows, counts=list(TREND), complementary=False),
                 notes=[str(_("今日各小时的汇总，每 5 分钟更新；不受日期范围影响，"
                               "按城市与行业筛选。"))],
                 drill=Metric.POSTINGS_PUBLISHED)


CHARTS: dict[str, Callable[[Filters], Table]] = {
    "trend": trend_table,
    "funnel": funnel_table,
    "city": city_table,
    "industry": industry_table,
    "moderation": moderation_table,
    "categories": categories_table,
    "complaints": complaints_table,
    "today": today_table,
}
#: Charts read fresh on every request: today's hours change every 5 minutes and are few.
UNCACHED = frozenset({"today"})


def monthly_totals(*, metrics: tuple[str, ...], start: date,
                   end: date) -> dict[tuple[date, str], dict[str, int]]:
    """``{(first day of the month, city): {metric: sum}}`` of the flow ``metrics`` from
    ``start`` to ``end``, over every industry, per city and for all cities (``ALL``): whole
    months from ``MonthlyFigure``, the days at either end summed by month from the daily rows
    (the market insights' hiring trends, ANA-4). Unsuppressed: the caller suppresses what it
    shows."""
    queries = [(rows if rows.model is MonthlyFigure else rows.annotate(month=TruncMonth("day")))
               .filter(industry=ALL).values_list("month", "city", "metric")
               for rows in _month_parts(metrics, start, end)]
    totals: dict[tuple[date, str], dict[str, int]] = defaultdict(dict)
    for rows in queries:
        for month, city, metric, n in rows.annotate(n=Sum("value")).order_by():
            month = month.date() if isinstance(month, datetime) else month
            cell = totals[(month, city)]
            cell[metric] = cell.get(metric, 0) + n
    return totals


#: How long a chart's table stays in the cache; a new rollup makes it unreachable sooner
#: (the key names the rollup version).
CACHE_SECONDS = 3600


def _rollups() -> dict[str, Any]:
    """One query over ``RollupRun`` (a row per day): the days covered, the latest day and the
    time of the latest computation."""
    return RollupRun.objects.aggregate(days=Count("id"), last=Max("computed_at"),
                                       latest_day=Max("day"))


def _version(found: dict[str, Any]) -> str:
    return f"{found['days']}-{found['last'].timestamp() if found['last'] else 0}"


def rollup_version() -> str:
    """Changes whenever a day is (re)computed: the number of days covered and the time of the
    latest computation (``RollupRun``, one row per day). A cached table names it in its key,
    so a rollup makes every older table unreachable."""
    return _version(_rollups())


def _cache_key(chart: str, filters: Filters, version: str) -> str:
    return (f"pinqiao:analytics:{chart}:{filters.start}:{filters.end}:{filters.city}:"
            f"{filters.industry}:{min_cell()}:{version}")


def chart_table(*, viewer: Any, chart: str, filters: Filters, version: str | None = None) -> Table:
    """One chart's table for a viewer who may see the figures (``analytics.view``), from the
    cache when the rollups have not changed since it was built (``version``: pass
    ``rollup_version()`` once for several charts)."""
    require_perm(viewer, "analytics.view")
    if chart in UNCACHED:
        return CHARTS[chart](filters)
    key = _cache_key(chart, filters, version or rollup_version())
    table = cache.get(key)
    if table is None:
        table = CHARTS[chart](filters)
        cache.set(key, table, CACHE_SECONDS)
    return table


def chart_tables(*, viewer: Any, filters: Filters, version: str | None = None) -> list[Table]:
    """Every chart's table (the dashboard page, the API's all-charts call)."""
    version = version or rollup_version()
    return [chart_table(viewer=viewer, chart=name, filters=filters, version=version)
            for name in CHARTS]


def coverage(*, viewer: Any) -> dict[str, Any]:
    """Which days the rollups cover, when they were last computed, and the rollup version
    (the key of the cached tables: ``chart_tables(version=…)`` then needs no query of its
    own)."""
    require_perm(viewer, "analytics.view")
    found = _rollups()
    return {"last_computed": found["last"], "latest_day": found["latest_day"],
            "version": _version(found)}
