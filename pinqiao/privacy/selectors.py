"""Who has consented to what (PRIV-3, RES-5), who may open a résumé (RES-4) and what they see
of it (RES-5, PRIV-2), and the seeker's access trail (RES-6). Read on every request: a
withdrawal takes effect on the next one."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from pinqiao.applications.models import Application
from pinqiao.core.audit import log_action
from pinqiao.core.errors import NotFound
from pinqiao.core.masking import mask_name
from pinqiao.orgs.models import Membership, Organisation, OrgStatus
from pinqiao.privacy.models import (
    AccessFlag,
    Consent,
    ConsentPurpose,
    ContactRequest,
    ContactRequestStatus,
    FlagStatus,
    ResumeAccess,
    ResumeDownload,
)
from pinqiao.resumes.models import (
    Attachment,
    BlockedOrganisation,
    Resume,
    ReviewStatus,
    Visibility,
)
from pinqiao.resumes.rendering import ResumeContact, labels, photo_bytes, split_items


def consent_active(*, user: Any, purpose: str, organisation: Any = None) -> Consent | None:
    """The live consent of ``user`` for ``purpose`` (and ``organisation`` where per
    organisation), or ``None``."""
    query = Consent.objects.filter(user=user, purpose=purpose, withdrawn_at=None)
    query = (query.filter(organisation=organisation) if organisation is not None
             else query.filter(organisation__isnull=True))
    return query.first()


def contact_released_to(*, user: Any, organisation: Any) -> bool:
    """Whether ``organisation`` may see ``user``'s contact details now (RES-5)."""
    return consent_active(user=user, purpose=ConsentPurpose.CONTACT_RELEASE,
                          organisation=organisation) is not None


def consents_for(*, user: Any) -> list[Consent]:
    """Every consent ``user`` gave, newest first, withdrawn ones included (the record)."""
    return list(Consent.objects.filter(user=user).select_related("organisation")
                .order_by("-granted_at", "-pk"))


# --- who may open a résumé (RES-4) ----------------------------------------------------------

@dataclass(frozen=True)
class ResumeGrant:
    """``organisation`` may see ``resume`` through ``viewer``; ``via`` is ``consent`` (the
    seeker applied or sent it) or ``public``."""

    resume: Resume
    organisation: Organisation
    viewer: Any
    via: str


def organisation_may_see(*, resume: Resume, organisation: Organisation) -> str | None:
    """``"consent"``, ``"public"`` or ``None``. A blocked organisation never sees the résumé;
    ``applied_only`` and ``hidden`` résumés need a live ``resume_to_employer`` consent."""
    if BlockedOrganisation.objects.filter(resume=resume, organisation=organisation).exists():
        return None
    if consent_active(user=resume.owner_id, purpose=ConsentPurpose.RESUME_TO_EMPLOYER,
                      organisation=organisation) is not None:
        return "consent"
    if resume.visibility == Visibility.PUBLIC and resume.review_status == ReviewStatus.APPROVED:
        return "public"
    return None


def _denied(viewer: Any, public_id: uuid.UUID | str, organisation: Any,
            reason: str) -> NotFound:
    actor = viewer if getattr(viewer, "is_authenticated", False) else None
    log_action(actor, "privacy.resume_denied", ("resumes.resume", str(public_id)),
               {"organisation": getattr(organisation, "pk", organisation), "reason": reason})
    return NotFound(_("没有找到该简历。"))


def resume_for_recruiter(*, viewer: Any, public_id: uuid.UUID | str,
                         organisation: Organisation | int | None = None) -> ResumeGrant:
    """The résumé if ``viewer`` may open it for ``organisation`` (an organisation or its id;
    when none is given, the first of their organisations that may). The viewer must be an
    active member with ``can_view_resumes`` of a verified organisation. Anything else is
    ``NotFound`` — the same answer as for a missing résumé — and an audit entry
    ``privacy.resume_denied``."""
    resume = Resume.objects.select_related("owner").filter(public_id=public_id).first()
    if resume is None:
        raise _denied(viewer, public_id, organisation, "missing")
    if not getattr(viewer, "is_authenticated", False) or not viewer.is_active:
        raise _denied(viewer, public_id, organisation, "not_a_recruiter")
    if not resume.owner.is_active:
        raise _denied(viewer, public_id, organisation, "owner_closed")
    memberships = (Membership.objects.filter(user=viewer, can_view_resumes=True,
                                             organisation__status=OrgStatus.VERIFIED)
                   .select_related("organisation").order_by("created_at", "pk"))
    if organisation is not None:
        memberships = memberships.filter(organisation_id=getattr(organisation, "pk",
                                                                 organisation))
    candidates = [m.organisation for m in memberships]
    if not candidates:
        raise _denied(viewer, public_id, organisation, "no_membership")
    for candidate in candidates:
        via = organisation_may_see(resume=resume, organisation=candidate)
        if via is not None:
            return ResumeGrant(resume=resume, organisation=candidate, viewer=viewer, via=via)
    raise _denied(viewer, public_id, organisation, "not_visible")


def application_for_resume(*, viewer: Any, public_id: uuid.UUID | str,
                           application_id: int) -> Application:
    """The application behind ``?application=`` on the recruiter's résumé page: it must be
    for this résumé; ``resume_for_recruiter`` then checks its organisation."""
    application = (Application.objects.select_related("posting", "organisation")
                   .filter(pk=application_id, resume__public_id=public_id).first())
    if application is None:
        raise _denied(viewer, public_id, None, "application_mismatch")
    return application


