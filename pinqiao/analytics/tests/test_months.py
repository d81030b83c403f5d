"""The monthly rollup level (ANA-1, decision 0018): each month's rows equal the sum of its daily
rows and a recomputation from the raw rows, stay equal when a day is rolled up again, hold no
day-end snapshots; a range's breakdowns read whole months from it and give what the daily rows
give. Run on SQLite and on PostgreSQL (``DATABASE_URL``)."""

from __future__ import annotations

import importlib
from collections import Counter
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from pinqiao.analytics import rollup
from pinqiao.analytics.management.commands import rollup as rollup_command
from pinqiao.analytics.models import SNAPSHOTS, DailyFigure, Metric, MonthlyFigure
from pinqiao.analytics.selectors import (
    BREAKDOWN,
    FUNNEL,
    TREND,
    Filters,
    _figures,
    _periods,
    monthly_totals,
    split_months,
    summed,
    trend_table,
)
from pinqiao.analytics.tests.conftest import GUANGZHOU
from pinqiao.analytics.tests.test_rollup import CHECKED, _expected
from pinqiao.applications.models import Application
from pinqiao.jobs.models import PostingEvent

pytestmark = pytest.mark.django_db


def _noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=12),
                               rollup.CHINA)


@pytest.fixture
def months(world: dict[str, Any]) -> list[date]:
    """The world's rows spread over this month and the last (its last day and a day in its
    middle), every day with rows rolled up; returns those days."""
    today = timezone.localdate()
    first = today.replace(day=1)
    moved = {world["guangzhou"][2]: first - timedelta(days=1),
             world["guangzhou"][3]: first - timedelta(days=15),
             world["shenzhen"][0]: first - timedelta(days=1),
             world["shenzhen"][1]: first}
    for posting, day in moved.items():
        PostingEvent.objects.filter(posting=posting).update(at=_noon(day))
    Application.objects.filter(posting=world["guangzhou"][0]).update(
        created_at=_noon(first - timedelta(days=1)))
    days = sorted({today, today - timedelta(days=1), *moved.values()})
    for day in days:
        rollup.rollup_day(day)
    return days


def _yesterday_in_last_month() -> int:
    """1 on the first day of a month: the world's late row of yesterday is then last month's."""
    today = timezone.localdate()
    return int((today - timedelta(days=1)).month != today.month)


def _month_of_daily_rows(first: date) -> Counter:
    last = rollup.month_bounds(first)[1]
    return Counter({row[:4]: row[4] for row in
                    DailyFigure.objects.filter(day__gte=first, day__lte=last)
                    .exclude(metric__in=SNAPSHOTS)
                    .values_list("metric", "city", "industry", "key").annotate(Sum("value"))})


def _month_stored(first: date) -> Counter:
    return Counter({(f.metric, f.city, f.industry, f.key): f.value
                    for f in MonthlyFigure.objects.filter(month=first)})


def test_a_month_equals_the_sum_of_its_days_and_the_raw_rows(months: list[date]) -> None:
    firsts = sorted({day.replace(day=1) for day in months})
    assert len(firsts) == 2, "the rows span two months"
    for first in firsts:
        stored = _month_stored(first)
        assert stored and stored == _month_of_daily_rows(first), first
        raw: Counter = Counter()
        for day in months:
            if day.replace(day=1) == first:
                raw.update(_expected(day))
        base = Counter({cell: value for cell, value in stored.items()
                        if cell[0] in CHECKED and "*" not in cell[1:3]})
        assert base == raw, first
    assert not MonthlyFigure.objects.filter(metric__in=SNAPSHOTS).exists()
    last_month = _month_stored(firsts[0])
    late = _yesterday_in_last_month()
    assert last_month[(Metric.POSTINGS_PUBLISHED, GUANGZHOU, "*", "")] == 2 + late
    assert last_month[(Metric.APPLICATIONS, GUANGZHOU, "*", "")] == 1 + late
    assert sum(_month_stored(first)[(Metric.POSTINGS_PUBLISHED, "*", "*", "")]
               for first in firsts) == 16, "the world's 16 postings, each in one month"


def test_rolling_a_day_again_keeps_its_month_equal(world: dict[str, Any],
                                                   months: list[date]) -> None:
    last_month = months[0].replace(day=1)
    before = _month_stored(last_month)
    rollup.rollup_day(months[0])
    assert _month_stored(last_month) == before, "idempotent"
    Application.objects.filter(posting=world["guangzhou"][0]).delete()
    PostingEvent.objects.filter(posting=world["shenzhen"][0]).delete()
    rollup.rollup_day(timezone.localdate().replace(day=1) - timedelta(days=1))
    after = _month_stored(last_month)
    assert after == _month_of_daily_rows(last_month)
    assert (Metric.APPLICATIONS, GUANGZHOU, "*", "") not in after
    assert after[(Metric.POSTINGS_PUBLISHED, "*", "*", "")] == \
        before[(Metric.POSTINGS_PUBLISHED, "*", "*", "")] - 1


