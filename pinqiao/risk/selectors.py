"""Reads for the sanctioned party and for staff. What the sanctioned organisation sees is the
notice: the rule, the evidence quoted, the case reference and finding, the appeal deadline —
never the complainant (TKT-5)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from pinqiao.core.errors import NotFound
from pinqiao.core.permissions import require_perm
from pinqiao.orgs.models import Membership
from pinqiao.risk.models import RiskScore, SanctionNotice


def notices_for_member(*, viewer: Any) -> QuerySet[SanctionNotice]:
    """「处置与申诉」: the notices of the organisations the viewer belongs to."""
    org_ids = Membership.objects.filter(user=viewer).values("organisation_id")
    return SanctionNotice.objects.filter(sanction__organisation_id__in=org_ids).select_related(
        "sanction", "sanction__organisation", "case").order_by("-created_at", "-id")


def notice_for_member(*, viewer: Any, sanction_id: int) -> SanctionNotice:
    notice = notices_for_member(viewer=viewer).filter(sanction_id=sanction_id).first()
    if notice is None:
        raise NotFound(_("处置记录不存在。"))
    return notice


def risk_scores(*, viewer: Any, subject: str = "") -> QuerySet[RiskScore]:
    """Staff view of the scores, highest first, each with its explanation (RISK-1)."""
    require_perm(viewer, "review.content")
    scores = RiskScore.objects.all()
    return scores.filter(subject=subject) if subject else scores


def risk_score_get(*, viewer: Any, subject: str, subject_id: int) -> RiskScore:
    require_perm(viewer, "review.content")
    score = RiskScore.objects.filter(subject=subject, subject_id=subject_id).first()
    if score is None:
        raise NotFound(_("尚无该对象的风险评分。"))
    return score


def popup_warnings(*, viewer: Any) -> QuerySet[SanctionNotice]:
    """The pop-up warnings (RISK-2) the viewer's organisations have not read yet: warnings in
    force, each with its rule, evidence and appeal deadline."""
    org_ids = Membership.objects.filter(user=viewer).values("organisation_id")
    return SanctionNotice.objects.filter(
        sanction__organisation_id__in=org_ids, sanction__kind="warning",
        sanction__status="active", acknowledged_at__isnull=True).select_related(
        "sanction", "sanction__organisation", "case").order_by("created_at", "id")
