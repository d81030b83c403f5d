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
strength), taking the best match per kind, so the index's order approximates the scorer's. The
best :data:`INDEX_WINDOW` hits are re-ranked with the scorer's freshness, the first
:data:`CANDIDATE_LIMIT` are re-checked against the database (live postings only) and handed to
the scorer. When the index cannot be read (``IndexUnavailable``) the same tags select the
newest live postings from the database instead, so the page never fails; the indexer rebuilds
a missing or broken index on its next run (every 30 s).
"""

from __future__ import annotations

import functools
import logging
import math
from datetime import timedelta
from typing import Any

import tantivy
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from tantivy import FieldType, Occur, Query

from pinqiao.jobs.models import Posting
from pinqiao.jobs.selectors import postings_public
from pinqiao.recommendations.profile import SeekerProfile, TagKind
from pinqiao.recommendations.scoring import (
    FRESHNESS_HALF_LIFE_DAYS,
    FULL_TAG_WEIGHT,
    WEIGHTS,
)
from pinqiao.reference import taxonomy
from pinqiao.search import analysis, postings
from pinqiao.search.engine import IndexUnavailable, SearchIndex

log = logging.getLogger(__name__)

#: Postings handed to the scorer per request.
CANDIDATE_LIMIT = 300
#: Index hits re-ranked with freshness before the first ``CANDIDATE_LIMIT`` are taken.
INDEX_WINDOW = 1000
#: Text fields searched for the seeker's words, with their boosts (BM25 per field).
TEXT_FIELDS = {"title": 1.0, "skills": 0.6, "body": 0.3}
#: Scale of a word's BM25 score against the structured clauses: measured on generated
#: postings, a skill word in the title adds about 0.07 and one in the text 0.01–0.03, against
#: 0.20 for the city (larger scales let words outweigh city and function and lose postings
#: the scorer ranks high; see decision 0011).
TEXT_SCALE = 0.01
#: Most distinct words taken from the skill and keyword tags, strongest tags first.
TEXT_TOKENS_MAX = 24
#: Freshness in the re-rank: up to this share on top of the index score, halving weekly.
FRESHNESS_BOOST = 0.5
POPULAR_WINDOW = timedelta(days=14)


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


def _const(query: Query, score: float) -> Query:
    return Query.const_score_query(query, score)


def _best_of(clauses: list[Query]) -> Query | None:
    """The best-scoring clause only (a posting matches a city or its province, not both)."""
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else Query.disjunction_max_query(clauses)


def _places(schema: tantivy.Schema, profile: SeekerProfile) -> Query | None:
    clauses = []
    for code, weight in profile.weights(TagKind.CITY).items():
        if not code.isdigit():
            continue
        strength = _strength(weight)
        clauses.append(_const(Query.term_query(schema, "city", int(code)),
                              WEIGHTS["city"] * strength))
        clauses.append(_const(Query.term_query(schema, "province", int(code[:2] + "0000")),
                              WEIGHTS["province"] * strength))
    return _best_of(clauses)


def _functions(schema: tantivy.Schema, profile: SeekerProfile) -> Query | None:
    clauses = []
    for slug, weight in profile.weights(TagKind.FUNCTION).items():
        strength = _strength(weight)
        clauses.append(_const(Query.term_query(schema, "function", slug),
                              WEIGHTS["function"] * strength))
        known = taxonomy.job_function(slug)
        if known is not None:
            clauses.append(_const(Query.term_query(schema, "function", known.family_slug),
                                  WEIGHTS["family"] * strength))
    return _best_of(clauses)


def _industries(schema: tantivy.Schema, profile: SeekerProfile) -> Query | None:
    return _best_of([_const(Query.term_query(schema, "industry", code),
                            WEIGHTS["industry"] * _strength(weight))
                     for code, weight in profile.weights(TagKind.INDUSTRY).items()])


def profile_words(profile: SeekerProfile) -> dict[str, float]:
    """The words of the skill and keyword tags as search tokens (place names left to the
    city clauses), each with the strength of its strongest tag, at most
    ``TEXT_TOKENS_MAX``."""
    places = analysis.place_tokens()
    words: dict[str, float] = {}
    for tag in profile.tags:  # strongest first
        if tag.kind not in (TagKind.SKILL, TagKind.KEYWORD):
            continue
        for token in analysis.query_tokens(tag.value):
            if token not in places and token not in words:
                words[token] = _strength(tag.weight)
                if len(words) == TEXT_TOKENS_MAX:
                    return words
    return words


def _words(schema: tantivy.Schema, profile: SeekerProfile) -> list[Query]:
    clauses = []
    for token, strength in profile_words(profile).items():
        fields = [(Occur.Should, Query.boost_query(Query.term_query(schema, name, token),
                                                   boost * TEXT_SCALE * strength))
                  for name, boost in TEXT_FIELDS.items()]
        clauses.append(Query.boolean_query(fields))
    return clauses


def _pay(schema: tantivy.Schema, profile: SeekerProfile) -> Query | None:
    """Overlap of the posting's monthly range with the tagged expectation (monthly)."""
    pay = profile.pay
    if pay is None or pay[2] != "month":
        return None
    low, high = int(pay[0]), int(pay[1])
    overlap = Query.boolean_query([
        (Occur.Must, Query.range_query(schema, "pay_max", FieldType.Unsigned, max(low, 1),
                                       None)),
        (Occur.Must, Query.range_query(schema, "pay_min", FieldType.Unsigned, 1,
                                       max(high, 1)))])
    return _const(overlap, WEIGHTS["pay"])


