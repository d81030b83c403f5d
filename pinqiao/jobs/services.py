"""Posting services: drafts, submission with screening, the lifecycle, expiry and patrol.

Requirements met here: JOB-1 (mandatory fields, field-by-field messages), JOB-2 (lifecycle,
every transition audited and kept as a ``PostingEvent``), JOB-3 (validity ≤ 90 days, expiry,
renewal), JOB-4 (patrol), JOB-5 (base fields changed after publication go back to review with
the version history kept), JOB-6 (repost source), JOB-7 (quality label), JOB-8 (pay sanity),
JOB-9 (near duplicates), MOD-1/MOD-2 (screening, the poster told the clause and the words),
MOD-7 (illegal content removed, poster warned, case file), ORG-4/5/8/12 through
``posting_permission_check``, DISC-4 (agency fee statement).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

import nh3
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from pinqiao.core.audit import log_action
from pinqiao.core.errors import NotPermitted, ServiceError
from pinqiao.core.permissions import require_perm
from pinqiao.jobs import similarity
from pinqiao.jobs.models import (
    MAX_VALIDITY_DAYS,
    Posting,
    PostingEvent,
    PostingMode,
    PostingStatus,
    PostingVersion,
    RemovalReason,
)
from pinqiao.jobs.signals import posting_status_changed
from pinqiao.moderation import services as moderation
from pinqiao.moderation.models import ReviewItem
from pinqiao.notifications.services import notify
from pinqiao.orgs.models import Membership
from pinqiao.orgs.selectors import membership_get, posting_permission_check, screening_waivers
from pinqiao.reference import divisions, taxonomy
from pinqiao.reference.pay import pay_findings

#: Longest accepted value per free-text field (bad input: 50,000 characters are refused).
TEXT_LIMITS = {
    "title": 60, "requirements": 3000, "work_content": 5000, "working_hours": 200,
    "social_insurance": 200, "housing": 200, "address": 200, "seeker_fee_statement": 1000,
    "repost_source_name": 100, "repost_source_url": 300,
}
MULTILINE = {"requirements", "work_content", "seeker_fee_statement"}

#: Fields a recruiter edits. The base fields (渝 三(一)) send a published posting back to review.
EDITABLE = (
    "title", "headcount", "employment_type", "requirements", "work_content", "working_hours",
    "social_insurance", "housing", "division_code", "address", "pay_min", "pay_max", "pay_unit",
    "education", "experience", "job_function", "industry", "valid_until", "seeker_fee_charged",
    "seeker_fee_statement", "repost_source_name", "repost_source_url",
)
BASE_FIELDS = frozenset(EDITABLE) - {"valid_until", "repost_source_name", "repost_source_url"}

REQUIRED = {
    "title": _l("请填写职位名称。"), "headcount": _l("请填写招聘人数。"),
    "employment_type": _l("请选择用工类型。"), "requirements": _l("请填写招聘条件。"),
    "work_content": _l("请填写工作内容。"), "working_hours": _l("请填写工作时间。"),
    "social_insurance": _l("请填写社会保险情况。"), "division_code": _l("请选择工作地点（区县）。"),
    "address": _l("请填写详细工作地址。"), "pay_min": _l("请填写最低薪资。"),
    "pay_max": _l("请填写最高薪资。"), "pay_unit": _l("请选择薪资单位。"),
    "job_function": _l("请选择职能。"), "industry": _l("请选择行业。"),
}

STALE_AFTER = timedelta(days=30)
STALE_NOTICE = timedelta(days=7)
SCREENED_STATUSES = (PostingStatus.PUBLISHED, PostingStatus.PENDING_REVIEW, PostingStatus.PAUSED)

_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)
              if chr(code - 0xFEE0).isalnum()}
_FULLWIDTH[0x3000] = 0x20
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


# --- input cleaning ------------------------------------------------------------------------

_MAX_DECODE_ROUNDS = 5


def strip_markup(text: str) -> str:
    """Plain text without HTML: tags and scripts stripped (nh3) and entities decoded, repeated
    until nothing changes, so ``&lt;script&gt;`` (or ``&amp;lt;…``) cannot come out as a raw
    ``<script>`` after decoding (SEC-3). ``a < b`` and ``R&D`` stay as typed. Text still
    changing after a few rounds is deliberately nested encoding: its angle brackets go."""
    for _round in range(_MAX_DECODE_ROUNDS):
        cleaned = html.unescape(nh3.clean(text, tags=set()))
        if cleaned == text:
            return text
        text = cleaned
    return text.replace("<", "").replace(">", "")


def clean_text(value: Any, *, multiline: bool = False) -> str:
    """Plain text from user input: HTML tags and scripts stripped, also when entity-encoded
    (``strip_markup``), full-width letters and digits made half-width, control and bidi
    characters dropped; Chinese punctuation and emoji are kept. The result is stored as plain
    text and escaped when shown."""
    text = strip_markup("" if value is None else str(value))
    text = unicodedata.normalize("NFC", text).translate(_FULLWIDTH)
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not multiline:
        text = " ".join(text.split())
    else:
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in text.split("\n")))
    return text.strip()


def _decimal(value: Any, field: str, errors: dict[str, list[str]]) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).translate(_FULLWIDTH).replace(",", "").strip())
    except InvalidOperation:
        errors.setdefault(field, []).append(_("请输入数字金额。"))
        return None
    if not amount.is_finite() or amount <= 0 or amount >= Decimal("100000000"):
        errors.setdefault(field, []).append(_("金额必须大于0且小于1亿元。"))
        return None
    return amount.quantize(Decimal("0.01"))


def _date(value: Any, field: str, errors: dict[str, list[str]]) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        errors.setdefault(field, []).append(_("请输入正确的日期（如 2026-12-31）。"))
        return None


def _choice(value: Any, choices: tuple[taxonomy.Choice, ...], field: str,
            errors: dict[str, list[str]]) -> str:
    value = clean_text(value)
    if value and value not in {c.value for c in choices}:
        errors.setdefault(field, []).append(_("请从列表中选择。"))
        return ""
    return value


def _apply(posting: Posting, data: dict[str, Any]) -> list[str]:
    """Set the editable fields present in ``data``; return the names that changed.

    Raises ``ServiceError`` with field-by-field messages for values that are malformed
    (over-long text, non-numbers, unknown codes, pay minimum above maximum, validity > 90 days).
    """
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for field in EDITABLE:
        if field not in data:
            continue
        raw = data[field]
        if field in TEXT_LIMITS:
            text = clean_text(raw, multiline=field in MULTILINE)
            if len(text) > TEXT_LIMITS[field]:
                errors.setdefault(field, []).append(
                    _("最多 %(limit)s 个字，当前 %(n)s 个字。")
                    % {"limit": TEXT_LIMITS[field], "n": len(text)})
                continue
            values[field] = text
        elif field == "headcount":
            if raw in (None, ""):
                values[field] = None
                continue
            try:
                number = int(str(raw).translate(_FULLWIDTH).strip())
            except ValueError:
                errors.setdefault(field, []).append(_("请输入整数人数。"))
                continue
            if not 1 <= number <= 10000:
                errors.setdefault(field, []).append(_("招聘人数应在 1 到 10000 之间。"))
                continue
            values[field] = number
        elif field in ("pay_min", "pay_max"):
            values[field] = _decimal(raw, field, errors)
        elif field == "valid_until":
            values[field] = _date(raw, field, errors)
        elif field == "seeker_fee_charged":
            values[field] = raw in (True, "true", "True", "on", "1", 1)
        elif field == "employment_type":
            values[field] = _choice(raw, taxonomy.EMPLOYMENT_TYPES, field, errors)
        elif field == "pay_unit":
            values[field] = _choice(raw, taxonomy.PAY_UNITS, field, errors)
        elif field == "education":
            values[field] = _choice(raw, taxonomy.EDUCATION_LEVELS, field, errors) or "any"
        elif field == "experience":
            values[field] = _choice(raw, taxonomy.EXPERIENCE_BANDS, field, errors) or "any"
        elif field == "division_code":
            code = clean_text(raw)
            division = divisions.get(code) if code else None
            if code and (division is None or division.level != "district"):
                errors.setdefault(field, []).append(_("请选择区县一级的工作地点。"))
                continue
            values[field] = code
        elif field == "job_function":
            slug = clean_text(raw)
            if slug and taxonomy.job_function(slug) is None:
                errors.setdefault(field, []).append(_("请从列表中选择职能。"))
                continue
            values[field] = slug
        elif field == "industry":
            code = clean_text(raw)
            if code and taxonomy.industry(code) is None:
                errors.setdefault(field, []).append(_("请从列表中选择行业。"))
                continue
            values[field] = code
    pay_min = values.get("pay_min", posting.pay_min)
    pay_max = values.get("pay_max", posting.pay_max)
    if pay_min is not None and pay_max is not None and pay_min > pay_max:
        errors.setdefault("pay_min", []).append(_("最低薪资不能高于最高薪资。"))
    valid_until = values.get("valid_until")
    if valid_until is not None:
        today = timezone.localdate()
        if valid_until < today:
            errors.setdefault("valid_until", []).append(_("有效期不能早于今天。"))
        elif valid_until > today + timedelta(days=MAX_VALIDITY_DAYS):
            errors.setdefault("valid_until", []).append(
                _("有效期最长 %(n)s 天（至 %(d)s）。")
                % {"n": MAX_VALIDITY_DAYS,
                   "d": (today + timedelta(days=MAX_VALIDITY_DAYS)).isoformat()})
    if "valid_until" in values and values["valid_until"] is None and "valid_until" not in errors:
        values.pop("valid_until")
    if errors:
        raise ServiceError("invalid_posting", next(iter(errors.values()))[0], fields=errors)
    changed = []
    for field, value in values.items():
        if getattr(posting, field) != value:
            setattr(posting, field, value)
            changed.append(field)
    return changed


def missing_fields(posting: Posting) -> dict[str, list[str]]:
    """JOB-1: what a posting still lacks before it may leave draft, field by field."""
    errors = {f: [str(m)] for f, m in REQUIRED.items() if getattr(posting, f) in (None, "")}
    if posting.mode == PostingMode.AGENCY:
        if posting.client_authorisation_id is None:
            errors["client_authorisation"] = [_("代招职位必须关联委托单位的委托证明。")]
        if posting.seeker_fee_charged and not posting.seeker_fee_statement:
            errors["seeker_fee_statement"] = [_("向求职者收费时必须写明收费项目和标准。")]
    if posting.repost_source_url and not posting.repost_source_name:
        errors["repost_source_name"] = [_("转载的职位必须注明来源名称。")]
    return errors


# --- membership and permission -------------------------------------------------------------

def _require_member(actor: Any, organisation: Any) -> Membership:
    membership = membership_get(user=actor, organisation=organisation)
    if membership is None or not (membership.role == "owner" or membership.can_post_jobs):
        raise NotPermitted(_("您不是该单位有发布职位权限的成员。"), code="not_member")
    return membership


def audit_denied(actor: Any, verb: str, target: Any, exc: NotPermitted) -> None:
    """Audit a refused attempt outside the failed transaction (bad input: 403, audited)."""
    log_action(actor, f"{verb}.denied", target, {"code": exc.code, "message": exc.message})


# --- history -------------------------------------------------------------------------------

def _snapshot(posting: Posting) -> dict[str, Any]:
    data = {f: getattr(posting, f) for f in EDITABLE}
    data["client_authorisation"] = posting.client_authorisation_id
    data["mode"] = posting.mode
    return {k: (str(v) if isinstance(v, (Decimal, date)) else v) for k, v in data.items()}


def _transition(posting: Posting, to: str, *, actor: Any, reason_code: str = "",
                note: str = "", words: list[str] | None = None) -> PostingEvent:
    """Move ``posting`` to ``to``, keep the event and audit it (JOB-2)."""
    event = PostingEvent.objects.create(
        posting=posting, from_status=posting.status, to_status=to, actor=actor,
        reason_code=reason_code, note=note[:2000], words=words or [], version=posting.version)
    log_action(actor, "posting.transition", posting,
               {"from": posting.status, "to": to, "reason_code": reason_code,
                "words": words or []})
    from_status = posting.status
    posting.status = to
    if to in (PostingStatus.REJECTED, PostingStatus.REMOVED, PostingStatus.DRAFT):
        posting.status_reason_code, posting.status_reason = reason_code, note
        posting.matched_words = words or []
    elif to == PostingStatus.PUBLISHED:
        posting.status_reason_code, posting.status_reason, posting.matched_words = "", "", []
    posting_status_changed.send(Posting, posting=posting, from_status=from_status, to_status=to,
                                actor=actor, reason_code=reason_code)
    return event


def _link(posting: Posting) -> str:
    return reverse("jobs:my_detail", args=[posting.pk])


def _tell(posting: Posting, event: str, **context: Any) -> None:
    context.setdefault("posting", posting)
    notify(posting.created_by, event, context, link=_link(posting))


# --- create and edit -----------------------------------------------------------------------

@transaction.atomic
def _create(*, actor: Any, organisation: Any, data: dict[str, Any], mode: str,
            client: Any) -> Posting:
    _require_member(actor, organisation)
    if mode not in PostingMode.values:
        raise ServiceError("invalid_mode", _("未知的招聘方式。"),
                           fields={"mode": [_("请选择招聘方式。")]})
    if mode == PostingMode.AGENCY and client is not None and client.agency_id != organisation.pk:
        raise NotPermitted(_("该委托证明不属于本单位。"), code="not_your_client")
    if client is not None and Posting.objects.filter(client_authorisation=client).exists():
        raise ServiceError("client_used", _("该委托证明已用于另一个职位（一份委托对应一个职位）。"),
                           fields={"client_authorisation": [_("该委托证明已被使用。")]})
    posting = Posting(organisation=organisation, mode=mode, created_by=actor,
                      client_authorisation=client if mode == PostingMode.AGENCY else None)
    _apply(posting, data)
    if mode == PostingMode.AGENCY and not posting.seeker_fee_statement:
        posting.seeker_fee_charged = bool(organisation.charges_seekers)
        posting.seeker_fee_statement = organisation.seeker_fee_description or ""
    posting.save()
    PostingEvent.objects.create(posting=posting, to_status=PostingStatus.DRAFT, actor=actor)
    log_action(actor, "posting.create", posting, {"organisation": organisation.pk, "mode": mode})
    return posting


def posting_create(*, actor: Any, organisation: Any, data: dict[str, Any],
                   mode: str = PostingMode.OWN, client: Any = None) -> Posting:
    """Create a draft for ``organisation``; the draft may be incomplete (JOB-1). Members only;
    a refused attempt is audited and raises ``NotPermitted`` (403)."""
    try:
        return _create(actor=actor, organisation=organisation, data=data, mode=mode,
                       client=client)
    except NotPermitted as exc:
        audit_denied(actor, "posting.create", organisation, exc)
        raise


def posting_create_and_submit(*, actor: Any, organisation: Any, data: dict[str, Any],
                              mode: str = PostingMode.OWN, client: Any = None) -> Posting:
    """Create and submit in one step (JOB-1, JOB-2; issue 15: no draft is left behind by a
    refused or incomplete first submission). Either the posting exists and went through
    screening, or nothing was written and the refusal is raised for the form; a refused
    attempt is audited against the organisation."""
    try:
        with transaction.atomic():
            posting = _create(actor=actor, organisation=organisation, data=data, mode=mode,
                              client=client)
            return _submit(actor=actor, posting=posting)
    except NotPermitted as exc:
        audit_denied(actor, "posting.submit", organisation, exc)
        raise


@transaction.atomic
def _update(*, actor: Any, posting: Posting, data: dict[str, Any]) -> Posting:
    posting = Posting.objects.select_for_update().get(pk=posting.pk)
    _require_member(actor, posting.organisation)
    if posting.status in (PostingStatus.CLOSED, PostingStatus.REMOVED):
        raise ServiceError("not_editable", _("已关闭或已下架的职位不能修改。"))
    changed = _apply(posting, data)
    if not changed:
        return posting
    now = timezone.now()
    posting.updated_at = now
    posting.stale_notice_at = None
    was_public = posting.status in (PostingStatus.PUBLISHED, PostingStatus.PAUSED,
                                    PostingStatus.EXPIRED)
    base_changed = sorted(BASE_FIELDS & set(changed))
    log_action(actor, "posting.update", posting, {"changed": changed})
    if was_public and base_changed and posting.valid_until < timezone.localdate():
        raise ServiceError("validity", _("职位已过期，请同时把有效期改到今天以后。"),
                           fields={"valid_until": [_("有效期不能早于今天。")]})
    if was_public and base_changed:
        # JOB-5: a base field changed after publication; the old version stays visible.
        if not posting.versions.exists():
            PostingVersion.objects.create(posting=posting, number=posting.version,
                                          fields=_snapshot(Posting.objects.get(pk=posting.pk)),
                                          created_by=posting.created_by)
        posting.version += 1
        PostingVersion.objects.create(posting=posting, number=posting.version,
                                      fields=_snapshot(posting), changed=base_changed,
                                      created_by=actor)
        _transition(posting, PostingStatus.PENDING_REVIEW, actor=actor,
                    reason_code="base_change", note="、".join(base_changed))
        posting.save()
        _screen_and_route(posting, actor=actor, kind=ReviewItem.Kind.BASE_CHANGE,
                          changed=base_changed)
        return posting
    if posting.status in (PostingStatus.REJECTED, PostingStatus.PENDING_REVIEW):
        moderation.review_items_close_for(target=posting, actor=actor, note="poster edited")
        _transition(posting, PostingStatus.DRAFT, actor=actor, reason_code="edited")
    posting.save()
    return posting


def posting_update(*, actor: Any, posting: Posting, data: dict[str, Any]) -> Posting:
    """Edit a posting. A rejected or pending posting returns to draft; a published one whose
    base fields change goes back to review with a new version (JOB-5)."""
    try:
        return _update(actor=actor, posting=posting, data=data)
    except NotPermitted as exc:
        audit_denied(actor, "posting.update", posting, exc)
        raise


# --- submission, screening, routing --------------------------------------------------------

def screening_text(posting: Posting) -> str:
    """The text the public will see, in one string whose offsets the evidence refers to."""
    parts = [
        (_("职位名称"), posting.title), (_("招聘条件"), posting.requirements),
        (_("工作内容"), posting.work_content), (_("工作时间"), posting.working_hours),
        (_("社会保险"), posting.social_insurance), (_("食宿条件"), posting.housing),
        (_("工作地址"), posting.address), (_("转载来源"), posting.repost_source_name),
    ]
    return "\n".join(f"{label}：{value}" for label, value in parts if value)


def near_duplicates(posting: Posting) -> list[Posting]:
    """Live postings whose SimHash is within 3 bits of this one's (JOB-9)."""
    if posting.simhash is None:
        return []
    query = Q()
    for index in range(4):
        query |= Q(**{f"sim_band{index}": getattr(posting, f"sim_band{index}")})
    # The candidates' fingerprints only (many postings of one employer share a band), then
    # the few close ones with what the review reason names.
    candidates = (Posting.objects.filter(query, status__in=SCREENED_STATUSES)
                  .exclude(pk=posting.pk).values_list("pk", "simhash")[:200])
    close = [pk for pk, value in candidates if value is not None
             and similarity.distance(value, posting.simhash) <= similarity.MAX_DISTANCE]
    if not close:
        return []
    return list(Posting.objects.filter(pk__in=close).select_related("organisation")
                .only("title", "organisation_id", "organisation__name"))