@pytest.mark.parametrize(("start", "end", "whole", "edges"), [
    ("2025-12-08", "2026-12-07", ("2026-01-01", "2026-11-01"),
     [("2025-12-08", "2025-12-31"), ("2026-12-01", "2026-12-07")]),
    ("2026-01-01", "2026-12-31", ("2026-01-01", "2026-12-01"), []),
    ("2026-03-05", "2026-03-31", None, [("2026-03-05", "2026-03-31")]),
    ("2026-01-31", "2026-03-01", ("2026-02-01", "2026-02-01"),
     [("2026-01-31", "2026-01-31"), ("2026-03-01", "2026-03-01")]),
    ("2024-02-01", "2024-02-29", ("2024-02-01", "2024-02-01"), []),
    ("2026-02-01", "2026-02-27", None, [("2026-02-01", "2026-02-27")]),
])
def test_a_range_splits_into_whole_months_and_edge_days(start: str, end: str, whole: Any,
                                                        edges: list) -> None:
    d = date.fromisoformat
    found = split_months(d(start), d(end))
    assert found == ((d(whole[0]), d(whole[1])) if whole else None,
                     [(d(a), d(b)) for a, b in edges])


def test_a_range_summed_from_months_equals_its_daily_rows(months: list[date]) -> None:
    today = timezone.localdate()
    first = today.replace(day=1)
    for filters in (Filters(start=first - timedelta(days=40), end=today),
                    Filters(start=first - timedelta(days=20), end=today, city=GUANGZHOU),
                    Filters(start=(first - timedelta(days=1)).replace(day=1),
                            end=first - timedelta(days=1), industry="I")):
        for by_city in (True, False):
            daily = {row[:2]: row[2] for row in
                     _figures(filters, BREAKDOWN, by_city=by_city, by_industry=not by_city)
                     .values_list("city" if by_city else "industry", "metric")
                     .annotate(Sum("value"))}
            assert summed(filters, BREAKDOWN, ("city" if by_city else "industry", "metric"),
                          by_city=by_city, by_industry=not by_city) == daily
            assert daily, filters
        funnel = {row[:1]: row[1] for row in _figures(filters, FUNNEL).values_list("metric")
                  .annotate(Sum("value"))}
        assert summed(filters, FUNNEL, ("metric",)) == funnel
    with pytest.raises(ValueError, match="snapshots"):
        summed(Filters(start=first, end=today), (Metric.REVIEW_QUEUE_OPEN,), ("metric",))
    totals = monthly_totals(metrics=(Metric.APPLICATIONS, Metric.POSTINGS_PUBLISHED),
                            start=first - timedelta(days=20), end=today)
    late = _yesterday_in_last_month()
    assert totals[(first - timedelta(days=20)).replace(day=1), GUANGZHOU] == {
        Metric.APPLICATIONS: 1 + late, Metric.POSTINGS_PUBLISHED: 2 + late}, \
        "the last 20 days of last month"


def test_the_migration_sums_the_months_already_rolled_up(months: list[date]) -> None:
    stored = sorted(MonthlyFigure.objects.values_list("metric", "city", "industry", "key",
                                                      "month", "value"))
    MonthlyFigure.objects.all().delete()
    migration = importlib.import_module("pinqiao.analytics.migrations.0005_monthly_figures")
    migration.sum_months(apps, SimpleNamespace(connection=connection))
    assert sorted(MonthlyFigure.objects.values_list("metric", "city", "industry", "key",
                                                    "month", "value")) == stored


def test_the_backfill_sums_each_month_once_and_when_stopped(months: list[date],
                                                            monkeypatch: Any) -> None:
    MonthlyFigure.objects.all().delete()
    today = timezone.localdate()
    first, last = months[0], today
    call_command("rollup", "--from", first.isoformat(), "--to", last.isoformat(),
                 "--no-progress")
    for month in {day.replace(day=1) for day in months}:
        assert _month_stored(month) == _month_of_daily_rows(month) != Counter(), month
    summed_months: list[date] = []
    monkeypatch.setattr(rollup_command, "rollup_month",
                        lambda day: summed_months.append(day) or rollup.rollup_month(day))
    MonthlyFigure.objects.all().delete()
    real = rollup_command.rollup_day
    stop = today.replace(day=1) - timedelta(days=2)  # two days before this month

    def failing(day: date, *, month: bool = True) -> Any:
        if day == stop:
            raise KeyboardInterrupt
        return real(day, month=month)

    monkeypatch.setattr(rollup_command, "rollup_day", failing)
    with pytest.raises(KeyboardInterrupt):
        call_command("rollup", "--from", first.isoformat(), "--to", last.isoformat(),
                     "--no-progress")
    assert summed_months == [stop - timedelta(days=1)], "summed once, when stopped"
    assert _month_stored(first.replace(day=1)) == _month_of_daily_rows(first.replace(day=1))


def test_a_weekly_trend_summed_in_sql_equals_the_daily_rows_by_week(months: list[date]) -> None:
    today = timezone.localdate()
    filters = Filters(start=today - timedelta(days=150), end=today)
    assert filters.weekly
    daily: dict = {}
    for day, metric, n in (_figures(filters, TREND).values_list("day", "metric")
                           .annotate(Sum("value"))):
        daily.setdefault(day, {})[metric] = n
    expected = [{"day": label, **{m: found.get(m, 0) for m in TREND}}
                for label, found in _periods(filters, daily)]
    rows = trend_table(filters).rows
    assert [row["day"] for row in rows] == [row["day"] for row in expected]
    assert sum(1 for row in expected if row[Metric.POSTINGS_PUBLISHED]) >= 2
    for row, want in zip(rows, expected, strict=True):
        for metric in TREND:
            assert row[metric] in (want[metric], None), (row["day"], metric)
            assert (row[metric] is None) == (0 < want[metric] < 5), (row["day"], metric)
