"""Candidate generation for the recommenders: the only place that decides which postings the
scorer sees (REC-1, REC-2). Today from the database; the search index can replace
:func:`job_candidates` without touching the scorer."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from pinqiao.jobs.models import Posting
from pinqiao.jobs.selectors import postings_public
from pinqiao.recommendations.profile import SeekerProfile, TagKind

#: Postings read per request for scoring: newest first within the seeker's cities, functions
#: and industries.
CANDIDATE_LIMIT = 300
POPULAR_WINDOW = timedelta(days=14)


def live_postings() -> QuerySet[Posting]:
    """Published, unexpired postings of organisations in good standing."""
    return postings_public().filter(valid_until__gte=timezone.localdate())


def division_prefix(code: str) -> str:
    """The code prefix shared by a division and everything under it (440100 → 4401)."""
    return code.rstrip("0") or "x"


def job_candidates(*, seeker: Any, profile: SeekerProfile,
                   limit: int = CANDIDATE_LIMIT) -> list[Posting]:
    """Live postings in the seeker's tagged cities, functions or industries (all live
    postings when there are no such tags), newest first, at most ``limit``; without postings
    marked 「不感兴趣」 and those already applied to."""
    where = Q()
    for city in profile.values(TagKind.CITY):
        where |= Q(division_code__startswith=division_prefix(city))
    if functions := profile.values(TagKind.FUNCTION):
        where |= Q(job_function__in=functions)
    if industries := profile.values(TagKind.INDUSTRY):
        where |= Q(industry__in=industries)
    query = (live_postings().filter(where).exclude(pk__in=profile.not_interested)
             .exclude(applications__seeker=seeker))
    return list(query.order_by("-published_at", "-id")[:limit])


def popular_postings(*, city: str, offset: int, limit: int, now: Any = None) -> list[Posting]:
    """Non-personalised list (REC-2): live postings in ``city`` (everywhere when empty), those
    with the most applications in the last 14 days first, then the newest. The same for every
    seeker."""
    since = (now or timezone.now()) - POPULAR_WINDOW
    query = live_postings()
    if city:
        query = query.filter(division_code__startswith=division_prefix(city))
    query = query.annotate(recent_applications=Count(
        "applications", filter=Q(applications__created_at__gte=since)))
    return list(query.order_by("-recent_applications", "-published_at", "-id")
                [offset:offset + limit])
