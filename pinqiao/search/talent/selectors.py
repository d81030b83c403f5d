"""Talent search (SRCH-2): who may search, the search over the résumé index, the database
re-check, and the masked result cards.

Who: an active account with 「查看简历」 in a verified organisation — the same rule as
``privacy.selectors.resume_for_recruiter``, checked on every request. The search runs for one
of those organisations (the first by default); résumés that organisation is blocked from are
excluded in the index (``MustNot blocked``) and again by the database re-check.

What a recruiter sees is a masked card (PRIV-2): 张** instead of the name, no phone, e-mail,
IM, ID number, photo, birth date or gender, identifiers scrubbed from the snippet. The full
résumé is only behind the recruiter résumé page, which applies the access rule again, counts
the daily limits and writes the access trail (RES-5 … RES-7).

Ranking: BM25 over title ×3 (desired function, job titles), skills ×2 (skills, certificates,
dictionary words), background ×1.5 (companies, schools, majors, desired industry), place ×1.5
(desired city) and body (self-introduction, work descriptions, honours), every query word
required in some field; the top ``RELEVANCE_WINDOW`` re-scored with a freshness boost (up to
+50 % for a résumé updated today, halving every 30 days), ties by newest id. Time order:
last update, then id.
"""

from __future__ import annotations

import functools
import logging
import math
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import tantivy
from django.core.cache import cache
from django.db.models import Min, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from tantivy import FieldType, Occur, Query

from pinqiao.applications.cards import age_band
from pinqiao.core.audit import log_action
from pinqiao.core.errors import NotPermitted
from pinqiao.core.masking import mask_name
from pinqiao.moderation.selectors import feature_blocked_reason
from pinqiao.orgs.models import Membership, Organisation, OrgStatus
from pinqiao.reference import divisions, taxonomy
from pinqiao.resumes.models import Education, Resume, WorkExperience
from pinqiao.resumes.rendering import pay_label, split_items
from pinqiao.search import analysis, highlight
from pinqiao.search.engine import IndexUnavailable, Paged, SearchIndex, filter_clause
from pinqiao.search.params import MAX_QUERY_TOKENS
from pinqiao.search.talent import index as talent_index
from pinqiao.search.talent.params import TalentQuery

log = logging.getLogger(__name__)

RELEVANCE_WINDOW = 500
MAX_RESULTS = 500
FRESHNESS_BOOST = 0.5
FRESHNESS_HALF_LIFE_DAYS = 30.0
CARD_SKILLS = 8


# --- who may search ----------------------------------------------------------------------------

@dataclass(frozen=True)
class TalentSearcher:
    """``viewer`` searches for ``organisation``, one of ``organisations`` they may search for."""

    viewer: Any
    organisation: Organisation
    organisations: list[Organisation]


def _refuse(viewer: Any, reason: str, message: str) -> NotPermitted:
    if getattr(viewer, "is_authenticated", False):
        log_action(viewer, "search.talent_denied", None, {"reason": reason})
    return NotPermitted(message, code="talent_search_forbidden")


def talent_searcher(*, viewer: Any, organisation: int | None = None) -> TalentSearcher:
    """The organisation ``viewer`` searches for, or ``NotPermitted`` (403, audited): only an
    active member with 「查看简历」 of a verified organisation may search."""
    if not getattr(viewer, "is_authenticated", False) or not viewer.is_active:
        raise _refuse(viewer, "anonymous", _("请先以招聘者身份登录。"))
    organisations = [m.organisation for m in Membership.objects.filter(
        user=viewer, can_view_resumes=True, organisation__status=OrgStatus.VERIFIED)
        .select_related("organisation").order_by("created_at", "pk")]
    if not organisations:
        raise _refuse(viewer, "no_membership", _(
            "人才搜索仅对已认证单位中拥有「查看简历」权限的招聘者开放。请先完成单位认证，"
            "或请单位管理员为您开通「查看简历」权限。"))
    chosen = organisations[0] if organisation is None else next(
        (o for o in organisations if o.pk == organisation), None)
    if chosen is None:
        raise _refuse(viewer, "other_organisation",
                      _("您不能以该单位的名义搜索人才，请选择您有「查看简历」权限的已认证单位。"))
    limited = feature_blocked_reason(chosen, "talent_search")
    if limited:
        raise _refuse(viewer, "feature_limited", limited)
    return TalentSearcher(viewer, chosen, organisations)


