"""Reads: recommendations for a seeker (REC-1, REC-2), their interest tags, the algorithm
register (ALG-2) and the bias reports (ALG-1)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.core.errors import NotFound, NotPermitted
from pinqiao.core.permissions import Role, require_perm
from pinqiao.privacy.models import Consent, ConsentPurpose
from pinqiao.privacy.selectors import consent_active
from pinqiao.recommendations import candidates, profile
from pinqiao.recommendations.models import Algorithm, BiasReport, Feedback
from pinqiao.recommendations.scoring import Scored, Scorer, rank
from pinqiao.reference import divisions

PAGE_SIZE = 20
MAX_PAGES = 5


@dataclass
class RecommendationPage:
    items: list[Scored]
    personalised: bool
    page: int
    has_next: bool
    city: str = ""
    consent: Consent | None = None
    tags: list[profile.Tag] = field(default_factory=list)

    @property
    def start_rank(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1

    @property
    def city_label(self) -> str:
        division = divisions.get(self.city) if self.city else None
        return division.name if division else _("全国")


def require_seeker(user: Any) -> Any:
    if not getattr(user, "is_authenticated", False) or user.role != Role.SEEKER:
        raise NotPermitted(_("只有求职者可以使用职位推荐。"))
    return user


def personalisation_consent(*, seeker: Any) -> Consent | None:
    """The seeker's live consent to personalised recommendation (PRIV-3), read per request."""
    return consent_active(user=seeker, purpose=ConsentPurpose.PERSONALISATION)


def _clamp_page(page: int) -> int:
    return min(max(page, 1), MAX_PAGES)


def recommendations_for_seeker(*, seeker: Any, page: int = 1, city: str = "",
                               now: Any = None, size: int = PAGE_SIZE) -> RecommendationPage:
    """One page of job recommendations (REC-1). Personalised only while the seeker's consent
    is live; otherwise the non-personalised list for ``city`` (or the city on the résumé),
    the same for everyone (REC-2). ``size``: fewer items than a page (the seeker's home shows
    the first five: only those are loaded and explained); pages stay ``PAGE_SIZE`` apart."""
    require_seeker(seeker)
    at = now  # a given moment is computed afresh; the present may come from the cache
    now = now or timezone.now()
    page = _clamp_page(page)
    offset = (page - 1) * PAGE_SIZE
    size = min(max(size, 1), PAGE_SIZE)
    consent = personalisation_consent(seeker=seeker)
    if consent is None:
        city = city if city and divisions.get(city) else profile.declared_city(seeker)
        rows = candidates.popular_postings(city=city, offset=offset, limit=size + 1, now=at)
        items = [Scored(p, 0.0, _popular_reasons(p), personalised=False) for p in rows[:size]]
        return RecommendationPage(items, False, page, len(rows) > size and
                                  page < MAX_PAGES, city=city)
    tags, _deleted, seeker_profile = profile.derive(seeker)
    scorer = Scorer(seeker_profile, now=now)
    ranked = rank([scorer.score(p) for p in
                   candidates.job_candidates(seeker=seeker, profile=seeker_profile,
                                             now=now)])
    return RecommendationPage(ranked[offset:offset + size], True, page,
                              len(ranked) > offset + size and page < MAX_PAGES,
                              consent=consent, tags=tags)


def _popular_reasons(posting: Any) -> list[str]:
    count = getattr(posting, "recent_applications", 0)
    reasons = [_("非个性化推荐")]
    if count:
        reasons.append(_("近14天 %d 人投递") % count)
    if posting.published_at:
        reasons.append(_("发布于 %s") % timezone.localdate(posting.published_at).isoformat())
    return reasons


def feedback_by_posting(*, seeker: Any, posting_ids: list[int]) -> dict[int, str]:
    """The seeker's opinion of each of these postings, by posting id."""
    return dict(Feedback.objects.filter(seeker=seeker, posting_id__in=posting_ids)
                .values_list("posting_id", "kind"))


@dataclass
class TagOverview:
    tags: list[profile.Tag]
    deleted: list[profile.Tag]
    feedback: list[Feedback]
    consent: Consent | None


def interest_tags(*, seeker: Any) -> TagOverview:
    """The tags personalisation uses, the ones the seeker deleted, and their feedback (REC-2:
    the seeker can see and delete what is used)."""
    require_seeker(seeker)
    tags, deleted, _profile = profile.derive(seeker)
    feedback = list(Feedback.objects.filter(seeker=seeker).select_related("posting")
                    .order_by("-created_at")[:profile.HISTORY_LIMIT])
    return TagOverview(tags, deleted, feedback, personalisation_consent(seeker=seeker))


