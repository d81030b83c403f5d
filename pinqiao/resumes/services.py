"""Résumé services: building the résumé online (RES-1), photo and attachment uploads (RES-2),
the review on submit (MOD-8), visibility and blocked organisations (RES-4), the suggestions
consent (RES-3).

Every write is owner-only: another user's résumé or entry is "not found" and the attempt is
audited. A change of content to a résumé that was already submitted is reviewed again at once,
so an approved résumé stays usable after a harmless edit and never carries unreviewed text.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import partial, wraps
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import EmailValidator
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.core.audit import log_action
from pinqiao.core.crypto import decrypt_bytes, encrypt, encrypt_bytes
from pinqiao.core.errors import NotFound, ServiceError
from pinqiao.core.masking import mask_email, mask_phone
from pinqiao.core.permissions import Role
from pinqiao.core.validators import normalize_phone
from pinqiao.jobs.services import clean_text
from pinqiao.moderation import services as moderation
from pinqiao.moderation.models import ReviewItem
from pinqiao.notifications.services import notify
from pinqiao.privacy.models import ConsentPurpose, ConsentSource
from pinqiao.privacy.selectors import consent_active
from pinqiao.privacy.services import consent_grant, consent_withdraw
from pinqiao.reference import divisions, taxonomy
from pinqiao.resumes import quality, uploads
from pinqiao.resumes.models import (
    ATTACHMENT_CONTEXT,
    CONTACT_CONTEXTS,
    PHOTO_CONTEXT,
    Attachment,
    BlockedOrganisation,
    Certificate,
    Education,
    Gender,
    Honour,
    Resume,
    ReviewStatus,
    Template,
    Visibility,
    WorkExperience,
    private_file_name,
    private_storage,
)

#: Longest text per field (bad input: 50,000 characters are refused, not cut).
TEXT_LIMITS = {
    "full_name": 40, "self_introduction": 2000, "skills": 300, "interests": 200,
    "school": 60, "major": 60, "company": 60, "title": 60, "name": 60, "issuer": 60,
    "awarder": 60, "summary": 300, "im": 50,
}
ENTRY_TEXT_LIMITS = {"education": {"description": 500},
                     "work": {"description": 1000, "achievements": 1000}}
MULTILINE = {"self_introduction", "description", "achievements"}

BASIC = ("full_name", "gender", "birth_date")
INTENTION = ("desired_function", "desired_industry", "desired_city", "desired_employment_type",
             "desired_pay_min", "desired_pay_max")
ABOUT = ("self_introduction", "skills", "interests")
EDITABLE = BASIC + INTENTION + ABOUT

MIN_AGE, MAX_AGE = 16, 80
MAX_PAY = Decimal("1000000")


class EntryKind:
    """The child sections: model, editable fields, required fields, the most rows allowed."""

    def __init__(self, model: type[models.Model], fields: tuple[str, ...],
                 required: tuple[str, ...], limit: int, label: str) -> None:
        self.model, self.fields, self.required = model, fields, required
        self.limit, self.label = limit, label


ENTRY_KINDS: dict[str, EntryKind] = {
    "education": EntryKind(Education, ("school", "major", "degree", "start_date", "end_date",
                                       "description"), ("school", "degree", "start_date"),
                           10, "教育经历"),
    "work": EntryKind(WorkExperience, ("company", "title", "start_date", "end_date",
                                       "description", "achievements"),
                      ("company", "title", "start_date"), 20, "工作经历"),
    "certificate": EntryKind(Certificate, ("name", "issuer", "obtained_on"), ("name",), 20,
                             "职业证书"),
    "honour": EntryKind(Honour, ("title", "awarder", "awarded_on", "summary"), ("title",), 20,
                        "荣誉成果"),
}

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


# --- access --------------------------------------------------------------------------------

def deny(actor: Any, target: Any, what: str) -> NotFound:
    """Audit an attempt on someone else's résumé data and return the 404 to raise."""
    log_action(actor, "resume.access_denied", target, {"what": what})
    return NotFound(_("没有找到该简历内容。"))


def _own(actor: Any, resume: Resume) -> None:
    if not getattr(actor, "is_authenticated", False) or resume.owner_id != actor.pk:
        raise deny(actor, resume, "resume")