# --- what the recruiter sees (RES-1 sections) ----------------------------------------------

@dataclass(frozen=True)
class ResumeDisplay:
    """The résumé's content for the recruiter page, and the names of the parts it shows
    (recorded in the access trail)."""

    labels: dict[str, str]
    education: list[Any]
    work: list[Any]
    certificates: list[Any]
    honours: list[Any]
    skills: list[str]
    interests: list[str]
    photo: str
    sections: list[str]
    attachment: Attachment | None = None


def resume_display(*, resume: Resume) -> ResumeDisplay:
    """Everything the recruiter page shows except contact details (decided separately). The
    uploaded file is described, and its extracted text shown, which was saved with contact
    details masked (``resumes.uploads``); the file itself is not decrypted here."""
    entries = {"education": list(resume.education.all()), "work": list(resume.work.all()),
               "certificates": list(resume.certificates.all()),
               "honours": list(resume.honours.all())}
    attachment = Attachment.objects.filter(resume=resume).first()
    photo = photo_bytes(resume)
    names = labels(resume)
    present = {
        "basic": True, "photo": photo is not None,
        "intention": bool(names["function"] or names["industry"] or names["city"]
                          or names["employment_type"] or resume.desired_pay_min
                          or resume.desired_pay_max),
        "about": bool(resume.self_introduction or resume.skills or resume.interests),
        **{name: bool(rows) for name, rows in entries.items()},
        "attachment": attachment is not None,
    }
    return ResumeDisplay(
        labels=names, skills=split_items(resume.skills), interests=split_items(resume.interests),
        photo=f"data:image/jpeg;base64,{base64.b64encode(photo).decode()}" if photo else "",
        sections=[name for name, shown in present.items() if shown], attachment=attachment,
        **entries)


# --- contact details (RES-5, PRIV-2) --------------------------------------------------------

@dataclass(frozen=True)
class ContactDetails:
    """Phone, e-mail and IM as the recruiter sees them: plain only when ``released``."""

    phone: str
    email: str
    im: str
    released: bool

    def for_print(self) -> ResumeContact | None:
        """What a downloaded PDF prints: the details when released, else the renderer's
        「联系方式需经求职者同意后可见」."""
        return ResumeContact(phone=self.phone, email=self.email, im=self.im) \
            if self.released else None


def resume_contact(*, grant: ResumeGrant, reason: str) -> ContactDetails:
    """The contact details for ``grant``: plain if the seeker released them to the
    organisation (checked now, never cached), masked otherwise. Plain details go through the
    résumés app's one audited decryption, which names the fields."""
    # resumes.selectors reads consents from this module: import it when called.
    from pinqiao.resumes.selectors import masked_contact, resume_contact_decrypt

    if contact_released_to(user=grant.resume.owner_id, organisation=grant.organisation):
        plain = resume_contact_decrypt(resume=grant.resume, actor=grant.viewer, reason=reason,
                                       organisation=grant.organisation)
        return ContactDetails(phone=plain.phone, email=plain.email, im=plain.im, released=True)
    masked = masked_contact(grant.resume)
    return ContactDetails(phone=masked.phone, email=masked.email, im=masked.im, released=False)


# --- contact requests -----------------------------------------------------------------------

def contact_request_latest(*, resume: Resume, organisation: Organisation
                           ) -> ContactRequest | None:
    """The organisation's latest contact request for this résumé, if any."""
    return (ContactRequest.objects.filter(resume=resume, organisation=organisation)
            .order_by("-created_at", "-pk").first())


def contact_requests_for_seeker(*, user: Any) -> list[ContactRequest]:
    """The seeker's contact requests: open ones first, then the 20 latest decided."""
    base = (ContactRequest.objects.filter(resume__owner=user)
            .select_related("organisation", "posting"))
    return [*base.filter(status=ContactRequestStatus.OPEN).order_by("-created_at"),
            *base.exclude(status=ContactRequestStatus.OPEN).order_by("-decided_at")[:20]]


# --- the access trail (RES-6) ---------------------------------------------------------------

def resume_viewers(*, user: Any) -> QuerySet[ResumeAccess]:
    """Every view, download and API read of ``user``'s résumé, newest first (「谁看过我」)."""
    return (ResumeAccess.objects.filter(resume__owner=user)
            .select_related("organisation", "viewer").order_by("-at", "-pk"))


def viewer_label(access: ResumeAccess) -> str:
    """The recruiter's name as the seeker sees it: masked (张*)."""
    return mask_name(access.viewer.display_name) or _("招聘者")


# --- unusual volume (RES-7) -----------------------------------------------------------------

def access_flags(*, status: str = "") -> QuerySet[AccessFlag]:
    """Flags for the staff page, open first then newest; ``status`` filters."""
    rows = AccessFlag.objects.select_related("organisation", "user", "resolved_by")
    if status in FlagStatus.values:
        rows = rows.filter(status=status)
    return rows.order_by("-created_at", "-pk")


# --- downloads (RES-6) ----------------------------------------------------------------------

def download_for_marker(*, marker: str) -> ResumeDownload | None:
    """The download record behind a leaked file's marker (``trace_leak``)."""
    return (ResumeDownload.objects.select_related(
        "access__viewer", "access__organisation", "access__resume").filter(marker=marker)
        .first())
