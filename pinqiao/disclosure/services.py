"""Writes for public disclosure: accepting legal documents, publishing versions (DISC-5),
editing the operator profile (DISC-1, DISC-3)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.core.audit import log_action
from pinqiao.core.errors import ServiceError
from pinqiao.core.permissions import require_perm
from pinqiao.disclosure.models import (
    LegalAcceptance,
    LegalDocument,
    LegalKind,
    OperatorProfile,
)
from pinqiao.disclosure.selectors import legal_documents_pending


@transaction.atomic
def legal_accept_current(*, user: Any, ip: str | None = None) -> list[LegalAcceptance]:
    """Record the user's acceptance of every document in force for their role (DISC-5)."""
    accepted = []
    for document in legal_documents_pending(user=user):
        accepted.append(LegalAcceptance.objects.create(user=user, document=document, ip=ip))
    if accepted:
        log_action(user, "legal.accepted", user,
                   {"documents": [f"{d.document.kind}:{d.document.version}" for d in accepted]},
                   ip=ip)
    return accepted


@transaction.atomic
def legal_document_publish(*, actor: Any, kind: str, version: str, title: str, body: str,
                           summary_of_changes: str = "") -> LegalDocument:
    """Publish a new version; every user of the roles it binds is asked to accept it again."""
    require_perm(actor, "manage.legal")
    if kind not in LegalKind.values:
        msg = _("协议类型无效。")
        raise ServiceError("invalid_kind", msg, fields={"kind": [msg]})
    if LegalDocument.objects.filter(kind=kind, version=version).exists():
        msg = _("该版本号已存在。")
        raise ServiceError("version_exists", msg, fields={"version": [msg]})
    if not body.strip() or not title.strip():
        raise ServiceError("invalid_document", _("标题和正文不能为空。"))
    document = LegalDocument.objects.create(
        kind=kind, version=version, title=title, body=body,
        summary_of_changes=summary_of_changes, published_at=timezone.now(),
    )
    log_action(actor, "legal.published", document, {"kind": kind, "version": version})
    return document


OPERATOR_FIELDS = (
    "company_name", "credit_code", "business_licence_no", "hr_licence_no",
    "hr_licence_authority", "hr_licence_valid_until", "icp_no", "complaint_hotline",
    "complaint_email", "address", "credit_score", "credit_grade", "violation_summary",
    "regulator_name", "regulator_url",
)


@transaction.atomic
def operator_profile_update(*, actor: Any, profile: OperatorProfile,
                            changes: dict[str, Any]) -> OperatorProfile:
    """Save the operator's disclosure record and audit which fields changed (DISC-1, DISC-3)."""
    require_perm(actor, "manage.operator_profile")
    changed = {}
    for field in OPERATOR_FIELDS:
        if field in changes and getattr(profile, field) != changes[field]:
            changed[field] = str(changes[field])
            setattr(profile, field, changes[field])
    try:
        profile.full_clean()
    except ValidationError as exc:
        raise ServiceError.from_validation_error("invalid_operator_profile", exc) from exc
    profile.save()
    log_action(actor, "disclosure.operator_profile_updated", profile, {"changed": changed})
    return profile

