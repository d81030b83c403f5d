"""Interview reads. Only the seeker of the application and recruiters of its organisation who
may view résumés see an interview; anyone else gets 404 and an audit entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from pinqiao.applications.models import Application
from pinqiao.applications.services import recruiter_may_handle
from pinqiao.core.audit import log_action
from pinqiao.core.errors import NotFound
from pinqiao.core.permissions import Role
from pinqiao.interviews.models import (
    OPEN_STATUSES,
    Interview,
    InterviewSlot,
    Scorecard,
    SeekerEvaluation,
    SlotState,
    Status,
    WrittenTest,
)
from pinqiao.interviews.services import RECRUITER, SEEKER, room_events, side_of
from pinqiao.interviews.workdays import DayInfo, slot_day_info


def _denied(user: Any, verb: str, target: Any) -> NotFound:
    log_action(user if getattr(user, "is_authenticated", False) else None,
               f"{verb}.denied", target, {})
    return NotFound(_("没有找到该面试。"))


def _related(qs: QuerySet[Interview]) -> QuerySet[Interview]:
    return qs.select_related("application__posting", "application__organisation",
                             "application__seeker", "organiser")


def _recruiter_scope(user: Any) -> Q:
    return Q(application__organisation__memberships__user=user,
             application__organisation__memberships__can_view_resumes=True)


def application_for_recruiter(*, user: Any, application_id: int) -> Application:
    """An application a recruiter of its organisation may handle; 404 and audited otherwise."""
    application = (Application.objects.select_related("posting", "organisation", "seeker")
                   .filter(pk=application_id).first())
    if application is None or getattr(user, "role", "") != Role.RECRUITER \
            or not recruiter_may_handle(user, application):
        log_action(user if getattr(user, "is_authenticated", False) else None,
                   "interview.propose.denied", ("applications.application", application_id), {})
        raise NotFound(_("没有找到该投递。"))
    return application


def interview_for(*, user: Any, interview_id: int, side: str | None = None
                  ) -> tuple[Interview, str]:
    """The interview and the side ``user`` takes in it (``seeker`` or ``recruiter``); when
    ``side`` is given the user must take that side. 404 and audited otherwise."""
    interview = _related(Interview.objects.filter(pk=interview_id)).first()
    found = side_of(user, interview) if interview is not None else None
    if found is None or (side is not None and found != side):
        raise _denied(user, "interview.view", ("interviews.interview", interview_id))
    return interview, found


def interview_for_seeker(*, user: Any, interview_id: int) -> Interview:
    return interview_for(user=user, interview_id=interview_id, side=SEEKER)[0]


def interview_for_recruiter(*, user: Any, interview_id: int) -> Interview:
    return interview_for(user=user, interview_id=interview_id, side=RECRUITER)[0]


def interviews_for_seeker(*, user: Any) -> list[Interview]:
    return list(_related(Interview.objects.filter(application__seeker=user))
                .order_by("-updated_at", "-pk"))


def interviews_coming_for_seeker(*, user: Any, now: datetime, limit: int) -> list[Interview]:
    """The seeker's open interviews not yet past (or with no time chosen yet), as
    ``interviews_for_seeker`` orders them, with only what the seeker's home shows: the
    posting's title, the status and the time."""
    return list(Interview.objects.filter(application__seeker=user, status__in=OPEN_STATUSES)
                .filter(Q(starts_at__isnull=True) | Q(starts_at__gte=now))
                .select_related("application__posting")
                .only("id", "status", "starts_at", "application_id",
                      "application__posting_id", "application__posting__title")
                .order_by("-updated_at", "-pk")[:limit])


def interviews_for_recruiter(*, user: Any, status: str = "") -> QuerySet[Interview]:
    qs = _related(Interview.objects.filter(_recruiter_scope(user))).distinct()
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status in Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("starts_at", "-updated_at", "-pk")


def interviews_for_application(*, application: Application) -> list[Interview]:
    return list(application.interviews.order_by("-created_at", "-pk"))


@dataclass(frozen=True)
class SlotView:
    slot: InterviewSlot
    day: DayInfo
    is_past: bool


def slots_with_days(interview: Interview, *, now: datetime, include_withdrawn: bool = False
                    ) -> list[SlotView]:
    """The offered times with their working-day information (APP-3)."""
    slots = interview.slots.all()
    if not include_withdrawn:
        slots = slots.exclude(state=SlotState.WITHDRAWN)
    return [SlotView(s, slot_day_info(s.starts_at), s.starts_at <= now) for s in slots]


def written_test_for(interview: Interview) -> WrittenTest | None:
    return (WrittenTest.objects.filter(interview=interview)
            .prefetch_related("questions").first())


def scorecards_for(interview: Interview, *, side: str) -> list[Scorecard]:
    """Scorecards are internal to the organisation: the seeker never sees them."""
    if side != RECRUITER:
        return []
    return list(interview.scorecards.select_related("author"))


def interview_for_local_room(*, user: Any, ref: str) -> Interview:
    """The interview of a local room link, for one of its participants."""
    interview_id = (Interview.objects.filter(room_ref=ref).values_list("pk", flat=True)
                    .first()) if ref else None
    if interview_id is None:
        raise _denied(user, "interview.room", ("interviews.localroom", ref[:40]))
    return interview_for(user=user, interview_id=interview_id)[0]


@dataclass(frozen=True)
class RoomLogRow:
    name: str
    role: str
    kind: str
    at: datetime


def room_log(interview: Interview) -> list[RoomLogRow]:
    """Who entered and left the room, from the provider (APP-4, APP-5)."""
    from pinqiao.accounts.models import User

    events = room_events(interview)
    users = User.objects.in_bulk({e.user_id for e in events})
    seeker_id = interview.application.seeker_id
    kinds = {"join": _("进入"), "leave": _("离开")}
    return [RoomLogRow(getattr(users.get(e.user_id), "display_name", "") or _("用户"),
                       _("求职者") if e.user_id == seeker_id else _("招聘方"),
                       kinds.get(e.kind, e.kind), e.at) for e in events]


def evaluation_for(interview: Interview, *, side: str) -> SeekerEvaluation | None:
    """The seeker's evaluation. Recruiters see the rating and comment of an ordinary one; one
    that reported a fee or a different job is not shown to them at all, so the report does not
    name its reporter (TKT-5)."""
    evaluation = SeekerEvaluation.objects.filter(interview=interview).first()
    if evaluation is None or side == SEEKER:
        return evaluation
    return None if evaluation.fee_requested or evaluation.job_differs else evaluation
