"""Today's figures come from the hourly rollups (ANA-1, ANA-2): each hour recomputed here from
the raw rows equals what ``rollup_hours`` wrote, the hours add up to the day, the 「今日分时」
table reads only the rollups; a dashboard table is cached until the next rollup."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from pinqiao.analytics import rollup
from pinqiao.analytics.models import ALL, DailyFigure, HourlyFigure, Metric
from pinqiao.analytics.selectors import Filters, chart_table, today_table
from pinqiao.analytics.tests.conftest import GUANGZHOU
from pinqiao.applications.models import Application
from pinqiao.jobs.models import PostingEvent
from pinqiao.jobs.tests.fixtures import otp_verified

pytestmark = pytest.mark.django_db

SNAPSHOTS = {Metric.REVIEW_QUEUE_OPEN, Metric.REVIEW_QUEUE_AGE, Metric.REVIEW_QUEUE_OVERDUE,
             Metric.COMPLAINTS_OVERDUE}


def _today_at(hour: int, minute: int) -> datetime:
    return timezone.localtime().replace(hour=hour, minute=minute, second=0, microsecond=0)


def _hours() -> tuple[int, int, int]:
    """Three hours of today other than the current one, whose rows the ``world`` fixture made:
    the early postings' hour, the application's hour and an hour with nothing in it (fixed
    hours failed when the suite ran during one of them)."""
    now = timezone.localtime().hour
    return (now + 3) % 24, (now + 9) % 24, (now + 15) % 24


def _label(hour: int) -> str:
    return f"{hour:02d}:00"


@pytest.fixture
def spread(world: dict[str, Any]) -> datetime:
    """Six 广州 and 深圳 postings published at a quarter past the early hour today, one
    application in the application's hour; returns the last minute of today (every hour of
    today is then rolled up)."""
    early_hour, application_hour, _quiet = _hours()
    early = [p.pk for p in world["guangzhou"][:3] + world["shenzhen"][:3]]
    PostingEvent.objects.filter(posting_id__in=early).update(at=_today_at(early_hour, 15))
    Application.objects.filter(posting=world["guangzhou"][0]).update(
        created_at=_today_at(application_hour, 40))
    return _today_at(23, 59)


def _hourly_from_raw_rows() -> Counter:
    """Published postings and applications of each hour of today, one raw row at a time."""
    today = timezone.localdate()
    cells: Counter = Counter()

    def hour_of(moment: datetime) -> datetime | None:
        local = timezone.localtime(moment)
        return local.replace(minute=0, second=0, microsecond=0) if local.date() == today else None

    for event in PostingEvent.objects.select_related("posting").filter(to_status="published"):
        hour = hour_of(event.at)
        if hour is not None:
            cells[(hour, Metric.POSTINGS_PUBLISHED, rollup.city_code(event.posting.division_code),
                   rollup.industry_code(event.posting.industry))] += 1
    for app in Application.objects.select_related("posting"):
        hour = hour_of(app.created_at)
        if hour is not None:
            cells[(hour, Metric.APPLICATIONS, rollup.city_code(app.posting.division_code),
                   rollup.industry_code(app.posting.industry))] += 1
    return cells


def test_each_hour_equals_a_recomputation_from_the_raw_rows(spread: datetime) -> None:
    rollup.rollup_hours(spread)
    stored = Counter({(timezone.localtime(f.hour), f.metric, f.city, f.industry): f.value
                      for f in HourlyFigure.objects.filter(
                          metric__in=[Metric.POSTINGS_PUBLISHED, Metric.APPLICATIONS])
                      if f.city != ALL and f.industry != ALL})
    expected = _hourly_from_raw_rows()
    assert stored == expected
    assert expected[(_today_at(_hours()[0], 0), Metric.POSTINGS_PUBLISHED, GUANGZHOU, "I")] == 3


def test_the_hours_add_up_to_the_day(spread: datetime) -> None:
    rollup.rollup_hours(spread)
    today = timezone.localdate()
    rollup.rollup_day(today)
    hours: Counter = Counter()
    for f in HourlyFigure.objects.exclude(metric__in=SNAPSHOTS):
        hours[(f.metric, f.city, f.industry, f.key)] += f.value
    day = Counter({(f.metric, f.city, f.industry, f.key): f.value
                   for f in DailyFigure.objects.filter(day=today).exclude(metric__in=SNAPSHOTS)})
    assert hours == day and day[(Metric.POSTINGS_PUBLISHED, ALL, ALL, "")] == 15


def test_the_today_table_reads_the_hourly_rollups_only(spread: datetime) -> None:
    rollup.rollup_hours(spread)
    today = timezone.localdate()
    Application.objects.all().delete()  # the raw rows go; the table does not change
    PostingEvent.objects.all().delete()
    rows = {row["hour"]: row for row in
            today_table(Filters(start=today, end=today), now=spread).rows}
    early, application, quiet = map(_label, _hours())
    assert len(rows) == 24
    assert rows[early][Metric.POSTINGS_PUBLISHED] == 6
    assert rows[application][Metric.APPLICATIONS] is None, "1 application: 「<5」, not 1 or 0"
    assert rows[quiet][Metric.POSTINGS_PUBLISHED] == 0
    guangzhou = {row["hour"]: row for row in today_table(
        Filters(start=today, end=today, city=GUANGZHOU), now=spread).rows}
    assert guangzhou[early][Metric.POSTINGS_PUBLISHED] is None, "3 in 广州 in that hour"


def test_a_dashboard_table_is_cached_until_the_next_rollup(world: dict[str, Any],
                                                           operator: Any,
                                                           django_assert_num_queries: Any) -> None:
    today = timezone.localdate()
    filters = Filters(start=today - timedelta(days=6), end=today)
    operator = otp_verified(operator)
    rollup.rollup_day(today)
    first = chart_table(viewer=operator, chart="funnel", filters=filters)
    PostingEvent.objects.filter(posting__in=world["shenzhen"]).delete()
    with django_assert_num_queries(1):  # the rollup version; the table comes from the cache
        again = chart_table(viewer=operator, chart="funnel", filters=filters)
    assert again.rows == first.rows and first.rows[0]["value"] == 15
    rollup.rollup_day(today)
    assert chart_table(viewer=operator, chart="funnel", filters=filters).rows[0]["value"] == 9
