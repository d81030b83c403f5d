"""Candidate generation for the job recommender: the only place that decides which postings
the scorer sees (REC-1, REC-3).

Candidates come from the job index (``pinqiao.search``, decision 0010). The seeker's interest
tags become one Tantivy query:

* at least one of: the tagged cities (a posting in the same province counts less), job
  functions (the same family counts less), industries, and the words of the skill and keyword
  tags, cut by the same analysis as search and scored by BM25 over title, skills and body;
* a pay range overlapping the tagged expectation adds to the score, but does not make a
  posting a candidate on its own;
* postings within their validity date only; postings marked 「不感兴趣」 and those already
  applied to are excluded in the index.

Structured clauses score what the scorer gives them (:data:`scoring.WEIGHTS` times the tag's
strength), taking the best match per kind, so the index's order approximates the scorer's
(the clauses are in ``index_query``, shared with candidate recommendation). The
best :data:`INDEX_WINDOW` hits are re-ranked with the scorer's freshness, the first
:data:`CANDIDATE_LIMIT` are re-checked against the database (live postings only) and handed to
the scorer. When the index cannot be read (``IndexUnavailable``) the same tags select the
newest live postings from the database instead, so the page never fails; the indexer rebuilds
a missing or broken index on its next run (every 30 s).
"""

from __future__ import annotations

import functools
import logging
from datetime import timedelta
from typing import Any

import tantivy
from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from tantivy import FieldType, Query

from pinqiao.jobs.models import Posting
from pinqiao.jobs.selectors import postings_public
from pinqiao.recommendations import index_query
from pinqiao.recommendations.profile import SeekerProfile, TagKind
from pinqiao.recommendations.scoring import (
    FRESHNESS_HALF_LIFE_DAYS,
    FULL_TAG_WEIGHT,
    WEIGHTS,
)
from pinqiao.search import postings
from pinqiao.search.engine import IndexUnavailable, SearchIndex

log = logging.getLogger(__name__)

#: Postings handed to the scorer per request.
CANDIDATE_LIMIT = 300
#: Index hits re-ranked with freshness before the first ``CANDIDATE_LIMIT`` are taken.
INDEX_WINDOW = 1000
#: Freshness in the re-rank: up to this share on top of the index score, halving weekly.
FRESHNESS_BOOST = 0.5
POPULAR_WINDOW = timedelta(days=14)
POPULAR_CACHE_SECONDS = 60


def live_postings() -> QuerySet[Posting]:
    """Published, unexpired postings of organisations in good standing."""
    return postings_public().filter(valid_until__gte=timezone.localdate())


def division_prefix(code: str) -> str:
    """The code prefix shared by a division and everything under it (440100 → 4401)."""
    return code.rstrip("0") or "x"


def applied_posting_ids(seeker: Any) -> set[int]:
    from pinqiao.applications.models import Application

    return set(Application.objects.filter(seeker=seeker).values_list("posting_id", flat=True))


def job_candidates(*, seeker: Any, profile: SeekerProfile,
                   limit: int = CANDIDATE_LIMIT, now: Any = None) -> list[Posting]:
    """Live postings matching the seeker's tags, best index match first (newest first from
    the database when the index cannot be read), at most ``limit``; never postings marked
    「不感兴趣」 or already applied to."""
    excluded = profile.not_interested | applied_posting_ids(seeker)
    try:
        ids = index_candidate_ids(profile, excluded=excluded, limit=limit,
                                  now=now or timezone.now())
    except IndexUnavailable as exc:
        log.warning("recommendations: index unavailable (%s), candidates from the database",
                    exc)
        return database_candidates(profile, excluded=excluded, limit=limit)
    found = {p.pk: p for p in live_postings().filter(pk__in=ids).order_by()}
    return [found[pk] for pk in ids if pk in found]


# --- from the index --------------------------------------------------------------------------

@functools.cache
def _schema() -> tantivy.Schema:
    return postings.SPEC.schema()


def _strength(weight: float) -> float:
    return min(weight / FULL_TAG_WEIGHT, 1.0)


def _tag_strengths(profile: SeekerProfile, kind: str) -> dict[str, float]:
    return {value: _strength(weight) for value, weight in profile.weights(kind).items()}


def profile_words(profile: SeekerProfile) -> dict[str, float]:
    """The words of the skill and keyword tags as search tokens, strongest tags first, each
    with its tag's strength (see ``index_query.words_of``)."""
    return index_query.words_of((tag.value, _strength(tag.weight)) for tag in profile.tags
                                if tag.kind in (TagKind.SKILL, TagKind.KEYWORD))