# --- the database decides ----------------------------------------------------------------------

def searchable_resumes(organisation: Organisation) -> QuerySet[Resume]:
    """Résumés ``organisation`` may find now: public to verified recruiters, approved, owner
    active, organisation not blocked. The 「public」 branch of
    ``privacy.selectors.organisation_may_see`` (plus ``resume_for_recruiter``'s active
    owner) as one query for a page of results."""
    return talent_index.visible().exclude(blocked__organisation=organisation)


# --- cards ---------------------------------------------------------------------------------------

@dataclass
class TalentCard:
    """One masked result: nothing on it identifies or contacts the seeker."""

    public_id: str
    masked_name: str
    function: str
    city: str
    experience: str
    experience_years: int | None
    education: str
    pay: str
    skills: list[str]
    latest_title: str
    updated_at: datetime
    snippet_html: SafeString
    url: str
    #: The applicant list's card fields too (issue 15): a five-year age band, the last
    #: employer and the seeker's last sign-in date; never the exact age or a contact detail.
    age_band: str = ""
    last_employer: str = ""
    last_active: date | None = None

    @property
    def years(self) -> int | None:
        return self.experience_years

    @property
    def last_title(self) -> str:
        return self.latest_title


def _experience_label(years: int | None) -> str:
    if years is None:
        return _("无工作经验")
    if years == 0:
        return _("工作不满1年")
    return _("%(n)s年工作经验") % {"n": years}


#: Résumé columns a card reads (never the contact ciphertexts, photo or gender; the birth
#: date only for the age band), and the owner's last sign-in for 「最近活跃」.
CARD_FIELDS = ("id", "public_id", "full_name", "desired_function", "desired_city",
               "desired_pay_min", "desired_pay_max", "skills", "self_introduction",
               "updated_at", "birth_date", "hide_employer", "owner__last_login")
_PLACEHOLDER = uuid.UUID(int=0)


@dataclass(frozen=True)
class _Page:
    """What the cards of one page need from the database, read in three queries."""

    resumes: dict[int, Resume]
    work: dict[int, list[dict[str, Any]]]
    education: dict[int, list[dict[str, Any]]]


def _page(qs: QuerySet[Resume]) -> _Page:
    resumes = {r.pk: r for r in qs.select_related("owner").only(*CARD_FIELDS)}
    work: dict[int, list[dict[str, Any]]] = defaultdict(list)
    education: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in WorkExperience.objects.filter(resume_id__in=resumes).values(
            "resume_id", "title", "company", "start_date", "end_date", "description",
            "achievements"):
        work[row["resume_id"]].append(row)
    for row in Education.objects.filter(resume_id__in=resumes).values("resume_id", "degree"):
        education[row["resume_id"]].append(row)
    return _Page(resumes, work, education)


def _card(resume: Resume, work: list[dict[str, Any]], education: list[dict[str, Any]],
          tokens: tuple[str, ...], url: str, today: date) -> TalentCard:
    years = talent_index.experience_years(talent_index.career_start(work), today)
    rank = talent_index.highest_education(education)
    function = taxonomy.job_function(resume.desired_function) \
        if resume.desired_function else None
    city = divisions.get(resume.desired_city) if resume.desired_city else None
    latest = max(work, key=lambda w: (w["end_date"] is None, w["end_date"] or w["start_date"],
                                      w["start_date"]), default=None)
    name = resume.full_name
    text = talent_index.scrub("\n".join(
        [resume.self_introduction, *(f"{w['description']} {w['achievements']}" for w in work)]),
        name=name, replacement="***")
    public_id = str(resume.public_id)
    return TalentCard(
        public_id=public_id, masked_name=mask_name(name) or _("求职者"),
        function=function.name if function else "", city=city.name if city else "",
        experience=_experience_label(years), experience_years=years,
        education=taxonomy.EDUCATION_LEVELS[rank].label if rank else "",
        pay=pay_label(resume), skills=split_items(resume.skills)[:CARD_SKILLS],
        latest_title=talent_index.scrub(latest["title"], name=name, replacement="***")
        if latest else "",
        updated_at=resume.updated_at, snippet_html=highlight.snippet(text, tokens),
        url=url.replace(str(_PLACEHOLDER), public_id),
        age_band=age_band(resume.birth_date, today),
        last_employer=talent_index.scrub(latest["company"], name=name, replacement="***")
        if latest and not resume.hide_employer else "",
        last_active=timezone.localtime(login).date() if (login := resume.owner.last_login)
        else None)


