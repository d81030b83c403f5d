"""Search API (SRCH-1): ``GET /api/v1/jobs/search``.

Unknown filter values are refused with ``{"error": {"code": "invalid_filter", "message",
"fields"}}`` (400); more than ``SEARCH_API_RATE`` calls a minute from one client (signed-in
user, else IP address) with ``rate_limited`` (429, ``Retry-After``); a page past the end
returns no results (with a notice), so clients that page until a page comes back empty stop.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema

from pinqiao.api.auth import OPTIONAL_AUTH_OPENAPI, optional_user_auth
from pinqiao.core.pagecache import mark_public
from pinqiao.core.ratelimit import client_key, rate_limit
from pinqiao.recommendations.services import search_exposures_log
from pinqiao.search.params import parse_job_query
from pinqiao.search.selectors import JobHit, job_search

router = Router(tags=["搜索"])


class JobHitOut(Schema):
    id: int
    title: str
    title_html: str
    snippet_html: str
    employer_name: str
    division_code: str
    location: str
    pay_min: Decimal | None
    pay_max: Decimal | None
    pay_unit: str
    employment_type: str
    experience: str
    education: str
    industry: str
    job_function: str
    quality_label: bool
    published_at: datetime | None
    valid_until: date
    url: str


class JobSearchOut(Schema):
    q: str
    tokens: list[str]
    sort: str
    total: int
    page: int
    pages: int
    per_page: int
    degraded: bool
    notices: list[str]
    results: list[JobHitOut]


def _hit(hit: JobHit) -> dict[str, object]:
    posting = hit.posting
    return {
        "id": posting.pk, "title": posting.title, "title_html": str(hit.title_html),
        "snippet_html": str(hit.snippet_html), "employer_name": posting.employer_name,
        "division_code": posting.division_code, "location": hit.location,
        "pay_min": posting.pay_min, "pay_max": posting.pay_max, "pay_unit": posting.pay_unit,
        "employment_type": posting.employment_type, "experience": posting.experience,
        "education": posting.education, "industry": posting.industry,
        "job_function": posting.job_function, "quality_label": posting.quality_label,
        "published_at": posting.published_at, "valid_until": posting.valid_until,
        "url": reverse("jobs:detail", args=[posting.pk])}


@router.get("/jobs/search", response=JobSearchOut, auth=optional_user_auth,
            openapi_extra=OPTIONAL_AUTH_OPENAPI, summary="职位搜索（关键词 + 筛选）")
def job_search_api(request: HttpRequest, q: str = "", province: str = "", city: str = "",
                   district: str = "", industry: str = "", function: str = "",
                   pay_min: str = "", pay_max: str = "", pay_unit: str = "",
                   experience: str = "",
                   education: str = "", employment_type: str = "", posted_within: str = "",
                   sort: str = "", page: str = "", per_page: str = "") -> object:
    """Keywords (title, skills, company, place, description) plus filters. ``province``,
    ``city``, ``district``: six-digit division codes; ``industry``: a 门类 letter or an industry
    slug; ``function``: a job family or function slug; ``pay_unit``: ``month`` (default),
    ``day`` or ``hour``; ``pay_min``/``pay_max``: 元 per that unit, matching only postings paid
    by that unit (月薪, 日薪 and 时薪 never mix); ``posted_within``: 1, 3, 7, 15
    or 30 days; ``sort``: ``relevance`` (default with keywords) or ``time``. Open to everyone;
    results shown to a signed-in seeker are logged for the bias monitor (ALG-1)."""
    limit, window = settings.SEARCH_API_RATE
    rate_limit(scope="job-search", client=client_key(request, request.auth), limit=limit,
               window=window)
    params = {"q": q, "province": province, "city": city, "district": district,
              "industry": industry, "function": function, "pay_min": pay_min,
              "pay_max": pay_max, "pay_unit": pay_unit, "experience": experience,
              "education": education,
              "employment_type": employment_type, "posted_within": posted_within,
              "sort": sort, "page": page, "per_page": per_page}
    query = parse_job_query(params, strict=True)
    results = job_search(query, clamp_page=False)
    search_exposures_log(viewer=request.auth, postings=[hit.posting for hit in results.hits],
                         start_rank=(query.page - 1) * query.per_page + 1)
    if not request.auth.is_authenticated:
        mark_public(request)
    return {"q": query.q, "tokens": results.tokens, "sort": results.sort,
            "total": results.total, "page": query.page, "pages": results.pages,
            "per_page": query.per_page, "degraded": results.degraded,
            "notices": results.notices, "results": [_hit(hit) for hit in results.hits]}
