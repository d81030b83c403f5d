"""Job search (SRCH-1): query plus filters over the index, then the database re-check.

Ranking: BM25 over title ×3, skills ×2, company ×2, place ×1.5 and body, each query word
required in at least one field; the top ``RELEVANCE_WINDOW`` are re-scored with a freshness
boost (up to +50 % for today's postings, halving every 14 days) and +20 % for postings with the
quality label (JOB-7), ties broken by newest id. Time order is publication time, then id.
Without keywords the default order puts 优质职位 first (JOB-7), then newest. Every order is
deterministic (ties broken by id), so pages are stable.

Every page is re-checked against the database: only postings that are published, within their
validity date and of an organisation that is neither suspended nor closed are shown, even
when the index has not caught up yet. A missing or broken index never fails the page: the
newest postings are shown from the database with a notice, and a rebuild is requested.
"""

from __future__ import annotations

import functools
import logging
import math
import time
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

import tantivy
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from tantivy import FieldType, Occur, Query

from pinqiao.jobs.models import Posting, PostingStatus
from pinqiao.reference import divisions, taxonomy
from pinqiao.search import analysis, highlight, postings
from pinqiao.search.engine import IndexUnavailable, Paged, SearchIndex, filter_clause
from pinqiao.search.params import MAX_QUERY_CHARS, MAX_QUERY_TOKENS, JobQuery

log = logging.getLogger(__name__)

RELEVANCE_WINDOW = 500
MAX_RESULTS = 500
FRESHNESS_BOOST = 0.5
FRESHNESS_HALF_LIFE_DAYS = 14.0
QUALITY_BOOST = 1.2


@dataclass
class JobHit:
    posting: Posting
    title_html: SafeString
    snippet_html: SafeString
    location: str


@dataclass
class JobResults(Paged):
    """One page of results. ``total`` counts matches in the index (capped pages: ``pages``)."""

    query: JobQuery
    tokens: list[str]
    sort: str
    hits: list[JobHit]
    total: int
    page: int
    pages: int
    notices: list[str] = field(default_factory=list)
    degraded: bool = False
    timings: dict[str, float] = field(default_factory=dict)


def _index() -> SearchIndex:
    return SearchIndex(postings.SPEC)


@functools.cache
def _schema() -> tantivy.Schema:
    return postings.SPEC.schema()


def match_query(tokens: list[str], query: JobQuery, *, now: int) -> Query:
    """Every token must match some text field (boosted; a place name: the place or the
    title); filters score nothing. A single word without filters is one disjunction over the
    fields at the top of the query: Tantivy's fastest path, where a boolean nested in another
    is markedly slower for a word found in most postings. The validity date is not part of
    it (see ``build_query`` and ``_search_ids``)."""
    schema = _schema()
    words: list[list[tuple[Occur, Query]]] = []
    places = analysis.place_tokens()
    for token in tokens:
        fields = []
        weights = postings.PLACE_FIELDS if token in places else postings.TEXT_FIELDS
        for name, boost in weights.items():
            term = Query.term_query(schema, name, token)
            fields.append((Occur.Should, Query.boost_query(term, boost) if boost != 1 else term))
        words.append(fields)
    filters: list[tuple[Occur, Query]] = []
    location = query.location
    if location is not None:
        filters.append(filter_clause(Query.term_query(schema, location.level, int(location.code))))
    for name, value in (("industry", query.industry), ("function", query.function),
                        ("experience", query.experience), ("education", query.education),
                        ("employment_type", query.employment_type)):
        if value:
            filters.append(filter_clause(Query.term_query(schema, name, value)))
    if query.pay_unit:  # 月薪, 日薪 and 时薪 never mix (the index holds monthly equivalents)
        filters.append(filter_clause(Query.term_query(schema, "pay_unit", query.pay_unit)))
    if query.pay_min is not None:  # the posting's range reaches the wanted minimum
        low = postings.monthly(query.pay_min, query.pay_unit or "month")
        filters.append(filter_clause(Query.range_query(schema, "pay_max", FieldType.Unsigned,
                                                 max(low, 1), None)))
    if query.pay_max is not None:  # and starts below the wanted maximum
        high = postings.monthly(query.pay_max, query.pay_unit or "month")
        filters.append(filter_clause(Query.range_query(schema, "pay_min", FieldType.Unsigned, 1,
                                                 high)))
    if query.posted_within:
        filters.append(filter_clause(Query.range_query(schema, "published", FieldType.Integer,
                                                 now - query.posted_within * 86400, None)))
    if len(words) == 1 and not filters:
        return Query.boolean_query(words[0])
    matching = ([(Occur.Must, Query.boolean_query(word)) for word in words]
                or [(Occur.Must, Query.all_query())])
    return Query.boolean_query([*matching, *filters])


