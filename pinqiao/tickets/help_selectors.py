"""Reads for the help centre (TKT-8): the public FAQ and its search, the user's own tickets,
the staff queue (waiting first, oldest first), canned answers and the FAQ history. Reads
only; each takes the viewer where the data is not public."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from pinqiao.core.errors import NotFound
from pinqiao.core.permissions import require_perm
from pinqiao.core.validators import normalize_text
from pinqiao.tickets.models import (
    TICKET_WAITING,
    CannedAnswer,
    FaqCategory,
    FaqEntry,
    FaqRevision,
    SupportTicket,
    TicketMessage,
    TicketStatus,
)

#: At most this many words of a search are matched (each must appear in the question or the
#: answer).
SEARCH_TERMS = 5


def faq_categories() -> QuerySet[FaqCategory]:
    """The categories that have published entries, with their counts."""
    return FaqCategory.objects.annotate(
        published=Count("entries", filter=Q(entries__published=True))).filter(published__gt=0)


def faq_search(*, q: str = "", category_id: int | None = None) -> QuerySet[FaqEntry]:
    """Published FAQ entries matching every word of ``q`` (split on spaces; Chinese questions
    are usually typed as one phrase) in the question or the answer."""
    entries = FaqEntry.objects.filter(published=True).select_related("category")
    if category_id:
        entries = entries.filter(category_id=category_id)
    for term in normalize_text(q or "").split()[:SEARCH_TERMS]:
        entries = entries.filter(Q(question__icontains=term) | Q(answer__icontains=term))
    return entries


def faq_public_get(*, entry_id: int) -> FaqEntry:
    entry = FaqEntry.objects.filter(pk=entry_id, published=True).select_related(
        "category").first()
    if entry is None:
        raise NotFound(_("该问题不存在或已下线。"))
    return entry


def faq_for_staff(*, viewer: Any) -> QuerySet[FaqEntry]:
    require_perm(viewer, "help.manage")
    return FaqEntry.objects.select_related("category", "updated_by")


def faq_get_for_staff(*, viewer: Any, entry_id: int) -> FaqEntry:
    entry = faq_for_staff(viewer=viewer).filter(pk=entry_id).first()
    if entry is None:
        raise NotFound(_("该问题不存在。"))
    return entry


def faq_history(*, viewer: Any, entry: FaqEntry) -> QuerySet[FaqRevision]:
    require_perm(viewer, "help.manage")
    return entry.revisions.select_related("edited_by")


def faq_category_list(*, viewer: Any) -> QuerySet[FaqCategory]:
    require_perm(viewer, "help.manage")
    return FaqCategory.objects.annotate(total=Count("entries"))


def _messages() -> Prefetch:
    return Prefetch("messages", queryset=TicketMessage.objects.select_related(
        "author").prefetch_related("attachments"))


def tickets_for_user(*, viewer: Any) -> QuerySet[SupportTicket]:
    """「我的工单」: the viewer's own tickets, latest activity first."""
    return SupportTicket.objects.filter(user=viewer).select_related("case")


def tickets_answered_count(*, user: Any) -> int:
    """How many of the user's tickets customer service answered (for the workspace)."""
    return SupportTicket.objects.filter(user=user, status=TicketStatus.ANSWERED).count()


def ticket_for_user(*, viewer: Any, ticket_id: int) -> SupportTicket:
    ticket = SupportTicket.objects.filter(user=viewer, pk=ticket_id).select_related(
        "case").prefetch_related(_messages()).first() if getattr(
        viewer, "is_authenticated", False) else None
    if ticket is None:
        raise NotFound(_("工单不存在。"))
    return ticket


def ticket_queue(*, viewer: Any, scope: str = "waiting", mine: bool = False
                 ) -> QuerySet[SupportTicket]:
    """The customer-service queue: tickets waiting for staff, oldest first; or the answered,
    or the closed ones, latest first."""
    require_perm(viewer, "tickets.handle")
    tickets = SupportTicket.objects.select_related("user", "assigned_to", "case")
    if mine:
        tickets = tickets.filter(assigned_to=viewer)
    if scope == "waiting":
        return tickets.filter(status__in=TICKET_WAITING).order_by("updated_at", "id")
    if scope == "answered":
        return tickets.filter(status=TicketStatus.ANSWERED).order_by("-updated_at", "-id")
    return tickets.filter(status__in=(TicketStatus.CLOSED, TicketStatus.CONVERTED)).order_by(
        "-updated_at", "-id")


def ticket_for_staff(*, viewer: Any, ticket_id: int) -> SupportTicket:
    require_perm(viewer, "tickets.handle")
    ticket = SupportTicket.objects.filter(pk=ticket_id).select_related(
        "user", "assigned_to", "case").prefetch_related(_messages()).first()
    if ticket is None:
        raise NotFound(_("工单不存在。"))
    return ticket


def attachment_for(*, viewer: Any, ticket: SupportTicket, attachment_id: int) -> Any:
    """An attachment of a ticket the viewer may read (its user, or customer service)."""
    for message in ticket.messages.all():
        for item in message.attachments.all():
            if item.pk == attachment_id:
                return item
    raise NotFound(_("文件不存在。"))


def canned_answers(*, viewer: Any, active_only: bool = False,
                   category: str = "") -> QuerySet[CannedAnswer]:
    require_perm(viewer, "tickets.handle")
    answers = CannedAnswer.objects.select_related("updated_by")
    if active_only:
        answers = answers.filter(active=True)
    if category:
        answers = answers.filter(Q(category=category) | Q(category=""))
    return answers


def canned_get(*, viewer: Any, canned_id: int) -> CannedAnswer:
    canned = canned_answers(viewer=viewer).filter(pk=canned_id).first()
    if canned is None:
        raise NotFound(_("常用回复不存在。"))
    return canned