# --- algorithm register (ALG-2) ------------------------------------------------------------

def algorithms_public() -> QuerySet[Algorithm]:
    """What users are told (ALG Art. 16): the public entries."""
    return Algorithm.objects.filter(public=True)


def algorithms_for_staff(*, viewer: Any) -> QuerySet[Algorithm]:
    require_perm(viewer, "view.algorithms")
    return Algorithm.objects.prefetch_related("changes__actor")


def algorithm_for_staff(*, viewer: Any, slug: str) -> Algorithm:
    algorithm = algorithms_for_staff(viewer=viewer).filter(slug=slug).first()
    if algorithm is None:
        raise NotFound(_("没有这个算法。"))
    return algorithm


# --- bias reports (ALG-1) ------------------------------------------------------------------

def bias_reports_for_staff(*, viewer: Any) -> QuerySet[BiasReport]:
    require_perm(viewer, "view.algorithms")
    return BiasReport.objects.all()


def bias_report_for_staff(*, viewer: Any, report_id: int) -> BiasReport:
    report = bias_reports_for_staff(viewer=viewer).filter(pk=report_id).first()
    if report is None:
        raise NotFound(_("没有这份报告。"))
    return report


def bias_chart_data(report: BiasReport) -> dict[str, Any]:
    """The report as the chart reads it: per surface, one bar per attribute group with its
    exposure ratio and apply-rate ratio to the best group, and the threshold line."""
    surfaces = []
    for key, surface in report.data.items():
        categories, exposure, apply = [], [], []
        for attribute in surface["attributes"].values():
            for row in attribute["groups"]:
                categories.append(f"{attribute['label']}·{row['group']}")
                exposure.append(row["exposure_ratio"])
                apply.append(row["apply_ratio"])
        surfaces.append({"key": key, "label": surface["label"], "categories": categories,
                         "exposure": exposure, "apply": apply})
    return {"threshold": float(report.threshold), "surfaces": surfaces}


# --- candidate recommendation (REC-4) ------------------------------------------------------

@dataclass
class CandidatePage:
    posting: Any
    items: list[Any]
    page: int
    has_next: bool
    personalised: bool = True

    @property
    def start_rank(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1


def candidates_for_posting(*, viewer: Any, posting_id: int, page: int = 1,
                           now: Any = None) -> CandidatePage:
    """Seekers recommended for one of the viewer's postings (REC-4), masked, with reasons.
    Another organisation's posting is not found; a member without the résumé right, or of an
    organisation that is not verified, is refused."""
    from pinqiao.jobs.selectors import posting_for_recruiter
    from pinqiao.orgs.models import OrgStatus
    from pinqiao.orgs.selectors import membership_get
    from pinqiao.recommendations.talent import newest_candidates, rank_candidates

    if not getattr(viewer, "is_authenticated", False) or viewer.role != Role.RECRUITER:
        raise NotPermitted(_("只有招聘者可以查看人才推荐。"))
    posting = posting_for_recruiter(user=viewer, posting_id=posting_id)
    organisation = posting.organisation
    membership = membership_get(user=viewer, organisation=organisation)
    if membership is None or not membership.can_view_resumes \
            or organisation.status != OrgStatus.VERIFIED:
        raise NotPermitted(_("您没有查看简历的权限，或单位尚未通过认证。"))
    page = _clamp_page(page)
    personalised = recruiter_personalisation_on(recruiter=viewer)
    rank = rank_candidates if personalised else newest_candidates
    items, has_next = rank(posting=posting, organisation=organisation,
                           now=now or timezone.now(), offset=(page - 1) * PAGE_SIZE,
                           limit=PAGE_SIZE)
    return CandidatePage(posting, items, page, has_next and page < MAX_PAGES, personalised)


def recruiter_personalisation_on(*, recruiter: Any) -> bool:
    """REC-5: personalised candidate recommendation is on unless the recruiter turned it off;
    the last choice is the newest personalisation consent row (withdrawn means off)."""
    latest = (Consent.objects.filter(user=recruiter, purpose=ConsentPurpose.PERSONALISATION,
                                     organisation=None)
              .order_by("-granted_at", "-pk").first())
    return latest is None or latest.withdrawn_at is None
