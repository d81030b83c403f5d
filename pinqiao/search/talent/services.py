"""A talent search as a recruiter runs it (SRCH-2, RES-7): may they search, within their
limits, then the search, then one row in the search log.

Every search (page or API) is recorded in ``TalentSearch``: account, organisation, keywords,
filters, number of matches, page and the résumés whose masked cards were shown, with IP and
time. The log is the evidence for bulk-collection review and the basis of the limits: per
account per day, per organisation per day, and a burst limit over a few minutes. A search
over a limit is refused (429 ``talent_search_quota_exceeded``), audited and flagged to staff
through the privacy flags (``privacy.services.flag_raise``, the same queue and page as résumé
views and downloads), which also tells the organisation's owner.

The limits count log rows, outside any lock: parallel requests may overshoot a limit by at
most their number. They throttle collection; the hard limits on opening résumés stay with
``privacy.quotas``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.core.audit import log_action
from pinqiao.core.errors import ServiceError
from pinqiao.privacy.models import FlagReason
from pinqiao.privacy.services import flag_raise
from pinqiao.search.models import TalentSearch, TalentSearchChannel
from pinqiao.search.talent.params import parse_talent_query
from pinqiao.search.talent.selectors import (
    TalentResults,
    TalentSearcher,
    talent_search,
    talent_searcher,
)

DEFAULT_LIMITS: dict[str, int] = {
    "user_searches": 300,    # searches (each page counts) one recruiter may run per day
    "org_searches": 1000,    # searches one organisation may run per day
    "burst_searches": 60,    # searches one recruiter may run …
    "burst_minutes": 10,     # … within this many minutes
}


def limits() -> dict[str, int]:
    """The defaults, overridden by the ``TALENT_SEARCH_LIMITS`` setting where given."""
    return {**DEFAULT_LIMITS, **getattr(settings, "TALENT_SEARCH_LIMITS", {})}


class TalentSearchLimited(ServiceError):
    """A daily or burst limit is reached: 429 ``talent_search_quota_exceeded``."""

    status = 429

    def __init__(self, message: str, *, scope: str, count: int, limit: int) -> None:
        super().__init__("talent_search_quota_exceeded", message)
        self.scope = scope
        self.count = count
        self.limit = limit


def _check_limits(searcher: TalentSearcher, now: datetime, day: date) -> None:
    rules = limits()
    viewer, organisation = searcher.viewer, searcher.organisation
    since = now - timedelta(minutes=rules["burst_minutes"])
    burst = TalentSearch.objects.filter(viewer=viewer, at__gte=since).count()
    if burst >= rules["burst_searches"]:
        raise TalentSearchLimited(
            _("您在 %(minutes)s 分钟内已搜索 %(count)s 次，操作过于频繁，请稍后再试。")
            % {"minutes": rules["burst_minutes"], "count": burst},
            scope="burst", count=burst, limit=rules["burst_searches"])
    mine = TalentSearch.objects.filter(viewer=viewer, day=day).count()
    if mine >= rules["user_searches"]:
        raise TalentSearchLimited(
            _("您今天的人才搜索次数已达上限（%(limit)s 次），请明天再试。")
            % {"limit": rules["user_searches"]},
            scope="user", count=mine, limit=rules["user_searches"])
    ours = TalentSearch.objects.filter(organisation=organisation, day=day).count()
    if ours >= rules["org_searches"]:
        raise TalentSearchLimited(
            _("贵单位今天的人才搜索次数已达上限（%(limit)s 次），请明天再试。")
            % {"limit": rules["org_searches"]},
            scope="organisation", count=ours, limit=rules["org_searches"])


def _evidence(searcher: TalentSearcher, exc: TalentSearchLimited, now: datetime,
              day: date) -> dict[str, Any]:
    """Counts, window and the latest 20 searches behind a flag: keywords, filters and match
    counts, no seeker data."""
    rows = TalentSearch.objects.select_related("viewer")
    if exc.scope == "organisation":
        rows = rows.filter(organisation=searcher.organisation, day=day)
        start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    elif exc.scope == "burst":
        start = now - timedelta(minutes=limits()["burst_minutes"])
        rows = rows.filter(viewer=searcher.viewer, at__gte=start)
    else:
        rows = rows.filter(viewer=searcher.viewer, day=day)
        start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    return {
        "kind": "search", "scope": exc.scope,
        "counts": {"count": exc.count, "limit": exc.limit},
        "window": {"from": start.isoformat(), "to": now.isoformat()},
        "sample": [{"resume": "", "viewer": row.viewer.username, "kind": "search",
                    "kind_label": _("人才搜索「%(q)s」第%(page)s页 · %(total)s 份") % {
                        "q": row.q or _("无关键词"), "page": row.page, "total": row.total},
                    "at": row.at.isoformat()}
                   for row in rows.order_by("-at", "-pk")[:20]],
    }


def _refused(searcher: TalentSearcher, exc: TalentSearchLimited, now: datetime,
             day: date) -> None:
    log_action(searcher.viewer, "search.talent_quota_exceeded", searcher.organisation, {
        "scope": exc.scope, "count": exc.count, "limit": exc.limit})
    flag_raise(organisation=searcher.organisation,
               user=None if exc.scope == "organisation" else searcher.viewer,
               reason=FlagReason.BURST if exc.scope == "burst" else FlagReason.QUOTA,
               day=day, evidence=_evidence(searcher, exc, now, day))


def talent_search_run(*, viewer: Any, data: Mapping[str, Any], channel: str,
                      ip: str | None = None) -> TalentResults:
    """Run one talent search for ``viewer`` from request parameters ``data``.

    Refusals, in order: not allowed to search (403 ``talent_search_forbidden``, before the
    input is looked at), bad input (API only: 400 ``invalid_filter``; the page ignores it with
    a notice), over a limit (429). The page shows the last page for a page past the end, the
    API an empty one. The search and the cards it showed are logged."""
    if channel not in TalentSearchChannel.values:
        raise ServiceError("invalid_channel", _("未知的搜索方式。"))
    searcher = talent_searcher(viewer=viewer)
    api = channel == TalentSearchChannel.API
    query = parse_talent_query(data, strict=api)
    if query.organisation not in (None, searcher.organisation.pk):
        searcher = talent_searcher(viewer=viewer, organisation=query.organisation)
    now = timezone.now()
    day = timezone.localdate(now)
    try:
        _check_limits(searcher, now, day)
    except TalentSearchLimited as exc:
        _refused(searcher, exc, now, day)
        raise
    results = talent_search(query, searcher=searcher, clamp_page=not api)
    TalentSearch.objects.create(
        viewer=viewer, organisation=searcher.organisation, q=query.q,
        filters=query.logged_filters(), total=results.total, page=query.page,
        shown=[card.public_id for card in results.cards], channel=channel, ip=ip, at=now,
        day=day)
    return results