def _cards(ids: list[int], page: _Page, tokens: list[str], organisation: Organisation
           ) -> list[TalentCard]:
    """Masked cards for ``ids`` in order, those missing from ``page`` left out."""
    url = (f"{reverse('privacy:recruiter_resume', args=[_PLACEHOLDER])}"
           f"?organisation={organisation.pk}")
    token_tuple = tuple(tokens)
    today = timezone.localdate()
    return [_card(page.resumes[pk], page.work.get(pk, []), page.education.get(pk, []),
                  token_tuple, url, today) for pk in ids if pk in page.resumes]


def _recheck(ids: list[int], organisation: Organisation) -> _Page:
    """The résumés among ``ids`` that ``organisation`` may find right now, with what their
    cards show."""
    if not ids:
        return _Page({}, {}, {})
    return _page(searchable_resumes(organisation).filter(pk__in=ids).order_by())


# --- the search ----------------------------------------------------------------------------------

@dataclass
class TalentResults(Paged):
    """One page of masked results. ``total`` counts matches in the index."""

    query: TalentQuery
    organisation: Organisation
    tokens: list[str]
    sort: str
    cards: list[TalentCard]
    total: int
    page: int
    pages: int
    organisations: list[Organisation] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    degraded: bool = False
    timings: dict[str, float] = field(default_factory=dict)


def _index() -> SearchIndex:
    return SearchIndex(talent_index.SPEC)


@functools.cache
def _schema() -> tantivy.Schema:
    return talent_index.SPEC.schema()


def _experience_range(band: str, today: date) -> tuple[int | None, int | None]:
    """``career_start`` bounds (inclusive) for an experience band; (0, 0) for 应届."""
    if band == "graduate":
        return 0, 0
    low, high = talent_index.EXPERIENCE_MONTHS[band]
    now = talent_index.month_number(today)
    lower = now - high + 1 if high is not None else 1
    upper = now - low if low else None
    return lower, upper


def build_query(tokens: list[str], query: TalentQuery, *, organisation_id: int, now: int,
                today: date) -> Query:
    """Every token must match some text field; filters score nothing; the searching
    organisation must not be on the résumé's blocked list."""
    schema = _schema()
    clauses: list[tuple[Occur, Query]] = []
    places = analysis.place_tokens()
    for token in tokens:
        weights = talent_index.PLACE_FIELDS if token in places else talent_index.TEXT_FIELDS
        fields = []
        for name, boost in weights.items():
            term = Query.term_query(schema, name, token)
            fields.append((Occur.Should, Query.boost_query(term, boost) if boost != 1 else term))
        clauses.append((Occur.Must, Query.boolean_query(fields)))
    if not clauses:
        clauses.append((Occur.Must, Query.all_query()))
    clauses.append((Occur.MustNot, Query.term_query(schema, "blocked", organisation_id)))
    location = query.location
    if location is not None:
        clauses.append(filter_clause(Query.term_query(schema, location.level, int(location.code))))
    if query.function:
        clauses.append(filter_clause(Query.term_query(schema, "function", query.function)))
    if query.experience:
        lower, upper = _experience_range(query.experience, today)
        clauses.append(filter_clause(Query.range_query(schema, "career_start", FieldType.Integer,
                                                 lower, upper)))
    if query.education:
        clauses.append(filter_clause(Query.range_query(
            schema, "education", FieldType.Unsigned,
            talent_index.EDUCATION_RANK[query.education], None)))
    if query.pay_min is not None:  # the résumé's range reaches the offered minimum
        clauses.append(filter_clause(Query.range_query(schema, "pay_max", FieldType.Unsigned,
                                                 max(query.pay_min, 1), None)))
    if query.pay_max is not None:  # and starts below the offered maximum
        clauses.append(filter_clause(Query.range_query(schema, "pay_min", FieldType.Unsigned, 1,
                                                 query.pay_max)))
    if query.updated_within:
        clauses.append(filter_clause(Query.range_query(schema, "updated", FieldType.Integer,
                                                 now - query.updated_within * 86400, None)))
    return Query.boolean_query(clauses)