def _fingerprint(posting: Posting) -> None:
    value = similarity.simhash(" ".join([posting.title, posting.requirements,
                                         posting.work_content]))
    if value is None:
        posting.simhash = None
        posting.sim_band0 = posting.sim_band1 = posting.sim_band2 = posting.sim_band3 = None
        return
    posting.simhash = similarity.to_signed(value)
    (posting.sim_band0, posting.sim_band1, posting.sim_band2,
     posting.sim_band3) = similarity.bands(value)


@dataclass(frozen=True)
class Prescreen:
    """A posting's text and fee statement screened before the write transaction."""

    waived: tuple[str, ...]
    text: moderation.Prescreened
    fees: moderation.Prescreened | None


def prescreen(posting: Posting) -> Prescreen | None:
    """Screen ``posting`` as it stands, outside any write transaction: the CPU-heavy part of a
    submission, so that the transaction only records it (SEC-3). ``_screen_and_route`` screens
    again whatever changed meanwhile. None when the text cannot be screened (the submission
    then refuses it in its usual order)."""
    try:
        waived = screening_waivers(posting.organisation)
        text = moderation.screen_prepare(text=screening_text(posting), context="posting",
                                         waived=waived)
        fees = None
        if posting.seeker_fee_statement and text.result.decision != "reject":
            fees = moderation.screen_prepare(text=posting.seeker_fee_statement,
                                             context="fee_statement", waived=waived)
    except ServiceError:
        return None
    return Prescreen(waived=tuple(waived), text=text, fees=fees)