def owner_atomic(func: Callable[..., Any]) -> Callable[..., Any]:
    """Run an owner-only service in a transaction after checking that ``resume`` (and the entry
    named by ``kind`` and ``entry_id``) belongs to ``actor``. The check comes first so that the
    audit entry of a refusal is not rolled back with the refused transaction."""
    atomic = transaction.atomic(func)

    @wraps(func)
    def wrapper(*, actor: Any, resume: Resume, **kwargs: Any) -> Any:
        _own(actor, resume)
        if "entry_id" in kwargs:
            entry_get(actor=actor, resume=resume, kind=kwargs["kind"],
                      entry_id=kwargs["entry_id"])
        return atomic(actor=actor, resume=resume, **kwargs)

    return wrapper


def resume_ensure(*, owner: Any) -> Resume:
    """The seeker's résumé, created empty on first use (one per seeker, a database rule)."""
    if not getattr(owner, "is_authenticated", False) or owner.role != Role.SEEKER:
        raise ServiceError("not_seeker", _("只有求职者账号可以创建简历。"), status=403)
    resume = Resume.objects.filter(owner=owner).first()
    if resume is not None:
        return resume
    with transaction.atomic():
        resume, created = Resume.objects.get_or_create(owner=owner)
        if created:
            log_action(owner, "resume.create", resume, {})
    return resume


# --- value parsing -------------------------------------------------------------------------

def _text(field: str, value: Any, errors: dict[str, list[str]], limit: int | None = None) -> str:
    text = clean_text(value, multiline=field in MULTILINE)
    limit = limit or TEXT_LIMITS.get(field, 200)
    if len(text) > limit:
        errors.setdefault(field, []).append(
            _("最多 %(limit)s 个字，当前 %(n)s 个字。") % {"limit": limit, "n": len(text)})
    return text


