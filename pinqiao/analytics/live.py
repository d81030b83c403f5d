"""Live monitoring of publishing (ANA-2, DB4401 8.1.2): what the last hour looked like, read
fresh from the owning apps' rows on each poll, and the anomalies among it. A read path: nothing
here writes (not even an audit entry: the page that polls is audited when opened).

Anomalies, each with the objects behind it (a drill-down link) and the risk score of the
organisation or recruiter (``pinqiao.risk``):

* a burst of postings: one organisation publishing ``ANALYTICS_BURST_POSTINGS`` or more in the
  last hour;
* a burst of résumé downloads: one organisation downloading ``ANALYTICS_BURST_DOWNLOADS`` or
  more résumés in the last hour;
* many organisations from one recruiter: ``ANALYTICS_ORGS_PER_RECRUITER`` or more registered by
  one account in the last 24 hours;
* a spike in one screening category: at least ``ANALYTICS_SPIKE_MIN`` hits in the last hour and
  ``ANALYTICS_SPIKE_FACTOR`` times its hourly average over the previous seven days (read from
  the daily rollups).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from pinqiao.analytics.models import ALL, DailyFigure, Metric
from pinqiao.analytics.rollup import china_date
from pinqiao.core.permissions import require_perm
from pinqiao.jobs.models import PostingEvent, PostingStatus
from pinqiao.moderation.models import ScreeningRecord
from pinqiao.moderation.services import CATEGORY_LABELS
from pinqiao.orgs.models import Organisation
from pinqiao.privacy.models import AccessKind, ResumeAccess
from pinqiao.risk.models import RiskScore, Subject

WINDOW = timedelta(hours=1)


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


@dataclass
class Anomaly:
    kind: str
    title: str
    detail: str
    count: int
    objects_url: str
    subject: str = ""
    subject_id: int | None = None
    risk_score: int | None = None
    risk_level: str = ""
    risk_url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "title": self.title, "detail": self.detail,
                "count": self.count, "objects_url": self.objects_url,
                "subject": self.subject, "subject_id": self.subject_id,
                "risk_score": self.risk_score, "risk_level": self.risk_level,
                "risk_url": self.risk_url}


def _drill(**params: Any) -> str:
    return f"{reverse('analytics:drilldown')}?{urlencode(params)}"


def _with_risk(anomalies: list[Anomaly]) -> list[Anomaly]:
    """Attach each anomaly's current risk score, one query for all."""
    wanted = {(a.subject, a.subject_id) for a in anomalies if a.subject_id is not None}
    scores = {(s.subject, s.subject_id): s for s in RiskScore.objects.filter(
        subject__in={s for s, _i in wanted}, subject_id__in={i for _s, i in wanted})}
    for anomaly in anomalies:
        score = scores.get((anomaly.subject, anomaly.subject_id))
        anomaly.risk_url = f"{reverse('risk:scores')}?{urlencode({'subject': anomaly.subject})}"
        if score is not None:
            anomaly.risk_score, anomaly.risk_level = score.score, score.level
    return anomalies


def anomalies(now: datetime) -> list[Anomaly]:
    since = now - WINDOW
    found: list[Anomaly] = []
    today = china_date(now)
    burst = _setting("ANALYTICS_BURST_POSTINGS", 20)
    posted = (PostingEvent.objects.filter(at__gte=since, to_status=PostingStatus.PUBLISHED)
              .values("posting__organisation_id", "posting__organisation__name")
              .annotate(n=Count("posting_id", distinct=True)).filter(n__gte=burst)
              .order_by("-n"))
    for row in posted[:20]:
        org = row["posting__organisation_id"]
        found.append(Anomaly(
            "posting_burst", "集中发布职位", f"{row['posting__organisation__name']} 近 1 小时发布 "
            f"{row['n']} 个职位（阈值 {burst}）", row["n"],
            _drill(metric=Metric.POSTINGS_PUBLISHED, organisation=org, start=today, end=today),
            Subject.ORGANISATION, org))
    downloads = _setting("ANALYTICS_BURST_DOWNLOADS", 30)
    pulled = (ResumeAccess.objects.filter(day__gte=china_date(since), at__gte=since,
                                          kind=AccessKind.DOWNLOAD)
              .values("organisation_id", "organisation__name")
              .annotate(n=Count("id")).filter(n__gte=downloads).order_by("-n"))
    for row in pulled[:20]:
        org = row["organisation_id"]
        found.append(Anomaly(
            "download_burst", "集中下载简历", f"{row['organisation__name']} 近 1 小时下载简历 "
            f"{row['n']} 份（阈值 {downloads}）", row["n"],
            _drill(metric="resume_downloads", organisation=org, start=today, end=today),
            Subject.ORGANISATION, org))
    per_recruiter = _setting("ANALYTICS_ORGS_PER_RECRUITER", 3)
    registered = (Organisation.objects.filter(created_at__gte=now - timedelta(days=1))
                  .values("created_by_id").annotate(n=Count("id"))
                  .filter(n__gte=per_recruiter).order_by("-n"))
    for row in registered[:20]:
        user = row["created_by_id"]
        found.append(Anomaly(
            "orgs_per_recruiter", "同一账号注册多个单位",
            f"账号 #{user} 近 24 小时注册 {row['n']} 个单位（阈值 {per_recruiter}）", row["n"],
            _drill(metric=Metric.ORGS_NEW, created_by=user,
                   start=china_date(now - timedelta(days=1)), end=today),
            Subject.RECRUITER, user))
    found.extend(_category_spikes(now, since, today))
    return _with_risk(found)


