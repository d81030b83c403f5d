"""Filling the rollup tables from the raw rows (ANA-1, decision 0018).

``rollup_day(day)`` recomputes one calendar day (Asia/Shanghai) and replaces it in one
transaction, together with its month's ``MonthlyFigure`` rows (summed from the daily rows in
SQL: the month always equals the sum of its days); ``rollup_hours(now)`` does the same for
each hour of today so far. Both are idempotent: running a day twice leaves the same rows (the
unique constraint would refuse a second copy anyway). Each metric is one grouped query over
the day's rows of the owning app, keyed by the posting's district and industry, mapped here to
city and 门类.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from datetime import time as dtime
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from pinqiao.accounts.models import User
from pinqiao.analytics.models import (
    ALL,
    SNAPSHOTS,
    UNKNOWN,
    DailyFigure,
    HourlyFigure,
    Metric,
    MonthlyFigure,
    RollupRun,
)
from pinqiao.applications.models import Application, ApplicationEvent, Offer, Stage
from pinqiao.interviews.models import Interview
from pinqiao.jobs.models import Posting, PostingEvent, PostingStatus
from pinqiao.messaging.models import Conversation
from pinqiao.moderation.models import ReviewItem, ScreeningRecord
from pinqiao.orgs.models import Organisation
from pinqiao.reference import divisions, taxonomy
from pinqiao.tickets.models import Case

CHINA = ZoneInfo("Asia/Shanghai")
#: Hourly figures older than this are dropped by the periodic task (today and yesterday stay).
HOURS_KEPT = timedelta(days=2)

Cell = tuple[str, str, str, str]  # metric, city, industry, key


@lru_cache(maxsize=8192)
def city_code(division_code: str | None) -> str:
    """The city-level division of a district code, ``""`` when there is none."""
    if not division_code:
        return UNKNOWN
    city = divisions.city_of(division_code)
    return city.code if city is not None else UNKNOWN


@lru_cache(maxsize=1024)
def industry_code(code: str | None) -> str:
    """The GB/T 4754 门类 letter of an industry or sub-industry, ``""`` when unknown."""
    if not code:
        return UNKNOWN
    found = taxonomy.industry(code)
    if found is None:
        return UNKNOWN
    return found.parent_code or found.code


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The start and end (exclusive) of a China calendar day, as aware datetimes."""
    start = datetime.combine(day, dtime.min, tzinfo=CHINA)
    return start, start + timedelta(days=1)


def china_date(moment: datetime) -> date:
    return moment.astimezone(CHINA).date()


def _grouped(counter: Counter[Cell], metric: str, rows: Iterable[dict],
             *, division: str, industry: str, key: str | None = None) -> None:
    for row in rows:
        cell = (metric, city_code(row[division]), industry_code(row[industry]),
                str(row[key]) if key else "")
        counter[cell] += row["n"]


def compute(start: datetime, end: datetime) -> Counter[Cell]:
    """Every metric's base cells (no totals) for the rows of ``[start, end)``; the snapshot
    metrics (open review items, overdue complaints) as they stood at ``end``."""
    counter: Counter[Cell] = Counter()

    def within(field: str) -> Q:
        return Q(**{f"{field}__gte": start, f"{field}__lt": end})

    for row in (User.objects.filter(within("date_joined")).values("role")
                .annotate(n=Count("id"))):
        counter[(Metric.USERS_NEW, UNKNOWN, UNKNOWN, row["role"])] += row["n"]
    for row in (Organisation.objects.filter(within("created_at")).values("industry")
                .annotate(n=Count("id"))):
        counter[(Metric.ORGS_NEW, UNKNOWN, industry_code(row["industry"]), "")] += row["n"]

    status_metric = {PostingStatus.PUBLISHED: Metric.POSTINGS_PUBLISHED,
                     PostingStatus.REMOVED: Metric.POSTINGS_REMOVED,
                     PostingStatus.EXPIRED: Metric.POSTINGS_EXPIRED}
    events = (PostingEvent.objects.filter(within("at"), to_status__in=list(status_metric))
              .values("to_status", "reason_code", division=F("posting__division_code"),
                      industry=F("posting__industry"))
              .annotate(n=Count("posting_id", distinct=True)))
    for row in events:
        metric = status_metric[row["to_status"]]
        key = row["reason_code"] if metric == Metric.POSTINGS_REMOVED else ""
        counter[(metric, city_code(row["division"]), industry_code(row["industry"]),
                 key)] += row["n"]

    _grouped(counter, Metric.APPLICATIONS,
             Application.objects.filter(within("created_at"))
             .values(division=F("posting__division_code"), industry=F("posting__industry"))
             .annotate(n=Count("id")), division="division", industry="industry")
    _grouped(counter, Metric.INTERVIEWS,
             Interview.objects.filter(within("created_at"))
             .values(division=F("application__posting__division_code"),
                     industry=F("application__posting__industry"))
             .annotate(n=Count("id")), division="division", industry="industry")
    _grouped(counter, Metric.OFFERS,
             Offer.objects.filter(within("created_at"))
             .values(division=F("application__posting__division_code"),
                     industry=F("application__posting__industry"))
             .annotate(n=Count("id")), division="division", industry="industry")
    _grouped(counter, Metric.HIRES,
             ApplicationEvent.objects.filter(within("created_at"), to_stage=Stage.HIRED)
             .values(division=F("application__posting__division_code"),
                     industry=F("application__posting__industry"))
             .annotate(n=Count("application_id", distinct=True)),
             division="division", industry="industry")
    _grouped(counter, Metric.CHATS,
             Conversation.objects.filter(within("created_at"))
             .values(division=F("posting__division_code"), industry=F("posting__industry"))
             .annotate(n=Count("id")), division="division", industry="industry")

    _complaints(counter, end, within)
    _screenings(counter, within)
    _review_queue(counter, end)
    return counter