def parse_date(value: Any, field: str, errors: dict[str, list[str]]) -> date | None:
    """``YYYY-MM-DD`` or ``YYYY-MM`` (the first of the month); ``None`` when empty."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    raw = clean_text(value)
    month = _MONTH.match(raw)
    try:
        parsed = (date(int(month.group(1)), int(month.group(2)), 1) if month
                  else date.fromisoformat(raw))
    except ValueError:
        errors.setdefault(field, []).append(_("请输入正确的日期（如 2020-09 或 2020-09-01）。"))
        return None
    if parsed.year < 1940:
        errors.setdefault(field, []).append(_("日期过早，请核对。"))
        return None
    return parsed


def _pay(value: Any, field: str, errors: dict[str, list[str]]) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(clean_text(value).replace(",", ""))
    except InvalidOperation:
        errors.setdefault(field, []).append(_("请输入整数金额（元/月）。"))
        return None
    if not amount.is_finite() or amount <= 0 or amount >= MAX_PAY:
        errors.setdefault(field, []).append(_("期望月薪应大于 0 且小于 100 万元。"))
        return None
    return amount.quantize(Decimal("1"))


def _choice(value: Any, allowed: set[str], field: str, errors: dict[str, list[str]],
            message: str) -> str:
    text = clean_text(value)
    if text and text not in allowed:
        errors.setdefault(field, []).append(message)
        return ""
    return text


def _clean_resume_fields(resume: Resume, data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    today = timezone.localdate()
    for field in EDITABLE:
        if field not in data:
            continue
        raw = data[field]
        if field in ("full_name", "self_introduction", "skills", "interests"):
            values[field] = _text(field, raw, errors)
        elif field == "gender":
            values[field] = _choice(raw, set(Gender.values), field, errors, _("请选择性别。"))
        elif field == "birth_date":
            born = parse_date(raw, field, errors)
            if born is not None:
                age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
                if age < MIN_AGE:
                    errors.setdefault(field, []).append(_(
                        "根据《劳动法》第十五条，平台不为未满 16 周岁的人员提供求职服务。"))
                elif age > MAX_AGE:
                    errors.setdefault(field, []).append(_("出生日期有误，请核对。"))
            values[field] = born
        elif field == "desired_function":
            slug = clean_text(raw)
            if slug and taxonomy.job_function(slug) is None:
                errors.setdefault(field, []).append(_("请从列表中选择职能。"))
                slug = ""
            values[field] = slug
        elif field == "desired_industry":
            code = clean_text(raw)
            if code and taxonomy.industry(code) is None:
                errors.setdefault(field, []).append(_("请从列表中选择行业。"))
                code = ""
            values[field] = code
        elif field == "desired_city":
            code = clean_text(raw)
            division = divisions.get(code) if code else None
            if code and (division is None or division.level != "city"):
                errors.setdefault(field, []).append(_("请选择城市一级的工作地点。"))
                code = ""
            values[field] = code
        elif field == "desired_employment_type":
            values[field] = _choice(raw, {c.value for c in taxonomy.EMPLOYMENT_TYPES}, field,
                                    errors, _("请从列表中选择工作性质。"))
        elif field in ("desired_pay_min", "desired_pay_max"):
            values[field] = _pay(raw, field, errors)
    low = values.get("desired_pay_min", resume.desired_pay_min)
    high = values.get("desired_pay_max", resume.desired_pay_max)
    if low is not None and high is not None and low > high:
        errors.setdefault("desired_pay_min", []).append(_("期望月薪下限不能高于上限。"))
    if errors:
        raise ServiceError("invalid_resume", next(iter(errors.values()))[0], fields=errors)
    return values


# --- review (MOD-8) ------------------------------------------------------------------------

def _sections(resume: Resume) -> list[tuple[str, str]]:
    """The free text a reviewer judges, section by section (no name, no contact details)."""
    parts: list[tuple[str, str]] = [
        (_("自我介绍"), resume.self_introduction), (_("技能"), resume.skills),
        (_("兴趣爱好"), resume.interests)]
    for row in resume.education.all():
        parts.append((_("教育经历"), " ".join(filter(None, [row.school, row.major,
                                                           row.description]))))
    for row in resume.work.all():
        parts.append((_("工作经历"), " ".join(filter(None, [row.company, row.title,
                                                           row.description,
                                                           row.achievements]))))
    for row in resume.certificates.all():
        parts.append((_("职业证书"), " ".join(filter(None, [row.name, row.issuer]))))
    for row in resume.honours.all():
        parts.append((_("荣誉成果"), " ".join(filter(None, [row.title, row.awarder,
                                                           row.summary]))))
    attachment = getattr(resume, "attachment", None)
    if attachment is not None:
        parts.append((_("附件简历"), attachment.text))
    return [(label, text) for label, text in parts if text]


def _chunks(resume: Resume) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """Screening texts of at most the engine's limit, each with the (start, end, section) spans
    that let evidence be named by the section it was found in."""
    limit = moderation.MAX_SCREEN_CHARS
    chunks: list[tuple[str, list[tuple[int, int, str]]]] = []
    text, spans = "", []
    for label, body in _sections(resume):
        line = f"{label}：{body}"
        while line:
            room = limit - len(text) - (1 if text else 0)
            if room <= len(label) + 1:
                chunks.append((text, spans))
                text, spans = "", []
                continue
            piece, line = line[:room], line[room:]
            start = len(text) + (1 if text else 0)
            text = f"{text}\n{piece}" if text else piece
            spans.append((start, len(text), label))
    if text:
        chunks.append((text, spans))
    return chunks


def _screening_reasons(resume: Resume) -> tuple[list[dict[str, Any]], str, Any]:
    """Screen the résumé (context ``resume``: self-description is lawful, so the
    discrimination rules for postings do not apply). Returns the reasons, the strongest
    decision and the first screening record with findings."""
    reasons: list[dict[str, Any]] = []
    decision, record_with_findings = "pass", None
    order = {"pass": 0, "review": 1, "reject": 2}
    for text, spans in _chunks(resume):
        record = moderation.screen_text(text=text, context="resume", target=resume)
        if order[record.decision] > order[decision]:
            decision = record.decision
        if record.evidence and record_with_findings is None:
            record_with_findings = record
        notes = moderation.rule_notes() if record.evidence else {}
        for row in moderation.explain(record):
            where = sorted({label for ev in record.evidence if ev["category"] == row["category"]
                            for start, end, label in spans if start <= ev["start"] < end})
            reasons.append({
                "code": f"screening.{row['category']}", "kind": "screening",
                "message": f"{row['label']}：{row['clause']}", "label": row["label"],
                "clause": row["clause"], "words": row["words"], "sections": where,
                "notes": [notes[r] for r in row["rules"] if notes.get(r)],
            })
    return reasons, decision, record_with_findings


def _missing_reasons(resume: Resume) -> list[dict[str, Any]]:
    return [{"code": f"missing.{field}", "kind": "missing", "message": message, "field": field,
             "words": []} for field, message in quality.missing_required(resume).items()]


def reasons_summary(reasons: list[dict[str, Any]]) -> str:
    """One line per reason for notices: the rule, the words and where they are."""
    lines = []
    for reason in reasons:
        line = str(reason["message"])
        if reason.get("words"):
            line += _("（命中：%(w)s）") % {"w": "、".join(reason["words"])}
        if reason.get("sections"):
            line += _("，位于：%(s)s") % {"s": "、".join(reason["sections"])}
        lines.append(line)
    return "；".join(lines)


def _link() -> str:
    return reverse("resumes:mine")


def _tell(resume: Resume, event: str, **context: Any) -> None:
    notify(resume.owner, event, {"resume": resume, **context}, link=_link())


def _set_status(resume: Resume, status: str, reasons: list[dict[str, Any]], *, actor: Any,
                explicit: bool, note: str = "") -> None:
    previous = resume.review_status
    resume.review_status = status
    resume.review_reasons = reasons
    resume.reviewed_at = timezone.now() if status != ReviewStatus.PENDING else None
    resume.save(update_fields=["review_status", "review_reasons", "reviewed_at"])
    log_action(actor, "resume.review", resume,
               {"from": previous, "to": status, "codes": [r["code"] for r in reasons]})
    if not (explicit or previous != status):
        return
    summary = reasons_summary(reasons)
    if status == ReviewStatus.APPROVED:
        _tell(resume, "resume_approved")
    elif status == ReviewStatus.NEEDS_CHANGES:
        _tell(resume, "resume_needs_changes", reasons=summary, note=note)
    elif status == ReviewStatus.PENDING:
        _tell(resume, "resume_in_review", reasons=summary)


def _review(resume: Resume, *, actor: Any, explicit: bool) -> Resume:
    """Decide the review outcome (MOD-8): refused words or missing required fields → needs
    changes; words for a person to judge → pending with a review item; otherwise approved.
    Illegal content also goes to a reviewer (DB4401 6.1.2.3)."""
    screening, decision, record = _screening_reasons(resume)
    missing = _missing_reasons(resume)
    reasons = screening + missing
    serious = {"screening.illegal_content", "screening.fraud"}
    if decision == "review" or any(r["code"] in serious for r in screening):
        moderation.review_item_open(
            kind=ReviewItem.Kind.SCREENING, target=resume,
            title=_("简历 %(id)s") % {"id": str(resume.public_id)[:8]},
            text=record.text if record else "", screening=record,
            reasons=[{"code": r["code"], "message": r["message"], "words": r["words"]}
                     for r in screening],
            risk=moderation.screening_risk(record) if record else 30)
    else:
        moderation.review_items_close_for(target=resume, actor=actor, note="resume re-reviewed")
    if decision == "reject" or missing:
        _set_status(resume, ReviewStatus.NEEDS_CHANGES, reasons, actor=actor, explicit=explicit)
    elif decision == "review":
        _set_status(resume, ReviewStatus.PENDING, reasons, actor=actor, explicit=explicit)
    else:
        _set_status(resume, ReviewStatus.APPROVED, [], actor=actor, explicit=explicit)
    return resume


def _changed(resume: Resume, *, actor: Any) -> None:
    """After a change of content: a submitted résumé is reviewed again at once."""
    resume.updated_at = timezone.now()
    resume.save(update_fields=["updated_at"])
    if resume.review_status != ReviewStatus.DRAFT:
        _review(resume, actor=actor, explicit=False)


@owner_atomic
def resume_submit(*, actor: Any, resume: Resume) -> Resume:
    """Submit the résumé for review (MOD-8). The seeker is told the outcome in the inbox and,
    when something must be fixed, by SMS or e-mail with the rule, the words and the fields."""
    resume = Resume.objects.select_for_update().get(pk=resume.pk)
    resume.submitted_at = timezone.now()
    resume.save(update_fields=["submitted_at"])
    log_action(actor, "resume.submit", resume, {})
    return _review(resume, actor=actor, explicit=True)


def _on_review(*, item: ReviewItem, action: str, actor: Any) -> None:
    """A reviewer's decision on a résumé (MOD-5 queue → MOD-8): approve publishes it unless
    required fields are missing; reject or request an edit sends it back with the note."""
    resume = Resume.objects.select_for_update().filter(pk=item.object_id).first()
    if resume is None:
        return
    if action == "approve":
        missing = _missing_reasons(resume)
        if missing:
            _set_status(resume, ReviewStatus.NEEDS_CHANGES, missing, actor=actor, explicit=True)
        else:
            _set_status(resume, ReviewStatus.APPROVED, [], actor=actor, explicit=True)
        return
    note = item.note or item.reason_code
    reasons = [{"code": "review.reviewer", "kind": "reviewer", "words": [],
                "message": _("审核员意见：%(n)s") % {"n": note}}]
    reasons += [r for r in resume.review_reasons if r.get("kind") == "screening"]
    _set_status(resume, ReviewStatus.NEEDS_CHANGES, reasons, actor=actor, explicit=True,
                note=note)


def install_moderation_hooks() -> None:
    moderation.register_review_handler(Resume._meta.label_lower, _on_review)


# --- fields --------------------------------------------------------------------------------

@owner_atomic
def resume_update(*, actor: Any, resume: Resume, data: dict[str, Any]) -> Resume:
    """Set any of the basic, job-intention and about-me fields present in ``data`` (RES-1);
    field-by-field messages for malformed values, nothing saved then."""
    resume = Resume.objects.select_for_update().get(pk=resume.pk)
    values = _clean_resume_fields(resume, data)
    changed = [f for f, v in values.items() if getattr(resume, f) != v]
    if not changed:
        return resume
    before = {f: getattr(resume, f) for f in changed}
    for field in changed:
        setattr(resume, field, values[field])
    resume.save(update_fields=changed)
    log_action(actor, "resume.update", resume, {"changed": changed})
    _correction(actor, resume, "简历基本信息", resume, before, {f: values[f] for f in changed})
    _changed(resume, actor=actor)
    return resume


def _correction(actor: Any, resume: Resume, source: str, model: Any, before: dict[str, Any],
                after: dict[str, Any]) -> None:
    """PRIV-5: the owner's edit is also a correction record on their rights page."""
    from pinqiao.rights.corrections import correction_record

    correction_record(user=resume.owner, actor=actor, source=source, model=model,
                      before=before, after=after)