def build_query(profile: SeekerProfile, *, excluded: set[int], today: int) -> Query:
    """The candidate query for ``profile`` (see the module docstring)."""
    schema = _schema()
    matches = [q for q in (_places(schema, profile), _functions(schema, profile),
                           _industries(schema, profile)) if q is not None]
    matches += _words(schema, profile)
    anything = Query.boolean_query([(Occur.Should, q) for q in matches]) if matches \
        else Query.all_query()
    clauses: list[tuple[Occur, Query]] = [
        (Occur.Must, anything),
        (Occur.Must, _const(Query.range_query(schema, "valid_until", FieldType.Unsigned,
                                              today, None), 0.0))]
    if (pay := _pay(schema, profile)) is not None:
        clauses.append((Occur.Should, pay))
    if excluded:
        clauses.append((Occur.MustNot, Query.term_set_query(schema, "id", sorted(excluded))))
    return Query.boolean_query(clauses)


def index_candidate_ids(profile: SeekerProfile, *, excluded: set[int], limit: int,
                        now: Any) -> list[int]:
    """Posting ids from the index, best first: the query's score times the freshness boost,
    ties by the newest id. Raises ``IndexUnavailable`` when the index cannot be read."""
    index = SearchIndex(postings.SPEC)
    searcher = index.searcher()
    query = build_query(profile, excluded=excluded,
                        today=int(timezone.localdate(now).strftime("%Y%m%d")))
    try:
        hits = searcher.search(query, max(INDEX_WINDOW, limit), count=False).hits
        addresses = [address for _score, address in hits]
        ids = searcher.fast_field_values("id", addresses)
        published = searcher.fast_field_values("published", addresses)
    except ValueError as exc:  # a segment vanished or is damaged under the reader
        index.forget()
        raise IndexUnavailable("corrupt", str(exc)) from exc
    seconds = now.timestamp()
    decay = math.log(2) / (FRESHNESS_HALF_LIFE_DAYS * 86400)
    ranked = sorted(
        ((score * (1 + FRESHNESS_BOOST * math.exp(-decay * max(0.0, seconds - (at or 0)))),
          int(pk)) for (score, _address), pk, at in zip(hits, ids, published, strict=True)),
        key=lambda item: (-item[0], -item[1]))
    return [pk for _score, pk in ranked[:limit]]


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
    seeker."""
    since = (now or timezone.now()) - POPULAR_WINDOW
    query = live_postings()
    if city:
        query = query.filter(division_code__startswith=division_prefix(city))
    query = query.annotate(recent_applications=Count(
        "applications", filter=Q(applications__created_at__gte=since)))
    return list(query.order_by("-recent_applications", "-published_at", "-id")
                [offset:offset + limit])
