"""招聘简章 (ORG-13): organisations write or upload recruitment brochures, reviewed like a
posting (MOD-1): every text — title, body and the text extracted from an optional PDF with the
bounded extractor — is screened on save in the ``brochure`` context. A ``reject`` finding
refuses the save with the clauses and the words (the input kept), a ``review`` finding holds
the brochure for the review queue, and only a published brochure is shown on the
organisation's public page. Every change writes an audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from pinqiao.core.audit import log_action
from pinqiao.core.errors import NotFound, ServiceError
from pinqiao.core.validators import normalize_text
from pinqiao.moderation import services as moderation
from pinqiao.moderation.models import ReviewItem
from pinqiao.moderation.public_texts import screen_public_texts
from pinqiao.orgs.models import (
    Brochure,
    BrochureStatus,
    DocumentKind,
    MemberRole,
    Membership,
    Organisation,
)
from pinqiao.orgs.selectors import screening_waivers
from pinqiao.orgs.services import _notify_owner, _store
from pinqiao.orgs.uploads import check_upload
from pinqiao.resumes.uploads import extract_text

TITLE_MAX = 100
BODY_MAX = 20_000
#: The PDF's text is extracted inline with the résumé extractor's bounds (pages, characters).
PDF_SECONDS = 5.0


@dataclass(frozen=True)
class BrochureInput:
    """What the organisation submits: a title, a text and/or a PDF."""

    title: str
    body: str = ""
    pdf: UploadedFile | None = None
    drop_pdf: bool = False


def _owner(actor: Any, organisation: Organisation) -> None:
    if not (getattr(actor, "is_authenticated", False) and Membership.objects.filter(
            organisation=organisation, user=actor, role=MemberRole.OWNER).exists()):
        raise NotFound(_("单位不存在，或您不是该单位的管理员。"))


def brochure_save(*, actor: Any, organisation: Organisation, data: BrochureInput,
                  brochure: Brochure | None = None) -> Brochure:
    """Create (or, with ``brochure``, replace the texts of) a 招聘简章 after screening it.

    Raises ``ServiceError("invalid_brochure")`` for missing or over-long input and
    ``ServiceError("content_refused")`` with the findings in ``details["screening"]`` when a
    text is refused; nothing is written then.
    """
    _owner(actor, organisation)
    if brochure is not None and brochure.organisation_id != organisation.pk:
        raise NotFound(_("招聘简章不存在。"))
    title = normalize_text(data.title or "")
    body = normalize_text(data.body or "")
    fields: dict[str, list[str]] = {}
    if not title:
        fields["title"] = [_("请填写简章标题。")]
    elif len(title) > TITLE_MAX:
        fields["title"] = [_("简章标题最多 %(n)s 个字。") % {"n": TITLE_MAX}]
    if len(body) > BODY_MAX:
        fields["body"] = [_("简章正文最多 %(n)s 个字。") % {"n": BODY_MAX}]
    checked = None
    pdf_text = "" if data.drop_pdf or brochure is None else brochure.pdf_text
    if data.pdf is not None:
        try:
            checked = check_upload(data.pdf, field="pdf", allowed=("application/pdf",))
            checked.upload.seek(0)
            pdf_text = normalize_text(extract_text(checked.upload.read(), "pdf",
                                                   seconds=PDF_SECONDS, field="pdf"))
        except ServiceError as exc:
            fields.update(exc.fields or {"pdf": [exc.message]})
        else:
            if not pdf_text:
                fields["pdf"] = [_("未能从该 PDF 中读出文字（可能是扫描图片），"
                                   "请在正文中填写简章内容。")]
    if not fields and not body and not pdf_text:
        fields["body"] = [_("请填写简章正文，或上传含文字的 PDF。")]
    if fields:
        raise ServiceError("invalid_brochure", next(iter(fields.values()))[0], fields=fields)
    labels = {name: str(Brochure._meta.get_field(name).verbose_name)
              for name in ("title", "body", "pdf_text")}
    held = screen_public_texts(model="orgs.Brochure",
                               values={"title": title, "body": body, "pdf_text": pdf_text},
                               target=organisation, waived=screening_waivers(organisation),
                               labels=labels, hold_for_review=True)
    status = BrochureStatus.PENDING if held else BrochureStatus.PUBLISHED
    with transaction.atomic():
        if brochure is None:
            brochure = Brochure(organisation=organisation, created_by=actor)
        else:
            brochure = Brochure.objects.select_for_update().get(pk=brochure.pk)
            moderation.review_items_close_for(target=brochure, actor=actor, note="edited")
        brochure.title, brochure.body, brochure.pdf_text = title, body, pdf_text
        if checked is not None:
            brochure.pdf = _store(actor, organisation, DocumentKind.BROCHURE, checked)
        elif data.drop_pdf:
            brochure.pdf = None
        brochure.status = status
        brochure.rules_version = moderation.live_rule_set().version
        brochure.save()
        for name, record in held.items():
            moderation.review_item_open(
                kind=ReviewItem.Kind.SCREENING, target=brochure,
                title=_("招聘简章：%(t)s") % {"t": title}, text=record.text, screening=record,
                reasons=[{"field": labels[name], **row} for row in moderation.explain(record)],
                risk=moderation.screening_risk(record))
        log_action(actor, "orgs.brochure_saved", brochure, {
            "organisation": organisation.pk, "status": status, "pdf": brochure.pdf_id,
            "held": sorted(held)})
    return brochure


def brochure_delete(*, actor: Any, brochure: Brochure) -> None:
    """Remove a brochure (its open review items are closed)."""
    _owner(actor, brochure.organisation)
    with transaction.atomic():
        moderation.review_items_close_for(target=brochure, actor=actor, note="deleted")
        log_action(actor, "orgs.brochure_deleted", brochure, {
            "organisation": brochure.organisation_id, "title": brochure.title})
        brochure.delete()


def _on_review(*, item: ReviewItem, action: str, actor: Any) -> None:
    """Apply a reviewer's decision: approve publishes, reject or a request to edit refuses;
    the organisation's owner is told, with the reviewer's note."""
    brochure = Brochure.objects.select_related("organisation").filter(
        pk=item.object_id).first()
    if brochure is None or brochure.status != BrochureStatus.PENDING:
        return
    brochure.status = (BrochureStatus.PUBLISHED if action == "approve"
                       else BrochureStatus.REFUSED)
    brochure.save(update_fields=["status", "updated_at"])
    log_action(actor, "orgs.brochure_reviewed", brochure, {"action": action,
                                                           "status": brochure.status})
    _notify_owner(brochure.organisation, "org_brochure_reviewed", {
        "title": brochure.title,
        "outcome": _("已通过审核并发布") if action == "approve" else _("未通过审核"),
        "note": item.note}, link=f"/orgs/{brochure.organisation_id}/brochures/")


def install_moderation_hooks() -> None:
    moderation.register_review_handler(Brochure._meta.label_lower, _on_review)


# --- selectors ---------------------------------------------------------------------------------

def brochures_public(organisation: Organisation) -> QuerySet[Brochure]:
    """The brochures shown on the public page: published ones only."""
    return organisation.brochures.filter(status=BrochureStatus.PUBLISHED).only(
        "title", "body", "pdf_text", "updated_at", "organisation_id")


def brochures_for_owner(*, user: Any, organisation: Organisation) -> QuerySet[Brochure]:
    """Every brochure of ``organisation`` for its owner, with its status."""
    _owner(user, organisation)
    return organisation.brochures.all()


def brochure_for_owner(*, user: Any, organisation: Organisation, brochure_id: int) -> Brochure:
    """One brochure of ``organisation`` for its owner; NotFound for anyone else."""
    brochure = brochures_for_owner(user=user, organisation=organisation).filter(
        pk=brochure_id).first()
    if brochure is None:
        raise NotFound(_("招聘简章不存在。"))
    return brochure
