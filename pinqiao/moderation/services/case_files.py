"""Case files for the authorities about removed illegal content (MOD-7): prepared with the
evidence, then recorded as handed over."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from pinqiao.core.audit import log_action
from pinqiao.core.errors import ServiceError
from pinqiao.core.permissions import require_perm
from pinqiao.moderation.models import CaseFile


@transaction.atomic
def case_file_prepare(*, actor: Any, target: models.Model, organisation: Any, summary: str,
                      evidence: dict[str, Any]) -> CaseFile:
    """Prepare a case file for the authorities about removed illegal content (MOD-7)."""
    reference = timezone.now().strftime("AJ%Y%m%d-") + get_random_string(
        6, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
    case = CaseFile.objects.create(
        reference=reference, organisation=organisation,
        content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk),
        summary=summary, evidence=evidence, prepared_by=actor)
    log_action(actor, "casefile.prepare", case, {"reference": reference})
    return case


@transaction.atomic
def case_file_submit(*, actor: Any, case: CaseFile, authority: str) -> CaseFile:
    """Record that a prepared case file was handed to the authorities (MOD-7)."""
    require_perm(actor, "review.content")
    authority = (authority or "").strip()[:200]
    if not authority:
        raise ServiceError("authority_required", _("请填写接收机关。"),
                           fields={"authority": [_("请填写接收机关。")]})
    case = CaseFile.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseFile.Status.PREPARED:
        raise ServiceError("already_submitted", _("该案卷已报送。"))
    case.status, case.submitted_at = CaseFile.Status.SUBMITTED, timezone.now()
    case.evidence = {**case.evidence, "submitted_to": authority}
    case.save(update_fields=["status", "submitted_at", "evidence"])
    log_action(actor, "casefile.submit", case, {"reference": case.reference,
                                                "authority": authority})
    return case
