"""The retention schedule (RET-1): one ``RetentionRule`` row per kind of record — the period
after the end of the service and the action at its end (purge or anonymise) — applied by the
nightly ``apply_retention`` command.

``KINDS`` says, for each kind, where its rows are, which date ends the service, the legal
minimum (three years where DB4401 7.2.6, the 直播带岗 standard 4.4.1 f) or O44 Art. 26 require it)
and which person or organisation a legal hold must protect. Anonymising keeps the columns that
statistics need (stage, dates, ratings, posting, organisation) and blanks the free text.
Other apps (chats, complaints) add their kinds with ``register_kind``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from pinqiao.core.audit import log_action
from pinqiao.core.errors import ServiceError
from pinqiao.core.permissions import require_perm
from pinqiao.rights.models import LegalHold, RetentionAction, RetentionRule, RetentionRun

THREE_YEARS = 3 * 365 + 1
BASIS_RECORDS = _lazy("DB4401 7.2.6：服务记录、评价、投诉等保存不少于三年")


@dataclass(frozen=True)
class RecordKind:
    name: str
    label: str
    rows: Callable[[], QuerySet]
    end_field: str
    minimum_days: int
    default_days: int
    default_action: str
    basis: str
    #: Paths from a row to the person and the organisation that a legal hold protects.
    user_paths: tuple[str, ...] = ()
    org_paths: tuple[str, ...] = ()
    anonymise: Callable[[QuerySet], int] | None = None
    #: Paths from a row to the reference of the complaint case a case hold names.
    case_paths: tuple[str, ...] = ()


def _applications() -> QuerySet:
    from pinqiao.applications.models import FINAL_STAGES, Application

    return Application.objects.filter(stage__in=FINAL_STAGES).exclude(answers=[])


def _anonymise_applications(rows: QuerySet) -> int:
    from pinqiao.applications.models import ApplicationEvent, ApplicationNote

    ids = list(rows.values_list("pk", flat=True))
    ApplicationNote.objects.filter(application_id__in=ids).delete()
    ApplicationEvent.objects.filter(application_id__in=ids).update(note="")
    return rows.model.objects.filter(pk__in=ids).update(answers=[])


def _evaluations() -> QuerySet:
    from pinqiao.interviews.models import SeekerEvaluation

    return SeekerEvaluation.objects.exclude(comment="")


def _anonymise_comment(rows: QuerySet) -> int:
    return rows.update(comment="")


def _scorecards() -> QuerySet:
    from pinqiao.interviews.models import Scorecard

    return Scorecard.objects.exclude(comment="")


def _login_logs() -> QuerySet:
    from pinqiao.accounts.models import LoginRecord

    return LoginRecord.objects.all()


def _access_trail() -> QuerySet:
    from pinqiao.privacy.models import ResumeAccess

    return ResumeAccess.objects.filter(download__isnull=True)


def _exposures() -> QuerySet:
    from pinqiao.recommendations.models import Exposure

    return Exposure.objects.all()


def _postings() -> QuerySet:
    from pinqiao.jobs.models import Posting, PostingStatus

    return Posting.objects.filter(status__in=(
        PostingStatus.CLOSED, PostingStatus.EXPIRED, PostingStatus.REMOVED,
        PostingStatus.REJECTED)).exclude(address="", status_reason="", matched_words=[],
                                         seeker_fee_statement="")


def _anonymise_postings(rows: QuerySet) -> int:
    return rows.update(address="", status_reason="", matched_words=[], seeker_fee_statement="")


def _chats() -> QuerySet:
    from pinqiao.messaging.models import Message

    return Message.objects.exclude(body="").filter(conversation__last_message_at__isnull=False)


def _anonymise_chats(rows: QuerySet) -> int:
    from pinqiao.messaging.models import Conversation, Message

    ids = list(rows.values_list("pk", flat=True))
    Conversation.objects.filter(messages__pk__in=ids).update(last_preview="")
    return Message.objects.filter(pk__in=ids).update(body="", risk_categories=[])


def _delete_with_files(rows: QuerySet) -> None:
    """Delete ``rows`` and the stored file each one names (``file``)."""
    for row in rows:
        row.file.delete(save=False)
    rows.delete()


def _cases() -> QuerySet:
    from pinqiao.tickets.models import Case

    return Case.objects.filter(closed_at__isnull=False).exclude(content="")


def _anonymise_cases(rows: QuerySet) -> int:
    from pinqiao.tickets.models import Case, CaseEvent, CaseEvidence

    ids = list(rows.values_list("pk", flat=True))
    _delete_with_files(CaseEvidence.objects.filter(case_id__in=ids))
    CaseEvent.objects.filter(case_id__in=ids).update(note="")
    return Case.objects.filter(pk__in=ids).update(
        complainant=None, complainant_name_ciphertext="", contact_ciphertext="", content="",
        desired_outcome="", finding="", result="")


def _case_ratings() -> QuerySet:
    from pinqiao.tickets.models import CaseRating

    return CaseRating.objects.exclude(comment="").filter(case__closed_at__isnull=False)


def _support_tickets() -> QuerySet:
    from pinqiao.tickets.models import SupportTicket

    return SupportTicket.objects.filter(closed_at__isnull=False).exclude(subject="")


def _anonymise_support_tickets(rows: QuerySet) -> int:
    from pinqiao.tickets.models import TicketAttachment, TicketMessage, TicketRating

    ids = list(rows.values_list("pk", flat=True))
    _delete_with_files(TicketAttachment.objects.filter(message__ticket_id__in=ids))
    TicketMessage.objects.filter(ticket_id__in=ids).update(body="")
    TicketRating.objects.filter(ticket_id__in=ids).update(comment="")
    return rows.model.objects.filter(pk__in=ids).update(subject="")


def _interviews() -> QuerySet:
    from pinqiao.interviews.models import Interview

    return Interview.objects.filter(starts_at__isnull=False).exclude(note="", location="")


def _anonymise_interviews(rows: QuerySet) -> int:
    return rows.update(note="", location="")


def _notifications() -> QuerySet:
    from pinqiao.notifications.models import Notification

    return Notification.objects.all()


KINDS: dict[str, RecordKind] = {}


def register_kind(kind: RecordKind) -> None:
    KINDS[kind.name] = kind


for _kind in (
    RecordKind("applications", _lazy("投递记录（已结束的）"), _applications, "updated_at",
               THREE_YEARS, THREE_YEARS, RetentionAction.ANONYMISE, BASIS_RECORDS,
               ("seeker",), ("organisation",), _anonymise_applications),
    RecordKind("evaluations", _lazy("求职者对面试的评价"), _evaluations, "created_at",
               THREE_YEARS, THREE_YEARS, RetentionAction.ANONYMISE,
               _lazy("直播带岗 4.4.1 第六项、DB4401 7.2.6：评价保存不少于三年"),
               ("interview__application__seeker",), ("interview__application__organisation",),
               _anonymise_comment),
    RecordKind("scorecards", _lazy("招聘方的面试评语"), _scorecards, "created_at",
               THREE_YEARS, THREE_YEARS, RetentionAction.ANONYMISE, BASIS_RECORDS,
               ("interview__application__seeker",), ("interview__application__organisation",),
               _anonymise_comment),
    RecordKind("login_logs", _lazy("登录日志"), _login_logs, "login_at",
               THREE_YEARS, THREE_YEARS, RetentionAction.PURGE,
               _lazy("DB4401 7.2.6、ACC-4：登录日志保存不少于三年"), ("user",)),
    RecordKind("access_trail", _lazy("简历访问记录（不含下载）"), _access_trail, "at",
               THREE_YEARS, THREE_YEARS, RetentionAction.PURGE,
               _lazy("DB4401 7.3.3：访问记录可追溯，保存三年"), ("resume__owner", "viewer"),
               ("organisation",)),
    RecordKind("exposures", _lazy("推荐曝光记录"), _exposures, "at", 0, 180,
               RetentionAction.PURGE, _lazy("ALG-1 偏差监测只读近 30 天；保留 180 天以便复算"),
               ("seeker",)),
    RecordKind("postings", _lazy("已结束的招聘信息（地址、原因说明等文字）"), _postings,
               "updated_at", THREE_YEARS, THREE_YEARS, RetentionAction.ANONYMISE,
               _lazy("DB4401 7.2.6：招聘信息等服务记录保存不少于三年"), ("created_by",),
               ("organisation",), _anonymise_postings),
    RecordKind("chats", _lazy("聊天记录（消息正文）"), _chats, "conversation__last_message_at",
               THREE_YEARS, THREE_YEARS, RetentionAction.ANONYMISE,
               _lazy("DB4401 7.2.6、直播带岗 4.4.1：沟通记录保存不少于三年"),
               ("conversation__seeker", "sender"), ("conversation__organisation",),
               _anonymise_chats),
    RecordKind("cases", _lazy("投诉、举报、申诉案件（已办结的）"), _cases, "closed_at",
               THREE_YEARS, THREE_YEARS, RetentionAction.ANONYMISE,
               _lazy("DB4401 7.2.6、9.2：投诉处理记录保存不少于三年"),
               ("complainant", "accused_user"), ("organisation",), _anonymise_cases,
               ("reference",)),
    RecordKind("case_ratings", _lazy("对投诉处理的评价"), _case_ratings, "case__closed_at",
               THREE_YEARS, THREE_YEARS, RetentionAction.ANONYMISE, BASIS_RECORDS,
               ("case__complainant",), ("case__organisation",), _anonymise_comment,
               ("case__reference",)),
    RecordKind("support_tickets", _lazy("客服工单（已关闭的）"), _support_tickets, "closed_at",
               THREE_YEARS, THREE_YEARS, RetentionAction.ANONYMISE,
               _lazy("DB4401 7.2.6：服务信息保存不少于三年"), ("user",), (),
               _anonymise_support_tickets, ("case__reference",)),
    RecordKind("interviews", _lazy("面试安排（地点、须知）"), _interviews, "starts_at",
               THREE_YEARS, THREE_YEARS, RetentionAction.ANONYMISE, BASIS_RECORDS,
               ("application__seeker",), ("application__organisation",),
               _anonymise_interviews),
    RecordKind("notifications", _lazy("站内通知及其发送记录"), _notifications, "created_at", 0,
               365, RetentionAction.PURGE, _lazy("非法定保存记录：通知送达后保留一年备查"),
               ("user",)),
):
    register_kind(_kind)


def _rules() -> dict[str, RetentionRule]:
    return {r.kind: r for r in RetentionRule.objects.all()}


def rule_for(kind: str) -> tuple[int, str]:
    """The period (days) and action in force for ``kind``: the stored rule, else the default."""
    spec = KINDS[kind]
    rule = RetentionRule.objects.filter(kind=kind).first()
    return (rule.days, rule.action) if rule else (spec.default_days, spec.default_action)


def keep_until(kind: str, end: datetime | date) -> date:
    """The day a record whose service ended at ``end`` may be purged or anonymised."""
    days = rule_for(kind)[0] if kind in KINDS else THREE_YEARS
    day = timezone.localdate(end) if isinstance(end, datetime) else end
    return day + timedelta(days=days)


def retention_rule_set(*, actor: Any, kind: str, days: int, action: str) -> RetentionRule:
    """RET-1: change one kind's period or action. A period shorter than the legal minimum is
    refused, and so is an action the kind cannot take."""
    require_perm(actor, "retention.manage")
    spec = KINDS.get(kind)
    if spec is None:
        msg = _("没有这种记录类型。")
        raise ServiceError("unknown_kind", msg, fields={"kind": [msg]})
    if days < spec.minimum_days:
        msg = _("“%(label)s”依法至少保存 %(min)s 天（%(basis)s），不能改为 %(days)s 天。") % {
            "label": spec.label, "min": spec.minimum_days, "basis": spec.basis, "days": days}
        raise ServiceError("below_legal_minimum", msg, fields={"days": [msg]})
    if action not in RetentionAction.values or (
            action == RetentionAction.ANONYMISE and spec.anonymise is None):
        msg = _("该记录类型不能采用这种到期处理方式。")
        raise ServiceError("invalid_action", msg, fields={"action": [msg]})
    with transaction.atomic():
        rule, _created = RetentionRule.objects.update_or_create(
            kind=kind, defaults={"days": days, "action": action, "basis": str(spec.basis),
                                 "updated_at": timezone.now()})
        log_action(actor, "retention.rule_set", rule, {"kind": kind, "days": days,
                                                       "action": action})
    return rule


def schedule() -> list[dict[str, Any]]:
    """The schedule as shown to staff: every kind with the rule in force."""
    rules = _rules()
    rows = []
    for spec in KINDS.values():
        rule = rules.get(spec.name)
        rows.append({"kind": spec.name, "label": str(spec.label),
                     "days": rule.days if rule else spec.default_days,
                     "action": rule.action if rule else spec.default_action,
                     "minimum_days": spec.minimum_days, "basis": str(spec.basis),
                     "stored": rule is not None})
    return rows


def _held() -> tuple[set[int], set[int], set[str]]:
    holds = LegalHold.objects.filter(released_at=None)
    users = {h.user_id for h in holds if h.user_id}
    orgs = {h.organisation_id for h in holds if h.organisation_id}
    cases = {h.case_ref for h in holds if h.case_ref}
    return users, orgs, cases


def _due(spec: RecordKind, days: int, now: datetime, users: set[int], orgs: set[int],
         cases: set[str]) -> tuple[QuerySet, int]:
    rows = spec.rows().filter(**{f"{spec.end_field}__lt": now - timedelta(days=days)})
    held = rows.none()
    for paths, values in ((spec.user_paths, users), (spec.org_paths, orgs),
                          (spec.case_paths, cases)):
        for path in paths:
            if values:
                held = held | rows.filter(**{f"{path}__in": values})
    held_ids = set(held.values_list("pk", flat=True))
    return rows.exclude(pk__in=held_ids), len(held_ids)


def retention_apply(*, dry_run: bool, now: datetime | None = None) -> RetentionRun:
    """RET-1: purge or anonymise every row past its period, except what a legal hold covers;
    with ``dry_run`` count only. Leaves a ``RetentionRun`` report either way."""
    now = now or timezone.now()
    users, orgs, cases = _held()
    report: dict[str, Any] = {}
    with transaction.atomic():
        for spec in KINDS.values():
            days, action = rule_for(spec.name)
            due, held = _due(spec, days, now, users, orgs, cases)
            count = due.count()
            if not dry_run and count:
                count = (spec.anonymise(due) if action == RetentionAction.ANONYMISE
                         and spec.anonymise else due.delete()[0])
            report[spec.name] = {"label": str(spec.label), "days": days, "action": action,
                                 "count": count, "held": held}
        done = sum(r["count"] for r in report.values())
        kept = sum(r["held"] for r in report.values())
        summary = (f"retention{' (dry run)' if dry_run else ''}: {done} rows "
                   f"{'due' if dry_run else 'handled'} across {len(report)} kinds, "
                   f"{kept} kept under legal hold")
        run = RetentionRun.objects.create(started_at=now, dry_run=dry_run, report=report,
                                          summary=summary)
        log_action(None, "retention.run", run, {"dry_run": dry_run, "handled": done,
                                                "held": kept})
    return run
