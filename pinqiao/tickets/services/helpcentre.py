"""The help centre (TKT-8, DB4401 4.4 h): the FAQ staff edit (public texts, screened on save,
every version kept), support tickets between a user and customer service with canned answers,
and the way from a ticket to the complaint desk.

Ticket states: open (waiting for staff) → answered → closed; the user may reopen a closed
ticket within 30 days (reopened, waiting for staff again); a ticket that is really a complaint
is converted into a desk case whose clock runs from the ticket's receipt (converted). Every
write is atomic and audited; the user is notified of every staff step.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from pinqiao.core.audit import log_action
from pinqiao.core.errors import NotPermitted, ServiceError
from pinqiao.core.permissions import has_perm, require_perm
from pinqiao.moderation.public_texts import screen_public_texts
from pinqiao.notifications.services import notify
from pinqiao.orgs.uploads import check_upload
from pinqiao.tickets.clock import china_today
from pinqiao.tickets.models import (
    CannedAnswer,
    Case,
    CaseEvidence,
    CaseKind,
    FaqCategory,
    FaqEntry,
    FaqRevision,
    SupportTicket,
    TicketAttachment,
    TicketCategory,
    TicketMessage,
    TicketRating,
    TicketStatus,
)

SUBJECT_MAX = 100
BODY_MAX = 5000
QUESTION_MAX = 200
ANSWER_MAX = 10000
CATEGORY_NAME_MAX = 40
CANNED_TITLE_MAX = 60
MAX_FILES = 5
#: Days after closing in which the user may reopen a ticket.
REOPEN_DAYS = 30
#: An FAQ answer may warn about deposits and fees (「平台不收取押金」): the fee rules are waived
#: for FAQ texts; every other rule (discrimination, contact details, fraud, illegal content)
#: applies in the public-profile context.
FAQ_WAIVED = ("fee_charging",)


def _fail(code: str, message: str, field: str) -> ServiceError:
    return ServiceError(code, message, fields={field: [message]})


def _text(value: str, *, field: str, label: str, limit: int, required: bool = True) -> str:
    """Trimmed, NFC only: NFKC (``normalize_text``) would turn the full-width Chinese
    punctuation of an FAQ answer or a message into ASCII (「，」 → 「,」); the screening
    normalises its own copy."""
    value = unicodedata.normalize("NFC", value or "").strip()
    if required and not value:
        raise _fail(f"{field}_required", _("请填写%(l)s。") % {"l": label}, field)
    if len(value) > limit:
        raise _fail(f"{field}_too_long", _("%(l)s最多 %(n)s 字。") % {"l": label, "n": limit},
                    field)
    return value


# --- FAQ (staff-edited, public) ---------------------------------------------------------------

@transaction.atomic
def faq_category_save(*, actor: Any, name: str, position: int = 0,
                      category: FaqCategory | None = None) -> FaqCategory:
    """Create or rename an FAQ category; the name is public and screened (TKT-8)."""
    require_perm(actor, "help.manage")
    name = _text(name, field="name", label=_("分类名称"), limit=CATEGORY_NAME_MAX)
    screen_public_texts(model="tickets.FaqCategory", values={"name": name},
                        labels={"name": _("分类名称")}, waived=FAQ_WAIVED)
    if FaqCategory.objects.filter(name=name).exclude(pk=getattr(category, "pk", None)).exists():
        raise _fail("name_taken", _("已有同名分类。"), "name")
    created = category is None
    category = category or FaqCategory()
    category.name, category.position = name, max(0, int(position or 0))
    category.save()
    log_action(actor, "help.faq_category_create" if created else "help.faq_category_update",
               category, {"name": name})
    return category


@transaction.atomic
def faq_save(*, actor: Any, category: FaqCategory | None, question: str, answer: str,
             published: bool = True, position: int = 0, note: str = "",
             entry: FaqEntry | None = None) -> FaqEntry:
    """Create or edit an FAQ entry (TKT-8). Question and answer are public texts, screened on
    save in their registered context; a refusal names the words. Each save is a new version
    kept in the history with who changed it and why."""
    require_perm(actor, "help.manage")
    if category is None:
        raise _fail("category_required", _("请选择分类。"), "category")
    question = _text(question, field="question", label=_("问题"), limit=QUESTION_MAX)
    answer = _text(answer, field="answer", label=_("解答"), limit=ANSWER_MAX)
    note = unicodedata.normalize("NFC", note or "").strip()[:200]
    screen_public_texts(model="tickets.FaqEntry", values={"question": question, "answer": answer},
                        labels={"question": _("问题"), "answer": _("解答")}, waived=FAQ_WAIVED)
    created = entry is None
    if entry is not None:
        entry = FaqEntry.objects.select_for_update().get(pk=entry.pk)
        entry.version += 1
    else:
        entry = FaqEntry()
    entry.category, entry.question, entry.answer = category, question, answer
    entry.published, entry.position = bool(published), max(0, int(position or 0))
    entry.updated_at, entry.updated_by = timezone.now(), actor
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        raise _fail("question_taken", _("该分类下已有相同的问题。"), "question") from None
    FaqRevision.objects.create(entry=entry, version=entry.version, category_name=category.name,
                               question=question, answer=answer, published=entry.published,
                               note=note, edited_by=actor, edited_at=entry.updated_at)
    log_action(actor, "help.faq_create" if created else "help.faq_update", entry,
               {"version": entry.version, "published": entry.published, "note": note})
    return entry


# --- canned answers ---------------------------------------------------------------------------

@transaction.atomic
def canned_save(*, actor: Any, title: str, body: str, category: str = "", active: bool = True,
                canned: CannedAnswer | None = None) -> CannedAnswer:
    """Create or edit a canned answer (常用回复) that staff insert into a reply and edit before
    sending (TKT-8)."""
    require_perm(actor, "help.manage")
    title = _text(title, field="title", label=_("标题"), limit=CANNED_TITLE_MAX)
    body = _text(body, field="body", label=_("回复内容"), limit=BODY_MAX)
    if category and category not in TicketCategory.values:
        raise _fail("invalid_category", _("请选择适用分类。"), "category")
    if CannedAnswer.objects.filter(title=title).exclude(pk=getattr(canned, "pk", None)).exists():
        raise _fail("title_taken", _("已有同名的常用回复。"), "title")
    created = canned is None
    canned = canned or CannedAnswer()
    canned.title, canned.body, canned.category, canned.active = title, body, category, active
    canned.updated_by, canned.updated_at = actor, timezone.now()
    canned.save()
    log_action(actor, "help.canned_create" if created else "help.canned_update", canned,
               {"title": title, "active": active})
    return canned


# --- support tickets --------------------------------------------------------------------------

def _reference() -> str:
    return timezone.localtime().strftime("GD%Y%m%d-") + get_random_string(
        6, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789")


def _files(files: Iterable[UploadedFile]) -> list[Any]:
    files = [f for f in files if f is not None]
    if len(files) > MAX_FILES:
        raise _fail("too_many_files", _("最多上传 %(n)s 个附件。") % {"n": MAX_FILES}, "files")
    return [check_upload(f, field="files") for f in files]


def _message(ticket: SupportTicket, *, author: Any, body: str, checked: list[Any],
             from_staff: bool = False, canned: CannedAnswer | None = None) -> TicketMessage:
    message = TicketMessage.objects.create(ticket=ticket, author=author, from_staff=from_staff,
                                           body=body, canned_answer=canned)
    for item in checked:
        TicketAttachment.objects.create(
            message=message, file=item.upload, content_type=item.content_type, size=item.size,
            sha256=item.sha256, original_name=item.original_name)
    return message


def _locked(ticket: SupportTicket) -> SupportTicket:
    return SupportTicket.objects.select_for_update().get(pk=ticket.pk)


def _tell_user(ticket: SupportTicket, event: str, **context: Any) -> None:
    notify(ticket.user, event, {"ticket": ticket, **context}, link=f"/help/tickets/{ticket.pk}/")


@transaction.atomic
def ticket_open(*, actor: Any, category: str, subject: str, body: str,
                files: Iterable[UploadedFile] = ()) -> SupportTicket:
    """A signed-in user asks customer service (TKT-8). Attachments are checked by their content
    (PDF, PNG, JPEG; HTML or SVG renamed is refused). The same question sent twice the same
    day is one ticket."""
    if not getattr(actor, "is_authenticated", False):
        raise NotPermitted(_("请先登录后再提交工单。"))
    if category not in TicketCategory.values:
        raise _fail("invalid_category", _("请选择问题分类。"), "category")
    subject = _text(subject, field="subject", label=_("标题"), limit=SUBJECT_MAX)
    body = _text(body, field="body", label=_("问题描述"), limit=BODY_MAX)
    checked = _files(files)
    raw = "\n".join([str(actor.pk), category, subject, " ".join(body.split()),
                     china_today(timezone.now()).isoformat()])
    key = hashlib.sha256(raw.encode()).hexdigest()
    existing = SupportTicket.objects.filter(dedupe_key=key).first()
    if existing is not None:
        return existing
    ticket = SupportTicket(reference=_reference(), user=actor, category=category,
                           subject=subject, dedupe_key=key)
    try:
        with transaction.atomic():
            ticket.save()
    except IntegrityError:  # the same submission raced in: one ticket
        return SupportTicket.objects.get(dedupe_key=key)
    _message(ticket, author=actor, body=body, checked=checked)
    log_action(actor, "help.ticket_open", ticket, {"reference": ticket.reference,
                                                   "category": category,
                                                   "files": len(checked)})
    _tell_user(ticket, "ticket_received")
    return ticket


@transaction.atomic
def ticket_user_reply(*, actor: Any, ticket: SupportTicket, body: str,
                      files: Iterable[UploadedFile] = ()) -> SupportTicket:
    """The user adds to their own open or answered ticket; it waits for staff again."""
    ticket = _locked(ticket)
    if ticket.user_id != getattr(actor, "pk", None):
        raise NotPermitted(_("只能回复自己的工单。"))
    if ticket.is_closed:
        raise _fail("ticket_closed", _("工单已关闭，如问题未解决请先重新打开。"), "body")
    body = _text(body, field="body", label=_("回复内容"), limit=BODY_MAX)
    checked = _files(files)
    _message(ticket, author=actor, body=body, checked=checked)
    if ticket.status == TicketStatus.ANSWERED:
        ticket.status = TicketStatus.OPEN
    ticket.updated_at = timezone.now()
    ticket.save(update_fields=["status", "updated_at"])
    log_action(actor, "help.ticket_user_reply", ticket, {"files": len(checked)})
    if ticket.assigned_to_id:
        notify(ticket.assigned_to, "ticket_user_replied", {"ticket": ticket},
               link=f"/staff/help/tickets/{ticket.pk}/")
    return ticket


@transaction.atomic
def ticket_staff_reply(*, actor: Any, ticket: SupportTicket, body: str,
                       canned: CannedAnswer | None = None, close: bool = False
                       ) -> SupportTicket:
    """Customer service answers (TKT-8); the text may start from a canned answer and is sent
    as edited. The user is notified; ``close`` closes the ticket with the answer."""
    require_perm(actor, "tickets.handle")
    ticket = _locked(ticket)
    if ticket.is_closed:
        raise _fail("ticket_closed", _("工单已关闭，不能再回复。"), "body")
    body = _text(body, field="body", label=_("回复内容"), limit=BODY_MAX)
    if canned is not None and not canned.active:
        raise _fail("canned_inactive", _("该常用回复已停用。"), "canned")
    _message(ticket, author=actor, body=body, checked=[], from_staff=True, canned=canned)
    now = timezone.now()
    ticket.status = TicketStatus.CLOSED if close else TicketStatus.ANSWERED
    ticket.answered_at, ticket.updated_at = now, now
    ticket.closed_at = now if close else None
    ticket.assigned_to = ticket.assigned_to or actor
    ticket.save()
    log_action(actor, "help.ticket_staff_reply", ticket, {
        "canned": canned.pk if canned else None,
        "edited": bool(canned) and body != canned.body, "closed": close})
    _tell_user(ticket, "ticket_answered", body=body[:500])
    return ticket


def _may_act(actor: Any, ticket: SupportTicket) -> bool:
    return ticket.user_id == getattr(actor, "pk", None) or has_perm(actor, "tickets.handle")


@transaction.atomic
def ticket_close(*, actor: Any, ticket: SupportTicket) -> SupportTicket:
    """The user (problem solved) or staff close a ticket."""
    ticket = _locked(ticket)
    if not _may_act(actor, ticket):
        raise NotPermitted(_("只能关闭自己的工单。"))
    if ticket.is_closed:
        raise ServiceError("ticket_closed", _("工单已关闭。"))
    ticket.status, ticket.closed_at = TicketStatus.CLOSED, timezone.now()
    ticket.updated_at = ticket.closed_at
    ticket.save(update_fields=["status", "closed_at", "updated_at"])
    log_action(actor, "help.ticket_close", ticket, {})
    if ticket.user_id != actor.pk:
        _tell_user(ticket, "ticket_closed")
    return ticket


@transaction.atomic
def ticket_reopen(*, actor: Any, ticket: SupportTicket, body: str) -> SupportTicket:
    """The user reopens a closed ticket within 30 days, saying what is still wrong."""
    ticket = _locked(ticket)
    if ticket.user_id != getattr(actor, "pk", None):
        raise NotPermitted(_("只能重新打开自己的工单。"))
    if ticket.status != TicketStatus.CLOSED or ticket.closed_at is None:
        raise ServiceError("invalid_transition", _("只有已关闭的工单可以重新打开。"))
    if timezone.now() - ticket.closed_at > timedelta(days=REOPEN_DAYS):
        raise _fail("reopen_expired", _("工单关闭已超过 %(n)s 天，请提交新的工单。") % {
            "n": REOPEN_DAYS}, "body")
    body = _text(body, field="body", label=_("仍未解决的问题"), limit=BODY_MAX)
    _message(ticket, author=actor, body=body, checked=[])
    ticket.status, ticket.closed_at, ticket.updated_at = (TicketStatus.REOPENED, None,
                                                          timezone.now())
    ticket.save(update_fields=["status", "closed_at", "updated_at"])
    log_action(actor, "help.ticket_reopen", ticket, {})
    if ticket.assigned_to_id:
        notify(ticket.assigned_to, "ticket_user_replied", {"ticket": ticket},
               link=f"/staff/help/tickets/{ticket.pk}/")
    return ticket


@transaction.atomic
def ticket_convert(*, actor: Any, ticket: SupportTicket, reason_code: str,
                   target: models.Model | None, desired_outcome: str = "") -> Case:
    """A ticket that is really a complaint goes to the desk as a case filed by the ticket's
    user (TKT-2, TKT-8): the user's messages are its content, their attachments its evidence,
    and its clock runs from the ticket's receipt, not from the conversion (TKT-3)."""
    from pinqiao.tickets.services.cases import case_submit

    require_perm(actor, "tickets.handle")
    ticket = _locked(ticket)
    if ticket.is_closed:
        raise ServiceError("ticket_closed", _("已关闭或已转办的工单不能再转为投诉。"))
    messages = list(ticket.messages.filter(from_staff=False).prefetch_related("attachments"))
    content = "\n".join([ticket.subject, *(m.body for m in messages)])[:5000]
    case = case_submit(actor=ticket.user, kind=CaseKind.COMPLAINT, reason_code=reason_code,
                       content=content, desired_outcome=desired_outcome, target=target,
                       received_at=ticket.created_at)
    for message in messages:
        for item in message.attachments.all():
            CaseEvidence.objects.create(
                case=case, file=item.file.name, content_type=item.content_type, size=item.size,
                sha256=item.sha256, original_name=item.original_name, uploaded_by=ticket.user)
    _message(ticket, author=actor, from_staff=True, checked=[],
             body=_("您反映的问题已转为投诉案件 %(r)s，平台将于 %(d)s 前办结，"
                    "可在「我的投诉」中查看进度。")
             % {"r": case.reference, "d": case.deadline.isoformat()})
    now = timezone.now()
    ticket.status, ticket.case = TicketStatus.CONVERTED, case
    ticket.closed_at = ticket.updated_at = now
    ticket.assigned_to = ticket.assigned_to or actor
    ticket.save()
    log_action(actor, "help.ticket_convert", ticket, {"case": case.reference,
                                                      "received_at": case.received_at.isoformat()})
    _tell_user(ticket, "ticket_answered", body=_("已转为投诉案件 %(r)s。") % {"r": case.reference})
    return case


