"""Reads of résumés: the owner's own résumé, the one audited decryption of contact details,
readiness for applying (MOD-8), blocked organisations (RES-4), suggestions (RES-3).

For other apps:

* ``resume_contact_decrypt(resume=, actor=, reason=, organisation=)`` is the only function that
  decrypts a résumé's phone, e-mail and IM; it writes an audit entry each time. Callers decide
  first whether ``actor`` may see them (the owner always; a recruiter per consent).
* ``masked_contact(resume)`` gives the masked forms without decrypting anything.
* ``attachment_decrypt(resume=, actor=, reason=, organisation=)`` is the only function that
  decrypts an uploaded résumé file; audited the same way, callers decide first.
* ``resume_ready_for_application(resume)`` / ``resume_application_check(resume)``.
* ``organisation_blocked(resume, organisation)``.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.core.audit import log_action
from pinqiao.core.crypto import decrypt, decrypt_bytes
from pinqiao.core.errors import NotFound, ServiceError
from pinqiao.privacy.models import ConsentPurpose
from pinqiao.privacy.selectors import consent_active
from pinqiao.resumes import quality
from pinqiao.resumes.models import (
    ATTACHMENT_CONTEXT,
    CONTACT_CONTEXTS,
    Attachment,
    BlockedOrganisation,
    Resume,
    ReviewStatus,
)
from pinqiao.resumes.rendering import ResumeContact, photo_bytes
from pinqiao.resumes.services import deny


def resume_for_owner(*, owner: Any) -> Resume | None:
    """The seeker's own résumé, or None before it was started."""
    if not getattr(owner, "is_authenticated", False):
        return None
    return Resume.objects.filter(owner=owner).first()


def _require_owner(actor: Any, resume: Resume, what: str) -> None:
    if not getattr(actor, "is_authenticated", False) or resume.owner_id != actor.pk:
        raise deny(actor, resume, what)


def resume_contact_decrypt(*, resume: Resume, actor: Any, reason: str,
                           organisation: Any = None) -> ResumeContact:
    """Decrypt the contact details and audit it (who, for which organisation, why, which
    fields). The caller has checked that ``actor`` may see them."""
    fields = [name for name in CONTACT_CONTEXTS
              if getattr(resume, f"{name}_ciphertext")]
    values = {name: decrypt(getattr(resume, f"{name}_ciphertext"), context=context)
              if name in fields else "" for name, context in CONTACT_CONTEXTS.items()}
    log_action(actor, "resume.contact_read", resume,
               {"reason": reason, "fields": fields,
                "organisation": getattr(organisation, "pk", None),
                "owner": actor is not None and getattr(actor, "pk", None) == resume.owner_id})
    return ResumeContact(**values)


def resume_contact_for_owner(*, actor: Any, resume: Resume, reason: str) -> ResumeContact:
    """The owner's own contact details in full (audited like every decryption)."""
    _require_owner(actor, resume, "contact")
    return resume_contact_decrypt(resume=resume, actor=actor, reason=reason)


def masked_contact(resume: Resume) -> ResumeContact:
    """Masked forms (138****1234, z***@example.com), stored when the details were saved."""
    return ResumeContact(phone=resume.phone_masked, email=resume.email_masked,
                         im=resume.im_masked)


def photo_for_owner(*, actor: Any, resume: Resume) -> bytes:
    """The decrypted photo for its owner; anyone else gets not found (audited)."""
    _require_owner(actor, resume, "photo")
    data = photo_bytes(resume)
    if data is None:
        raise NotFound(_("还没有上传照片。"))
    return data


def attachment_decrypt(*, resume: Resume, actor: Any, reason: str,
                       organisation: Any = None) -> tuple[Attachment, bytes]:
    """The uploaded file, decrypted, with its record; audited (who, for which organisation,
    why). The caller has checked that ``actor`` may have it. ``NotFound`` without a file."""
    attachment = Attachment.objects.filter(resume=resume).first()
    if attachment is None:
        raise NotFound(_("还没有上传附件简历。"))
    with attachment.file.open("rb") as handle:
        data = decrypt_bytes(handle.read(), context=ATTACHMENT_CONTEXT)
    log_action(actor, "resume.attachment_read", resume, {
        "reason": reason, "organisation": getattr(organisation, "pk", None),
        "owner": getattr(actor, "pk", None) == resume.owner_id})
    return attachment, data


def attachment_for_owner(*, actor: Any, resume: Resume) -> tuple[Attachment, bytes]:
    """The owner's uploaded file, decrypted, with its record; the download is audited."""
    _require_owner(actor, resume, "attachment")
    return attachment_decrypt(resume=resume, actor=actor, reason="owner_download")


# --- applying (MOD-8) ----------------------------------------------------------------------

def resume_application_check(resume: Resume | None) -> None:
    """Raise ``ServiceError`` with what to do unless the résumé may be used to apply: only an
    approved résumé can be."""
    if resume is None:
        raise ServiceError("resume_missing", _("请先创建简历并提交审核，审核通过后即可投递。"))
    messages = {
        ReviewStatus.DRAFT: _("您的简历尚未提交审核，请先提交审核。"),
        ReviewStatus.PENDING: _("您的简历正在人工审核，审核通过后即可投递。"),
        ReviewStatus.NEEDS_CHANGES: _("您的简历需要修改后才能投递，请查看审核意见。"),
    }
    if resume.review_status != ReviewStatus.APPROVED:
        raise ServiceError("resume_not_approved", str(messages[resume.review_status]))


def resume_ready_for_application(resume: Resume | None) -> bool:
    """Whether the résumé may be used to apply (approved in review)."""
    return resume is not None and resume.review_status == ReviewStatus.APPROVED


# --- visibility (RES-4) --------------------------------------------------------------------

def organisation_blocked(resume: Resume, organisation: Any) -> bool:
    """Whether the seeker put ``organisation`` on the list that must never see the résumé."""
    if organisation is None:
        return False
    return BlockedOrganisation.objects.filter(resume=resume,
                                              organisation_id=organisation.pk).exists()


def blocked_list(*, actor: Any, resume: Resume) -> list[BlockedOrganisation]:
    _require_owner(actor, resume, "blocked")
    return list(BlockedOrganisation.objects.filter(resume=resume)
                .select_related("organisation").order_by("-created_at"))


def organisations_search(*, q: str, limit: int = 20) -> list[Any]:
    """Verified organisations whose name contains ``q`` (for the blocked list)."""
    from pinqiao.orgs.models import Organisation

    q = " ".join(q.split())[:40]
    if len(q) < 2:
        return []
    return list(Organisation.objects.filter(status="verified", name__icontains=q)
                .order_by("name")[:limit])


# --- suggestions (RES-3) -------------------------------------------------------------------

def suggestions_enabled(user: Any) -> bool:
    return consent_active(user=user, purpose=ConsentPurpose.RESUME_SUGGESTIONS) is not None


def resume_quality(*, actor: Any, resume: Resume) -> dict[str, Any]:
    """Completeness score with hints (always), required fields still missing, and wording hints
    only when the seeker consented to suggestions (``None`` otherwise)."""
    _require_owner(actor, resume, "quality")
    score, hints = quality.completeness(resume)
    enabled = suggestions_enabled(actor)
    return {
        "score": score, "hints": hints, "missing": quality.missing_required(resume),
        "suggestions_enabled": enabled,
        "wording": quality.wording_hints(resume, today=timezone.localdate()) if enabled
        else None,
    }
