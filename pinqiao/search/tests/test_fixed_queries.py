"""The fixed benchmark queries on generated postings: expected top results (SRCH-1).

``seed_postings`` data, indexed by ``search_rebuild``; what each query must return is written
beside it in ``pinqiao/search/queries.py`` and explained in ``docs/decisions/0010-search.md``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from pinqiao.jobs.models import Posting
from pinqiao.reference import taxonomy
from pinqiao.search.params import parse_job_query
from pinqiao.search.postings import monthly
from pinqiao.search.queries import FIXED_QUERIES, FixedQuery
from pinqiao.search.seeding import Generator, seed_postings
from pinqiao.search.selectors import job_search, public_postings
from pinqiao.search.services import index_rebuild

pytestmark = pytest.mark.django_db

CORPUS = 3000


def _text(posting: Posting) -> str:
    return "\n".join((posting.title, posting.requirements, posting.work_content,
                      posting.working_hours, posting.social_insurance, posting.housing))


def _meets_filters(posting: Posting, filters: dict[str, Any]) -> bool:
    low = monthly(posting.pay_min, posting.pay_unit)
    high = monthly(posting.pay_max, posting.pay_unit)
    checks = {
        "pay_min": lambda v: high >= v, "pay_max": lambda v: low <= v,
        "education": lambda v: posting.education == v,
        "experience": lambda v: posting.experience == v,
        "employment_type": lambda v: posting.employment_type == v,
        "industry_parent": lambda v: getattr(taxonomy.industry(posting.industry),
                                             "parent_code", None) == v,
        "family": lambda v: getattr(taxonomy.job_function(posting.job_function),
                                    "family_slug", None) == v,
        "posted_within": lambda v: posting.published_at >= timezone.now() - timedelta(days=v),
    }
    return all(checks[name](value) for name, value in filters.items())


def _is_expected(posting: Posting, fixed: FixedQuery) -> bool:
    title = posting.title.lower()
    return ((not fixed.title_any or any(w.lower() in title for w in fixed.title_any))
            and posting.division_code.startswith(fixed.location)
            and _meets_filters(posting, fixed.filters))


def test_the_fixed_queries_return_their_expected_top_results() -> None:
    seed_postings(count=CORPUS, seed=7)
    index_rebuild()
    visible = list(public_postings())
    for fixed in FIXED_QUERIES:
        results = job_search(parse_job_query(fixed.params, strict=True))
        hits = [hit.posting for hit in results.hits]
        expected = [p for p in visible if _is_expected(p, fixed)]
        assert expected, f"the corpus has no posting for {fixed.params}"
        wanted = min(fixed.top, len(expected))
        assert all(_is_expected(p, fixed) for p in hits[:wanted]), (fixed.params, hits[:wanted])
        assert all(_meets_filters(p, fixed.filters) for p in hits), fixed.params
        for posting in hits:
            assert not fixed.text_any or any(w in _text(posting) for w in fixed.text_any)
        if fixed.params.get("sort") == "time":
            keys = [(p.published_at, p.pk) for p in hits]
            assert keys == sorted(keys, reverse=True), fixed.params
        elif not fixed.params.get("q"):  # the default list: 优质职位 first, then newest
            keys = [(p.quality_label, p.published_at, p.pk) for p in hits]
            assert keys == sorted(keys, reverse=True), fixed.params


def test_seed_postings_is_deterministic_and_realistic() -> None:
    now = timezone.now()
    first = list(Generator(3, now=now).postings(50, [{"city": "440100", "industry": "software"}]))
    again = list(Generator(3, now=now).postings(50, [{"city": "440100", "industry": "software"}]))
    other = list(Generator(4, now=now).postings(50, [{"city": "440100", "industry": "software"}]))
    assert first == again and first != other
    orgs, count = seed_postings(count=120, seed=3)
    assert (orgs, count) == (6, 120) and Posting.objects.count() == 120
    assert seed_postings(count=40, seed=3)[0] == 0  # the organisations are reused
    posting = Posting.objects.select_related("organisation").first()
    assert posting.organisation.status == "verified" and posting.pay_min <= posting.pay_max
    assert {p.status for p in Posting.objects.all()} >= {"published"}
