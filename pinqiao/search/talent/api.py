"""Talent-search API (SRCH-2): ``GET /api/v1/talent/search``.

Only for active members with 「查看简历」 of a verified organisation (403
``talent_search_forbidden`` otherwise, 401 without a session or token). Unknown parameter
names and values are refused with ``{"error": {"code": "invalid_filter", "message",
"fields"}}`` (400); over a limit 429 ``talent_search_quota_exceeded``; a page past the end
returns no results. Results are masked cards; ``url`` and ``api_url`` open the full résumé
through the audited, counted recruiter endpoints.
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema

from pinqiao.accounts.services import client_ip
from pinqiao.api.auth import user_auth
from pinqiao.search.models import TalentSearchChannel
from pinqiao.search.talent.selectors import TalentCard
from pinqiao.search.talent.services import talent_search_run

router = Router(tags=["搜索"])


class TalentOrganisationRef(Schema):
    id: int
    name: str


class TalentCardOut(Schema):
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
    snippet_html: str
    url: str
    api_url: str


class TalentSearchOut(Schema):
    q: str
    tokens: list[str]
    sort: str
    organisation: TalentOrganisationRef
    total: int
    page: int
    pages: int
    per_page: int
    degraded: bool
    notices: list[str]
    results: list[TalentCardOut]


def _card(card: TalentCard, organisation_id: int) -> dict[str, object]:
    return {**{name: getattr(card, name) for name in TalentCardOut.model_fields
               if name not in ("snippet_html", "api_url")},
            "snippet_html": str(card.snippet_html),
            "api_url": f"{reverse('api:recruiter_resume', args=[card.public_id])}"
                       f"?organisation={organisation_id}"}


@router.get("/talent/search", response=TalentSearchOut, auth=user_auth,
            summary="人才搜索（结果已脱敏，仅限已认证单位有查看简历权限的招聘者）")
def talent_search_api(request: HttpRequest, q: str = "", province: str = "", city: str = "",
                      function: str = "", experience: str = "", education: str = "",
                      pay: str = "", pay_min: str = "", pay_max: str = "",
                      updated_within: str = "", sort: str = "", page: str = "",
                      per_page: str = "", organisation: str = "") -> object:
    """Keywords (desired function, job titles, skills, certificates, companies, schools,
    self-introduction) plus filters. ``province``, ``city``: six-digit division codes (the
    desired city); ``function``: a job family or function slug; ``experience``: a band
    (``graduate``, ``lt_1``, ``1_3``, ``3_5``, ``5_10``, ``gt_10``; years since the first
    job); ``education``: the lowest acceptable level; ``pay``/``pay_min``/``pay_max``: 元 per
    month, résumés whose expected range overlaps; ``updated_within``: 3, 7, 30, 90 or 180
    days; ``sort``: ``relevance`` (default with keywords), ``time`` or ``experience``
    (longest career first); ``organisation``: which
    of your organisations searches (default: the first)."""
    results = talent_search_run(viewer=request.user, data=request.GET,
                                channel=TalentSearchChannel.API, ip=client_ip(request))
    organisation = results.organisation
    return {"q": results.query.q, "tokens": results.tokens, "sort": results.sort,
            "organisation": organisation, "total": results.total, "page": results.query.page,
            "pages": results.pages, "per_page": results.query.per_page,
            "degraded": results.degraded, "notices": results.notices,
            "results": [_card(card, organisation.pk) for card in results.cards]}
