"""Reads for the desk. Each takes the viewer: the complainant sees their own cases, handlers
the desk, supervisors the overdue view. The complainant's identity is decrypted only in
:func:`case_contact`, for handlers, and each reading is audited (TKT-5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.core.audit import log_action
from pinqiao.core.crypto import decrypt
from pinqiao.core.errors import NotFound
from pinqiao.core.masking import mask_name, mask_phone
from pinqiao.core.permissions import has_perm, require_perm
from pinqiao.tickets.clock import china_today, working_days_between
from pinqiao.tickets.models import OPEN_STATUSES, Case, CaseEvent, CaseRating, TicketRating


def _with_parts(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.select_related("assigned_to", "organisation", "sanction")


def cases_for_complainant(*, viewer: Any) -> QuerySet[Case]:
    """「我的投诉」: the viewer's own cases, newest first."""
    return _with_parts(Case.objects.filter(complainant=viewer)).order_by("-received_at", "-id")


def case_for_complainant(*, viewer: Any, case_id: int) -> Case:
    case = _with_parts(Case.objects.filter(complainant=viewer, pk=case_id)).first()
    if case is None or not getattr(viewer, "is_authenticated", False):
        raise NotFound(_("案件不存在。"))
    return case


def public_events(case: Case) -> QuerySet[CaseEvent]:
    return case.events.filter(public=True)


def desk_queue(*, viewer: Any, scope: str = "open", mine: bool = False) -> QuerySet[Case]:
    """The staff desk ordered by deadline, earliest first (TKT-3)."""
    require_perm(viewer, "tickets.handle")
    cases = _with_parts(Case.objects.all())
    if scope == "open":
        cases = cases.filter(status__in=OPEN_STATUSES)
    elif scope == "done":
        cases = cases.exclude(status__in=OPEN_STATUSES)
    if mine:
        cases = cases.filter(assigned_to=viewer)
    if scope == "open":
        return cases.order_by("deadline", "received_at", "id")
    return cases.order_by("-resolved_at", "-id")


def overdue_view(*, viewer: Any, today: date | None = None) -> QuerySet[Case]:
    """The supervisor's view: open cases at or past working day five, by deadline (TKT-3)."""
    require_perm(viewer, "tickets.supervise")
    today = today or china_today(timezone.now())
    return _with_parts(Case.objects.filter(status__in=OPEN_STATUSES, escalate_on__lte=today)
                       ).order_by("deadline", "received_at", "id")


def case_for_staff(*, viewer: Any, case_id: int) -> Case:
    if not (has_perm(viewer, "tickets.handle") or has_perm(viewer, "tickets.supervise")):
        require_perm(viewer, "tickets.handle")
    case = _with_parts(Case.objects.filter(pk=case_id)).first()
    if case is None:
        raise NotFound(_("案件不存在。"))
    return case


@dataclass(frozen=True)
class Contact:
    name: str
    contact: str
    masked: bool


def case_contact(*, viewer: Any, case: Case, reveal: bool = False) -> Contact:
    """Who filed the case, for handlers only: masked by default, in full on request (audited)."""
    require_perm(viewer, "tickets.handle")
    name = decrypt(case.complainant_name_ciphertext, context="case") \
        if case.complainant_name_ciphertext else ""
    if not name and case.complainant_id:
        name = case.complainant.display_name or case.complainant.username
    contact = decrypt(case.contact_ciphertext, context="case") if case.contact_ciphertext else ""
    if not reveal:
        return Contact(mask_name(name), mask_phone(contact) if contact else "", True)
    log_action(viewer, "case.contact_viewed", case, {"reference": case.reference})
    return Contact(name, contact, False)


def working_days_left(case: Case, today: date | None = None) -> int:
    """Working days until the deadline (negative when overdue)."""
    today = today or china_today(timezone.now())
    if today <= case.deadline:
        return working_days_between(today, case.deadline)
    return -working_days_between(case.deadline, today)


@dataclass(frozen=True)
class MonthlyReport:
    month: str
    received: int
    closed: int
    overdue: int
    by_reason: list[dict[str, Any]]
    by_organisation: list[dict[str, Any]]
    by_handler: list[dict[str, Any]]
    ratings: dict[str, Any]
    #: The evaluation of the month's support tickets (TKT-7 on the help centre).
    ticket_ratings: dict[str, Any]


def monthly_report(*, viewer: Any, year: int, month: int) -> MonthlyReport:
    """TKT-7 root causes: cases of a month by reason code, organisation and handler, with the
    upheld share, the measures taken (sanctions) and the evaluation averages."""
    if not has_perm(viewer, "tickets.report"):
        require_perm(viewer, "tickets.supervise")
    cases = Case.objects.filter(received_at__year=year, received_at__month=month)
    upheld = Count("id", filter=Q(upheld=True))
    by_reason = list(cases.values("reason_code").annotate(n=Count("id"), upheld=upheld)
                     .order_by("-n", "reason_code"))
    by_org = list(cases.exclude(organisation=None).values("organisation__name").annotate(
        n=Count("id"), upheld=upheld, sanctions=Count("sanction_notices", distinct=True))
        .order_by("-n")[:20])
    by_handler = list(cases.exclude(assigned_to=None).values("assigned_to__username").annotate(
        n=Count("id"), upheld=upheld,
        late=Count("id", filter=Q(overdue_alerted_at__isnull=False))).order_by("-n"))
    averages = {"n": Count("id"), "satisfaction": Avg("satisfaction"),
                "process": Avg("process"), "efficiency": Avg("efficiency"),
                "result": Avg("result"), "attitude": Avg("attitude")}
    ratings = CaseRating.objects.filter(case__in=cases).aggregate(**averages)
    ticket_ratings = TicketRating.objects.filter(
        ticket__created_at__year=year, ticket__created_at__month=month).aggregate(**averages)
    return MonthlyReport(
        month=f"{year:04d}-{month:02d}", received=cases.count(),
        closed=cases.filter(status="closed").count(),
        overdue=cases.filter(overdue_alerted_at__isnull=False).count(),
        by_reason=by_reason, by_organisation=by_org, by_handler=by_handler, ratings=ratings,
        ticket_ratings=ticket_ratings)
