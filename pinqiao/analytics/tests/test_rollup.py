"""Rollups, not scans (ANA-1): a day's figures recomputed here from the raw rows, one by one
in Python, equal what ``rollup_day`` wrote; re-running a day replaces it; small cells of a
small city are suppressed on the dashboard's tables."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from pinqiao.accounts.models import User
from pinqiao.analytics import rollup
from pinqiao.analytics.models import ALL, DailyFigure, HourlyFigure, Metric, RollupRun
from pinqiao.analytics.selectors import (
    Filters,
    city_table,
    complaints_table,
    funnel_table,
    trend_table,
)
from pinqiao.analytics.tests.conftest import GUANGZHOU, SHENZHEN, YUNFU
from pinqiao.applications.models import Application
from pinqiao.core.models import AuditEntry
from pinqiao.jobs.models import PostingEvent
from pinqiao.moderation.models import ScreeningRecord
from pinqiao.orgs.models import Organisation


def _expected(day: Any) -> Counter:
    """The base cells of ``day`` worked out from every raw row, one at a time."""
    def same_day(moment: Any) -> bool:
        return moment is not None and rollup.china_date(moment) == day

    cells: Counter = Counter()
    for user in User.objects.all():
        if same_day(user.date_joined):
            cells[(Metric.USERS_NEW, "", "", user.role)] += 1
    for org in Organisation.objects.all():
        if same_day(org.created_at):
            cells[(Metric.ORGS_NEW, "", rollup.industry_code(org.industry), "")] += 1
    published = {(e.posting_id, e.posting.division_code, e.posting.industry)
                 for e in PostingEvent.objects.select_related("posting")
                 if e.to_status == "published" and same_day(e.at)}
    for _pk, division, industry in published:
        cells[(Metric.POSTINGS_PUBLISHED, rollup.city_code(division),
               rollup.industry_code(industry), "")] += 1
    for app in Application.objects.select_related("posting"):
        if same_day(app.created_at):
            cells[(Metric.APPLICATIONS, rollup.city_code(app.posting.division_code),
                   rollup.industry_code(app.posting.industry), "")] += 1
    for record in ScreeningRecord.objects.all():
        if not same_day(record.created_at):
            continue
        place = ("", "")
        if record.content_type and record.content_type.model == "posting":
            posting = record.target
            place = (rollup.city_code(posting.division_code),
                     rollup.industry_code(posting.industry))
        cells[(Metric.SCREENINGS, *place, record.decision)] += 1
        for category in set(record.categories):
            cells[(Metric.SCREENING_CATEGORIES, *place, category)] += 1
    return cells


def _stored(day: Any, metrics: set[str]) -> Counter:
    return Counter({(f.metric, f.city, f.industry, f.key): f.value
                    for f in DailyFigure.objects.filter(day=day, metric__in=metrics)
                    if f.city != ALL and f.industry != ALL})


CHECKED = {Metric.USERS_NEW, Metric.ORGS_NEW, Metric.POSTINGS_PUBLISHED, Metric.APPLICATIONS,
           Metric.SCREENINGS, Metric.SCREENING_CATEGORIES}


@pytest.mark.django_db
def test_it_equals_a_recomputation_from_the_raw_rows(world: dict[str, Any]) -> None:
    today = timezone.localdate()
    for day in (today - timedelta(days=1), today):
        rollup.rollup_day(day)
        assert _stored(day, CHECKED) == _expected(day), day
    counted = DailyFigure.objects.get(day=today, metric=Metric.POSTINGS_PUBLISHED, city=ALL,
                                      industry=ALL)
    assert counted.value == 15
    assert DailyFigure.objects.get(day=today, metric=Metric.POSTINGS_PUBLISHED, city=YUNFU,
                                   industry=ALL).value == 2
    assert DailyFigure.objects.get(day=today - timedelta(days=1), metric=Metric.APPLICATIONS,
                                   city=GUANGZHOU, industry="I").value == 1


@pytest.mark.django_db
def test_it_stores_totals_equal_to_the_sum_of_the_cells(world: dict[str, Any]) -> None:
    today = timezone.localdate()
    rollup.rollup_day(today)
    figures = list(DailyFigure.objects.filter(day=today))
    base = Counter()
    for f in figures:
        if f.city != ALL and f.industry != ALL:
            base[(f.metric, f.key)] += f.value
    totals = {(f.metric, f.key): f.value for f in figures if f.city == ALL and f.industry == ALL}
    assert totals == dict(base)


@pytest.mark.django_db
def test_it_replaces_a_day_when_run_again(world: dict[str, Any]) -> None:
    today = timezone.localdate()
    first = rollup.rollup_day(today)
    snapshot = sorted(DailyFigure.objects.filter(day=today).values_list(
        "metric", "city", "industry", "key", "value"))
    second = rollup.rollup_day(today)
    assert sorted(DailyFigure.objects.filter(day=today).values_list(
        "metric", "city", "industry", "key", "value")) == snapshot
    assert first.rows == second.rows and RollupRun.objects.filter(day=today).count() == 1
    Application.objects.filter(posting=world["yunfu"][0]).delete()
    rollup.rollup_day(today)
    assert not DailyFigure.objects.filter(day=today, metric=Metric.APPLICATIONS,
                                          city=YUNFU).exists()


@pytest.mark.django_db
def test_it_fills_todays_hours(world: dict[str, Any]) -> None:
    written = rollup.rollup_hours()
    assert written == HourlyFigure.objects.count() > 0
    hourly = sum(HourlyFigure.objects.filter(metric=Metric.POSTINGS_PUBLISHED, city=ALL,
                                             industry=ALL).values_list("value", flat=True))
    assert hourly == 15


@pytest.mark.django_db
def test_it_hides_the_small_city_on_the_dashboard(world: dict[str, Any]) -> None:
    today = timezone.localdate()
    rollup.rollup_day(today)
    rows = {row["city"]: row for row in
            city_table(Filters(start=today, end=today)).rows}
    assert rows[GUANGZHOU][Metric.POSTINGS_PUBLISHED] == 7
    assert rows[YUNFU][Metric.POSTINGS_PUBLISHED] is None, "2 postings: 「<5」, not 0 or 5"
    assert rows[SHENZHEN][Metric.POSTINGS_PUBLISHED] is None, \
        "6 hidden too: otherwise the total minus 广州 and 深圳 gives 云浮"
    assert rows[YUNFU][Metric.APPLICATIONS] is None
    assert rows[GUANGZHOU][Metric.APPLICATIONS] is None, "1 application in 广州 today"
    assert rows[SHENZHEN][Metric.APPLICATIONS] == 0
    funnel = {row["metric"]: row for row in funnel_table(Filters(start=today, end=today)).rows}
    assert funnel[Metric.POSTINGS_PUBLISHED]["value"] == 15
    assert funnel[Metric.APPLICATIONS]["value"] is None
    assert funnel[Metric.APPLICATIONS]["rate"] is None


@pytest.mark.django_db
def test_the_backfill_command_covers_a_range_and_audits_it(world: dict[str, Any],
                                                           capsys: Any) -> None:
    today = timezone.localdate()
    call_command("rollup", "--from", (today - timedelta(days=2)).isoformat(),
                 "--to", today.isoformat())
    assert RollupRun.objects.count() == 3
    assert "3/3 天" in capsys.readouterr().err
    assert AuditEntry.objects.filter(verb="analytics.rollup_backfill").count() == 1


@pytest.mark.django_db
def test_the_backfill_command_refuses_a_reversed_range() -> None:
    with pytest.raises(CommandError, match="开始日期晚于结束日期"):
        call_command("rollup", "--from", "2026-03-02", "--to", "2026-03-01")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("rollup", "--from", "2026-13-01", "--to", "2026-12-01")
    with pytest.raises(CommandError, match="一次最多补算"):
        call_command("rollup", "--from", "2016-01-01", "--to", "2026-01-01")
    assert not RollupRun.objects.exists()


@pytest.mark.django_db
def test_the_periodic_job_runs_the_task(world: dict[str, Any]) -> None:
    call_command("rollup_figures")
    today = timezone.localdate()
    assert RollupRun.objects.filter(day__in=[today, today - timedelta(days=1)]).count() == 2
    assert HourlyFigure.objects.exists()


@pytest.mark.django_db
def test_a_long_range_is_shown_week_by_week_with_snapshots_at_week_end() -> None:
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday() + 7 * 20)
    DailyFigure.objects.bulk_create([
        DailyFigure(day=monday + timedelta(days=n), metric=Metric.COMPLAINTS_RECEIVED,
                    city=ALL, industry=ALL, value=3) for n in range(7)] + [
        DailyFigure(day=monday + timedelta(days=n), metric=Metric.COMPLAINTS_OVERDUE,
                    city=ALL, industry=ALL, value=n + 5) for n in range(7)])
    filters = Filters(start=monday, end=monday + timedelta(days=119))
    rows = complaints_table(filters).rows
    assert len(rows) == 18 and rows[0]["day"] == monday.isoformat()
    assert rows[0][Metric.COMPLAINTS_RECEIVED] == 21, "flows are summed over the week"
    assert rows[0][Metric.COMPLAINTS_OVERDUE] == 11, "a state is the week's last day's"
    assert len(trend_table(Filters(start=monday, end=monday + timedelta(days=91))).rows) == 92
