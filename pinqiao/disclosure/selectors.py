"""Reads for public disclosure (DISC-1..3, DISC-5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet
from django.utils import timezone

from pinqiao.core.memo import KnownTrue, VersionedMemo
from pinqiao.disclosure.models import (
    REQUIRED_KINDS,
    LegalDocument,
    OperatorProfile,
    ServiceOffering,
)


def operator_profile() -> OperatorProfile | None:
    """The operator's record, read from the database (for editing it)."""
    return OperatorProfile.objects.order_by("pk").first()


#: The record as every page's footer and the licence panels show it, kept by version (RET-3);
#: read-only: edit a fresh copy from ``operator_profile()``.
OPERATOR_PROFILE = VersionedMemo("operator-profile", operator_profile)


def operator_profile_shown() -> OperatorProfile | None:
    return OPERATOR_PROFILE.get()


def _legal_documents_in_force() -> tuple[list[LegalDocument], datetime | None]:
    """The version in force of each kind, and when the next already scheduled version takes
    effect (the held list is stale from then on)."""
    now = timezone.now()
    current: dict[str, LegalDocument] = {}
    published = LegalDocument.objects.filter(published_at__lte=now)
    for document in published.order_by("kind", "-published_at"):
        current.setdefault(document.kind, document)
    upcoming = (LegalDocument.objects.filter(published_at__gt=now).order_by("published_at")
                .values_list("published_at", flat=True).first())
    return list(current.values()), upcoming


#: Read by the acceptance middleware on every signed-in request: kept by version (RET-3).
LEGAL_DOCUMENTS = VersionedMemo("legal-documents", _legal_documents_in_force)


def legal_documents_current() -> list[LegalDocument]:
    """The version in force of each kind: the newest one already published."""
    documents, upcoming = LEGAL_DOCUMENTS.get()
    if upcoming is not None and upcoming <= timezone.now():
        LEGAL_DOCUMENTS.bump()
        documents, _upcoming = LEGAL_DOCUMENTS.get()
    return list(documents)


def legal_document_current(kind: str) -> LegalDocument | None:
    return (LegalDocument.objects.filter(kind=kind, published_at__lte=timezone.now())
            .order_by("-published_at").first())


def legal_documents_required(role: str) -> list[LegalDocument]:
    kinds = REQUIRED_KINDS.get(role, ())
    return [d for d in legal_documents_current() if d.kind in kinds]


#: ``(user id, ids of the documents in force for the role)`` of users who accepted them all,
#: so that the acceptance middleware does not read them again on every request (SEC-3: the
#: CPU time of a request); a new version in force changes the ids.
LEGAL_ACCEPTED = KnownTrue(size=20_000)


def legal_documents_pending(*, user: object) -> list[LegalDocument]:
    """Documents in force for the user's role that the user has not accepted in this version."""
    required = legal_documents_required(getattr(user, "role", ""))
    if not required:
        return []
    known = (getattr(user, "pk", None), tuple(sorted(d.pk for d in required)))
    if known in LEGAL_ACCEPTED:
        return []
    accepted = set(user.legal_acceptances.filter(  # type: ignore[attr-defined]
        document__in=required).values_list("document_id", flat=True))
    pending = [d for d in required if d.pk not in accepted]
    if not pending and known[0] is not None:
        LEGAL_ACCEPTED.add(known)
    return pending


def service_offerings() -> QuerySet[ServiceOffering]:
    return ServiceOffering.objects.filter(is_active=True)


@dataclass(frozen=True)
class LicencePanel:
    """What the 「许可及监管」 panel shows (DISC-3): for the operator, and later for each agency."""

    subject: str
    credit_code: str
    licence_no: str
    licence_authority: str
    licence_valid_until: date | None
    credit_score: int
    credit_grade: str
    violations: str
    complaint_hotline: str
    regulator_name: str
    regulator_url: str


def licence_panel_for_operator() -> LicencePanel | None:
    profile = operator_profile_shown()
    if profile is None:
        return None
    return LicencePanel(
        subject=profile.company_name, credit_code=profile.credit_code,
        licence_no=profile.hr_licence_no, licence_authority=profile.hr_licence_authority,
        licence_valid_until=profile.hr_licence_valid_until, credit_score=profile.credit_score,
        credit_grade=profile.credit_grade, violations=profile.violation_summary,
        complaint_hotline=profile.complaint_hotline, regulator_name=profile.regulator_name,
        regulator_url=profile.regulator_url,
    )