def build_query(profile: SeekerProfile, *, excluded: set[int], today: int) -> Query:
    """The candidate query for ``profile`` (see the module docstring)."""
    schema = _schema()
    industries = index_query.best_of([
        Query.const_score_query(Query.term_query(schema, "industry", code),
                                WEIGHTS["industry"] * strength)
        for code, strength in _tag_strengths(profile, TagKind.INDUSTRY).items()])
    matches = [q for q in (
        index_query.places(schema, _tag_strengths(profile, TagKind.CITY)),
        index_query.functions(schema, _tag_strengths(profile, TagKind.FUNCTION)),
        industries) if q is not None]
    matches += index_query.word_clauses(schema, profile_words(profile))
    pay = profile.pay
    boost = index_query.pay_overlap(schema, int(pay[0]), int(pay[1])) \
        if pay is not None and pay[2] == "month" else None
    return index_query.candidate_query(
        matches, schema=schema, excluded_ids=excluded,
        filters=[Query.range_query(schema, "valid_until", FieldType.Unsigned, today, None)],
        boosts=[boost] if boost is not None else [])


def index_candidate_ids(profile: SeekerProfile, *, excluded: set[int], limit: int,
                        now: Any) -> list[int]:
    """Posting ids from the index, best first: the query's score times the freshness boost,
    ties by the newest id. Raises ``IndexUnavailable`` when the index cannot be read."""
    query = build_query(profile, excluded=excluded,
                        today=int(timezone.localdate(now).strftime("%Y%m%d")))
    return index_query.top_ids(SearchIndex(postings.SPEC), query, window=INDEX_WINDOW,
                               limit=limit, time_field="published", now=now.timestamp(),
                               half_life_days=FRESHNESS_HALF_LIFE_DAYS,
                               boost=FRESHNESS_BOOST)


# --- from the database -----------------------------------------------------------------------

def database_candidates(profile: SeekerProfile, *, excluded: set[int],
                        limit: int = CANDIDATE_LIMIT) -> list[Posting]:
    """Without the index: live postings in the seeker's tagged cities, functions or industries
    (all live postings when there are no such tags), newest first, at most ``limit``."""
    where = Q()
    for city in profile.values(TagKind.CITY):
        where |= Q(division_code__startswith=division_prefix(city))
    if functions := profile.values(TagKind.FUNCTION):
        where |= Q(job_function__in=functions)
    if industries := profile.values(TagKind.INDUSTRY):
        where |= Q(industry__in=industries)
    query = live_postings().filter(where).exclude(pk__in=excluded)
    return list(query.order_by("-published_at", "-id")[:limit])


# --- non-personalised (REC-2) ----------------------------------------------------------------

def popular_postings(*, city: str, offset: int, limit: int, now: Any = None) -> list[Posting]:
    """Non-personalised list (REC-2): live postings in ``city`` (everywhere when empty), those
    with the most applications in the last 14 days first, then the newest. The same for every
    seeker, so it is held in the cache for ``POPULAR_CACHE_SECONDS`` under the public content
    version (any posting or organisation change, ``pinqiao.core.pagecache``) and the newest
    application's id (any new application): only applications leaving the 14-day window
    reach the list up to that late."""
    from pinqiao.applications.models import Application
    from pinqiao.core.pagecache import public_version

    if now is not None:  # a given moment (tests, replays) is computed, not held
        return _popular_postings(city=city, offset=offset, limit=limit, now=now)
    newest_application = Application.objects.aggregate(newest=Max("id"))["newest"]
    key = (f"pinqiao:popular:{public_version()}:{newest_application}:{timezone.localdate()}:"
           f"{city}:{offset}:{limit}")
    found = cache.get(key)
    if found is None:
        found = _popular_postings(city=city, offset=offset, limit=limit, now=now)
        cache.set(key, found, POPULAR_CACHE_SECONDS)
    return found


def _popular_postings(*, city: str, offset: int, limit: int, now: Any) -> list[Posting]:
    """``popular_postings`` from the database.

    Counted from the window's applications (an index on their time), not by joining every live
    posting to its applications: at 100,000 postings the join cost 350 ms a page, this about
    as many milliseconds as the window has applications in the city. The newest come from the
    index on (status, published_at), read from the top."""
    from pinqiao.applications.models import Application

    since = (now or timezone.now()) - POPULAR_WINDOW
    live = live_postings()
    recent = Application.objects.filter(created_at__gte=since)
    if city:
        prefix = division_prefix(city)
        live = live.filter(division_code__startswith=prefix)
        recent = recent.filter(posting__division_code__startswith=prefix)
    counts = dict(recent.values("posting_id").annotate(n=Count("id"))
                  .values_list("posting_id", "n"))
    popular = sorted(live.filter(pk__in=counts).values_list("id", "published_at"),
                     key=lambda row: (-counts[row[0]], -(row[1].timestamp() if row[1] else 0),
                                      -row[0]))
    page_ids = [pk for pk, _published in popular[offset:offset + limit]]
    loaded = {p.pk: p for p in live.filter(pk__in=page_ids)} if page_ids else {}
    page = [loaded[pk] for pk in page_ids if pk in loaded]
    for posting in page:
        posting.recent_applications = counts[posting.pk]
    if len(page) < limit:
        start = max(0, offset - len(popular))
        newest = (live.exclude(pk__in=[pk for pk, _published in popular])
                  .order_by("-published_at", "-id")[start:start + limit - len(page)])
        for posting in newest:
            posting.recent_applications = 0
            page.append(posting)
    return page