@transaction.atomic
def ticket_rate(*, actor: Any, ticket: SupportTicket, satisfaction: int, process: int,
                efficiency: int, result: int, attitude: int, comment: str = "") -> TicketRating:
    """The user rates a closed ticket: process, efficiency, result, staff attitude and overall
    satisfaction, 1–5, once (TKT-7); the averages join the monthly report."""
    if ticket.user_id != getattr(actor, "pk", None):
        raise NotPermitted(_("只能评价自己的工单。"))
    if ticket.status not in (TicketStatus.CLOSED, TicketStatus.CONVERTED):
        raise ServiceError("not_closed", _("工单关闭后才能评价。"))
    scores = {"satisfaction": satisfaction, "process": process, "efficiency": efficiency,
              "result": result, "attitude": attitude}
    bad = {k: [_("请选择 1–5 分。")] for k, v in scores.items()
           if not isinstance(v, int) or not 1 <= v <= 5}
    if bad:
        raise ServiceError("invalid_rating", _("请为每一项选择 1–5 分。"), fields=bad)
    if TicketRating.objects.filter(ticket=ticket).exists():
        raise ServiceError("already_rated", _("您已评价过该工单。"))
    rating = TicketRating.objects.create(
        ticket=ticket, comment=unicodedata.normalize("NFC", comment or "").strip()[:1000],
        **scores)
    log_action(actor, "help.ticket_rate", ticket, scores)
    return rating


__all__ = ["FAQ_WAIVED", "canned_save", "faq_category_save", "faq_save",
           "ticket_close", "ticket_convert", "ticket_open", "ticket_rate", "ticket_reopen",
           "ticket_staff_reply", "ticket_user_reply"]