@owner_atomic
def resume_contact_set(*, actor: Any, resume: Resume, phone: str = "", email: str = "",
                       im: str = "") -> Resume:
    """Store the contact details encrypted (PRIV-1), with masked forms for display."""
    resume = Resume.objects.select_for_update().get(pk=resume.pk)
    before = {"phone_masked": resume.phone_masked, "email_masked": resume.email_masked,
              "im_masked": resume.im_masked}
    errors: dict[str, list[str]] = {}
    phone = clean_text(phone)
    if phone:
        try:
            phone = normalize_phone(phone)
        except ValidationError as exc:
            errors["phone"] = list(exc.messages)
    email = clean_text(email).lower()
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            errors["email"] = [_("请输入正确的电子邮箱。")]
        if len(email) > 100:
            errors["email"] = [_("电子邮箱最多 100 个字符。")]
    im = _text("im", im, errors)
    if errors:
        raise ServiceError("invalid_contact", next(iter(errors.values()))[0], fields=errors)
    resume.phone_ciphertext = encrypt(phone, context=CONTACT_CONTEXTS["phone"]) if phone else ""
    resume.email_ciphertext = encrypt(email, context=CONTACT_CONTEXTS["email"]) if email else ""
    resume.im_ciphertext = encrypt(im, context=CONTACT_CONTEXTS["im"]) if im else ""
    resume.phone_masked = mask_phone(phone) if phone else ""
    resume.email_masked = mask_email(email) if email else ""
    resume.im_masked = (im[:1] + "***" + im[-1:] if len(im) > 2 else "***") if im else ""
    resume.save(update_fields=["phone_ciphertext", "email_ciphertext", "im_ciphertext",
                               "phone_masked", "email_masked", "im_masked"])
    log_action(actor, "resume.contact_update", resume,
               {"phone": resume.phone_masked, "email": resume.email_masked,
                "im": resume.im_masked})
    _correction(actor, resume, "简历联系方式", resume, before,
                {f: getattr(resume, f) for f in before})
    _changed(resume, actor=actor)
    return resume


