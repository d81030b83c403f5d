"""Desk services (TKT-1 … TKT-7): intake from every channel, the clock, handling, results,
reopening, referral, appeals of sanctions and the rating after closing.

Every write is atomic and audited. The complainant's identity is kept encrypted on the case and
never passed to notifications, sanctions or anything else the accused party sees (TKT-5).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from pinqiao.core.audit import log_action
from pinqiao.core.crypto import encrypt
from pinqiao.core.errors import NotPermitted, ServiceError
from pinqiao.core.permissions import Role, require_perm
from pinqiao.core.validators import normalize_text
from pinqiao.notifications.services import notify
from pinqiao.orgs.uploads import check_upload
from pinqiao.tickets import targets
from pinqiao.tickets.clock import china_today, clock_for
from pinqiao.tickets.models import (
    OPEN_STATUSES,
    REASON_CHOICES,
    SIGNED_FORM_CHANNELS,
    STAFF_CHANNELS,
    Case,
    CaseEvent,
    CaseEvidence,
    CaseKind,
    CaseRating,
    CaseStatus,
    Channel,
    EvidenceKind,
)

CONTENT_MAX = 5000
OUTCOME_MAX = 1000
FINDING_MAX = 2000
MAX_FILES = 5
#: Days after a result in which the complainant may dispute it (TKT-4).
DISPUTE_DAYS = 15

_REASONS = {code for code, _label in REASON_CHOICES}


def _fail(code: str, message: str, field: str) -> ServiceError:
    return ServiceError(code, message, fields={field: [message]})


def _reference() -> str:
    return timezone.localtime().strftime("TS%Y%m%d-") + get_random_string(
        6, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789")


def _event(case: Case, *, actor: Any, verb: str, note: str = "", from_status: str = "",
           public: bool = True) -> None:
    CaseEvent.objects.create(case=case, actor=actor if getattr(actor, "pk", None) else None,
                             verb=verb, from_status=from_status, to_status=case.status,
                             note=note, public=public)


def _tell_complainant(case: Case, event: str, **context: Any) -> None:
    if case.complainant_id:
        notify(case.complainant, event, {"case": case, "deadline": case.deadline.isoformat(),
                                         **context}, link=f"/cases/{case.pk}/")


def _dedupe_key(*, who: str, kind: str, target: str, content: str, received_on: Any) -> str:
    """One case per complainant, target and content per day of receipt: a double submit or a
    retry lands on the same case (TKT-2)."""
    text = " ".join(content.split())
    raw = "\n".join([who, kind, target, text, str(received_on)])
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class Intake:
    """Who filed a case entered by staff or received by e-mail (TKT-2)."""

    name: str
    contact: str


def _check_text(content: str, desired_outcome: str) -> tuple[str, str]:
    content = normalize_text(content or "")
    desired_outcome = normalize_text(desired_outcome or "")
    if not content:
        raise _fail("content_required", _("请填写投诉内容。"), "content")
    if len(content) > CONTENT_MAX:
        raise _fail("content_too_long", _("投诉内容最多 %(n)s 字。") % {"n": CONTENT_MAX},
                    "content")
    if len(desired_outcome) > OUTCOME_MAX:
        raise _fail("outcome_too_long", _("诉求最多 %(n)s 字。") % {"n": OUTCOME_MAX},
                    "desired_outcome")
    return content, desired_outcome


def _check_files(files: Iterable[UploadedFile], field: str) -> list[Any]:
    files = [f for f in files if f is not None]
    if len(files) > MAX_FILES:
        raise _fail("too_many_files", _("最多上传 %(n)s 个证据文件。") % {"n": MAX_FILES}, field)
    return [check_upload(f, field=field) for f in files]


def _is_party(user: Any, info: targets.TargetInfo) -> bool:
    if user is None:
        return False
    if info.accused_user is not None and info.accused_user.pk == user.pk:
        return True
    if info.organisation is not None:
        return info.organisation.memberships.filter(user=user).exists() or (
            info.organisation.created_by_id == user.pk)
    return False


@transaction.atomic
def case_submit(*, actor: Any, kind: str, reason_code: str, content: str,
                desired_outcome: str = "", target: models.Model | None = None,
                contact: str = "", files: Iterable[UploadedFile] = (),
                channel: str = Channel.WEB, intake: Intake | None = None,
                intake_form: UploadedFile | None = None, received_at: datetime | None = None,
                sanction: Any = None, report: Any = None) -> Case:
    """Put a report, complaint or appeal on the desk (TKT-1, TKT-2) and start its clock (TKT-3).

    Web cases are filed by the signed-in user; phone, visit and letter cases are entered by
    staff with the complainant's name and contact (visits and letters with the signed intake
    form); e-mail cases come from the inbound-mail reader (``actor`` None). The same complaint
    submitted twice the same day is one case: the existing one is returned.
    """
    if kind not in CaseKind.values:
        raise _fail("invalid_kind", _("请选择类型。"), "kind")
    if channel not in Channel.values:
        raise _fail("invalid_channel", _("请选择受理渠道。"), "channel")
    if reason_code not in _REASONS:
        raise _fail("invalid_reason", _("请选择投诉原因。"), "reason_code")
    complainant = None
    if channel == Channel.WEB:
        if not getattr(actor, "is_authenticated", False):
            raise NotPermitted(_("请先登录后再投诉。"))
        complainant = actor
    elif channel in STAFF_CHANNELS:
        require_perm(actor, "tickets.handle")
    elif actor is not None:
        raise _fail("invalid_channel", _("电子邮件投诉由邮件接收程序登记。"), "channel")
    if channel != Channel.WEB:
        if intake is None or not normalize_text(intake.name) or not normalize_text(
                intake.contact):
            raise _fail("contact_required", _("请填写投诉人姓名和联系方式。"), "contact")
        contact = intake.contact
    content, desired_outcome = _check_text(content, desired_outcome)
    checked = _check_files(files, "files")
    form = None
    if channel in SIGNED_FORM_CHANNELS:
        if intake_form is None:
            raise _fail("intake_form_required", _("来访和信函投诉须上传投诉人签字的登记表。"),
                        "intake_form")
        form = check_upload(intake_form, field="intake_form")
    info = targets.TargetInfo(label="")
    if target is not None:
        info = targets.describe(target)
        if kind != CaseKind.APPEAL and _is_party(complainant, info):
            raise _fail("self_complaint", _("不能投诉或举报自己或本单位。"), "target_id")
    elif kind != CaseKind.APPEAL and reason_code != "other":
        raise _fail("target_required", _("请指明被投诉的对象。"), "target_id")
    received_at = received_at or timezone.now()
    clock = clock_for(received_at)
    who = f"user:{complainant.pk}" if complainant else "contact:" + hashlib.sha256(
        normalize_text(contact).encode()).hexdigest()
    target_ref = f"{target._meta.label_lower}:{target.pk}" if target is not None else ""
    key = _dedupe_key(who=who, kind=kind, target=target_ref, content=content,
                      received_on=clock.received_on)
    existing = Case.objects.filter(dedupe_key=key).first()
    if existing is not None:
        return existing
    case = Case(
        reference=_reference(), kind=kind, channel=channel, reason_code=reason_code,
        complainant=complainant, content=content, desired_outcome=desired_outcome,
        complainant_name_ciphertext=encrypt(normalize_text(intake.name), context="case")
        if intake else "",
        contact_ciphertext=encrypt(normalize_text(contact)[:200], context="case")
        if contact else "",
        content_type=ContentType.objects.get_for_model(target) if target is not None else None,
        object_id=str(target.pk) if target is not None else "", target_label=info.label[:200],
        organisation=info.organisation, accused_user=info.accused_user, sanction=sanction,
        report=report, dedupe_key=key, received_at=received_at, escalate_on=clock.escalate_on,
        deadline=clock.deadline, intake_by=actor if channel in STAFF_CHANNELS else None)
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:  # the same submission raced in: one case
        return Case.objects.get(dedupe_key=key)
    uploader = actor if getattr(actor, "pk", None) else None
    for item in checked:
        CaseEvidence.objects.create(
            case=case, file=item.upload, content_type=item.content_type, size=item.size,
            sha256=item.sha256, original_name=item.original_name, uploaded_by=uploader)
    if form is not None:
        CaseEvidence.objects.create(
            case=case, kind=EvidenceKind.INTAKE_FORM, file=form.upload,
            content_type=form.content_type, size=form.size, sha256=form.sha256,
            original_name=form.original_name, uploaded_by=uploader)
    _event(case, actor=actor, verb="received",
           note=_("经%(c)s渠道接收，办结时限 %(d)s。") % {
               "c": case.get_channel_display(), "d": case.deadline.isoformat()})
    log_action(actor, "case.receive", case, {
        "reference": case.reference, "kind": kind, "channel": channel,
        "reason": reason_code, "target": target_ref, "files": len(checked),
        "deadline": case.deadline.isoformat()})
    _tell_complainant(case, "case_received")
    return case


def _require_handler(actor: Any, case: Case) -> None:
    require_perm(actor, "tickets.handle")
    if case.kind == CaseKind.APPEAL and case.sanction and case.sanction.created_by_id == actor.pk:
        raise NotPermitted(_("申诉须由作出处置者以外的人员处理。"), code="own_sanction")


def _require_assignee(actor: Any, case: Case) -> None:
    _require_handler(actor, case)
    if case.assigned_to_id != actor.pk:
        raise NotPermitted(_("该案件已分配给其他经办人，您不能处理。"), code="not_assignee")


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("sanction").get(
        pk=case.pk)


@transaction.atomic
def case_accept(*, actor: Any, case: Case) -> Case:
    """A handler accepts a received (or reopened) case and takes it; the complainant is told the
    deadline (TKT-2 initial validity check, TKT-3)."""
    case = _locked(case)
    _require_handler(actor, case)
    if case.status not in (CaseStatus.RECEIVED, CaseStatus.REOPENED):
        raise ServiceError("invalid_transition", _("该案件当前不能受理。"))
    if case.assigned_to_id and case.assigned_to_id != actor.pk:
        raise NotPermitted(_("该案件已分配给其他经办人，您不能处理。"), code="not_assignee")
    before = case.status
    case.status, case.assigned_to = CaseStatus.ACCEPTED, actor
    case.accepted_at = case.accepted_at or timezone.now()
    case.save()
    _event(case, actor=actor, verb="accepted", from_status=before,
           note=_("已受理，将于 %(d)s 前办结。") % {"d": case.deadline.isoformat()})
    log_action(actor, "case.accept", case, {"reference": case.reference})
    _tell_complainant(case, "case_accepted")
    return case


@transaction.atomic
def case_assign(*, actor: Any, case: Case, handler: Any) -> Case:
    """A supervisor assigns a case to a handler (TKT-3)."""
    require_perm(actor, "tickets.supervise")
    case = _locked(case)
    if not case.is_open:
        raise ServiceError("invalid_transition", _("已办结的案件不能再分配。"))
    if handler.role not in (Role.REVIEWER, Role.CUSTOMER_SERVICE) or not handler.is_active:
        raise _fail("invalid_handler", _("只能分配给审核员或客服。"), "handler")
    if case.kind == CaseKind.APPEAL and case.sanction and \
            case.sanction.created_by_id == handler.pk:
        raise _fail("own_sanction", _("申诉须由作出处置者以外的人员处理。"), "handler")
    case.assigned_to = handler
    case.save(update_fields=["assigned_to"])
    _event(case, actor=actor, verb="assigned", public=False,
           note=_("分配给 %(h)s。") % {"h": handler.username})
    log_action(actor, "case.assign", case, {"handler": handler.pk})
    notify(handler, "case_assigned", {"case": case, "deadline": case.deadline.isoformat()},
           link=f"/staff/cases/{case.pk}/")
    return case


@transaction.atomic
def case_investigate(*, actor: Any, case: Case, note: str = "") -> Case:
    case = _locked(case)
    _require_assignee(actor, case)
    if case.status != CaseStatus.ACCEPTED:
        raise ServiceError("invalid_transition", _("请先受理案件。"))
    case.status = CaseStatus.INVESTIGATING
    case.save(update_fields=["status"])
    _event(case, actor=actor, verb="investigating", from_status=CaseStatus.ACCEPTED,
           note=normalize_text(note)[:FINDING_MAX] or _("正在调查核实。"))
    log_action(actor, "case.investigate", case, {})
    return case


@dataclass(frozen=True)
class Measures:
    """What an upheld case does to the party complained about (RISK-2)."""

    remove_target: bool = False
    sanction_kind: str = ""
    rule: str = ""
    daily_limit: int | None = None
    features: tuple[str, ...] = ()
    days: int | None = None


@transaction.atomic
def case_resolve(*, actor: Any, case: Case, upheld: bool, finding: str, result: str,
                 measures: Measures = Measures()) -> Case:
    """The assigned handler decides (TKT-4): the finding (what was established, shown to the
    party complained about without the complainant) and the result (told to the complainant).
    An upheld case may take the target down and impose a stepped sanction citing the case
    (RISK-2); an appeal is decided by someone other than the one who imposed the sanction."""
    case = _locked(case)
    _require_assignee(actor, case)
    if case.status not in (CaseStatus.ACCEPTED, CaseStatus.INVESTIGATING):
        raise ServiceError("invalid_transition", _("请先受理案件。"))
    finding, result = normalize_text(finding or ""), normalize_text(result or "")
    fields = {}
    if not finding:
        fields["finding"] = [_("请写明查明的事实。")]
    if not result:
        fields["result"] = [_("请写明处理结果。")]
    if len(finding) > FINDING_MAX or len(result) > FINDING_MAX:
        fields["finding"] = [_("最多 %(n)s 字。") % {"n": FINDING_MAX}]
    if measures.sanction_kind and not upheld:
        fields["sanction_kind"] = [_("投诉不成立时不能处置。")]
    if measures.sanction_kind and case.organisation is None:
        fields["sanction_kind"] = [_("被投诉对象不属于任何单位，不能处置单位。")]
    if fields:
        raise ServiceError("invalid_resolution", next(iter(fields.values()))[0], fields=fields)
    before = case.status
    case.status, case.upheld = CaseStatus.RESOLVED, upheld
    case.finding, case.result = finding, result
    case.resolved_by, case.resolved_at = actor, timezone.now()
    case.save()
    from pinqiao.risk import services as risk

    if case.kind == CaseKind.APPEAL:
        risk.appeal_decided(actor=actor, case=case)
    elif upheld:
        target = case.target
        if measures.remove_target and target is not None:
            remove = targets.type_for_model(target).remove
            if remove is None:
                raise _fail("cannot_remove", _("该类对象不能下架。"), "remove_target")
            remove(actor=actor, target=target, case=case)
        if measures.sanction_kind:
            risk.sanction_for_case(actor=actor, case=case, kind=measures.sanction_kind,
                                   rule=measures.rule, daily_limit=measures.daily_limit,
                                   features=tuple(measures.features), days=measures.days)
    _event(case, actor=actor, verb="resolved", from_status=before, note=result)
    log_action(actor, "case.resolve", case, {
        "reference": case.reference, "upheld": upheld,
        "remove_target": measures.remove_target, "sanction": measures.sanction_kind})
    _tell_complainant(case, "case_resolved", result=result,
                      upheld=_("成立") if upheld else _("不成立"))
    transaction.on_commit(lambda: risk.scores_recompute_for_case(case_id=case.pk))
    return case


@transaction.atomic
def case_close(*, actor: Any, case: Case) -> Case:
    """The complainant accepts the result, or the handler closes it; the case is archived
    (TKT-6) and the complainant is asked to rate the handling."""
    case = _locked(case)
    if case.complainant_id != getattr(actor, "pk", None):
        _require_assignee(actor, case)
    if case.status != CaseStatus.RESOLVED:
        raise ServiceError("invalid_transition", _("只有已处理的案件可以办结。"))
    case.status, case.closed_at = CaseStatus.CLOSED, timezone.now()
    case.save(update_fields=["status", "closed_at"])
    _event(case, actor=actor, verb="closed", from_status=CaseStatus.RESOLVED)
    log_action(actor, "case.close", case, {"reference": case.reference})
    if case.complainant_id != getattr(actor, "pk", None):
        _tell_complainant(case, "case_closed")
    return case


@transaction.atomic
def case_reopen(*, actor: Any, case: Case, reason: str) -> Case:
    """The complainant disputes the result within 15 days (TKT-4): the case is reopened with a
    fresh seven-working-day clock and goes back to its handler."""
    case = _locked(case)
    if case.complainant_id is None or case.complainant_id != getattr(actor, "pk", None):
        raise NotPermitted(_("只有投诉人可以对处理结果提出异议。"))
    reason = normalize_text(reason or "")
    if not reason:
        raise _fail("reason_required", _("请说明对处理结果的异议。"), "reason")
    if case.status not in (CaseStatus.RESOLVED, CaseStatus.CLOSED) or case.resolved_at is None:
        raise ServiceError("invalid_transition", _("该案件当前不能提出异议。"))
    if (timezone.now() - case.resolved_at).days > DISPUTE_DAYS:
        raise ServiceError("dispute_expired",
                           _("已超过 %(n)s 天的异议期限。") % {"n": DISPUTE_DAYS})
    before = case.status
    clock = clock_for(timezone.now())
    case.status, case.closed_at = CaseStatus.REOPENED, None
    case.escalate_on, case.deadline = clock.escalate_on, clock.deadline
    case.escalated_at = case.overdue_alerted_at = None
    case.save()
    _event(case, actor=actor, verb="reopened", from_status=before, note=reason[:CONTENT_MAX])
    log_action(actor, "case.reopen", case, {"reference": case.reference})
    if case.assigned_to_id:
        notify(case.assigned_to, "case_assigned",
               {"case": case, "deadline": case.deadline.isoformat()},
               link=f"/staff/cases/{case.pk}/")
    return case


@transaction.atomic
def case_refer(*, actor: Any, case: Case, authority: str, note: str = "") -> Case:
    """A matter beyond the platform goes to the authorities with its file (TKT-4)."""
    case = _locked(case)
    _require_assignee(actor, case)
    authority = normalize_text(authority or "")[:200]
    if not authority:
        raise _fail("authority_required", _("请填写移送的主管部门。"), "authority")
    if not case.is_open:
        raise ServiceError("invalid_transition", _("该案件当前不能移送。"))
    before = case.status
    case.status, case.referred_to = CaseStatus.REFERRED, authority
    case.resolved_by, case.resolved_at = actor, timezone.now()
    case.result = _("已移送%(a)s处理。") % {"a": authority}
    case.save()
    _event(case, actor=actor, verb="referred", from_status=before,
           note=normalize_text(note)[:FINDING_MAX] or case.result)
    log_action(actor, "case.refer", case, {"reference": case.reference, "authority": authority})
    _tell_complainant(case, "case_resolved", result=case.result, upheld=_("已移送"))
    return case


@transaction.atomic
def case_rate(*, actor: Any, case: Case, satisfaction: int, process: int, efficiency: int,
              result: int, attitude: int, comment: str = "") -> CaseRating:
    """The complainant's satisfaction survey and service evaluation after closing (TKT-6,
    TKT-7); once per case."""
    if case.complainant_id is None or case.complainant_id != getattr(actor, "pk", None):
        raise NotPermitted(_("只有投诉人可以评价。"))
    if case.status not in (CaseStatus.CLOSED, CaseStatus.REFERRED):
        raise ServiceError("not_closed", _("案件办结后才能评价。"))
    scores = {"satisfaction": satisfaction, "process": process, "efficiency": efficiency,
              "result": result, "attitude": attitude}
    bad = {k: [_("请选择 1–5 分。")] for k, v in scores.items()
           if not isinstance(v, int) or not 1 <= v <= 5}
    if bad:
        raise ServiceError("invalid_rating", _("请为每一项选择 1–5 分。"), fields=bad)
    if CaseRating.objects.filter(case=case).exists():
        raise ServiceError("already_rated", _("您已评价过该案件。"))
    rating = CaseRating.objects.create(case=case, comment=normalize_text(comment or "")[:1000],
                                       **scores)
    log_action(actor, "case.rate", case, scores)
    return rating


# --- the clock (TKT-3) ----------------------------------------------------------------------

@dataclass
class ClockRun:
    escalated: int = 0
    overdue: int = 0


def _supervisors() -> list[Any]:
    from pinqiao.accounts.models import User

    return list(User.objects.filter(role=Role.OPERATOR, is_active=True))


def clock_run(*, now: datetime | None = None, dry_run: bool = False) -> ClockRun:
    """Escalate open cases that reached working day 5 to the supervisors and alert on overdue
    ones (past working day 7), each once (TKT-3)."""
    now = now or timezone.now()
    today = china_today(now)
    run = ClockRun()
    supervisors = _supervisors()
    due = Case.objects.filter(status__in=OPEN_STATUSES, escalated_at__isnull=True,
                              escalate_on__lte=today)
    for case in due.select_related("assigned_to"):
        run.escalated += 1
        if dry_run:
            continue
        with transaction.atomic():
            Case.objects.filter(pk=case.pk).update(escalated_at=now)
            _event(case, actor=None, verb="escalated", public=False,
                   note=_("已到第 5 个工作日，升级至主管。"))
            log_action(None, "case.escalate", case, {"reference": case.reference})
            for user in supervisors:
                notify(user, "case_escalated", {"case": case,
                                                "deadline": case.deadline.isoformat()},
                       link=f"/staff/cases/{case.pk}/")
    overdue = Case.objects.filter(status__in=OPEN_STATUSES, overdue_alerted_at__isnull=True,
                                  deadline__lt=today)
    for case in overdue.select_related("assigned_to"):
        run.overdue += 1
        if dry_run:
            continue
        with transaction.atomic():
            Case.objects.filter(pk=case.pk).update(overdue_alerted_at=now)
            _event(case, actor=None, verb="overdue", public=False,
                   note=_("已超过办结时限 %(d)s。") % {"d": case.deadline.isoformat()})
            log_action(None, "case.overdue", case, {"reference": case.reference})
            recipients = supervisors + ([case.assigned_to] if case.assigned_to_id else [])
            for user in recipients:
                notify(user, "case_overdue", {"case": case,
                                              "deadline": case.deadline.isoformat()},
                       link=f"/staff/cases/{case.pk}/", urgent=True)
    return run


# --- reports from the moderation buttons (TKT-1) ---------------------------------------------

def case_from_report(*, report: Any) -> Case | None:
    """A report made with an existing report button also lands on the desk (TKT-1)."""
    target = report.target
    if target is None:
        return None
    try:
        targets.type_for_model(target)
    except ServiceError:
        return None
    try:
        with transaction.atomic():
            return case_submit(actor=report.reporter, kind=CaseKind.REPORT,
                               reason_code=report.reason,
                               content=report.detail or str(report.get_reason_display()),
                               target=target, report=report, received_at=report.created_at)
    except ServiceError:  # e.g. a report about one's own organisation: the queue still has it
        return None


# --- complaints by e-mail (TKT-2) -----------------------------------------------------------

@dataclass
class MailRun:
    received: int = 0
    refused: int = 0


def mail_receive(*, inbox: Any, dry_run: bool = False) -> MailRun:
    """Turn each unread e-mail into a case (channel e-mail, the sender as contact); a message
    that cannot be a case (no text, an attachment that is not PDF, PNG or JPEG) is refused as a
    whole and the sender told why by e-mail."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.mail import send_mail

    run = MailRun()
    for message in inbox.unread():
        if dry_run:
            run.received += 1
            continue
        files = [SimpleUploadedFile(name, data) for name, data in message.attachments]
        content = "\n".join(filter(None, [message.subject, message.text]))
        try:
            with transaction.atomic():
                case_submit(actor=None, kind=CaseKind.COMPLAINT, channel=Channel.EMAIL,
                            reason_code="other", content=content, files=files,
                            intake=Intake(message.sender_name or message.sender_address,
                                          message.sender_address))
        except ServiceError as exc:
            run.refused += 1
            inbox.mark_done(message.key, refused=True)
            log_action(None, "case.email_refused", None, {"code": exc.code})
            if message.sender_address:
                send_mail(_("您的投诉邮件未能受理"),
                          _("您发送的投诉邮件未能登记：%(m)s 请修改后重新发送，或拨打投诉电话。")
                          % {"m": exc.message}, None, [message.sender_address])
            continue
        run.received += 1
        inbox.mark_done(message.key)
    return run

