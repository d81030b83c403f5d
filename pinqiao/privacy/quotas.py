"""Daily limits on résumé views and downloads and the unusual-volume test (RES-7; DB4401 7.2.1,
7.3.3).

Limits count *distinct résumés* per day for views (a reload, the API read after the page, or a
second colleague opening the same résumé does not count again for the organisation), and
every download (each one is a new file). They are checked on counter rows locked with
``select_for_update`` inside the transaction that writes the access, so two parallel requests
cannot both take the last unit. The defaults below can be changed per deployment with the
``PRIVACY_RESUME_LIMITS`` setting (a dict overriding any of the keys).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import F
from django.utils.translation import gettext as _

from pinqiao.core.errors import ServiceError
from pinqiao.privacy.models import (
    VIEW_KINDS,
    AccessCounter,
    AccessKind,
    CounterScope,
    ResumeAccess,
)

DEFAULT_LIMITS: dict[str, int] = {
    "user_views": 200,            # distinct résumés one recruiter may open per day
    "org_views": 500,             # distinct résumés one organisation may open per day
    "user_downloads": 50,         # downloads per recruiter per day
    "org_downloads": 100,         # downloads per organisation per day
    "burst_resumes": 30,          # distinct résumés one recruiter may open …
    "burst_minutes": 10,          # … within this many minutes
    "volume_factor": 3,           # flag an organisation's day above factor × its median …
    "volume_days": 14,            # … of this many previous days,
    "volume_floor_views": 50,     # … once it has at least this many views
    "volume_floor_downloads": 20,  # … or downloads that day
}


def limits() -> dict[str, int]:
    return {**DEFAULT_LIMITS, **getattr(settings, "PRIVACY_RESUME_LIMITS", {})}


def counted_kind(kind: str) -> str:
    """Page views and API reads share the view limits."""
    return AccessKind.DOWNLOAD if kind == AccessKind.DOWNLOAD else AccessKind.VIEW


class QuotaExceeded(ServiceError):
    """A daily limit or the burst limit is reached: 429 ``resume_quota_exceeded``."""

    status = 429

    def __init__(self, message: str, *, scope: str, count: int, limit: int) -> None:
        super().__init__("resume_quota_exceeded", message)
        self.scope = scope
        self.count = count
        self.limit = limit


def _locked_counter(scope: str, scope_id: int, day: date, kind: str) -> AccessCounter:
    # get_or_create retries the read when a parallel request inserted the row first.
    AccessCounter.objects.get_or_create(scope=scope, scope_id=scope_id, day=day, kind=kind)
    return AccessCounter.objects.select_for_update().get(scope=scope, scope_id=scope_id,
                                                         day=day, kind=kind)


def quota_take(*, viewer: Any, organisation: Any, resume: Any, kind: str,
               now: datetime, day: date) -> None:
    """Count one access against the day's limits, or raise ``QuotaExceeded``. Must run inside
    the transaction that writes the ``ResumeAccess`` row (the counters stay locked until it
    commits). Organisation counter first, then the user's: one lock order everywhere."""
    kind = counted_kind(kind)
    rules = limits()
    org = _locked_counter(CounterScope.ORGANISATION, organisation.pk, day, kind)
    mine = _locked_counter(CounterScope.USER, viewer.pk, day, kind)
    if kind == AccessKind.DOWNLOAD:
        for_user = for_org = True
        user_limit, org_limit = rules["user_downloads"], rules["org_downloads"]
    else:
        seen = ResumeAccess.objects.filter(resume=resume, day=day, kind__in=VIEW_KINDS)
        for_user = not seen.filter(viewer=viewer).exists()
        for_org = not seen.filter(organisation=organisation).exists()
        user_limit, org_limit = rules["user_views"], rules["org_views"]
        if for_user:
            _check_burst(viewer, now, rules)
    if for_user and mine.count >= user_limit:
        raise QuotaExceeded(_("您今天查看或下载的简历已达上限（%(limit)s 份），请明天再试。")
                            % {"limit": user_limit}, scope="user", count=mine.count,
                            limit=user_limit)
    if for_org and org.count >= org_limit:
        raise QuotaExceeded(_("贵单位今天查看或下载的简历已达上限（%(limit)s 份），请明天再试。")
                            % {"limit": org_limit}, scope="organisation", count=org.count,
                            limit=org_limit)
    if for_user:
        AccessCounter.objects.filter(pk=mine.pk).update(count=F("count") + 1)
    if for_org:
        AccessCounter.objects.filter(pk=org.pk).update(count=F("count") + 1)


def _check_burst(viewer: Any, now: datetime, rules: dict[str, int]) -> None:
    since = now - timedelta(minutes=rules["burst_minutes"])
    recent = (ResumeAccess.objects.filter(viewer=viewer, kind__in=VIEW_KINDS, at__gte=since)
              .values("resume").distinct().count())
    if recent >= rules["burst_resumes"]:
        raise QuotaExceeded(
            _("您在 %(minutes)s 分钟内已查看 %(count)s 份简历，操作过于频繁，请稍后再试。")
            % {"minutes": rules["burst_minutes"], "count": recent},
            scope="burst", count=recent, limit=rules["burst_resumes"])


@dataclass(frozen=True)
class Volume:
    """An organisation's count for one day against the median of the days before."""

    kind: str
    today: int
    median: float
    factor: int
    floor: int
    days: int

    @property
    def unusual(self) -> bool:
        return self.today >= self.floor and self.today > self.factor * self.median


def organisation_volume(*, organisation: Any, kind: str, day: date) -> Volume:
    """Today's distinct résumés (or downloads) of ``organisation`` and the median of the
    previous ``volume_days`` days, days without access counting as zero."""
    kind = counted_kind(kind)
    rules = limits()
    days = rules["volume_days"]
    rows = dict(AccessCounter.objects.filter(
        scope=CounterScope.ORGANISATION, scope_id=organisation.pk, kind=kind,
        day__gte=day - timedelta(days=days), day__lte=day).values_list("day", "count"))
    history = [rows.get(day - timedelta(days=n), 0) for n in range(1, days + 1)]
    floor = rules["volume_floor_downloads" if kind == AccessKind.DOWNLOAD
                  else "volume_floor_views"]
    return Volume(kind=kind, today=rows.get(day, 0), median=statistics.median(history),
                  factor=rules["volume_factor"], floor=floor, days=days)