def build_query(tokens: list[str], query: JobQuery, *, today: int, now: int) -> Query:
    """``match_query`` within the validity date, as one query, for a small index (job alerts).
    The job search checks the date apart instead (``_search_ids``): as a clause of the query
    it tests every match, which on the full index doubles a search for a common word."""
    return Query.boolean_query([
        (Occur.Must, match_query(tokens, query, now=now)),
        filter_clause(Query.range_query(_schema(), "valid_until", FieldType.Unsigned,
                                        today, None))])


def _rerank(searcher: tantivy.Searcher, hits: list[tuple[float, Any]], now: int
            ) -> list[tuple[float, int]]:
    """``(final score, id)`` best first (ties: the newest id): BM25 × freshness × quality."""
    addresses = [address for _score, address in hits]
    ids = searcher.fast_field_values("id", addresses)
    published = searcher.fast_field_values("published", addresses)
    quality = searcher.fast_field_values("quality", addresses)
    decay = math.log(2) / (FRESHNESS_HALF_LIFE_DAYS * 86400)
    exp = math.exp
    scored = [(score * (1 + FRESHNESS_BOOST * exp(-decay * max(0, now - (at or 0))))
               * (QUALITY_BOOST if good else 1.0), int(pk))
              for (score, _address), pk, at, good in zip(hits, ids, published, quality,
                                                         strict=True)]
    scored.sort(reverse=True)
    return scored


#: Columns a result shows (the rest of the posting is not read for a result page).
RESULT_FIELDS = (
    "title", "requirements", "work_content", "division_code", "pay_min", "pay_max", "pay_unit",
    "employment_type", "experience", "education", "industry", "job_function", "quality_label",
    "published_at", "valid_until", "mode", "status", "organisation__name",
    "organisation__status", "client_authorisation__client_name")


def _recheck(ids: list[int]) -> dict[int, Posting]:
    """The postings among ``ids`` a job seeker may see right now (the database decides)."""
    if not ids:
        return {}
    # By primary key, the status and validity checked on the rows read: with them in the
    # statement SQLite's planner walked the (status, valid_until) index over every live
    # posting instead of reading the page's 20 rows (30 ms of CPU at 100,000 postings).
    qs = _not_hidden(Posting.objects.filter(pk__in=ids)).only(*RESULT_FIELDS).order_by()
    today = timezone.localdate()
    return {p.pk: p for p in qs
            if p.status == PostingStatus.PUBLISHED and p.valid_until >= today}


def _not_hidden(qs: QuerySet[Posting]) -> QuerySet[Posting]:
    """Organisation neither suspended nor closed, not hidden by a sanction (RISK-2)."""
    from pinqiao.moderation.selectors import hidden_ids

    return (qs.exclude(organisation__status__in=postings.HIDDEN_ORG_STATUSES)
            .exclude(pk__in=hidden_ids("jobs.posting"))
            .select_related("organisation", "client_authorisation"))


def public_postings() -> QuerySet[Posting]:
    """Published, within validity, organisation neither suspended nor closed, not hidden by a
    sanction (RISK-2)."""
    return _not_hidden(Posting.objects.filter(status=PostingStatus.PUBLISHED,
                                              valid_until__gte=timezone.localdate()))


def _hit(posting: Posting, tokens: tuple[str, ...]) -> JobHit:
    body = "\n".join(t for t in (posting.requirements, posting.work_content) if t)
    return JobHit(posting=posting, title_html=highlight.mark(posting.title, tokens),
                  snippet_html=highlight.snippet(body, tokens),
                  location=divisions.full_name(posting.division_code) or "")