def _screen_and_route(posting: Posting, *, actor: Any, kind: str,
                      changed: list[str] | None = None,
                      prescreened: Prescreen | None = None) -> Posting:
    """Screen the text, the pay and duplicates; then publish, queue or refuse (MOD-1, JOB-8,
    JOB-9). ``posting`` is in ``pending_review`` on entry. ``prescreened``: its screening
    done before the transaction (``prescreen``)."""
    _fingerprint(posting)
    text = screening_text(posting)
    if prescreened is not None:
        waived = prescreened.waived
    else:
        waived = screening_waivers(posting.organisation)
    record = moderation.screen_text(text=text, context="posting", target=posting, waived=waived,
                                    prepared=prescreened and prescreened.text)
    if posting.seeker_fee_statement and record.decision != "reject":
        # DISC-4: the fee statement is read by who pays; a charge to seekers refuses the posting.
        fees = moderation.screen_text(text=posting.seeker_fee_statement, context="fee_statement",
                                      target=posting, waived=waived,
                                      prepared=prescreened and prescreened.fees)
        if fees.decision == "reject":
            record = fees
    posting.last_screening = record
    explained = moderation.explain(record)
    if record.decision == "reject":
        reasons = "；".join(f"{row['label']}（{row['clause']}）：" + "、".join(row["words"])
                           for row in explained)
        _transition(posting, PostingStatus.REJECTED, actor=None,
                    reason_code="screening." + (moderation.deciding_category(record)
                                                or "reject"),
                    note=reasons, words=record.words)
        posting.save()
        _tell(posting, "posting_rejected", reasons=reasons, words="、".join(record.words))
        return posting
    reasons: list[dict[str, Any]] = [
        {"code": f"screening.{row['category']}", "message": f"{row['label']}：{row['clause']}",
         "words": row["words"]} for row in explained]
    risk = moderation.screening_risk(record)
    for finding in pay_findings(pay_min=posting.pay_min, pay_max=posting.pay_max,
                                unit=posting.pay_unit, division_code=posting.division_code,
                                text=text, on=timezone.localdate()):
        reasons.append({"code": finding.code, "message": finding.message_zh, "words": []})
        risk = max(risk, 60)
    for other in near_duplicates(posting):
        same = other.organisation_id == posting.organisation_id
        if not same and posting.repost_source_name:
            continue  # a declared repost (JOB-6)
        reasons.append({
            "code": "duplicate.same_org" if same else "duplicate.cross_org",
            "message": (_("与本单位职位“%(t)s”（#%(id)s）高度相似") if same else
                        _("与其他单位“%(o)s”的职位“%(t)s”（#%(id)s）高度相似"))
            % {"t": other.title, "id": other.pk, "o": other.organisation.name},
            "words": []})
        risk = max(risk, 45 if same else 65)
    if kind == ReviewItem.Kind.BASE_CHANGE:
        message = _("发布后修改了基础信息：%(f)s") % {"f": "、".join(changed or [])}
        reasons.append({"code": "base_change", "message": message, "words": []})
        risk = max(risk, 40)
    if reasons:
        # RISK-1 → MOD-5: a risky organisation's items rise in the queue.
        risk = min(100, risk + (getattr(posting.organisation, "risk_score", 0) or 0) // 5)
        posting.save()
        moderation.review_item_open(kind=kind, target=posting, title=posting.title, text=text,
                                    screening=record, reasons=reasons, risk=risk)
        _tell(posting, "posting_in_review",
              reasons="；".join(str(r["message"]) for r in reasons)[:300])
        return posting
    _publish(posting, actor=None, note=_("机器审核通过"))
    return posting


def _publish(posting: Posting, *, actor: Any, note: str = "") -> None:
    now = timezone.now()
    _transition(posting, PostingStatus.PUBLISHED, actor=actor, reason_code="approved", note=note)
    posting.published_at = posting.published_at or now
    posting.updated_at = now
    posting.quality_label = quality_label_eligible(posting)
    posting.save()
    _tell(posting, "posting_published")


SUBMITTABLE = (PostingStatus.DRAFT, PostingStatus.REJECTED)


def _check_volume(posting: Posting) -> None:
    sanctions = moderation.active_sanctions(posting.organisation)
    blocked = moderation.posting_blocked_reason(posting.organisation, sanctions)
    if blocked:
        raise NotPermitted(blocked, code="posting_suspended")
    limit = moderation.daily_posting_limit(posting.organisation, sanctions)
    if limit is not None:
        start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        today = Posting.objects.filter(organisation=posting.organisation,
                                       submitted_at__gte=start).count()
        if today >= limit:
            raise ServiceError("volume_limit", _("贵单位今日发布数量已达上限（%(n)s 条）。")
                               % {"n": limit}, status=429)


def _submit(*, actor: Any, posting: Posting) -> Posting:
    # The screening first, outside the write transaction, which then checks and records it.
    prescreened = prescreen(posting) if posting.status in SUBMITTABLE else None
    with transaction.atomic():
        return _submit_in_transaction(actor=actor, posting=posting, prescreened=prescreened)


def _submit_in_transaction(*, actor: Any, posting: Posting,
                           prescreened: Prescreen | None) -> Posting:
    # of=("self",): PostgreSQL cannot lock the nullable side of the client join.
    posting = Posting.objects.select_for_update(of=("self",)).select_related(
        "organisation", "client_authorisation").get(pk=posting.pk)
    if posting.status not in SUBMITTABLE:
        raise ServiceError("not_draft", _("只有草稿或未通过审核的职位可以提交。"))
    if posting.created_by_id == getattr(actor, "pk", None):
        posting.created_by = actor  # told of the outcome (``_tell``): no need to read it again
    membership = _require_member(actor, posting.organisation)
    posting_permission_check(user=actor, organisation=posting.organisation, mode=posting.mode,
                             client=posting.client_authorisation,
                             industry_code=posting.industry, membership=membership)
    _check_volume(posting)
    errors = missing_fields(posting)
    if errors:
        raise ServiceError("incomplete", _("职位信息不完整，请补全后再提交。"), fields=errors)
    findings = pay_findings(pay_min=posting.pay_min, pay_max=posting.pay_max,
                            unit=posting.pay_unit, division_code=posting.division_code)
    invalid = [f for f in findings if f.severity == "invalid"]
    if invalid:
        raise ServiceError("invalid_pay", invalid[0].message_zh,
                           fields={"pay_min": [f.message_zh for f in invalid]})
    if posting.valid_until > timezone.localdate() + timedelta(days=MAX_VALIDITY_DAYS):
        raise ServiceError("validity", _("有效期最长 90 天。"),
                           fields={"valid_until": [_("有效期最长 90 天。")]})
    if posting.valid_until < timezone.localdate():
        raise ServiceError("validity", _("有效期已过，请先修改有效期。"),
                           fields={"valid_until": [_("有效期不能早于今天。")]})
    posting.submitted_at = timezone.now()
    _transition(posting, PostingStatus.PENDING_REVIEW, actor=actor, reason_code="submitted")
    # Saved once, by the routing: every outcome of ``_screen_and_route`` saves the posting.
    return _screen_and_route(posting, actor=actor, kind=ReviewItem.Kind.SCREENING,
                             prescreened=prescreened)


def posting_submit(*, actor: Any, posting: Posting) -> Posting:
    """Submit a draft (JOB-2): only a verified organisation with the matching permission may
    (``posting_permission_check``: own, 代招 for that client, dispatch, special permits). The
    screening then publishes it, queues it for a reviewer, or refuses it with the clause and the
    words (MOD-1, MOD-2)."""
    try:
        return _submit(actor=actor, posting=posting)
    except NotPermitted as exc:
        audit_denied(actor, "posting.submit", posting, exc)
        raise


def _appeal(*, actor: Any, posting: Posting, reason: str) -> Posting:
    with transaction.atomic():
        posting = Posting.objects.select_for_update().get(pk=posting.pk)
        _require_member(actor, posting.organisation)
        reason = clean_text(reason, multiline=True)
        if not reason:
            raise ServiceError("reason_required", _("请说明申诉理由。"),
                               fields={"reason": [_("请说明申诉理由。")]})
        if len(reason) > 1000:
            raise ServiceError("too_long", _("申诉理由最多 1000 字。"),
                               fields={"reason": [_("申诉理由最多 1000 字。")]})
        if posting.status != PostingStatus.REJECTED or not posting.status_reason_code.startswith(
                "screening."):
            raise ServiceError("not_appealable", _("只有被机器审核驳回的职位可以申诉。"))
        if posting.events.filter(reason_code="appeal", version=posting.version).exists():
            raise ServiceError("already_appealed", _("该版本已申诉过，请修改后重新提交。"))
        record = posting.last_screening
        _transition(posting, PostingStatus.PENDING_REVIEW, actor=actor, reason_code="appeal",
                    note=reason)
        posting.save()
        reasons = [{"code": "appeal", "message": _("发布者申诉：%(r)s") % {"r": reason},
                    "words": []}]
        if record is not None:
            reasons += [{"code": f"screening.{row['category']}",
                         "message": f"{row['label']}：{row['clause']}", "words": row["words"]}
                        for row in moderation.explain(record)]
        moderation.review_item_open(
            kind=ReviewItem.Kind.APPEAL, target=posting, title=posting.title,
            text=record.text if record else screening_text(posting), screening=record,
            reasons=reasons, risk=moderation.screening_risk(record) if record else 50)
        return posting


def posting_appeal(*, actor: Any, posting: Posting, reason: str) -> Posting:
    """The poster contests a machine refusal (MOD-2 false positives): the posting goes to a
    person with the poster's reason beside the evidence; once per version."""
    try:
        return _appeal(actor=actor, posting=posting, reason=reason)
    except NotPermitted as exc:
        audit_denied(actor, "posting.appeal", posting, exc)
        raise


# --- recruiter lifecycle actions -----------------------------------------------------------

def _owner_action(actor: Any, posting: Posting, allowed: tuple[str, ...], to: str,
                  verb: str) -> Posting:
    try:
        with transaction.atomic():
            posting = Posting.objects.select_for_update().get(pk=posting.pk)
            _require_member(actor, posting.organisation)
            if posting.status not in allowed:
                raise ServiceError("invalid_transition",
                                   _("当前状态（%(s)s）不能执行此操作。")
                                   % {"s": posting.get_status_display()})
            if to == PostingStatus.PUBLISHED:
                _check_volume(posting)
            _transition(posting, to, actor=actor, reason_code=verb)
            posting.updated_at = timezone.now()
            posting.save()
            if to != PostingStatus.PUBLISHED:
                moderation.review_items_close_for(target=posting, actor=actor, note=verb)
            return posting
    except NotPermitted as exc:
        audit_denied(actor, f"posting.{verb}", posting, exc)
        raise


def posting_pause(*, actor: Any, posting: Posting) -> Posting:
    return _owner_action(actor, posting, (PostingStatus.PUBLISHED,), PostingStatus.PAUSED,
                         "pause")


def posting_resume(*, actor: Any, posting: Posting) -> Posting:
    return _owner_action(actor, posting, (PostingStatus.PAUSED,), PostingStatus.PUBLISHED,
                         "resume")


def posting_close(*, actor: Any, posting: Posting) -> Posting:
    return _owner_action(
        actor, posting, (PostingStatus.DRAFT, PostingStatus.PUBLISHED, PostingStatus.PAUSED,
                         PostingStatus.EXPIRED, PostingStatus.PENDING_REVIEW,
                         PostingStatus.REJECTED), PostingStatus.CLOSED, "close")


def posting_withdraw(*, actor: Any, posting: Posting) -> Posting:
    """Take a posting out of review back to draft."""
    return _owner_action(actor, posting, (PostingStatus.PENDING_REVIEW,), PostingStatus.DRAFT,
                         "withdraw")


def posting_renew(*, actor: Any, posting: Posting, valid_until: date) -> Posting:
    """Extend an expired or live posting (JOB-3); unchanged content is re-screened and
    republished, changed content goes through review as any edit does."""
    posting = posting_update(actor=actor, posting=posting, data={"valid_until": valid_until})
    if posting.status == PostingStatus.EXPIRED:
        with transaction.atomic():
            posting = Posting.objects.select_for_update().get(pk=posting.pk)
            _check_volume(posting)
            _transition(posting, PostingStatus.PENDING_REVIEW, actor=actor, reason_code="renew")
            posting.save()
            _screen_and_route(posting, actor=actor, kind=ReviewItem.Kind.SCREENING)
    return posting


# --- hires (APP-6) --------------------------------------------------------------------------

#: Statuses a posting is closed from when its hires reach the headcount.
FILLABLE_STATUSES = (PostingStatus.PUBLISHED, PostingStatus.PAUSED, PostingStatus.EXPIRED,
                     PostingStatus.PENDING_REVIEW)


@transaction.atomic
def posting_hire_record(*, actor: Any, posting: Posting) -> tuple[Posting, bool]:
    """Count one hire on ``posting`` (APP-6); when the hires reach the headcount the posting
    is closed with reason ``filled`` (JOB-2). Returns the posting and whether it was filled
    now. The caller (``pinqiao.applications``) has checked that ``actor`` may record hires."""
    posting = Posting.objects.select_for_update().get(pk=posting.pk)
    posting.hired_count += 1
    log_action(actor, "posting.hire_recorded", posting, {"hired_count": posting.hired_count})
    filled = (posting.headcount is not None and posting.hired_count >= posting.headcount
              and posting.status in FILLABLE_STATUSES)
    if filled:
        _transition(posting, PostingStatus.CLOSED, actor=actor, reason_code="filled",
                    note=_("招聘人数已满"))
        posting.updated_at = timezone.now()
        moderation.review_items_close_for(target=posting, actor=actor, note="filled")
    posting.save()
    return posting, filled


# --- staff actions -------------------------------------------------------------------------

@transaction.atomic
def posting_remove(*, actor: Any, posting: Posting, reason_code: str, note: str = "") -> Posting:
    """Staff take a posting down with a reason code (JOB-2). Illegal content also warns the
    poster (RISK-2) and prepares a case file for the authorities (MOD-7)."""
    require_perm(actor, "review.content")
    if reason_code not in RemovalReason.values:
        raise ServiceError("invalid_reason", _("请选择下架原因。"),
                           fields={"reason_code": [_("请选择下架原因。")]})
    posting = Posting.objects.select_for_update(of=("self",)).select_related(
        "organisation").get(pk=posting.pk)
    if posting.status in (PostingStatus.REMOVED, PostingStatus.CLOSED):
        raise ServiceError("invalid_transition", _("该职位已关闭或已下架。"))
    words = posting.last_screening.words if posting.last_screening_id else []
    label = str(RemovalReason(reason_code).label)
    _transition(posting, PostingStatus.REMOVED, actor=actor, reason_code=reason_code,
                note=note or label, words=words)
    posting.save()
    moderation.review_items_close_for(target=posting, actor=actor, note="removed")
    if reason_code == RemovalReason.ILLEGAL:
        moderation.case_file_prepare(
            actor=actor, target=posting, organisation=posting.organisation,
            summary=_("职位“%(t)s”含违法内容，已下架。%(n)s") % {"t": posting.title, "n": note},
            evidence={"text": screening_text(posting), "words": words,
                      "screening_id": posting.last_screening_id,
                      "events": [{"from": e.from_status, "to": e.to_status,
                                  "reason_code": e.reason_code, "at": e.at.isoformat()}
                                 for e in posting.events.all()]})
        moderation.sanction_impose(actor=actor, organisation=posting.organisation,
                                   kind="warning", rule="DB4401 6.1.2.3、7.2.3",
                                   reason=_("发布违法内容：%(t)s") % {"t": posting.title})
    _tell(posting, "posting_removed", reason=label, note=note)
    return posting


def _on_review(*, item: ReviewItem, action: str, actor: Any) -> None:
    """Apply a reviewer's decision to the posting (MOD-5); the poster is told the rule and the
    words."""
    posting = Posting.objects.select_for_update().get(pk=item.object_id)
    words = list(dict.fromkeys(w for r in item.reasons for w in r.get("words", [])))
    rules = "；".join(r["message"] for r in item.reasons if r.get("message"))
    reason = "；".join(filter(None, [item.note or item.reason_code,
                                     _("依据：%(r)s") % {"r": rules} if rules else ""]))
    if item.kind == ReviewItem.Kind.REPORT:
        if action == "reject" and posting.status not in (PostingStatus.REMOVED,
                                                          PostingStatus.CLOSED):
            code = item.reason_code if item.reason_code in RemovalReason.values else "other"
            posting_remove(actor=actor, posting=posting, reason_code=code, note=item.note)
        elif action == "request_edit" and posting.status in SCREENED_STATUSES:
            _transition(posting, PostingStatus.DRAFT, actor=actor, reason_code="edit_requested",
                        note=reason, words=words)
            posting.save()
            _tell(posting, "posting_edit_requested", reason=reason, words="、".join(words))
        return
    if posting.status != PostingStatus.PENDING_REVIEW:
        return
    if action == "approve":
        _publish(posting, actor=actor, note=item.note)
    elif action == "reject":
        _transition(posting, PostingStatus.REJECTED, actor=actor, reason_code=item.reason_code,
                    note=reason, words=words)
        posting.save()
        _tell(posting, "posting_rejected", reasons=reason, words="、".join(words))
    else:
        _transition(posting, PostingStatus.DRAFT, actor=actor, reason_code="edit_requested",
                    note=reason, words=words)
        posting.save()
        _tell(posting, "posting_edit_requested", reason=reason, words="、".join(words))


def _on_sanction(*, sanction: Any, actor: Any) -> None:
    """A posting suspension, account closure or blacklisting takes the organisation's postings
    down."""
    if sanction.kind not in ("posting_suspension", "account_closure", "blacklist"):
        return
    for posting in Posting.objects.filter(organisation=sanction.organisation,
                                          status__in=SCREENED_STATUSES):
        _transition(posting, PostingStatus.REMOVED, actor=actor,
                    reason_code=RemovalReason.ORG_SUSPENDED, note=sanction.reason)
        posting.save()
        moderation.review_items_close_for(target=posting, actor=actor, note="sanction")


def install_moderation_hooks() -> None:
    moderation.register_review_handler("jobs.posting", _on_review)
    moderation.register_sanction_hook(_on_sanction)


# --- quality label (JOB-7) -----------------------------------------------------------------

def quality_label_eligible(posting: Posting) -> bool:
    """JOB-7 rule (docs/compliance.md): a published posting earns 「优质职位」 when its
    organisation is verified with a credit score of at least 90 and no violation in the last
    180 days, the posting states social insurance and a pay range no wider than 2×, it was not
    flagged by screening, pay checks or reports, and a 代招 posting's client authorisation is
    valid."""
    organisation = posting.organisation
    if organisation.status != "verified" or (organisation.credit_score or 0) < 90:
        return False
    since = timezone.now() - timedelta(days=180)
    if organisation.violations.filter(occurred_at__gte=since).exists():
        return False
    if not posting.social_insurance or posting.social_insurance.strip() == "无":
        return False
    if (posting.pay_min is None or posting.pay_max is None
            or posting.pay_max > 2 * posting.pay_min):
        return False
    if posting.last_screening_id and posting.last_screening.decision != "pass":
        return False
    if ReviewItem.objects.filter(object_id=str(posting.pk), kind=ReviewItem.Kind.REPORT,
                                 content_type__model="posting").exists():
        return False
    return not (posting.mode == PostingMode.AGENCY
                and not (posting.client_authorisation
                         and posting.client_authorisation.is_usable()))


# --- periodic jobs (JOB-3, JOB-4) ----------------------------------------------------------

def postings_expire(*, today: date | None = None, dry_run: bool = False) -> int:
    """Expire live postings past their validity date (JOB-3); they leave search at once."""
    today = today or timezone.localdate()
    due = Posting.objects.filter(status__in=(PostingStatus.PUBLISHED, PostingStatus.PAUSED),
                                 valid_until__lt=today)
    if dry_run:
        return due.count()
    count = 0
    for posting in due.iterator():
        with transaction.atomic():
            _transition(posting, PostingStatus.EXPIRED, actor=None, reason_code="expired")
            posting.save()
            _tell(posting, "posting_expired")
        count += 1
    return count


def postings_patrol(*, now: datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """JOB-4: take down postings of suspended or closed organisations; remind employers whose
    live postings were not updated for 30 days; take down those still not updated 7 days after
    the reminder. Also re-checks the JOB-7 quality label of published postings."""
    now = now or timezone.now()
    live = Posting.objects.filter(status__in=(PostingStatus.PUBLISHED, PostingStatus.PAUSED))
    suspended = live.filter(organisation__status__in=("suspended", "closed"))
    remind = live.filter(updated_at__lt=now - STALE_AFTER, stale_notice_at__isnull=True)
    takedown = live.filter(stale_notice_at__lt=now - STALE_NOTICE,
                           updated_at__lt=now - STALE_AFTER)
    summary = {"suspended": suspended.count(), "reminded": remind.count(),
               "stale_removed": takedown.count()}
    if dry_run:
        return summary
    for posting in suspended.iterator():
        with transaction.atomic():
            _transition(posting, PostingStatus.REMOVED, actor=None,
                        reason_code=RemovalReason.ORG_SUSPENDED,
                        note=_("发布单位已被暂停或关闭"))
            posting.save()
    for posting in takedown.exclude(organisation__status__in=("suspended", "closed")).iterator():
        with transaction.atomic():
            _transition(posting, PostingStatus.REMOVED, actor=None,
                        reason_code=RemovalReason.STALE,
                        note=_("超过30天未更新且提醒后仍未更新"))
            posting.save()
            _tell(posting, "posting_removed", reason=str(RemovalReason.STALE.label), note="")
    for posting in remind.iterator():
        with transaction.atomic():
            posting.stale_notice_at = now
            posting.save(update_fields=["stale_notice_at"])
            log_action(None, "posting.stale_notice", posting, {})
            _tell(posting, "posting_stale", days=STALE_NOTICE.days)
    summary["relabelled"] = 0
    for posting in Posting.objects.filter(status=PostingStatus.PUBLISHED).select_related(
            "organisation", "client_authorisation", "last_screening").iterator():
        eligible = quality_label_eligible(posting)
        if eligible != posting.quality_label:
            Posting.objects.filter(pk=posting.pk).update(quality_label=eligible)
            log_action(None, "posting.quality_label", posting, {"quality_label": eligible})
            summary["relabelled"] += 1
    return summary


@transaction.atomic
def posting_confirm_current(*, actor: Any, posting: Posting) -> Posting:
    """The employer confirms a live posting is still current (answers the JOB-4 reminder)."""
    _require_member(actor, posting.organisation)
    posting.updated_at, posting.stale_notice_at = timezone.now(), None
    posting.save(update_fields=["updated_at", "stale_notice_at"])
    log_action(actor, "posting.confirm_current", posting, {})
    return posting
