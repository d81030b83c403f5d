"""Impact assessments (PRIV-7; PIPL Arts. 55–56, DB4401 7.4.3): a record for sensitive
processing, automated decisions (linked to the algorithm register) and sharing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.core.audit import log_action
from pinqiao.core.errors import ServiceError
from pinqiao.core.permissions import require_perm
from pinqiao.core.validators import normalize_text
from pinqiao.rights.models import AssessmentKind, ImpactAssessment

TEXTS = {"title": 120, "purpose": 5000, "impact": 5000, "measures": 5000, "conclusion": 2000}


def assessment_record(*, actor: Any, kind: str, algorithm: Any = None,
                      review_on: date | None = None, **text: str) -> ImpactAssessment:
    """PRIV-7: record an assessment; automated decisions name their algorithm."""
    require_perm(actor, "privacy.assessments")
    errors: dict[str, list[str]] = {}
    clean = {}
    for name, limit in TEXTS.items():
        clean[name] = normalize_text(text.get(name) or "").strip()
        if not clean[name] or len(clean[name]) > limit:
            errors[name] = [_("请填写此项（不超过 %(n)s 字）。") % {"n": limit}]
    if kind not in AssessmentKind.values:
        errors["kind"] = [_("请选择评估事项。")]
    elif kind == AssessmentKind.AUTOMATED and algorithm is None:
        errors["algorithm"] = [_("自动化决策的评估须对应算法登记中的一项算法。")]
    today = timezone.localdate()
    review_on = review_on or today + timedelta(days=365)
    if review_on <= today:
        errors["review_on"] = [_("复评日期须晚于今天。")]
    if errors:
        raise ServiceError("invalid_assessment", next(iter(errors.values()))[0], fields=errors)
    with transaction.atomic():
        assessment = ImpactAssessment.objects.create(
            kind=kind, algorithm=algorithm, review_on=review_on, assessed_by=actor,
            assessed_on=today, **clean)
        log_action(actor, "privacy.assessment_recorded", assessment,
                   {"kind": kind, "algorithm": getattr(algorithm, "slug", "")})
    return assessment


def assessments_for_staff(*, viewer: Any) -> Any:
    require_perm(viewer, "privacy.assessments")
    return ImpactAssessment.objects.select_related("algorithm", "assessed_by")