def _prepare(query: JobQuery) -> tuple[list[str], list[str]]:
    notices = list(query.notices)
    tokens = analysis.query_tokens(query.q)
    if len(tokens) > MAX_QUERY_TOKENS:
        tokens = tokens[:MAX_QUERY_TOKENS]
        notices.append(_("搜索词太多，只按前%(n)s个词搜索。") % {"n": MAX_QUERY_TOKENS})
    if query.q and not tokens:
        notices.append(_("没有可以搜索的词，下面是最新发布的职位。"))
    return tokens, notices


def job_search(query: JobQuery, *, clamp_page: bool = True) -> JobResults:
    """One page of job-search results for ``query`` (parsed and validated by ``params``).

    A page past the end shows the last page with a notice (``clamp_page``, for people) or
    nothing (for API clients that loop until a page comes back empty).
    """
    started = time.perf_counter()
    tokens, notices = _prepare(query)
    sort = query.effective_sort(bool(tokens))
    per_page = query.per_page
    wanted = min(query.page, math.ceil(MAX_RESULTS / per_page)) * per_page
    try:
        ids, total = _search_ids(tokens, query, sort, wanted)
    except IndexUnavailable as exc:
        return _degraded(query, tokens, notices, exc)
    searched = time.perf_counter()
    pages = max(1, math.ceil(min(total, MAX_RESULTS) / per_page))
    page = query.page
    if page > pages:
        if clamp_page:
            if total:
                notices.append(_("没有第%(page)s页，已显示最后一页。") % {"page": page})
            page = pages
        else:
            notices.append(_("没有第%(page)s页。") % {"page": page})
    page_ids = ids[(page - 1) * per_page:page * per_page]
    found = _recheck(page_ids)
    token_tuple = tuple(tokens)
    hits = [_hit(found[pk], token_tuple) for pk in page_ids if pk in found]
    if total > MAX_RESULTS and page == pages:
        notices.append(_("最多显示前%(n)s个结果，请增加筛选条件缩小范围。") % {"n": MAX_RESULTS})
    done = time.perf_counter()
    return JobResults(query=query, tokens=tokens, sort=sort, hits=hits, total=total,
                      page=page, pages=pages, notices=notices,
                      timings={"index_ms": (searched - started) * 1000,
                               "recheck_ms": (done - searched) * 1000})


def job_search_postings(*, q: str, offset: int, limit: int) -> list[Posting]:
    """Postings for ``q`` by relevance, ``limit`` from ``offset`` (the plain list API)."""
    query = JobQuery(q=q[:MAX_QUERY_CHARS])
    tokens, _notices = _prepare(query)
    try:
        ids, _total = _search_ids(tokens, query, query.effective_sort(bool(tokens)),
                                  min(offset + limit, MAX_RESULTS))
    except IndexUnavailable as exc:
        return [hit.posting for hit in _degraded(query, tokens, [], exc).hits][:limit]
    page_ids = ids[offset:offset + limit]
    found = _recheck(page_ids)
    return [found[pk] for pk in page_ids if pk in found]


def _expired_count(searcher: tantivy.Searcher, built: Query, today: int) -> int:
    """How many matches of ``built`` are past their validity date.

    Expired postings stay in the index until ``expire_postings`` (hourly) takes them out, so
    there are none or, after midnight, that day's. The date range is the narrowest clause of
    this intersection, so counting them costs well under a millisecond, where a "valid from
    today" filter on the search itself would test every match (for a word found in most
    postings it doubled the search time; so did excluding them with ``MustNot``)."""
    expired = Query.boolean_query([(Occur.Must, built), filter_clause(Query.range_query(
        _schema(), "valid_until", FieldType.Unsigned, 0, today - 1))])
    return searcher.search(expired, 1, count=True, order_by_field="sort_key").count or 0


def _top(searcher: tantivy.Searcher, built: Query, limit: int, *, today: int, expired: int,
         order_by: str | None = None) -> tuple[list[tuple[Any, Any]], int]:
    """The first ``limit`` hits ``(score or key, address)`` within their validity date, and
    the number of matches within it. With ``expired`` matches past the date, up to that many
    more are fetched and the expired ones dropped."""
    fetch = limit + min(expired, limit)
    while True:
        if order_by:
            result = searcher.search(built, fetch, count=True, order_by_field=order_by)
        else:
            result = searcher.search(built, fetch, count=True)
        hits = result.hits
        if expired:
            dates = searcher.fast_field_values("valid_until", [a for _s, a in hits])
            hits = [hit for hit, day in zip(hits, dates, strict=True) if (day or 0) >= today]
        if len(hits) >= limit or len(result.hits) < fetch or fetch >= limit + expired:
            return hits[:limit], (result.count or 0) - expired
        fetch = min(fetch * 2, limit + expired)


