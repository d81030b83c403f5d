"""Writes of the market insights (ANA-4): the snapshot refresh run by the scheduler, and the
staff-edited job-search guides (screened on save, MOD-1). Each writes an audit entry.

The salary index (decision 0025):

* posted pay only, **monthly pay only** (月薪): a posting paid by the day or the hour is left
  out, never converted, so units are never mixed;
* a posting's pay is the midpoint of its range ((min + max) / 2);
* postings first published in the last ``WINDOW_DAYS`` days that were public (published,
  paused, expired or closed; never removed or rejected ones);
* each cell (job function × city, with the 「全部」 margins) gives the lower quartile, the
  median and the upper quartile (``statistics.quantiles``, inclusive method), rounded to the
  yuan, only when at least the minimum number of postings of the suppression rule back it
  (``pinqiao.analytics.suppression``); otherwise the figures are empty, not rounded.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.analytics.models import ALL, Metric
from pinqiao.analytics.selectors import monthly_totals
from pinqiao.analytics.suppression import min_cell, suppress
from pinqiao.core.audit import log_action
from pinqiao.core.errors import ServiceError
from pinqiao.core.permissions import require_perm
from pinqiao.insights.models import Guide, GuideStatus, SalaryCell, Snapshot, TrendPoint
from pinqiao.jobs.models import Posting, PostingStatus
from pinqiao.moderation.public_texts import screen_public_texts
from pinqiao.reference import divisions

WINDOW_DAYS = 180
TREND_MONTHS = 12
#: Cities with their own trend line: the busiest ones.
TREND_CITIES = 12
#: Snapshots kept (the newest is shown; older ones are history for a short while).
KEEP_SNAPSHOTS = 3
#: Statuses in which a posting was public at some time (its pay was "posted").
WAS_PUBLIC = (PostingStatus.PUBLISHED, PostingStatus.PAUSED, PostingStatus.EXPIRED,
              PostingStatus.CLOSED)


def _city(code: str, cache: dict[str, str]) -> str:
    if code not in cache:
        city = divisions.city_of(code) if code else None
        cache[code] = city.code if city else ""
    return cache[code]


def _month(day: date) -> date:
    return day.replace(day=1)


def _quartiles(values: list[float]) -> tuple[int, int, int]:
    if len(values) == 1:
        value = round(values[0])
        return value, value, value
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return round(q1), round(q2), round(q3)


@dataclass(frozen=True)
class RefreshResult:
    snapshot: Snapshot | None
    postings: int
    cells: int
    shown: int


def insights_refresh(*, dry_run: bool = False, now: Any = None) -> RefreshResult:
    """Compute a new snapshot of the salary index and the hiring trends (one pass over the
    postings of the window, in the periodic job, never on a request)."""
    now = now or timezone.now()
    since = now - timedelta(days=WINDOW_DAYS)
    cities: dict[str, str] = {}
    pay: dict[tuple[str, str], list[float]] = defaultdict(list)
    rows = (Posting.objects.filter(status__in=WAS_PUBLIC, published_at__gte=since,
                                   published_at__lte=now, pay_unit="month",
                                   pay_min__isnull=False, pay_max__isnull=False)
            .values_list("job_function", "division_code", "pay_min", "pay_max"))
    considered = 0
    for function, division, low, high in rows.iterator(chunk_size=2000):
        considered += 1
        value = float(low + high) / 2
        city = _city(division, cities)
        for key in {(function, city), (function, ""), ("", city), ("", "")}:
            pay[key].append(value)
    cells = []
    for (function, city), values in pay.items():
        q1, q2, q3 = _quartiles(values)
        n = len(values)
        cells.append(SalaryCell(function=function, city=city, postings=n,
                                p25=suppress(q1, people=n), median=suppress(q2, people=n),
                                p75=suppress(q3, people=n)))
    first_day = _month((timezone.localtime(now) - timedelta(days=31 * (TREND_MONTHS - 1)))
                       .date())
    first_month = timezone.make_aware(datetime.combine(first_day, time.min))
    trend: dict[tuple[date, str], list[int]] = defaultdict(lambda: [0, 0])
    published = (Posting.objects.filter(status__in=(*WAS_PUBLIC, PostingStatus.REMOVED),
                                        published_at__gte=first_month, published_at__lte=now)
                 .values_list("published_at", "division_code", "headcount"))
    for at, division, headcount in published.iterator(chunk_size=2000):
        month = _month(timezone.localtime(at).date())
        for city in ("", _city(division, cities)):
            point = trend[(month, city)]
            point[0] += 1
            point[1] += headcount or 0
    busiest = defaultdict(int)
    for (_month_key, city), (count, _heads) in trend.items():
        if city:
            busiest[city] += count
    kept = {city for city, _n in sorted(busiest.items(), key=lambda kv: (-kv[1], kv[0]))
            [:TREND_CITIES]} | {""}
    people = monthly_totals(metrics=(Metric.APPLICATIONS, Metric.HIRES), start=first_day,
                            end=timezone.localtime(now).date())

    def counted(month: date, city: str, metric: str) -> int | None:
        return suppress(people.get((month, city or ALL), {}).get(metric, 0))

    points = [TrendPoint(month=month, city=city, postings=count, headcount=heads,
                         applications=counted(month, city, Metric.APPLICATIONS),
                         hires=counted(month, city, Metric.HIRES))
              for (month, city), (count, heads) in trend.items() if city in kept]
    shown = sum(1 for cell in cells if cell.median is not None)
    if dry_run:
        return RefreshResult(None, considered, len(cells), shown)
    with transaction.atomic():
        snapshot = Snapshot.objects.create(computed_at=now, window_days=WINDOW_DAYS,
                                           postings_considered=considered,
                                           min_cell=min_cell())
        for cell in cells:
            cell.snapshot = snapshot
        for point in points:
            point.snapshot = snapshot
        SalaryCell.objects.bulk_create(cells, batch_size=1000)
        TrendPoint.objects.bulk_create(points, batch_size=1000)
        old = Snapshot.objects.order_by("-computed_at", "-id").values_list("id", flat=True)
        Snapshot.objects.filter(id__in=list(old[KEEP_SNAPSHOTS:])).delete()
        log_action(None, "insights.refreshed", snapshot, {
            "postings": considered, "cells": len(cells), "shown": shown,
            "trend_points": len(points)})
    return RefreshResult(snapshot, considered, len(cells), shown)


# --- guides ---------------------------------------------------------------------------------

GUIDE_LABELS = {"title": "标题", "summary": "摘要", "body": "正文"}
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _guide_fields(*, slug: str, title: str, summary: str, body: str, status: str,
                  guide: Guide | None) -> dict[str, str]:
    values = {"slug": (slug or "").strip().lower(), "title": " ".join((title or "").split()),
              "summary": " ".join((summary or "").split()), "body": (body or "").strip()}
    errors: dict[str, list[str]] = {}
    limits = {"title": 80, "summary": 200, "body": 20000, "slug": 60}
    for name, limit in limits.items():
        if not values[name]:
            errors[name] = [_("请填写此项。")]
        elif len(values[name]) > limit:
            errors[name] = [_("不能超过 %(n)s 个字。") % {"n": limit}]
    if values["slug"] and "slug" not in errors and not _SLUG.match(values["slug"]):
        errors["slug"] = [_("网址标识只能使用小写字母、数字和连字符（不能有空格）。")]
    elif values["slug"] and Guide.objects.filter(slug=values["slug"]).exclude(
            pk=guide.pk if guide else None).exists():
        errors["slug"] = [_("网址标识已被其他指南使用。")]
    if status not in GuideStatus.values:
        errors["status"] = [_("请选择状态。")]
    if errors:
        raise ServiceError("invalid_guide", next(iter(errors.values()))[0], fields=errors)
    return values


@transaction.atomic
def guide_save(*, actor: Any, slug: str, title: str, summary: str, body: str,
               status: str = GuideStatus.DRAFT, guide: Guide | None = None) -> Guide:
    """Create or update a guide. Title, summary and body are public texts: screened in the
    ``guide`` context before anything is saved (MOD-1); a refusal names the words."""
    require_perm(actor, "insights.guides")
    values = _guide_fields(slug=slug, title=title, summary=summary, body=body, status=status,
                           guide=guide)
    screen_public_texts(model="insights.Guide",
                        values={k: values[k] for k in ("title", "summary", "body")},
                        target=guide, labels=GUIDE_LABELS)
    now = timezone.now()
    created = guide is None
    if created:
        guide = Guide(created_by=actor)
    for name, value in values.items():
        setattr(guide, name, value)
    if status == GuideStatus.PUBLISHED and guide.published_at is None:
        guide.published_at = now
    guide.status, guide.updated_by, guide.updated_at = status, actor, now
    guide.save()
    log_action(actor, "insights.guide_created" if created else "insights.guide_updated", guide,
               {"slug": guide.slug, "status": status})
    return guide