def _rerank(searcher: tantivy.Searcher, hits: list[tuple[float, Any]], now: int
            ) -> list[int]:
    """Ids best first: BM25 × freshness of the last update, ties by newest id."""
    addresses = [address for _, address in hits]
    ids = searcher.fast_field_values("id", addresses)
    updated = searcher.fast_field_values("updated", addresses)
    decay = math.log(2) / (FRESHNESS_HALF_LIFE_DAYS * 86400)
    scored = [(score * (1 + FRESHNESS_BOOST * math.exp(-decay * max(0, now - int(at or 0)))),
               int(pk)) for (score, _a), pk, at in zip(hits, ids, updated, strict=True)]
    scored.sort(key=lambda item: (-item[0], -item[1]))
    return [pk for _score, pk in scored]


def _search_ids(tokens: list[str], query: TalentQuery, sort: str, wanted: int,
                organisation_id: int) -> tuple[list[int], int]:
    """Ids in result order and the number of matches; ``IndexUnavailable`` when the index
    cannot be read."""
    index = _index()
    searcher = index.searcher()
    now = int(timezone.now().timestamp())
    built = build_query(tokens, query, organisation_id=organisation_id, now=now,
                        today=timezone.localdate())
    try:
        if sort == "relevance" and tokens:
            result = searcher.search(built, RELEVANCE_WINDOW, count=True)
            return _rerank(searcher, result.hits, now), result.count or 0
        if sort == "experience":  # earliest career start first, no experience last
            result = searcher.search(built, MAX_RESULTS, count=True, order_by_field="sort_key")
            addresses = [address for _key, address in result.hits]
            rows = zip(searcher.fast_field_values("career_start", addresses),
                       searcher.fast_field_values("id", addresses), strict=True)
            ordered = sorted(rows, key=lambda row: (not row[0], row[0] or 0, -int(row[1])))
            return [int(pk) for _start, pk in ordered], result.count or 0
        result = searcher.search(built, max(wanted, 1), count=True, order_by_field="sort_key")
        addresses = [address for _key, address in result.hits]
        return [int(pk) for pk in searcher.fast_field_values("id", addresses)], \
            result.count or 0
    except ValueError as exc:  # a segment vanished or is damaged under the reader
        index.forget()
        raise IndexUnavailable("corrupt", str(exc)) from exc


def _prepare(query: TalentQuery) -> tuple[list[str], list[str]]:
    notices = list(query.notices)
    tokens = analysis.query_tokens(query.q)
    if len(tokens) > MAX_QUERY_TOKENS:
        tokens = tokens[:MAX_QUERY_TOKENS]
        notices.append(_("搜索词太多，只按前%(n)s个词搜索。") % {"n": MAX_QUERY_TOKENS})
    if query.q and not tokens:
        notices.append(_("没有可以搜索的词，下面是最近更新的简历。"))
    return tokens, notices


def talent_search(query: TalentQuery, *, searcher: TalentSearcher,
                  clamp_page: bool = True) -> TalentResults:
    """One page of masked talent-search results for ``searcher`` (from ``talent_searcher``).

    A page past the end shows the last page with a notice (``clamp_page``, for people) or
    nothing (for API clients that loop until a page comes back empty)."""
    started = time.perf_counter()
    organisation = searcher.organisation
    tokens, notices = _prepare(query)
    sort = query.effective_sort(bool(tokens))
    per_page = query.per_page
    wanted = min(query.page, math.ceil(MAX_RESULTS / per_page)) * per_page
    try:
        ids, total = _search_ids(tokens, query, sort, wanted, organisation.pk)
    except IndexUnavailable as exc:
        return _degraded(query, searcher, tokens, notices, exc)
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
    cards = _cards(page_ids, _recheck(page_ids, organisation), tokens, organisation)
    if total > MAX_RESULTS and page == pages:
        notices.append(_("最多显示前%(n)s个结果，请增加筛选条件缩小范围。") % {"n": MAX_RESULTS})
    done = time.perf_counter()
    return TalentResults(query=query, organisation=organisation, tokens=tokens, sort=sort,
                         cards=cards, total=total, page=page, pages=pages,
                         organisations=searcher.organisations, notices=notices,
                         timings={"index_ms": (searched - started) * 1000,
                                  "recheck_ms": (done - searched) * 1000})