def _posting_places(ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """City and 门类 of the postings with these ids (as strings)."""
    numeric = [int(i) for i in ids if str(i).isdigit()]
    places: dict[str, tuple[str, str]] = {}
    for chunk in range(0, len(numeric), 900):
        for pk, division, industry in Posting.objects.filter(
                pk__in=numeric[chunk:chunk + 900]).values_list("pk", "division_code",
                                                                 "industry"):
            places[str(pk)] = (city_code(division), industry_code(industry))
    return places


def _complaints(counter: Counter[Cell], end: datetime, within) -> None:  # noqa: ANN001
    """Cases received in the span, handled in it (resolved or referred: ``resolved_at``),
    handled by their 7-working-day deadline, and unhandled past their deadline at ``end``; by
    the city of the posting complained about and the 门类 of the organisation answerable."""
    posting_type = ContentType.objects.get_for_model(Posting).pk
    received = list(Case.objects.filter(within("received_at"))
                    .values("kind", "content_type_id", "object_id", "organisation__industry"))
    closed = list(Case.objects.filter(within("resolved_at"))
                  .values("kind", "content_type_id", "object_id", "organisation__industry",
                          "deadline", "resolved_at"))
    overdue = list(Case.objects.filter(Q(resolved_at=None) | Q(resolved_at__gte=end),
                                       received_at__lt=end, deadline__lt=china_date(end))
                   .values("kind", "content_type_id", "object_id", "organisation__industry"))
    places = _posting_places({row["object_id"] for row in received + closed + overdue
                              if row["content_type_id"] == posting_type})

    def cell(metric: str, row: dict) -> Cell:
        city = places.get(row["object_id"], (UNKNOWN,))[0] \
            if row["content_type_id"] == posting_type else UNKNOWN
        return (metric, city, industry_code(row["organisation__industry"]), row["kind"])

    for row in received:
        counter[cell(Metric.COMPLAINTS_RECEIVED, row)] += 1
    for row in closed:
        counter[cell(Metric.COMPLAINTS_CLOSED, row)] += 1
        if china_date(row["resolved_at"]) <= row["deadline"]:
            counter[cell(Metric.COMPLAINTS_ON_TIME, row)] += 1
    for row in overdue:
        counter[cell(Metric.COMPLAINTS_OVERDUE, row)] += 1


def _screenings(counter: Counter[Cell], within) -> None:  # noqa: ANN001
    """Machine screenings by decision and by category hit; postings' by their city and 门类."""
    posting_type = ContentType.objects.get_for_model(Posting).pk
    rows = list(ScreeningRecord.objects.filter(within("created_at"))
                .values_list("decision", "categories", "content_type_id", "object_id"))
    places = _posting_places({object_id for _d, _c, type_id, object_id in rows
                              if type_id == posting_type})
    for decision, categories, type_id, object_id in rows:
        city, industry = (places.get(object_id, (UNKNOWN, UNKNOWN))
                          if type_id == posting_type else (UNKNOWN, UNKNOWN))
        counter[(Metric.SCREENINGS, city, industry, decision)] += 1
        for category in set(categories or ()):
            counter[(Metric.SCREENING_CATEGORIES, city, industry, str(category)[:40])] += 1


def _review_queue(counter: Counter[Cell], end: datetime) -> None:
    """The human review queue as it stood at ``end``: items open, their summed age in minutes
    (the dashboard divides by the count for the average) and those past their due time."""
    open_at_end = ReviewItem.objects.filter(
        Q(decided_at=None, status=ReviewItem.Status.OPEN) | Q(decided_at__gte=end),
        created_at__lt=end)
    for kind, created_at, due_at in open_at_end.values_list("kind", "created_at", "due_at"):
        counter[(Metric.REVIEW_QUEUE_OPEN, UNKNOWN, UNKNOWN, kind)] += 1
        counter[(Metric.REVIEW_QUEUE_AGE, UNKNOWN, UNKNOWN, kind)] += int(
            (end - created_at).total_seconds() // 60)
        if due_at < end:
            counter[(Metric.REVIEW_QUEUE_OVERDUE, UNKNOWN, UNKNOWN, kind)] += 1


def with_totals(base: Counter[Cell]) -> Counter[Cell]:
    """The base cells plus their totals over every city, every industry, and both."""
    out: Counter[Cell] = Counter()
    for (metric, city, industry, key), value in base.items():
        out[(metric, city, industry, key)] += value
        out[(metric, ALL, industry, key)] += value
        out[(metric, city, ALL, key)] += value
        out[(metric, ALL, ALL, key)] += value
    return out


def month_bounds(day: date) -> tuple[date, date]:
    """The first and the last day of ``day``'s calendar month."""
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def rollup_month(day: date) -> int:
    """Replace the ``MonthlyFigure`` rows of ``day``'s month by the sums of its daily rows
    (flows only, see ``SNAPSHOTS``); one ``INSERT … SELECT``, so the month's tens of thousands
    of daily rows never pass through Python. Returns the rows written. Run inside the
    transaction that changed a day (``rollup_day``) or on its own to repair a month."""
    first, last = month_bounds(day)
    monthly, daily = MonthlyFigure._meta, DailyFigure._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(daily.get_field(name).column)
                        for name in ("metric", "city", "industry", "key"))
    snapshots = sorted(SNAPSHOTS)
    with transaction.atomic():
        MonthlyFigure.objects.filter(month=first).delete()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {quote(monthly.db_table)} ({columns}, {quote('month')}, "
                f"{quote('value')}) "
                f"SELECT {columns}, %s, SUM({quote('value')}) FROM {quote(daily.db_table)} "
                f"WHERE {quote('day')} >= %s AND {quote('day')} <= %s "
                f"AND {quote('metric')} NOT IN ({', '.join(['%s'] * len(snapshots))}) "
                f"GROUP BY {columns}",
                [first, first, last, *snapshots])
            return cursor.rowcount


def rollup_day(day: date, *, month: bool = True) -> RollupRun:
    """Recompute ``day`` and replace its rows, and its month's, in one transaction (ANA-1).
    ``month=False`` leaves the month to the caller: the backfill sums each month once, with
    its last day (``manage.py rollup``)."""
    began = time.perf_counter()
    start, end = day_bounds(day)
    cells = with_totals(compute(start, end))
    rows = [DailyFigure(day=day, metric=m, city=c, industry=i, key=k, value=v)
            for (m, c, i, k), v in cells.items() if v]
    with transaction.atomic():
        DailyFigure.objects.filter(day=day).delete()
        DailyFigure.objects.bulk_create(rows, batch_size=2000)
        if month:
            rollup_month(day)
        run, _created = RollupRun.objects.update_or_create(
            day=day, defaults={"computed_at": timezone.now(), "rows": len(rows),
                               "seconds": round(time.perf_counter() - began, 3)})
    return run


def rollup_hours(now: datetime | None = None) -> int:
    """Recompute every hour of today up to the current one, drop hours older than two days;
    one transaction. Returns the number of rows written."""
    now = now or timezone.now()
    day_start, _end = day_bounds(china_date(now))
    current = now.astimezone(CHINA).replace(minute=0, second=0, microsecond=0)
    rows: list[HourlyFigure] = []
    hour = day_start
    while hour <= current:
        cells = with_totals(compute(hour, hour + timedelta(hours=1)))
        rows.extend(HourlyFigure(hour=hour, metric=m, city=c, industry=i, key=k, value=v)
                    for (m, c, i, k), v in cells.items() if v)
        hour += timedelta(hours=1)
    with transaction.atomic():
        HourlyFigure.objects.filter(hour__gte=day_start).delete()
        HourlyFigure.objects.filter(hour__lt=day_start - HOURS_KEPT + timedelta(days=1)).delete()
        HourlyFigure.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