@owner_atomic
def template_set(*, actor: Any, resume: Resume, template: str) -> Resume:
    """Choose the layout of the PDF (RES-2); not a change of content."""
    if template not in Template.values:
        raise ServiceError("invalid_template", _("请选择一个简历模板。"),
                           fields={"template": [_("请选择一个简历模板。")]})
    if resume.template != template:
        resume.template = template
        resume.save(update_fields=["template"])
        log_action(actor, "resume.template", resume, {"template": template})
    return resume


# --- entries -------------------------------------------------------------------------------

def _kind(kind: str) -> EntryKind:
    if kind not in ENTRY_KINDS:
        raise NotFound(_("未知的简历栏目。"))
    return ENTRY_KINDS[kind]


def entry_get(*, actor: Any, resume: Resume, kind: str, entry_id: int) -> Any:
    """One of the actor's own entries; someone else's is not found, and audited."""
    spec = _kind(kind)
    entry = spec.model.objects.filter(pk=entry_id).first()
    if entry is None:
        raise NotFound(_("没有找到该条目。"))
    if entry.resume_id != resume.pk or resume.owner_id != getattr(actor, "pk", None):
        raise deny(actor, (spec.model._meta.label_lower, entry_id), kind)
    return entry


def _clean_entry(kind: str, spec: EntryKind, data: dict[str, Any], entry: Any) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    limits = ENTRY_TEXT_LIMITS.get(kind, {})
    today = timezone.localdate()
    for field in spec.fields:
        if field not in data:
            continue
        raw = data[field]
        if field in ("start_date", "end_date", "obtained_on", "awarded_on"):
            values[field] = parse_date(raw, field, errors)
        elif field == "degree":
            values[field] = _choice(raw, {c.value for c in taxonomy.EDUCATION_LEVELS[1:]},
                                    field, errors, _("请选择学历。"))
        else:
            values[field] = _text(field, raw, errors, limits.get(field))
    merged = {f: values.get(f, getattr(entry, f) if entry else None) for f in spec.fields}
    for field in spec.required:
        if merged.get(field) in (None, "") and field not in errors:
            label = spec.model._meta.get_field(field).verbose_name
            errors.setdefault(field, []).append(_("请填写%(f)s。") % {"f": label})
    start, end = merged.get("start_date"), merged.get("end_date")
    if start and end and end < start:
        errors.setdefault("end_date", []).append(_("结束时间不能早于开始时间。"))
    if start and start > today:
        errors.setdefault("start_date", []).append(_("开始时间不能晚于今天。"))
    if kind == "work" and end and end > today:
        errors.setdefault("end_date", []).append(_("仍在职请把结束时间留空（显示为“至今”）。"))
    for field in ("obtained_on", "awarded_on"):
        if merged.get(field) and merged[field] > today:
            errors.setdefault(field, []).append(_("日期不能晚于今天。"))
    if errors:
        raise ServiceError("invalid_entry", next(iter(errors.values()))[0], fields=errors)
    return values


