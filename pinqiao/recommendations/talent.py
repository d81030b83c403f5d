"""Candidate recommendation for a posting (REC-4, DB4401 5.2.2): résumés the organisation may
see, scored against the posting with the job recommender's structured and text match, each
with its reasons, masked.

Only approved résumés their owners made public to verified recruiters are candidates (a
seeker who chose 「仅对我投递过的单位可见」 or 「隐藏」 is never recommended), never to an
organisation they blocked, and never seekers who already applied (the recruiter has them in
the pipeline). Each shown résumé is re-checked with ``privacy.selectors.organisation_may_see``.
Only résumé facts are used, not the seeker's activity or feedback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.core.masking import mask_name
from pinqiao.privacy.selectors import organisation_may_see
from pinqiao.recommendations.profile import (
    TagKind,
    city_code,
    experience_band,
    highest_education,
    resume_profile,
    tag_label,
)
from pinqiao.recommendations.scoring import Scorer, freshness
from pinqiao.resumes.models import Resume, ReviewStatus, Visibility
from pinqiao.resumes.rendering import pay_label, split_items

#: Résumés read per request: those matching the posting's city, function or industry, most
#: recently updated first.
POOL_LIMIT = 300
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


def candidate_pool(*, posting: Any, limit: int = POOL_LIMIT) -> list[Resume]:
    """Approved public résumés of active seekers, not blocking the posting's organisation,
    not yet applied to it, wanting its city, function or industry; newest updates first."""
    where = Q()
    if city := city_code(posting.division_code):
        where |= Q(desired_city=city)
    if posting.job_function:
        where |= Q(desired_function=posting.job_function)
    if posting.industry:
        where |= Q(desired_industry=posting.industry)
    return list(Resume.objects.filter(where, review_status=ReviewStatus.APPROVED,
                                      visibility=Visibility.PUBLIC, owner__is_active=True)
                .exclude(blocked__organisation=posting.organisation_id)
                .exclude(owner__applications__posting=posting)
                .prefetch_related("education", "work")
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
                     for r in candidate_pool(posting=posting)),
                    key=lambda c: (-c.score, -c.resume.updated_at.timestamp(), -c.resume.pk))
    shown = [c for c in ranked[offset:offset + limit]
             if organisation_may_see(resume=c.resume, organisation=organisation) is not None]
    return shown, len(ranked) > offset + limit