def _category_spikes(now: datetime, since: datetime, today: Any) -> list[Anomaly]:
    minimum = _setting("ANALYTICS_SPIKE_MIN", 10)
    factor = _setting("ANALYTICS_SPIKE_FACTOR", 3)
    hits: Counter[str] = Counter()
    for categories in ScreeningRecord.objects.filter(created_at__gte=since).values_list(
            "categories", flat=True):
        hits.update(set(categories or ()))
    if not hits:
        return []
    week = {row["key"]: row["n"] for row in DailyFigure.objects.filter(
        metric=Metric.SCREENING_CATEGORIES, city=ALL, industry=ALL, key__in=list(hits),
        day__gte=today - timedelta(days=7), day__lt=today).values("key").annotate(
        n=Sum("value"))}
    spikes = []
    for category, count in hits.most_common():
        hourly = week.get(category, 0) / (7 * 24)
        if count >= minimum and count >= factor * hourly:
            spikes.append(Anomaly(
                "category_spike", "机审类别突增",
                f"「{CATEGORY_LABELS.get(category, category)}」近 1 小时命中 {count} 次，"
                f"过去 7 天平均每小时 {hourly:.1f} 次",
                count, _drill(metric=Metric.SCREENINGS, category=category, start=today,
                              end=today)))
    return spikes


def live_snapshot(*, viewer: Any, now: datetime | None = None) -> dict[str, Any]:
    """The live page's figures: postings published per minute over the last hour and today's
    total, screening decisions and categories of the last hour, organisations registered
    today, and the anomalies. Counts here are of postings, texts and organisations, not of
    people, and are shown as they are (ANA-2 is for staff watching the platform)."""
    require_perm(viewer, "analytics.live")
    now = now or timezone.now()
    since = now - WINDOW
    day_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    per_minute: Counter[str] = Counter()
    published = list(PostingEvent.objects.filter(at__gte=since, to_status=PostingStatus.PUBLISHED)
                     .order_by("-at").values("at", "posting_id", "posting__title",
                                             "posting__organisation__name")[:500])
    for row in published:
        per_minute[timezone.localtime(row["at"]).strftime("%H:%M")] += 1
    minutes = [(timezone.localtime(since) + timedelta(minutes=m + 1)).strftime("%H:%M")
               for m in range(60)]
    decisions = dict(ScreeningRecord.objects.filter(created_at__gte=since)
                     .values_list("decision").annotate(n=Count("id")).order_by())
    return {
        "at": timezone.localtime(now).isoformat(timespec="seconds"),
        # COUNT(DISTINCT) over today's events by the ``at`` index: a ``DISTINCT`` subquery
        # let SQLite walk the posting index over every event ever (0.6 s at 1.8M events).
        "published_today": PostingEvent.objects.filter(
            at__gte=day_start, to_status=PostingStatus.PUBLISHED).aggregate(
            n=Count("posting_id", distinct=True))["n"],
        "published_last_hour": len({row["posting_id"] for row in published}),
        "per_minute": {"minutes": minutes, "counts": [per_minute.get(m, 0) for m in minutes]},
        "latest": [{"id": row["posting_id"], "title": row["posting__title"],
                    "organisation": row["posting__organisation__name"],
                    "at": timezone.localtime(row["at"]).strftime("%H:%M:%S"),
                    "url": reverse("jobs:detail", args=[row["posting_id"]])}
                   for row in published[:10]],
        "decisions": {key: decisions.get(key, 0) for key in ("pass", "review", "reject")},
        "orgs_today": Organisation.objects.filter(created_at__gte=day_start).count(),
        "anomalies": [a.as_dict() for a in anomalies(now)],
    }