# --- without the index ---------------------------------------------------------------------------

def _degraded(query: TalentQuery, searcher: TalentSearcher, tokens: list[str],
              notices: list[str], exc: IndexUnavailable) -> TalentResults:
    """The index cannot be read: the most recently updated résumés from the database, filters
    applied, keywords not; ask for a rebuild (at most once a minute per process)."""
    log.warning("talent search: index unavailable (%s), serving from the database", exc)
    if cache.add(f"search:rebuild-requested:{_index().root}", 1, timeout=60):
        from pinqiao.search.tasks import ensure_index

        try:
            ensure_index.enqueue(index=talent_index.SPEC.name)
        except Exception:
            log.exception("talent search: could not enqueue the rebuild")
    notices.append(_("搜索服务正在重建索引，暂时按更新时间显示简历，关键词暂未生效，请稍后再试。"))
    organisation = searcher.organisation
    qs = _database_filters(searchable_resumes(organisation), query).order_by("-updated_at",
                                                                             "-id")
    per_page = query.per_page
    total = qs.count()
    pages = max(1, math.ceil(min(total, MAX_RESULTS) / per_page))
    page = min(query.page, pages)
    ids = list(qs.values_list("pk", flat=True)[(page - 1) * per_page:page * per_page])
    page_data = _page(Resume.objects.filter(pk__in=ids).order_by())
    return TalentResults(query=query, organisation=organisation, tokens=tokens, sort="time",
                         cards=_cards(ids, page_data, tokens, organisation),
                         total=total, page=page, pages=pages,
                         organisations=searcher.organisations, notices=notices, degraded=True)


def _month_start(month_number: int) -> date:
    return date(month_number // 12, month_number % 12 + 1, 1)


def _database_filters(qs: QuerySet[Resume], query: TalentQuery) -> QuerySet[Resume]:
    """The structured filters on the database, for the degraded mode (same meaning as the
    index filters)."""
    location = query.location
    if location is not None:
        qs = qs.filter(desired_city__startswith=location.code[:2 if location.level ==
                                                               "province" else 4])
    if query.function:
        slugs = [f.slug for f in taxonomy.job_functions(query.function)] or [query.function]
        qs = qs.filter(desired_function__in=slugs)
    if query.experience:
        qs = qs.annotate(first_start=Min("work__start_date"))
        lower, upper = _experience_range(query.experience, timezone.localdate())
        if query.experience == "graduate":
            qs = qs.filter(first_start__isnull=True)
        else:
            qs = qs.filter(first_start__isnull=False)
            if lower is not None and lower > 1:
                qs = qs.filter(first_start__gte=_month_start(lower))
            if upper is not None:
                qs = qs.filter(first_start__lt=_month_start(upper + 1))
    if query.education:
        wanted = talent_index.EDUCATION_RANK[query.education]
        qs = qs.filter(pk__in=Resume.objects.filter(education__degree__in=[
            level for level, rank in talent_index.EDUCATION_RANK.items() if rank >= wanted
        ]).values("pk"))
    if query.pay_min is not None:
        qs = qs.filter(Q(desired_pay_max__gte=query.pay_min)
                       | Q(desired_pay_max__isnull=True, desired_pay_min__isnull=False))
    if query.pay_max is not None:
        qs = qs.filter(Q(desired_pay_min__lte=query.pay_max)
                       | Q(desired_pay_min__isnull=True, desired_pay_max__isnull=False))
    if query.updated_within:
        qs = qs.filter(updated_at__gte=timezone.now() - timedelta(days=query.updated_within))
    return qs
