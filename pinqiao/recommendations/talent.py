"""Candidate recommendation for a posting (REC-4, DB4401 5.2.2): résumés the organisation may
see, scored against the posting with the job recommender's structured and text match, each
with its reasons, masked.

Only approved résumés their owners made public to verified recruiters are candidates (a
seeker who chose 「仅对我投递过的单位可见」 or 「隐藏」 is never recommended), never to an
organisation they blocked, and never seekers who already applied (the recruiter has them in
the pipeline). Each shown résumé is re-checked with ``privacy.selectors.organisation_may_see``.
Only résumé facts are used, not the seeker's activity or feedback.

The pool comes from the résumé index (``pinqiao.search.talent``, which holds exactly the
approved public résumés of active seekers, with the organisations each blocked): résumés
wanting the posting's city (the same province counts less) or function (the same family
counts less), or whose title, skills or text have the posting's title words and skill words,
scored with the job recommender's weights (``index_query``); an overlapping pay expectation
adds to the score; the organisation's blocked résumés and the posting's applicants are
excluded in the index. The best hits are re-ranked by how recently the résumé was updated and
re-checked against the database. When the index cannot be read, the pool is the newest
résumés wanting the posting's city, function or industry, from the database.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import tantivy
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from tantivy import Query

from pinqiao.core.masking import mask_name
from pinqiao.privacy.selectors import organisation_may_see
from pinqiao.recommendations import index_query
from pinqiao.recommendations.profile import (
    TagKind,
    city_code,
    experience_band,
    highest_education,
    resume_profile,
    tag_label,
)
from pinqiao.recommendations.scoring import FRESHNESS_HALF_LIFE_DAYS, Scorer, freshness
from pinqiao.resumes.models import Resume
from pinqiao.resumes.rendering import pay_label, split_items
from pinqiao.search import analysis
from pinqiao.search.engine import IndexUnavailable, SearchIndex
from pinqiao.search.postings import monthly
from pinqiao.search.talent import index as talent_index

log = logging.getLogger(__name__)

#: Résumés scored per request.
POOL_LIMIT = 300
#: Index hits re-ranked by the résumé's recency before the pool is taken.
INDEX_WINDOW = 1000
#: Recency in the re-rank: up to this share on top of the index score, halving weekly.
RECENCY_BOOST = 0.5
ACTIVITY_WEIGHT = 0.1
SHOWN_SKILLS = 6


@dataclass
class Candidate:
    """What a recruiter sees of a recommended seeker: no name, no contact, no gender, no photo."""

    resume: Any
    score: float
    reasons: list[str] = field(default_factory=list)

    @property
    def public_id(self) -> str:
        return str(self.resume.public_id)

    @property
    def name_masked(self) -> str:
        return mask_name(self.resume.full_name) or _("求职者")

    @property
    def summary(self) -> dict[str, str]:
        resume = self.resume
        return {
            "desired_function": tag_label(TagKind.FUNCTION, resume.desired_function)
            if resume.desired_function else "",
            "desired_city": tag_label(TagKind.CITY, city_code(resume.desired_city))
            if resume.desired_city else "",
            "desired_pay": pay_label(resume),
            "education": tag_label(TagKind.EDUCATION,
                                   highest_education(list(resume.education.all()))),
            "experience": tag_label(TagKind.EXPERIENCE, experience_band(
                list(resume.work.all()), timezone.localdate())),
        }

    @property
    def skills(self) -> list[str]:
        return split_items(self.resume.skills)[:SHOWN_SKILLS]

    @property
    def reason_text(self) -> str:
        return " · ".join(self.reasons[:4])


def _pool_base(posting: Any) -> QuerySet[Resume]:
    """Approved public résumés of active seekers, not blocking the posting's organisation, not
    yet applied to it."""
    return (talent_index.visible().exclude(blocked__organisation=posting.organisation_id)
            .exclude(owner__applications__posting=posting))


def candidate_pool(*, posting: Any, limit: int = POOL_LIMIT, now: Any = None) -> list[Resume]:
    """The résumés to score for ``posting``, best index match first (newest updates first
    from the database when the index cannot be read), at most ``limit``."""
    applicants = set(Resume.objects.filter(owner__applications__posting=posting)
                     .values_list("pk", flat=True))
    try:
        ids = index_pool_ids(posting, excluded=applicants, limit=limit,
                             now=now or timezone.now())
    except IndexUnavailable as exc:
        log.warning("recommendations: résumé index unavailable (%s), pool from the database",
                    exc)
        return database_pool(posting=posting, limit=limit)
    found = {r.pk: r for r in _pool_base(posting).filter(pk__in=ids)
             .prefetch_related("education", "work").order_by()}
    return [found[pk] for pk in ids if pk in found]


@functools.cache
def _schema() -> tantivy.Schema:
    return talent_index.SPEC.schema()


def posting_words(posting: Any) -> dict[str, float]:
    """The posting's title words, then the skill words of its text: dictionary words (Java开发,
    叉车司机, Excel …) and Latin-script words (tool and skill names such as Kafka)."""
    users = analysis.user_words()
    skills = [token for token in analysis.index_tokens(
        f"{posting.requirements}\n{posting.work_content}")
        if token in users or (token.isascii() and token.isalpha())]
    return index_query.words_of([(posting.title, 1.0), (" ".join(skills), 1.0)])


def build_pool_query(posting: Any, *, excluded: set[int]) -> Query:
    schema = _schema()
    city = city_code(posting.division_code)
    matches = [q for q in (index_query.places(schema, {city: 1.0} if city else {}),
                           index_query.functions(schema, {posting.job_function: 1.0}
                                                 if posting.job_function else {}))
               if q is not None]
    matches += index_query.word_clauses(schema, posting_words(posting))
    pay = index_query.pay_overlap(schema, monthly(posting.pay_min, posting.pay_unit),
                                  monthly(posting.pay_max, posting.pay_unit))
    return index_query.candidate_query(
        matches, schema=schema, excluded_ids=excluded, boosts=[pay] if pay else [],
        exclusions=[Query.term_query(schema, "blocked", posting.organisation_id)])


def index_pool_ids(posting: Any, *, excluded: set[int], limit: int, now: datetime
                   ) -> list[int]:
    """Résumé ids from the index, best first. Raises ``IndexUnavailable`` when the index
    cannot be read."""
    return index_query.top_ids(SearchIndex(talent_index.SPEC),
                               build_pool_query(posting, excluded=excluded),
                               window=INDEX_WINDOW, limit=limit, time_field="updated",
                               now=now.timestamp(), half_life_days=FRESHNESS_HALF_LIFE_DAYS,
                               boost=RECENCY_BOOST)


def database_pool(*, posting: Any, limit: int = POOL_LIMIT) -> list[Resume]:
    """Without the index: résumés wanting the posting's city, function or industry, newest
    updates first."""
    where = Q()
    if city := city_code(posting.division_code):
        where |= Q(desired_city=city)
    if posting.job_function:
        where |= Q(desired_function=posting.job_function)
    if posting.industry:
        where |= Q(desired_industry=posting.industry)
    return list(_pool_base(posting).filter(where).prefetch_related("education", "work")
                .order_by("-updated_at", "-pk")[:limit])


def score_candidate(resume: Resume, posting: Any, *, now: datetime) -> Candidate:
    score, reasons = Scorer(resume_profile(resume), now=now).match(posting)
    active = freshness(resume.updated_at, now)
    score += ACTIVITY_WEIGHT * active
    if active >= 0.5:
        reasons.append(_("近期更新过简历"))
    return Candidate(resume, round(score, 4), reasons or [_("期望与职位相关")])


def rank_candidates(*, posting: Any, organisation: Any, now: datetime, offset: int,
                    limit: int) -> tuple[list[Candidate], bool]:
    """One page of candidates, best first, each re-checked against the access rule; and
    whether there are more."""
    ranked = sorted((score_candidate(r, posting, now=now)
                     for r in candidate_pool(posting=posting, now=now)),
                    key=lambda c: (-c.score, -c.resume.updated_at.timestamp(), -c.resume.pk))
    shown = [c for c in ranked[offset:offset + limit]
             if organisation_may_see(resume=c.resume, organisation=organisation) is not None]
    return shown, len(ranked) > offset + limit


def newest_candidates(*, posting: Any, organisation: Any, now: datetime, offset: int,
                      limit: int) -> tuple[list[Candidate], bool]:
    """REC-5, the non-personalised list for a recruiter who turned personalisation off: the
    same pool, newest résumé updates first, no scores; each re-checked against the access
    rule."""
    pool = sorted(candidate_pool(posting=posting, now=now),
                  key=lambda r: (-r.updated_at.timestamp(), -r.pk))
    shown = [Candidate(resume, 0.0, [str(_("按简历更新时间排序（个性化推荐已关闭）"))])
             for resume in pool[offset:offset + limit]
             if organisation_may_see(resume=resume, organisation=organisation) is not None]
    return shown, len(pool) > offset + limit