@owner_atomic
def entry_add(*, actor: Any, resume: Resume, kind: str, data: dict[str, Any]) -> Any:
    """Add an education, work, certificate or honour row at the end of its section."""
    resume = Resume.objects.select_for_update().get(pk=resume.pk)
    spec = _kind(kind)
    rows = spec.model.objects.filter(resume=resume)
    if rows.count() >= spec.limit:
        raise ServiceError("too_many", _("%(s)s最多 %(n)s 条。") % {"s": spec.label,
                                                                   "n": spec.limit})
    values = _clean_entry(kind, spec, data, None)
    last = rows.aggregate(models.Max("position"))["position__max"]
    entry = spec.model.objects.create(resume=resume, position=(last or 0) + 1, **values)
    log_action(actor, "resume.entry_add", resume, {"kind": kind, "entry": entry.pk})
    _changed(resume, actor=actor)
    return entry


@owner_atomic
def entry_update(*, actor: Any, resume: Resume, kind: str, entry_id: int,
                 data: dict[str, Any]) -> Any:
    resume = Resume.objects.select_for_update().get(pk=resume.pk)
    entry = entry_get(actor=actor, resume=resume, kind=kind, entry_id=entry_id)
    spec = _kind(kind)
    values = _clean_entry(kind, spec, data, entry)
    changed = [f for f, v in values.items() if getattr(entry, f) != v]
    if changed:
        before = {f: getattr(entry, f) for f in changed}
        for field in changed:
            setattr(entry, field, values[field])
        entry.save(update_fields=changed)
        _correction(actor, resume, f"简历：{spec.label}", entry, before,
                    {f: values[f] for f in changed})
        log_action(actor, "resume.entry_update", resume,
                   {"kind": kind, "entry": entry.pk, "changed": changed})
        _changed(resume, actor=actor)
    return entry


@owner_atomic
def entry_delete(*, actor: Any, resume: Resume, kind: str, entry_id: int) -> None:
    resume = Resume.objects.select_for_update().get(pk=resume.pk)
    entry = entry_get(actor=actor, resume=resume, kind=kind, entry_id=entry_id)
    entry.delete()
    log_action(actor, "resume.entry_delete", resume, {"kind": kind, "entry": entry_id})
    _changed(resume, actor=actor)