def _search_ids(tokens: list[str], query: JobQuery, sort: str, wanted: int
                ) -> tuple[list[int], int]:
    """Ids in result order (at least ``wanted`` of them when there are) and the number of
    matches within their validity date. Raises ``IndexUnavailable`` when the index cannot be
    read."""
    index = _index()
    searcher = index.searcher()
    now = int(timezone.now().timestamp())
    today = int(timezone.localdate().strftime("%Y%m%d"))
    built = match_query(tokens, query, now=now)
    try:
        expired = _expired_count(searcher, built, today)
        if sort == "relevance" and tokens:
            hits, total = _top(searcher, built, RELEVANCE_WINDOW, today=today, expired=expired)
            return [pk for _score, pk in _rerank(searcher, hits, now)], total
        key = "rank_key" if sort == "default" else "sort_key"
        hits, total = _top(searcher, built, max(wanted, 1), today=today, expired=expired,
                           order_by=key)
        ids = searcher.fast_field_values("id", [address for _key, address in hits])
        return [int(pk) for pk in ids], total
    except ValueError as exc:  # a segment vanished or is damaged under the reader
        index.forget()
        raise IndexUnavailable("corrupt", str(exc)) from exc


def _degraded(query: JobQuery, tokens: list[str], notices: list[str],
              exc: IndexUnavailable) -> JobResults:
    """The index cannot be read: newest postings from the database, filters applied, the
    keywords not; ask for a rebuild (at most once a minute per process)."""
    log.warning("search: index unavailable (%s), serving from the database", exc)
    if cache.add(f"search:rebuild-requested:{_index().root}", 1, timeout=60):
        from pinqiao.search.tasks import ensure_index

        try:
            ensure_index.enqueue()
        except Exception:
            log.exception("search: could not enqueue the rebuild")
    notices.append(_("搜索服务正在重建索引，暂时按发布时间显示职位，关键词暂未生效，请稍后再试。"))
    qs = _database_filters(public_postings(), query).order_by("-quality_label", "-published_at",
                                                              "-id")
    per_page = query.per_page
    total = qs.count()
    pages = max(1, math.ceil(min(total, MAX_RESULTS) / per_page))
    page = min(query.page, pages)
    rows = list(qs[(page - 1) * per_page:page * per_page])
    token_tuple = tuple(tokens)
    return JobResults(query=query, tokens=tokens, sort="default",
                      hits=[_hit(p, token_tuple) for p in rows], total=total, page=page,
                      pages=pages, notices=notices, degraded=True)


def _database_filters(qs: QuerySet[Posting], query: JobQuery) -> QuerySet[Posting]:
    """The structured filters on the database, for the degraded mode."""
    location = query.location
    if location is not None:
        prefix = {"province": 2, "city": 4, "district": 6}[location.level]
        qs = qs.filter(division_code__startswith=location.code[:prefix])
    if query.industry:
        children = [child.code for child in taxonomy.industry_children(query.industry)]
        qs = qs.filter(industry__in=[query.industry, *children])
    if query.function:
        slugs = [f.slug for f in taxonomy.job_functions(query.function)] or [query.function]
        qs = qs.filter(job_function__in=slugs)
    for name in ("experience", "education", "employment_type"):
        if getattr(query, name):
            qs = qs.filter(**{name: getattr(query, name)})
    if query.pay_unit:
        qs = qs.filter(pay_unit=query.pay_unit, pay_min__isnull=False)
    if query.pay_min is not None:
        qs = qs.filter(pay_max__gte=Decimal(query.pay_min))
    if query.pay_max is not None:
        qs = qs.filter(pay_min__lte=Decimal(query.pay_max))
    if query.posted_within:
        qs = qs.filter(published_at__gte=timezone.now() - timedelta(days=query.posted_within))
    return qs
