"""Consents (PRIV-3, RES-5), recruiters opening résumés with the access trail (RES-6), and
contact requests (RES-5). Each consent is a separate record; a withdrawal stamps the record
and never deletes it."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.core.audit import log_action
from pinqiao.core.errors import NotFound, NotPermitted, ServiceError
from pinqiao.core.permissions import require_perm
from pinqiao.notifications.services import notify
from pinqiao.orgs.models import MemberRole, Membership, Organisation
from pinqiao.privacy.models import (
    PER_ORGANISATION,
    VIEW_KINDS,
    AccessFlag,
    AccessKind,
    Consent,
    ConsentPurpose,
    ConsentSource,
    ContactRequest,
    ContactRequestStatus,
    DownloadSource,
    FlagReason,
    FlagStatus,
    ResumeAccess,
    ResumeDownload,
)
from pinqiao.privacy.quotas import (
    QuotaExceeded,
    counted_kind,
    limits,
    organisation_volume,
    quota_take,
)
from pinqiao.privacy.selectors import (
    ContactDetails,
    ResumeDisplay,
    ResumeGrant,
    consent_active,
    contact_released_to,
    resume_contact,
    resume_display,
    resume_for_recruiter,
)
from pinqiao.privacy.signals import resume_viewed
from pinqiao.privacy.watermark import WatermarkError, new_marker, watermark_docx, watermark_pdf
from pinqiao.privacy.wording import EXPLANATIONS, SELF_SERVICE
from pinqiao.resumes.models import AttachmentKind
from pinqiao.resumes.rendering import TEMPLATES, resume_pdf

#: After a seeker declines a contact request or withdraws the release, the organisation may
#: not ask again for this long.
CONTACT_REQUEST_PAUSE = timedelta(days=7)


def _check(purpose: str, organisation: Any, source: str) -> None:
    if purpose not in ConsentPurpose.values:
        raise ServiceError("invalid_purpose", _("未知的同意事项。"))
    if source not in ConsentSource.values:
        raise ServiceError("invalid_source", _("未知的同意来源。"))
    if (purpose in PER_ORGANISATION) != (organisation is not None):
        raise ServiceError("invalid_consent_scope",
                           _("该同意事项必须针对具体单位。") if purpose in PER_ORGANISATION
                           else _("该同意事项不针对具体单位。"))


def consent_grant(*, user: Any, purpose: str, source: str, organisation: Any = None,
                  wording: str = "") -> Consent:
    """Record ``user``'s consent; an existing live consent for the same purpose and
    organisation is returned unchanged (the database allows only one live row)."""
    _check(purpose, organisation, source)
    existing = consent_active(user=user, purpose=purpose, organisation=organisation)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            consent = Consent.objects.create(user=user, purpose=purpose, source=source,
                                             organisation=organisation, wording=wording)
    except IntegrityError:
        existing = consent_active(user=user, purpose=purpose, organisation=organisation)
        if existing is None:
            raise
        return existing
    log_action(user, "privacy.consent_granted", consent,
               {"purpose": purpose, "organisation": getattr(organisation, "pk", None),
                "source": source})
    return consent


def consent_grant_self_service(*, user: Any, purpose: str) -> Consent:
    """Switch on a platform purpose from the consent centre (personalisation, résumé
    suggestions); the others are given where they apply."""
    if purpose not in SELF_SERVICE:
        raise ServiceError("invalid_purpose", _("该事项需要在具体场景中单独同意。"))
    return consent_grant(user=user, purpose=purpose, source=ConsentSource.SETTINGS,
                         wording=str(EXPLANATIONS[purpose]))


def _missing_or_denied(user: Any, model: Any, pk: int, *, owner: str, verb: str,
                       message: str) -> None:
    """``NotFound`` unless row ``pk`` of ``model`` belongs to ``user`` (through ``owner``);
    someone else's row gets the same answer as a missing one and an audit entry, written
    before the transaction that the refusal would roll back."""
    row = model.objects.filter(pk=pk).values_list(owner, flat=True).first()
    if row is not None and row == getattr(user, "pk", None):
        return
    if row is not None:
        log_action(user if getattr(user, "is_authenticated", False) else None, verb,
                   (model._meta.label_lower, str(pk)), {})
    raise NotFound(message)


def consent_withdraw(*, user: Any, consent_id: int) -> Consent:
    """Withdraw one of ``user``'s consents; effective on the next request. Someone else's
    consent is not found (audited)."""
    _missing_or_denied(user, Consent, consent_id, owner="user_id",
                       verb="privacy.consent_denied", message=_("没有找到该同意记录。"))
    with transaction.atomic():
        return _consent_withdraw(user, consent_id)


def _consent_withdraw(user: Any, consent_id: int) -> Consent:
    consent = (Consent.objects.select_for_update()
               .filter(pk=consent_id, user=user).first())
    if consent is None:
        raise NotFound(_("没有找到该同意记录。"))
    if consent.withdrawn_at is None:
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])
        log_action(user, "privacy.consent_withdrawn", consent,
                   {"purpose": consent.purpose, "organisation": consent.organisation_id})
    return consent


# --- recruiters opening a résumé (RES-5, RES-6) ---------------------------------------------

@dataclass(frozen=True)
class OpenedResume:
    """What one request shows a recruiter: the grant, the contact details as allowed now,
    and the access-trail row written for it."""

    grant: ResumeGrant
    contact: ContactDetails
    display: ResumeDisplay
    access: ResumeAccess

    @property
    def resume(self) -> Any:
        return self.grant.resume

    @property
    def organisation(self) -> Organisation:
        return self.grant.organisation



def _record_access(grant: ResumeGrant, *, kind: str, fields: list[str], ip: str | None,
                   now: datetime, day: date) -> ResumeAccess:
    access = ResumeAccess.objects.create(
        resume=grant.resume, viewer=grant.viewer, organisation=grant.organisation, kind=kind,
        fields=fields, ip=ip, at=now, day=day)
    verb = "downloaded" if kind == AccessKind.DOWNLOAD else "viewed"
    log_action(grant.viewer, f"privacy.resume_{verb}", grant.resume, {
        "organisation": grant.organisation.pk, "kind": kind, "fields": fields,
        "via": grant.via, "access": access.pk})
    return access


def _after_access(grant: ResumeGrant, access: ResumeAccess) -> None:
    """After the commit: the unusual-volume test (RES-7), then ``resume_viewed``."""
    volume = organisation_volume(organisation=grant.organisation, kind=access.kind,
                                 day=access.day)
    if volume.unusual:
        flag_raise(organisation=grant.organisation, user=None, reason=FlagReason.VOLUME,
                   day=access.day, evidence=_evidence(
                       grant, access.kind, access.day, scope="organisation",
                       counts={"today": volume.today, "median": volume.median,
                               "factor": volume.factor, "days": volume.days}))
    resume_viewed.send(sender=ResumeAccess, resume=grant.resume,
                       organisation=grant.organisation, viewer=grant.viewer, access=access)


def _refused(grant: ResumeGrant, kind: str, exc: QuotaExceeded, now: datetime,
             day: date) -> None:
    """A refused access is audited and flagged to staff (in its own transaction: the
    refused one was rolled back)."""
    log_action(grant.viewer, "privacy.resume_quota_exceeded", grant.resume, {
        "organisation": grant.organisation.pk, "kind": kind, "scope": exc.scope,
        "count": exc.count, "limit": exc.limit})
    burst = exc.scope == "burst"
    since = now - timedelta(minutes=limits()["burst_minutes"]) if burst else None
    flag_raise(organisation=grant.organisation, user=grant.viewer,
               reason=FlagReason.BURST if burst else FlagReason.QUOTA, day=day,
               evidence=_evidence(grant, kind, day, scope=exc.scope, since=since,
                                  counts={"count": exc.count, "limit": exc.limit}))


def resume_open(*, viewer: Any, public_id: uuid.UUID | str, kind: str = AccessKind.VIEW,
                organisation: Organisation | int | None = None, ip: str | None = None
                ) -> OpenedResume:
    """Open a résumé for a recruiter (RES-4 rules in ``resume_for_recruiter``) within the
    daily limits (RES-7), decide the contact details now (RES-5) and write the access-trail
    row and audit entry in the same request (RES-6). Sends ``resume_viewed`` afterwards."""
    if kind not in VIEW_KINDS:
        raise ServiceError("invalid_kind", _("未知的访问方式。"))
    grant = resume_for_recruiter(viewer=viewer, public_id=public_id, organisation=organisation)
    now = timezone.now()
    day = timezone.localdate(now)
    try:
        with transaction.atomic():
            quota_take(viewer=viewer, organisation=grant.organisation, resume=grant.resume,
                       kind=kind, now=now, day=day)
            contact = resume_contact(grant=grant, reason=f"recruiter_{kind}")
            display = resume_display(resume=grant.resume)
            access = _record_access(grant, kind=kind, ip=ip, now=now, day=day, fields=[
                *display.sections, *(["contact"] if contact.released else [])])
    except QuotaExceeded as exc:
        _refused(grant, kind, exc, now, day)
        raise
    _after_access(grant, access)
    return OpenedResume(grant=grant, contact=contact, display=display, access=access)


# --- downloads (RES-6) ----------------------------------------------------------------------

@dataclass(frozen=True)
class DownloadedResume:
    """A watermarked résumé file (the rendered PDF or the seeker's uploaded PDF or DOCX) and
    the record behind its hidden marker."""

    data: bytes
    download: ResumeDownload
    content_type: str = "application/pdf"
    extension: str = "pdf"

    @property
    def filename(self) -> str:
        prefix = "resume-attachment" if self.download.source == DownloadSource.ATTACHMENT \
            else "resume"
        return f"{prefix}-{self.download.marker[:8]}.{self.extension}"


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def watermark_lines(*, organisation: Organisation, viewer: Any, at: datetime,
                    marker: str) -> list[str]:
    """The visible watermark: organisation, account, time and download number."""
    return [organisation.name,
            _("账号 %(account)s · %(time)s") % {
                "account": viewer.username,
                "time": timezone.localtime(at).strftime("%Y-%m-%d %H:%M")},
            _("下载编号 %(marker)s · 仅限本单位招聘使用") % {"marker": marker}]


def _download_record(grant: ResumeGrant, *, data: bytes, marker: str, source: str,
                     template: str, fields: list[str], ip: str | None, now: datetime
                     ) -> ResumeDownload:
    """Count the download against the limits (RES-7) and write the trail row and the download
    record with the file's hash, in one transaction; a refusal is audited and flagged."""
    kind = AccessKind.DOWNLOAD
    day = timezone.localdate(now)
    try:
        with transaction.atomic():
            quota_take(viewer=grant.viewer, organisation=grant.organisation,
                       resume=grant.resume, kind=kind, now=now, day=day)
            access = _record_access(grant, kind=kind, ip=ip, now=now, day=day, fields=fields)
            download = ResumeDownload.objects.create(
                access=access, marker=marker, source=source, template=template,
                sha256=hashlib.sha256(data).hexdigest(), created_at=now)
    except QuotaExceeded as exc:
        _refused(grant, kind, exc, now, day)
        raise
    _after_access(grant, access)
    return download


def _download_allowed(grant: ResumeGrant) -> None:
    """A feature limit on résumé downloads (RISK-2) refuses before anything is rendered."""
    from pinqiao.moderation.selectors import feature_blocked_reason

    limited = feature_blocked_reason(grant.organisation, "resume_download")
    if limited:
        raise NotPermitted(limited, code="feature_limited")


def resume_download(*, viewer: Any, public_id: uuid.UUID | str,
                    organisation: Organisation | int | None = None, template: str = "",
                    ip: str | None = None) -> DownloadedResume:
    """A recruiter downloads a résumé as PDF (RES-6): the same access rule and contact
    decision as the page, rendered by the résumés app, stamped with a visible watermark and a
    hidden per-download marker, counted against the download limits (RES-7) and recorded in
    the trail with the marker. The PDF is rendered before the counting transaction so no lock
    is held while WeasyPrint works; a refused download is thrown away."""
    if template and template not in TEMPLATES:
        raise ServiceError("invalid_template", _("没有这个简历模板。"),
                           fields={"template": [_("没有这个简历模板。")]})
    grant = resume_for_recruiter(viewer=viewer, public_id=public_id, organisation=organisation)
    _download_allowed(grant)
    contact = resume_contact(grant=grant, reason="recruiter_download")
    display = resume_display(resume=grant.resume)
    now = timezone.now()
    marker = new_marker()
    pdf = watermark_pdf(
        resume_pdf(grant.resume, template=template or None, contact=contact.for_print()),
        lines=watermark_lines(organisation=grant.organisation, viewer=viewer, at=now,
                              marker=marker),
        marker=marker)
    download = _download_record(
        grant, data=pdf, marker=marker, source=DownloadSource.RENDERED,
        template=template or grant.resume.template, ip=ip, now=now,
        fields=[*display.sections, *(["contact"] if contact.released else [])])
    return DownloadedResume(data=pdf, download=download)


def attachment_download(*, viewer: Any, public_id: uuid.UUID | str,
                        organisation: Organisation | int | None = None,
                        ip: str | None = None) -> DownloadedResume:
    """A recruiter downloads the seeker's uploaded PDF or DOCX (RES-2, RES-6). The same access
    rule as the page; because the file carries the seeker's own contact details, which cannot
    be masked inside it, only an organisation the seeker released them to (RES-5) gets it —
    the others read the extracted text, masked, on the page. The file is decrypted through the
    résumés app's audited read, stamped like a rendered PDF (visible lines and a hidden
    marker), counted against the download limits and recorded with its hash."""
    grant = resume_for_recruiter(viewer=viewer, public_id=public_id, organisation=organisation)
    _download_allowed(grant)
    if not hasattr(grant.resume, "attachment"):
        raise NotFound(_("该简历没有附件。"))
    if not contact_released_to(user=grant.resume.owner_id, organisation=grant.organisation):
        raise ServiceError("contact_not_released",
                           _("附件原件含有求职者的联系方式，求职者同意向贵单位提供联系方式后才能下载。"
                             "您可以先在页面上阅读附件文字（联系方式已隐藏）。"), status=403)
    # resumes.selectors reads consents from this app: import it when called.
    from pinqiao.resumes.selectors import attachment_decrypt

    attachment, original = attachment_decrypt(resume=grant.resume, actor=viewer,
                                              reason="recruiter_download",
                                              organisation=grant.organisation)
    now = timezone.now()
    marker = new_marker()
    lines = watermark_lines(organisation=grant.organisation, viewer=viewer, at=now,
                            marker=marker)
    try:
        if attachment.kind == AttachmentKind.DOCX:
            data = watermark_docx(original, lines=lines, marker=marker)
        else:
            data = watermark_pdf(original, lines=lines, marker=marker)
    except WatermarkError as exc:
        log_action(viewer, "privacy.attachment_unstampable", grant.resume,
                   {"organisation": grant.organisation.pk, "error": str(exc)[:200]})
        raise ServiceError("attachment_unavailable",
                           _("该附件无法加上水印，暂不能下载。请查看在线简历或下载在线简历 PDF。"),
                           status=409) from exc
    download = _download_record(grant, data=data, marker=marker,
                                source=DownloadSource.ATTACHMENT, template="", ip=ip, now=now,
                                fields=["attachment", "contact"])
    if attachment.kind == AttachmentKind.DOCX:
        return DownloadedResume(data=data, download=download, content_type=DOCX_TYPE,
                                extension="docx")
    return DownloadedResume(data=data, download=download)


# --- unusual volume (RES-7) -----------------------------------------------------------------

def _evidence(grant: ResumeGrant, kind: str, day: date, *, scope: str,
              counts: dict[str, Any], since: datetime | None = None) -> dict[str, Any]:
    """Counts, window and the latest 20 accesses behind a flag (no personal data: résumé
    ids and account handles only)."""
    rows = ResumeAccess.objects.filter(day=day).select_related("resume", "viewer")
    rows = (rows.filter(organisation=grant.organisation) if scope == "organisation"
            else rows.filter(viewer=grant.viewer))
    if since is not None:
        rows = rows.filter(at__gte=since)
    start = since or timezone.make_aware(datetime.combine(day, time.min))
    return {
        "kind": counted_kind(kind), "scope": scope, "counts": counts,
        "window": {"from": start.isoformat(), "to": timezone.now().isoformat()},
        "sample": [{"resume": str(a.resume.public_id), "viewer": a.viewer.username,
                    "kind": a.kind, "kind_label": str(a.get_kind_display()),
                    "at": a.at.isoformat()}
                   for a in rows.order_by("-at", "-pk")[:20]],
    }


def flag_raise(*, organisation: Organisation, user: Any, reason: str, day: date,
               evidence: dict[str, Any]) -> AccessFlag | None:
    """Flag unusual résumé access for staff, once per organisation (and account), reason and
    day; the organisation's owner is told. Returns None when already flagged."""
    try:
        with transaction.atomic():
            flag = AccessFlag.objects.create(organisation=organisation, user=user,
                                             reason=reason, day=day, evidence=evidence)
            log_action(None, "privacy.access_flagged", flag, {
                "organisation": organisation.pk, "user": getattr(user, "pk", None),
                "reason": reason, "counts": evidence.get("counts", {})})
            _notify_owner(organisation, "resume_access_flagged", {
                "reason": FlagReason(reason).label,
                "account": user.username if user is not None else ""})
    except IntegrityError:
        return None
    return flag


def _notify_owner(organisation: Organisation, event: str, context: dict[str, Any]) -> None:
    owner = (Membership.objects.filter(organisation=organisation, role=MemberRole.OWNER)
             .select_related("user").first())
    if owner is not None and owner.user.is_active:
        notify(owner.user, event, {"organisation": organisation.name, **context},
               link=f"/orgs/{organisation.pk}/")


@transaction.atomic
def flag_resolve(*, actor: Any, flag_id: int, status: str, note: str) -> AccessFlag:
    """Staff close a flag as normal or confirmed abuse (with a note); a confirmed flag warns
    the organisation's owner."""
    require_perm(actor, "privacy.flags")
    flag = (AccessFlag.objects.select_for_update(of=("self",))
            .select_related("organisation", "user").filter(pk=flag_id).first())
    if flag is None:
        raise NotFound(_("没有找到该预警。"))
    if flag.status != FlagStatus.OPEN:
        raise ServiceError("flag_resolved", _("该预警已处理。"))
    if status not in (FlagStatus.BENIGN, FlagStatus.CONFIRMED):
        raise ServiceError("invalid_status", _("请选择处理结论。"), fields={"status": [
            _("请选择处理结论。")]})
    note = note.strip()[:2000]
    if not note:
        raise ServiceError("note_required", _("请写明处理说明。"), fields={"note": [
            _("请写明处理说明。")]})
    flag.status = status
    flag.note = note
    flag.resolved_by = actor
    flag.resolved_at = timezone.now()
    flag.save(update_fields=["status", "note", "resolved_by", "resolved_at"])
    log_action(actor, "privacy.flag_resolved", flag, {"status": status})
    if status == FlagStatus.CONFIRMED:
        _notify_owner(flag.organisation, "resume_access_flag_confirmed", {
            "account": flag.user.username if flag.user else "", "note": note})
    return flag


# --- contact requests (RES-5) ---------------------------------------------------------------

def release_wording(organisation: Organisation) -> str:
    """What the seeker agrees to when releasing contact details (PIPL Arts. 14, 23)."""
    return _("我同意聘桥向 %(name)s（统一社会信用代码 %(code)s）提供我简历中的手机号、电子邮箱和"
             "即时通讯账号，仅用于该单位就招聘事宜与我联系。我可以随时在「隐私与授权」中撤回，"
             "撤回后该单位将无法再看到这些信息。") % {"name": organisation.name,
                                                 "code": organisation.credit_code}


def _paused_until(resume: Any, organisation: Organisation) -> Any:
    """When the organisation may ask again after a decline or a withdrawal, or None."""
    since = timezone.now() - CONTACT_REQUEST_PAUSE
    declined = (ContactRequest.objects.filter(
        resume=resume, organisation=organisation, status=ContactRequestStatus.DECLINED,
        decided_at__gt=since).order_by("-decided_at").values_list("decided_at", flat=True)
        .first())
    withdrawn = (Consent.objects.filter(
        user=resume.owner_id, organisation=organisation,
        purpose=ConsentPurpose.CONTACT_RELEASE, withdrawn_at__gt=since)
        .order_by("-withdrawn_at").values_list("withdrawn_at", flat=True).first())
    latest = max((t for t in (declined, withdrawn) if t is not None), default=None)
    return latest + CONTACT_REQUEST_PAUSE if latest is not None else None


def contact_request_create(*, actor: Any, public_id: uuid.UUID | str,
                           organisation: Organisation | int | None = None,
                           posting: Any = None) -> ContactRequest:
    """A recruiter asks for the seeker's contact details; the seeker is notified. One open
    request per organisation and résumé (database constraint)."""
    grant = resume_for_recruiter(viewer=actor, public_id=public_id, organisation=organisation)
    resume, org = grant.resume, grant.organisation
    if contact_released_to(user=resume.owner_id, organisation=org):
        raise ServiceError("contact_already_released", _("求职者已同意向贵单位提供联系方式。"))
    paused = _paused_until(resume, org)
    if paused is not None:
        raise ServiceError("contact_request_paused",
                           _("求职者已拒绝或撤回授权，%(day)s 之后才能再次请求。")
                           % {"day": timezone.localtime(paused).strftime("%Y-%m-%d %H:%M")})
    if posting is not None and posting.organisation_id != org.pk:
        posting = None
    try:
        with transaction.atomic():
            request = ContactRequest.objects.create(resume=resume, organisation=org,
                                                    requested_by=actor, posting=posting)
            log_action(actor, "privacy.contact_requested", request,
                       {"organisation": org.pk, "resume": str(resume.public_id)})
            notify(resume.owner, "contact_request_received",
                   {"organisation": org.name, "posting": posting.title if posting else ""},
                   link=reverse("privacy:consents") + "#requests")
    except IntegrityError:
        raise ServiceError("contact_request_open",
                           _("贵单位已发出联系方式请求，请等待求职者回应。")) from None
    return request


def _request_denied(user: Any, request_id: int) -> None:
    _missing_or_denied(user, ContactRequest, request_id, owner="resume__owner_id",
                       verb="privacy.contact_request_denied", message=_("没有找到该请求。"))


def _open_request(user: Any, request_id: int) -> ContactRequest:
    request = (ContactRequest.objects.select_for_update()
               .select_related("organisation", "resume", "requested_by")
               .filter(pk=request_id, resume__owner=user).first())
    if request is None:
        raise NotFound(_("没有找到该请求。"))
    if request.status != ContactRequestStatus.OPEN:
        raise ServiceError("contact_request_decided", _("该请求已处理。"))
    return request


def _tell_recruiter(request: ContactRequest, event: str) -> None:
    if request.requested_by.is_active:
        notify(request.requested_by, event, {"organisation": request.organisation.name},
               link=reverse("privacy:recruiter_resume", args=[request.resume.public_id]))


def contact_request_accept(*, user: Any, request_id: int) -> ContactRequest:
    """The seeker accepts: a separate ``contact_release`` consent to that organisation
    (source ``contact_request``); the recruiter is notified. Someone else's request is not
    found (audited)."""
    _request_denied(user, request_id)
    with transaction.atomic():
        return _contact_request_accept(user, request_id)


def _contact_request_accept(user: Any, request_id: int) -> ContactRequest:
    request = _open_request(user, request_id)
    consent = consent_grant(user=user, purpose=ConsentPurpose.CONTACT_RELEASE,
                            source=ConsentSource.CONTACT_REQUEST,
                            organisation=request.organisation,
                            wording=release_wording(request.organisation))
    request.status = ContactRequestStatus.ACCEPTED
    request.decided_at = timezone.now()
    request.consent = consent
    request.save(update_fields=["status", "decided_at", "consent"])
    log_action(user, "privacy.contact_request_accepted", request,
               {"organisation": request.organisation_id, "consent": consent.pk})
    _tell_recruiter(request, "contact_request_accepted")
    return request


def contact_request_decline(*, user: Any, request_id: int) -> ContactRequest:
    """The seeker declines; the recruiter is notified and may not ask again for a week.
    Someone else's request is not found (audited)."""
    _request_denied(user, request_id)
    with transaction.atomic():
        return _contact_request_decline(user, request_id)


def _contact_request_decline(user: Any, request_id: int) -> ContactRequest:
    request = _open_request(user, request_id)
    request.status = ContactRequestStatus.DECLINED
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_at"])
    log_action(user, "privacy.contact_request_declined", request,
               {"organisation": request.organisation_id})
    _tell_recruiter(request, "contact_request_declined")
    return request