@owner_atomic
def entry_move(*, actor: Any, resume: Resume, kind: str, entry_id: int,
               direction: str) -> None:
    """Move a row one place up or down in its section; positions are renumbered 1…n."""
    resume = Resume.objects.select_for_update().get(pk=resume.pk)
    entry = entry_get(actor=actor, resume=resume, kind=kind, entry_id=entry_id)
    if direction not in ("up", "down"):
        raise ServiceError("invalid_direction", _("只能上移或下移。"))
    rows = list(_kind(kind).model.objects.filter(resume=resume))
    index = next(i for i, row in enumerate(rows) if row.pk == entry.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(rows):
        rows[index], rows[other] = rows[other], rows[index]
    for position, row in enumerate(rows, start=1):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position"])
    log_action(actor, "resume.entry_move", resume,
               {"kind": kind, "entry": entry_id, "direction": direction})


# --- files ---------------------------------------------------------------------------------

def _delete_file_on_commit(field_file: Any) -> None:
    name, storage = field_file.name, field_file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def _store(blob: bytes) -> str:
    """Write an encrypted blob under a random name; the caller deletes it if its transaction
    fails, so a refused or failed upload leaves nothing behind."""
    return private_storage.save(private_file_name(None, ""), ContentFile(blob))


def photo_set(*, actor: Any, resume: Resume, upload: Any) -> Resume:
    """Store a checked, re-encoded photo, encrypted (PRIV-1: a photo is sensitive)."""
    _own(actor, resume)
    jpeg = uploads.check_photo(upload)
    name = _store(encrypt_bytes(jpeg, context=PHOTO_CONTEXT))
    try:
        with transaction.atomic():
            resume = Resume.objects.select_for_update().get(pk=resume.pk)
            _delete_file_on_commit(resume.photo)
            resume.photo = name
            resume.save(update_fields=["photo"])
            log_action(actor, "resume.photo_set", resume, {"bytes": len(jpeg)})
            _changed(resume, actor=actor)
    except Exception:
        private_storage.delete(name)
        raise
    return resume


@owner_atomic
def photo_remove(*, actor: Any, resume: Resume) -> Resume:
    resume = Resume.objects.select_for_update().get(pk=resume.pk)
    if resume.photo:
        _delete_file_on_commit(resume.photo)
        resume.photo = ""
        resume.save(update_fields=["photo"])
        log_action(actor, "resume.photo_removed", resume, {})
        _changed(resume, actor=actor)
    return resume


def attachment_upload(*, actor: Any, resume: Resume, upload: Any) -> Attachment:
    """Replace the attachment with a checked PDF or DOCX (RES-2): encrypted at rest, its text
    kept for search and review. A refused file leaves the old attachment as it was."""
    _own(actor, resume)
    checked = uploads.check_resume_file(upload)
    name = _store(encrypt_bytes(checked.data, context=ATTACHMENT_CONTEXT))
    try:
        with transaction.atomic():
            resume = Resume.objects.select_for_update().get(pk=resume.pk)
            old = Attachment.objects.filter(resume=resume).first()
            if old is not None:
                _delete_file_on_commit(old.file)
                old.delete()
            attachment = Attachment.objects.create(
                resume=resume, file=name, kind=checked.kind,
                original_name=checked.original_name, size=len(checked.data),
                sha256=checked.sha256, text=checked.text)
            log_action(actor, "resume.attachment_upload", resume,
                       {"kind": checked.kind, "bytes": len(checked.data),
                        "sha256": checked.sha256, "text_chars": len(checked.text),
                        "text_deferred": checked.text_deferred})
            _changed(Resume.objects.get(pk=resume.pk), actor=actor)
            if checked.text_deferred:
                transaction.on_commit(partial(_enqueue_extraction, attachment.pk))
    except Exception:
        private_storage.delete(name)
        raise
    return attachment


def _enqueue_extraction(attachment_id: int) -> None:
    from pinqiao.resumes.tasks import extract_attachment_text

    extract_attachment_text.enqueue(attachment_id=attachment_id)


def attachment_text_extract(*, attachment_id: int,
                            seconds: float = uploads.WORKER_EXTRACT_SECONDS) -> Attachment | None:
    """The task worker's half of a large upload (RES-2): extract the text, bounded by
    ``seconds`` and ``uploads.MAX_TEXT_CHARS``, contacts masked, and keep it. ``None`` when the
    attachment was replaced or removed meanwhile; a file that cannot be read keeps no text."""
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None:
        return None
    with attachment.file.open("rb") as handle:
        data = decrypt_bytes(handle.read(), context=ATTACHMENT_CONTEXT)
    started = time.monotonic()
    try:
        text = uploads.extract_text(data, attachment.kind, seconds=seconds)
    except ServiceError as exc:
        text, failure = "", exc.code
    else:
        failure = ""
    with transaction.atomic():
        updated = Attachment.objects.filter(pk=attachment_id, sha256=attachment.sha256).update(
            text=text)
        if not updated:
            return None
        log_action(None, "resume.attachment_text_extracted", attachment.resume,
                   {"text_chars": len(text), "failure": failure,
                    "seconds": round(time.monotonic() - started, 2)})
    attachment.text = text
    return attachment


@owner_atomic
def attachment_remove(*, actor: Any, resume: Resume) -> None:
    resume = Resume.objects.select_for_update().get(pk=resume.pk)
    attachment = Attachment.objects.filter(resume=resume).first()
    if attachment is None:
        return
    _delete_file_on_commit(attachment.file)
    attachment.delete()
    log_action(actor, "resume.attachment_removed", resume, {})
    _changed(Resume.objects.get(pk=resume.pk), actor=actor)


# --- settings (RES-4, RES-3) ---------------------------------------------------------------

MAX_BLOCKED = 200


@owner_atomic
def visibility_set(*, actor: Any, resume: Resume, visibility: str) -> Resume:
    """Public to verified recruiters, only organisations I applied to, or hidden (RES-4)."""
    resume = Resume.objects.select_for_update().get(pk=resume.pk)
    if visibility not in Visibility.values:
        raise ServiceError("invalid_visibility", _("请选择简历的公开范围。"),
                           fields={"visibility": [_("请选择简历的公开范围。")]})
    if resume.visibility != visibility:
        log_action(actor, "resume.visibility", resume,
                   {"from": resume.visibility, "to": visibility})
        resume.visibility = visibility
        resume.save(update_fields=["visibility"])
    return resume


@owner_atomic
def block_add(*, actor: Any, resume: Resume, organisation_id: int) -> BlockedOrganisation:
    """Add a verified organisation to the list that never sees this résumé (RES-4)."""
    from pinqiao.orgs.models import Organisation

    organisation = Organisation.objects.filter(pk=organisation_id, status="verified").first()
    if organisation is None:
        raise ServiceError("unknown_organisation", _("没有找到该单位，请从搜索结果中选择。"),
                           fields={"organisation": [_("请从搜索结果中选择单位。")]})
    existing = BlockedOrganisation.objects.filter(resume=resume,
                                                  organisation=organisation).first()
    if existing is not None:
        return existing
    if BlockedOrganisation.objects.filter(resume=resume).count() >= MAX_BLOCKED:
        raise ServiceError("too_many", _("最多屏蔽 %(n)s 个单位。") % {"n": MAX_BLOCKED})
    block = BlockedOrganisation.objects.create(resume=resume, organisation=organisation)
    log_action(actor, "resume.block_add", resume, {"organisation": organisation.pk})
    return block


def block_remove(*, actor: Any, resume: Resume, block_id: int) -> None:
    """Take an organisation off the blocked list; someone else's entry is not found (audited)."""
    _own(actor, resume)
    block = BlockedOrganisation.objects.filter(pk=block_id).first()
    if block is None:
        raise NotFound(_("没有找到该屏蔽记录。"))
    if block.resume_id != resume.pk:
        raise deny(actor, block, "blocked_organisation")
    with transaction.atomic():
        block.delete()
        log_action(actor, "resume.block_remove", resume,
                   {"organisation": block.organisation_id})


SUGGESTIONS_WORDING = ("我同意聘桥根据我填写的简历内容，给出简历完善和措辞方面的建议。"
                       "建议仅向我本人展示，我可以随时在简历设置中关闭。")


def suggestions_consent_set(*, actor: Any, enabled: bool) -> bool:
    """Turn the RES-3 wording suggestions on (a consent record) or off (withdrawn)."""
    current = consent_active(user=actor, purpose=ConsentPurpose.RESUME_SUGGESTIONS)
    if enabled and current is None:
        consent_grant(user=actor, purpose=ConsentPurpose.RESUME_SUGGESTIONS,
                      source=ConsentSource.SETTINGS, wording=SUGGESTIONS_WORDING)
    elif not enabled and current is not None:
        consent_withdraw(user=actor, consent_id=current.pk)
    return enabled
