"""Interview services (APP-3 … APP-5, DISC-6).

The recruiter proposes start times, the seeker picks one; either side reschedules or cancels
with a reason and the other side is told. Reminders go out 24 hours and 1 hour before, once
each. Video interviews get a room from the configured provider; a written test, check-in,
scorecards and the seeker's evaluation follow. Every change is audited.

Time-dependent services take ``now`` so tests control the clock.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.applications.models import FINAL_STAGES, Application, Stage
from pinqiao.applications.services import application_stage_set, recruiter_may_handle
from pinqiao.core.audit import log_action
from pinqiao.core.errors import NotFound, ServiceError
from pinqiao.core.permissions import Role
from pinqiao.interviews import rooms
from pinqiao.interviews.models import (
    CRITERIA,
    DEFAULT_TIME_ZONE,
    MAX_DURATION,
    MIN_DURATION,
    OPEN_STATUSES,
    CheckIn,
    CheckInMethod,
    EventKind,
    Interview,
    InterviewEvent,
    InterviewSlot,
    Mode,
    Recommendation,
    Reminder,
    ReminderKind,
    Scorecard,
    SeekerEvaluation,
    SlotState,
    Status,
    WrittenQuestion,
    WrittenTest,
)
from pinqiao.interviews.zones import ZONE_NAMES, utc_offset
from pinqiao.moderation.models import ReportReason
from pinqiao.moderation.services import report_create, screen_text
from pinqiao.notifications.services import notify

MAX_SLOTS = 8
MAX_DAYS_AHEAD = 180
MAX_QUESTIONS = 10
REASON_MIN, REASON_MAX = 2, 500
CHECKIN_EARLY = timedelta(hours=1)
CHECKIN_MAX_FAILURES = 5
NO_SHOW_GRACE = timedelta(minutes=15)
ROOM_OPENS_BEFORE = timedelta(minutes=30)
ROOM_CLOSES_AFTER = timedelta(hours=1)

#: Reminder kinds and how long before the start each is due.
REMINDER_LEADS = ((ReminderKind.DAY, timedelta(hours=24)), (ReminderKind.HOUR, timedelta(hours=1)))

#: Stages from which booking an interview moves the application to the interview stage.
STAGES_BEFORE_INTERVIEW = (Stage.NEW, Stage.VIEWED, Stage.SHORTLISTED)

SEEKER, RECRUITER = "seeker", "recruiter"


# --- helpers ----------------------------------------------------------------------------------

def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def zone_get(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        msg = _("未知的时区。")
        raise ServiceError("invalid_time_zone", msg, fields={"time_zone": [msg]}) from exc


def format_when(interview: Interview, when: datetime | None) -> str:
    """``2026-03-02 10:00（北京时间，UTC+08:00）``: the time in the interview's zone, named in
    Chinese (``zones.zone_label``)."""
    if when is None:
        return ""
    local = when.astimezone(zone_get(interview.time_zone))
    name = ZONE_NAMES.get(interview.time_zone)
    offset = utc_offset(interview.time_zone, when)
    return f"{local:%Y-%m-%d %H:%M}（{name}，{offset}）" if name else \
        f"{local:%Y-%m-%d %H:%M}（{offset}）"


def side_of(actor: Any, interview: Interview) -> str | None:
    """Whether ``actor`` takes part as the seeker or as a recruiter of the organisation."""
    if not getattr(actor, "is_authenticated", False):
        return None
    if interview.application.seeker_id == actor.pk:
        return SEEKER
    if actor.role == Role.RECRUITER and recruiter_may_handle(actor, interview.application):
        return RECRUITER
    return None


def _require(actor: Any, interview: Interview, side: str) -> None:
    if side_of(actor, interview) != side:
        raise NotFound(_("没有找到该面试。"))


def _locked(interview: Interview) -> Interview:
    return (Interview.objects.select_for_update()
            .select_related("application__posting", "application__organisation",
                            "application__seeker", "organiser")
            .get(pk=interview.pk))


def _event(interview: Interview, kind: str, actor: Any, *, reason: str = "",
           old: datetime | None = None, new: datetime | None = None) -> InterviewEvent:
    return InterviewEvent.objects.create(interview=interview, kind=kind, actor=actor,
                                         reason=reason, old_starts_at=old, new_starts_at=new)


def _save(interview: Interview, now: datetime, *fields: str) -> None:
    interview.updated_at = now
    interview.save(update_fields=[*fields, "updated_at"])


def _reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        msg = _("请填写原因（%(a)s–%(b)s 字）。") % {"a": REASON_MIN, "b": REASON_MAX}
        raise ServiceError("reason_required", msg, fields={"reason": [msg]})
    return reason


def _screened(text: str, *, field: str, target: Any = None) -> str:
    """Refuse a recruiter's text to the seeker that the rule set rejects (a fee demand, a
    discriminatory condition); it is the same screening as postings and chat (MOD-1)."""
    text = (text or "").strip()
    if text and screen_text(text=text, context="interview", target=target).decision == "reject":
        msg = _("内容含有平台禁止的信息（如向求职者收取费用、歧视性条件），请修改后再发送。")
        raise ServiceError("text_refused", msg, fields={field: [msg]})
    return text


def _context(interview: Interview, **extra: Any) -> dict[str, Any]:
    application = interview.application
    return {"interview": interview, "posting": application.posting,
            "organisation": application.organisation.name,
            "mode": interview.get_mode_display(),
            "time": format_when(interview, interview.starts_at), **extra}


def seeker_link(interview: Interview) -> str:
    return reverse("interviews:seeker_detail", args=[interview.pk])


def recruiter_link(interview: Interview) -> str:
    return reverse("interviews:recruiter_detail", args=[interview.pk])


def _tell_seeker(interview: Interview, event: str, *, urgent: bool = False, **extra: Any) -> None:
    notify(interview.application.seeker, event, _context(interview, **extra),
           link=seeker_link(interview), urgent=urgent)


def _tell_recruiter(interview: Interview, event: str, *, urgent: bool = False,
                    **extra: Any) -> None:
    notify(interview.organiser, event, _context(interview, **extra),
           link=recruiter_link(interview), urgent=urgent)


def _tell_other_side(interview: Interview, side: str, event: str, **extra: Any) -> None:
    if side == SEEKER:
        _tell_recruiter(interview, event, by=_("求职者"), **extra)
    else:
        _tell_seeker(interview, event, by=interview.application.organisation.name, **extra)


# --- slots ------------------------------------------------------------------------------------

def validate_slots(starts: list[datetime], *, duration: int, now: datetime,
                   existing: list[datetime] | None = None) -> list[datetime]:
    """At least one and at most ``MAX_SLOTS`` future start times (to the minute), none
    overlapping another or one already offered."""

    def refuse(code: str, msg: str) -> ServiceError:
        return ServiceError(code, msg, fields={"slots": [msg]})

    if not starts:
        raise refuse("no_slots", _("请至少提供一个面试时间。"))
    if len(starts) + len(existing or []) > MAX_SLOTS:
        raise refuse("too_many_slots", _("最多提供 %(n)s 个可选时间。") % {"n": MAX_SLOTS})
    cleaned = []
    for start in starts:
        if timezone.is_naive(start):
            raise refuse("naive_time", _("面试时间缺少时区。"))
        start = start.replace(second=0, microsecond=0)
        if start <= now:
            raise refuse("slot_in_past", _("面试时间 %(t)s 已经过去，请选择将来的时间。")
                         % {"t": f"{timezone.localtime(start):%Y-%m-%d %H:%M}"})
        if start > now + timedelta(days=MAX_DAYS_AHEAD):
            raise refuse("slot_too_far",
                         _("面试时间不能晚于 %(n)s 天以后。") % {"n": MAX_DAYS_AHEAD})
        cleaned.append(start)
    length = timedelta(minutes=duration)
    ordered = sorted([(s, True) for s in cleaned] + [(s, False) for s in existing or []])
    for (first, _new1), (second, _new2) in zip(ordered, ordered[1:], strict=False):
        if second < first + length:
            raise refuse("slots_overlap", _("面试时间 %(a)s 与 %(b)s 重叠，请错开至少 %(n)s 分钟。")
                         % {"a": f"{timezone.localtime(first):%Y-%m-%d %H:%M}",
                            "b": f"{timezone.localtime(second):%Y-%m-%d %H:%M}",
                            "n": duration})
    return sorted(cleaned)


def _open_slot_times(interview: Interview, now: datetime) -> list[datetime]:
    return list(interview.slots.filter(state=SlotState.OPEN, starts_at__gt=now)
                .values_list("starts_at", flat=True))


def _add_slots(interview: Interview, starts: list[datetime], now: datetime) -> None:
    InterviewSlot.objects.bulk_create(
        InterviewSlot(interview=interview, starts_at=s, created_at=now) for s in starts)


# --- APP-3: propose, pick, reschedule, cancel --------------------------------------------------

@dataclass(frozen=True)
class Proposal:
    mode: str
    slots: list[datetime]
    title: str = "面试"
    location: str = ""
    duration_minutes: int = 60
    time_zone: str = DEFAULT_TIME_ZONE
    note: str = ""


def _check_proposal(proposal: Proposal, application: Application) -> dict[str, Any]:
    fields: dict[str, list[str]] = {}
    if proposal.mode not in Mode.values:
        fields["mode"] = [_("请选择面试方式。")]
    if not MIN_DURATION <= proposal.duration_minutes <= MAX_DURATION:
        fields["duration_minutes"] = [_("面试时长应在 %(a)s–%(b)s 分钟之间。")
                                      % {"a": MIN_DURATION, "b": MAX_DURATION}]
    title = " ".join((proposal.title or "").split()) or "面试"
    if len(title) > 40:
        fields["title"] = [_("面试轮次最多 40 字。")]
    location = " ".join((proposal.location or "").split())
    if len(location) > 200:
        fields["location"] = [_("地点最多 200 字。")]
    if proposal.mode == Mode.ONSITE and not location:
        fields["location"] = [_("现场面试请填写详细地址。")]
    note = (proposal.note or "").strip()
    if len(note) > 1000:
        fields["note"] = [_("面试须知最多 1000 字。")]
    if fields:
        raise ServiceError("invalid_proposal", next(iter(fields.values()))[0], fields=fields)
    zone_get(proposal.time_zone)
    return {"title": _screened(title, field="title", target=application),
            "location": _screened(location, field="location", target=application),
            "note": _screened(note, field="note", target=application)}


@transaction.atomic
def interview_propose(*, actor: Any, application: Application, proposal: Proposal,
                      now: datetime | None = None) -> Interview:
    """A recruiter of the application's organisation invites the seeker with one or more start
    times (APP-3). Only one interview per application may be open at a time."""
    now = _now(now)
    application = (Application.objects.select_for_update()
                   .select_related("posting", "organisation", "seeker").get(pk=application.pk))
    if actor.role != Role.RECRUITER or not recruiter_may_handle(actor, application):
        raise NotFound(_("没有找到该投递。"))
    if application.stage in FINAL_STAGES:
        raise ServiceError("application_final", _("该投递已结束，不能再安排面试。"))
    texts = _check_proposal(proposal, application)
    starts = validate_slots(proposal.slots, duration=proposal.duration_minutes, now=now)
    if Interview.objects.filter(application=application, status__in=OPEN_STATUSES).exists():
        raise ServiceError("interview_open", _("该投递已有进行中的面试安排，请先完成或取消。"))
    try:
        with transaction.atomic():
            interview = Interview.objects.create(
                application=application, organiser=actor, mode=proposal.mode,
                duration_minutes=proposal.duration_minutes, time_zone=proposal.time_zone,
                created_at=now, updated_at=now, **texts)
    except IntegrityError as exc:
        raise ServiceError("interview_open",
                           _("该投递已有进行中的面试安排，请先完成或取消。")) from exc
    _add_slots(interview, starts, now)
    _event(interview, EventKind.PROPOSED, actor)
    log_action(actor, "interview.proposed", interview,
               {"application": application.pk, "mode": interview.mode,
                "slots": [s.isoformat() for s in starts], "time_zone": interview.time_zone})
    _tell_seeker(interview, "interview_proposed", count=len(starts))
    return interview


@transaction.atomic
def interview_slots_add(*, actor: Any, interview: Interview, slots: list[datetime],
                        now: datetime | None = None) -> Interview:
    """The recruiter offers more start times while the seeker has not picked one."""
    now = _now(now)
    interview = _locked(interview)
    _require(actor, interview, RECRUITER)
    if interview.status != Status.PROPOSED:
        raise ServiceError("not_proposed", _("只有待确认时间的面试可以补充时间。"))
    starts = validate_slots(slots, duration=interview.duration_minutes, now=now,
                            existing=_open_slot_times(interview, now))
    _add_slots(interview, starts, now)
    _save(interview, now)
    _event(interview, EventKind.SLOTS_ADDED, actor)
    log_action(actor, "interview.slots_added", interview,
               {"slots": [s.isoformat() for s in starts]})
    _tell_seeker(interview, "interview_proposed", count=len(starts))
    return interview


def _checkin_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def _move_application(interview: Interview) -> None:
    """Move the application to the interview stage as the recruiter who proposed; if that
    recruiter has since lost access, the stage stays and the skip is audited."""
    application = interview.application
    if application.stage not in STAGES_BEFORE_INTERVIEW:
        return
    if recruiter_may_handle(interview.organiser, application):
        application_stage_set(actor=interview.organiser, application=application,
                              stage=Stage.INTERVIEW, reason_code="interview_booked")
    else:
        log_action(None, "interview.stage_not_moved", interview,
                   {"application": application.pk, "reason": "organiser_lost_access"})


def _open_room(interview: Interview) -> None:
    path = rooms.room_provider_path()
    try:
        ref = rooms.provider_for(path).create_room(
            title=f"{interview.application.posting.title} · {interview.title}",
            participants=[interview.application.seeker, interview.organiser])
    except rooms.RoomError as exc:
        raise ServiceError("room_unavailable",
                           _("在线面试间暂时无法创建，请稍后重试。"), status=503) from exc
    interview.room_provider, interview.room_ref = path, ref
    _event(interview, EventKind.ROOM_CREATED, None)


def _close_room(interview: Interview) -> None:
    if interview.room_ref:
        rooms.provider_for(interview.room_provider).close_room(interview.room_ref)
        interview.room_provider, interview.room_ref = "", ""


@transaction.atomic
def interview_pick(*, actor: Any, interview: Interview, slot_id: int,
                   now: datetime | None = None) -> Interview:
    """The seeker picks exactly one of the offered times (APP-3). The application moves to the
    interview stage, both sides are told (the seeker with the fraud tips, DISC-6) and the
    reminders are scheduled."""
    now = _now(now)
    interview = _locked(interview)
    _require(actor, interview, SEEKER)
    if interview.status == Status.BOOKED:
        raise ServiceError("already_booked", _("您已选定面试时间，如需调整请申请改期。"))
    if interview.status != Status.PROPOSED:
        raise ServiceError("not_proposed", _("该面试已结束或已取消。"))
    if interview.application.stage in FINAL_STAGES:
        raise ServiceError("application_final", _("该投递已结束，不能再预约面试。"))
    slot = interview.slots.filter(pk=slot_id, state=SlotState.OPEN).first()
    if slot is None:
        msg = _("请选择一个可选的面试时间。")
        raise ServiceError("invalid_slot", msg, fields={"slot": [msg]})
    if slot.starts_at <= now:
        msg = _("该时间已经过去，请选择其他时间。")
        raise ServiceError("slot_in_past", msg, fields={"slot": [msg]})
    try:
        with transaction.atomic():
            InterviewSlot.objects.filter(pk=slot.pk).update(state=SlotState.CHOSEN)
    except IntegrityError as exc:
        raise ServiceError("already_booked", _("您已选定面试时间。")) from exc
    interview.status, interview.starts_at = Status.BOOKED, slot.starts_at
    interview.checkin_code = _checkin_code() if interview.mode == Mode.ONSITE else ""
    interview.checkin_failures = 0
    if interview.mode == Mode.VIDEO:
        _open_room(interview)
    _save(interview, now, "status", "starts_at", "checkin_code", "checkin_failures",
          "room_provider", "room_ref")
    _event(interview, EventKind.BOOKED, actor, new=slot.starts_at)
    log_action(actor, "interview.booked", interview,
               {"slot": slot.pk, "starts_at": slot.starts_at.isoformat()})
    _move_application(interview)
    _tell_seeker(interview, "interview_booked_seeker")
    _tell_recruiter(interview, "interview_booked")
    transaction.on_commit(lambda: reminders_schedule(interview, now=now))
    return interview


def _release_booking(interview: Interview) -> datetime | None:
    """Undo the booking of a booked interview; returns the start it had."""
    old = interview.starts_at
    interview.slots.filter(state=SlotState.CHOSEN).update(state=SlotState.WITHDRAWN)
    interview.starts_at = None
    interview.checkin_code = ""
    interview.sequence += 1
    _close_room(interview)
    return old


@transaction.atomic
def interview_reschedule(*, actor: Any, interview: Interview, reason: str,
                         slots: list[datetime] | None = None,
                         now: datetime | None = None) -> Interview:
    """Either side asks to move the interview, with a reason; the other side is told (APP-3).

    A recruiter gives new start times, which replace the offered ones. A seeker gives up the
    chosen time and may pick another offered time that is still ahead, or wait for new ones.
    A booked interview goes back to 待确认时间 and its calendar SEQUENCE goes up."""
    now = _now(now)
    interview = _locked(interview)
    side = side_of(actor, interview)
    if side is None:
        raise NotFound(_("没有找到该面试。"))
    if interview.status not in OPEN_STATUSES:
        raise ServiceError("interview_closed", _("该面试已结束或已取消，不能改期。"))
    if interview.starts_at is not None and interview.starts_at <= now:
        raise ServiceError("interview_started", _("面试已开始，不能改期。"))
    reason = _reason(reason)
    if side == RECRUITER:
        starts = validate_slots(slots or [], duration=interview.duration_minutes, now=now)
    elif slots:
        raise ServiceError("seeker_slots", _("求职者申请改期时无需提供时间，招聘方会重新提供。"))
    old = _release_booking(interview) if interview.status == Status.BOOKED else None
    if side == RECRUITER:
        interview.slots.filter(state=SlotState.OPEN).update(state=SlotState.WITHDRAWN)
        _add_slots(interview, starts, now)
    interview.status = Status.PROPOSED
    _save(interview, now, "status", "starts_at", "checkin_code", "sequence", "room_provider",
          "room_ref")
    _event(interview, EventKind.RESCHEDULED, actor, reason=reason, old=old)
    log_action(actor, "interview.rescheduled", interview,
               {"side": side, "reason": reason, "old_starts_at": old.isoformat() if old else None,
                "sequence": interview.sequence})
    _tell_other_side(interview, side, "interview_rescheduled", reason=reason,
                     old_time=format_when(interview, old))
    return interview


def _cancel(interview: Interview, actor: Any, reason: str, now: datetime) -> None:
    old = interview.starts_at
    was_booked = interview.status == Status.BOOKED
    interview.slots.filter(state=SlotState.OPEN).update(state=SlotState.WITHDRAWN)
    if was_booked:
        interview.sequence += 1
    _close_room(interview)
    interview.status = Status.CANCELLED
    interview.checkin_code = ""
    _save(interview, now, "status", "sequence", "checkin_code", "room_provider", "room_ref")
    _event(interview, EventKind.CANCELLED, actor, reason=reason, old=old)


@transaction.atomic
def interview_cancel(*, actor: Any, interview: Interview, reason: str,
                     now: datetime | None = None) -> Interview:
    """Either side cancels with a reason; the other side is told (APP-3)."""
    now = _now(now)
    interview = _locked(interview)
    side = side_of(actor, interview)
    if side is None:
        raise NotFound(_("没有找到该面试。"))
    if interview.status not in OPEN_STATUSES:
        raise ServiceError("interview_closed", _("该面试已结束或已取消，不能再取消。"))
    reason = _reason(reason)
    _cancel(interview, actor, reason, now)
    log_action(actor, "interview.cancelled", interview,
               {"side": side, "reason": reason, "sequence": interview.sequence})
    _tell_other_side(interview, side, "interview_cancelled", reason=reason)
    return interview


def _cancel_for_ended(interview: Interview, now: datetime) -> None:
    stage = Stage(interview.application.stage).label
    reason = _("投递已结束（%(stage)s），面试自动取消。") % {"stage": stage}
    _cancel(interview, None, reason, now)
    log_action(None, "interview.cancelled", interview,
               {"side": "system", "reason": "application_final",
                "stage": interview.application.stage})
    _tell_seeker(interview, "interview_cancelled", by=_("平台"), reason=reason)
    _tell_recruiter(interview, "interview_cancelled", by=_("平台"), reason=reason)


@transaction.atomic
def interviews_cancel_for_application(*, application: Application,
                                      now: datetime | None = None) -> int:
    """Cancel the open interview of an application that has ended (withdrawn, rejected,
    closed, hired) and tell both sides; called when the application's stage changes."""
    now = _now(now)
    count = 0
    for pk in Interview.objects.filter(application=application, status__in=OPEN_STATUSES
                                       ).values_list("pk", flat=True):
        interview = _locked(Interview(pk=pk))
        if interview.status in OPEN_STATUSES and interview.application.stage in FINAL_STAGES:
            _cancel_for_ended(interview, now)
            count += 1
    return count


def interviews_close_for_final_applications(*, now: datetime | None = None,
                                            dry_run: bool = False) -> int:
    """The sweep's backstop for ``interviews_cancel_for_application``."""
    applications = Application.objects.filter(interviews__status__in=OPEN_STATUSES,
                                              stage__in=FINAL_STAGES).distinct()
    if dry_run:
        return applications.count()
    return sum(interviews_cancel_for_application(application=a, now=now) for a in applications)


# --- reminders ---------------------------------------------------------------------------------

def reminder_due(interview: Interview, kind: str, now: datetime) -> bool:
    """The 24-hour reminder is due from 24 hours to 1 hour before the start, the 1-hour one
    from then until the start; once the 1-hour window has begun the 24-hour one is skipped."""
    if interview.status != Status.BOOKED or interview.starts_at is None:
        return False
    start = interview.starts_at
    if kind == ReminderKind.DAY:
        return start - timedelta(hours=24) <= now < start - timedelta(hours=1)
    return start - timedelta(hours=1) <= now < start


def reminder_send(*, interview_id: int, kind: str, starts_at: datetime | None = None,
                  now: datetime | None = None) -> bool:
    """Send one reminder to both sides if it is due and was not sent for this start time;
    True when sent. ``starts_at`` (from a scheduled task) must still be the booked start."""
    now = _now(now)
    with transaction.atomic():
        interview = Interview.objects.select_for_update().filter(pk=interview_id).first()
        if interview is None or not reminder_due(interview, kind, now):
            return False
        if starts_at is not None and starts_at != interview.starts_at:
            return False
        if Reminder.objects.filter(interview=interview, kind=kind,
                                   starts_at=interview.starts_at).exists():
            return False
        Reminder.objects.create(interview=interview, kind=kind, starts_at=interview.starts_at,
                                sent_at=now)
        interview = _locked(interview)
        lead = ReminderKind(kind).label
        urgent = kind == ReminderKind.HOUR
        _tell_seeker(interview, "interview_reminder", urgent=urgent, lead=lead)
        _tell_recruiter(interview, "interview_reminder", urgent=urgent, lead=lead)
        log_action(None, "interview.reminder_sent", interview,
                   {"kind": kind, "starts_at": interview.starts_at.isoformat()})
        return True


def reminders_send_due(*, now: datetime | None = None, dry_run: bool = False) -> int:
    """The sweep: send every due reminder not yet sent; returns how many (would be) sent."""
    now = _now(now)
    booked = Interview.objects.filter(status=Status.BOOKED, starts_at__gt=now,
                                      starts_at__lte=now + timedelta(hours=24))
    sent = 0
    for interview in booked:
        for kind, _lead in REMINDER_LEADS:
            if not reminder_due(interview, kind, now):
                continue
            if dry_run:
                sent += not Reminder.objects.filter(interview=interview, kind=kind,
                                                    starts_at=interview.starts_at).exists()
            else:
                sent += reminder_send(interview_id=interview.pk, kind=kind, now=now)
    return sent


def reminders_schedule(interview: Interview, *, now: datetime | None = None) -> int:
    """Enqueue the two reminder tasks to run when due, where the task backend can defer
    (the database and RQ backends); the sweep sends any that a worker missed."""
    from pinqiao.interviews.tasks import send_reminder

    now = _now(now)
    if not send_reminder.get_backend().supports_defer or interview.starts_at is None \
            or interview.starts_at <= now:
        return 0
    count = 0
    for kind, lead in REMINDER_LEADS:
        due_at = interview.starts_at - lead
        send_reminder.using(run_after=max(due_at, now)).enqueue(
            interview.pk, str(kind), interview.starts_at.isoformat())
        count += 1
    return count


# --- APP-4: online room -------------------------------------------------------------------------

def room_join_url(*, actor: Any, interview: Interview, now: datetime | None = None) -> str:
    """A join link for a participant, from half an hour before the start until an hour after
    the planned end."""
    now = _now(now)
    side = side_of(actor, interview)
    if side is None:
        raise NotFound(_("没有找到该面试。"))
    if interview.mode != Mode.VIDEO or interview.status != Status.BOOKED \
            or not interview.room_ref:
        raise ServiceError("no_room", _("该面试没有在线面试间。"))
    assert interview.starts_at is not None and interview.ends_at is not None
    if now < interview.starts_at - ROOM_OPENS_BEFORE:
        raise ServiceError("room_not_open", _("面试间将在开始前 30 分钟开放。"))
    if now > interview.ends_at + ROOM_CLOSES_AFTER:
        raise ServiceError("room_closed", _("面试间已关闭。"))
    try:
        url = rooms.provider_for(interview.room_provider).join_url(interview.room_ref, actor)
    except rooms.RoomError as exc:
        raise ServiceError("room_unavailable", _("暂时无法进入面试间，请稍后重试。"),
                           status=503) from exc
    log_action(actor, "interview.room_link_issued", interview, {"side": side})
    return url


def room_events(interview: Interview) -> list[rooms.RoomEvent]:
    if not interview.room_ref:
        return []
    return rooms.provider_for(interview.room_provider).events(interview.room_ref)


@transaction.atomic
def room_sync(*, interview: Interview) -> CheckIn | None:
    """Read the room's join log from the provider: the seeker's first join is their check-in
    (APP-5). Called after a local join and by a vendor's webhook."""
    interview = _locked(interview)
    if interview.status != Status.BOOKED or hasattr(interview, "checkin"):
        return getattr(interview, "checkin", None)
    seeker = interview.application.seeker
    joined = next((e for e in room_events(interview)
                   if e.user_id == seeker.pk and e.kind == "join"), None)
    if joined is None:
        return None
    checkin = CheckIn.objects.create(interview=interview, method=CheckInMethod.ROOM,
                                     recorded_by=seeker, at=joined.at)
    _event(interview, EventKind.CHECKED_IN, seeker)
    log_action(seeker, "interview.checked_in", interview, {"method": CheckInMethod.ROOM})
    return checkin


@transaction.atomic
def room_local_join(*, actor: Any, interview: Interview, token: str) -> None:
    """Follow a local room link: record the join, then sync the check-in."""
    side = side_of(actor, interview)
    if side is None or not interview.room_ref or not rooms.is_local(interview.room_provider):
        raise NotFound(_("没有找到该面试间。"))
    provider = rooms.provider_for(interview.room_provider)
    assert isinstance(provider, rooms.LocalRoomProvider)
    try:
        provider.join(interview.room_ref, token, actor)
    except rooms.RoomError as exc:
        raise ServiceError("bad_room_link", _("进入链接无效或已使用，请返回面试页面重新进入。"),
                           status=403) from exc
    log_action(actor, "interview.room_joined", interview, {"side": side})
    room_sync(interview=interview)


@transaction.atomic
def room_local_leave(*, actor: Any, interview: Interview) -> None:
    side = side_of(actor, interview)
    if side is None or not interview.room_ref or not rooms.is_local(interview.room_provider):
        raise NotFound(_("没有找到该面试间。"))
    provider = rooms.provider_for(interview.room_provider)
    assert isinstance(provider, rooms.LocalRoomProvider)
    try:
        provider.leave(interview.room_ref, actor)
    except rooms.RoomError as exc:
        raise ServiceError("not_in_room", _("您不在该面试间中。")) from exc
    log_action(actor, "interview.room_left", interview, {"side": side})


# --- APP-4: written test ------------------------------------------------------------------------

@transaction.atomic
def written_test_set(*, actor: Any, interview: Interview, questions: list[str],
                     deadline: datetime, instructions: str = "",
                     now: datetime | None = None) -> WrittenTest:
    """The recruiter attaches (or, before any answer, replaces) the questions of a written
    test with a deadline (APP-4)."""
    now = _now(now)
    interview = _locked(interview)
    _require(actor, interview, RECRUITER)
    if interview.status not in OPEN_STATUSES:
        raise ServiceError("interview_closed", _("该面试已结束或已取消。"))
    questions = [" ".join(q.split()) for q in questions if q and q.strip()]
    if not 1 <= len(questions) <= MAX_QUESTIONS:
        msg = _("请提供 1–%(n)s 道题目。") % {"n": MAX_QUESTIONS}
        raise ServiceError("invalid_questions", msg, fields={"questions": [msg]})
    if any(len(q) > 1000 for q in questions):
        msg = _("每道题目最多 1000 字。")
        raise ServiceError("invalid_questions", msg, fields={"questions": [msg]})
    if timezone.is_naive(deadline) or deadline <= now:
        msg = _("截止时间必须晚于现在。")
        raise ServiceError("invalid_deadline", msg, fields={"deadline": [msg]})
    if deadline > now + timedelta(days=MAX_DAYS_AHEAD):
        msg = _("截止时间不能晚于 %(n)s 天以后。") % {"n": MAX_DAYS_AHEAD}
        raise ServiceError("invalid_deadline", msg, fields={"deadline": [msg]})
    instructions = (instructions or "").strip()
    if len(instructions) > 500:
        msg = _("说明最多 500 字。")
        raise ServiceError("invalid_instructions", msg, fields={"instructions": [msg]})
    target = interview.application
    instructions = _screened(instructions, field="instructions", target=target)
    questions = [_screened(q, field="questions", target=target) for q in questions]
    test = WrittenTest.objects.select_for_update().filter(interview=interview).first()
    if test is not None and test.submitted_at is not None:
        raise ServiceError("already_answered", _("求职者已提交笔试，题目不能再修改。"))
    if test is None:
        test = WrittenTest.objects.create(interview=interview, deadline=deadline,
                                          instructions=instructions, created_by=actor,
                                          created_at=now)
    else:
        test.deadline, test.instructions = deadline, instructions
        test.save(update_fields=["deadline", "instructions"])
        test.questions.all().delete()
    WrittenQuestion.objects.bulk_create(WrittenQuestion(test=test, position=i, text=q)
                                        for i, q in enumerate(questions, start=1))
    _event(interview, EventKind.WRITTEN_TEST, actor)
    log_action(actor, "interview.written_test_set", interview,
               {"questions": len(questions), "deadline": deadline.isoformat()})
    _tell_seeker(interview, "interview_written_test", count=len(questions),
                 deadline=format_when(interview, deadline))
    return test


@transaction.atomic
def written_test_answer(*, actor: Any, interview: Interview, answers: dict[int, str],
                        now: datetime | None = None) -> WrittenTest:
    """The seeker answers every question once, before the deadline (APP-4).
    ``answers`` maps question ids to answers."""
    now = _now(now)
    interview = _locked(interview)
    _require(actor, interview, SEEKER)
    test = WrittenTest.objects.select_for_update().filter(interview=interview).first()
    if test is None:
        raise NotFound(_("该面试没有笔试。"))
    if test.submitted_at is not None:
        raise ServiceError("already_answered", _("笔试已提交，不能再次作答。"))
    if now > test.deadline:
        raise ServiceError("deadline_passed", _("笔试已过截止时间。"))
    questions = list(test.questions.all())
    fields = {}
    for question in questions:
        answer = (answers.get(question.pk) or "").strip()
        if not answer:
            fields[f"answer_{question.pk}"] = [_("请回答此题。")]
        elif len(answer) > 5000:
            fields[f"answer_{question.pk}"] = [_("每题回答最多 5000 字。")]
        question.answer = answer
    if fields:
        raise ServiceError("invalid_answers", _("请回答全部题目。"), fields=fields)
    WrittenQuestion.objects.bulk_update(questions, ["answer"])
    test.submitted_at = now
    test.save(update_fields=["submitted_at"])
    _event(interview, EventKind.WRITTEN_ANSWERED, actor)
    log_action(actor, "interview.written_test_answered", interview, {"test": test.pk})
    _tell_recruiter(interview, "interview_written_answered")
    return test


# --- APP-5: check-in, no-show, completion ---------------------------------------------------------

def _checkin_window(interview: Interview, now: datetime) -> None:
    if interview.status != Status.BOOKED:
        raise ServiceError("not_booked", _("只有已预约的面试可以签到。"))
    assert interview.starts_at is not None and interview.ends_at is not None
    if now < interview.starts_at - CHECKIN_EARLY:
        raise ServiceError("too_early", _("面试开始前 1 小时内才能签到。"))
    if now > interview.ends_at:
        raise ServiceError("too_late", _("面试时间已过，不能再签到。"))
    if hasattr(interview, "checkin"):
        raise ServiceError("already_checked_in", _("已经签到过了。"))


def _record_checkin(interview: Interview, actor: Any, method: str, now: datetime) -> CheckIn:
    checkin = CheckIn.objects.create(interview=interview, method=method, recorded_by=actor,
                                     at=now)
    _event(interview, EventKind.CHECKED_IN, actor)
    log_action(actor, "interview.checked_in", interview, {"method": method})
    return checkin


def checkin_with_code(*, actor: Any, interview: Interview, code: str,
                      now: datetime | None = None) -> CheckIn:
    """The seeker checks in on site with the code the recruiter shows them (APP-5). Five wrong
    codes lock code check-in; the recruiter can still record the arrival. A wrong code is
    counted and audited before the refusal is raised."""
    now = _now(now)
    with transaction.atomic():
        interview = _locked(interview)
        _require(actor, interview, SEEKER)
        if interview.mode != Mode.ONSITE:
            raise ServiceError("not_onsite", _("只有现场面试需要输入签到码。"))
        _checkin_window(interview, now)
        if interview.checkin_failures >= CHECKIN_MAX_FAILURES:
            raise ServiceError("checkin_locked",
                               _("签到码错误次数过多，请联系招聘方登记到场。"), status=429)
        if secrets.compare_digest((code or "").strip().encode(), interview.checkin_code.encode()):
            checkin = _record_checkin(interview, actor, CheckInMethod.CODE, now)
            _tell_recruiter(interview, "interview_checked_in")
            return checkin
        interview.checkin_failures += 1
        interview.save(update_fields=["checkin_failures"])
        log_action(actor, "interview.checkin_code_wrong", interview,
                   {"failures": interview.checkin_failures})
    msg = _("签到码不正确。")
    raise ServiceError("wrong_code", msg, fields={"code": [msg]})


@transaction.atomic
def checkin_record(*, actor: Any, interview: Interview, now: datetime | None = None) -> CheckIn:
    """The recruiter records that the seeker has arrived (APP-5)."""
    now = _now(now)
    interview = _locked(interview)
    _require(actor, interview, RECRUITER)
    _checkin_window(interview, now)
    return _record_checkin(interview, actor, CheckInMethod.RECORDED, now)


@transaction.atomic
def interview_no_show(*, actor: Any, interview: Interview,
                      now: datetime | None = None) -> Interview:
    """The recruiter records that the seeker did not come (15 minutes after the start, without
    a check-in)."""
    now = _now(now)
    interview = _locked(interview)
    _require(actor, interview, RECRUITER)
    if interview.status != Status.BOOKED:
        raise ServiceError("not_booked", _("只有已预约的面试可以登记未到场。"))
    assert interview.starts_at is not None
    if now < interview.starts_at + NO_SHOW_GRACE:
        raise ServiceError("too_early", _("面试开始 15 分钟后才能登记未到场。"))
    if hasattr(interview, "checkin"):
        raise ServiceError("checked_in", _("求职者已签到，不能登记未到场。"))
    interview.status = Status.NO_SHOW
    _close_room(interview)
    _save(interview, now, "status", "room_provider", "room_ref")
    _event(interview, EventKind.NO_SHOW, actor)
    log_action(actor, "interview.no_show", interview, {})
    _tell_seeker(interview, "interview_no_show")
    return interview


@transaction.atomic
def interview_complete(*, actor: Any, interview: Interview,
                       now: datetime | None = None) -> Interview:
    """The recruiter marks the interview as held; the seeker is asked to evaluate it."""
    now = _now(now)
    interview = _locked(interview)
    _require(actor, interview, RECRUITER)
    if interview.status != Status.BOOKED:
        raise ServiceError("not_booked", _("只有已预约的面试可以标记为完成。"))
    assert interview.starts_at is not None
    if now < interview.starts_at:
        raise ServiceError("too_early", _("面试尚未开始。"))
    interview.status = Status.COMPLETED
    _close_room(interview)
    _save(interview, now, "status", "room_provider", "room_ref")
    _event(interview, EventKind.COMPLETED, actor)
    log_action(actor, "interview.completed", interview, {})
    _tell_seeker(interview, "interview_completed")
    return interview


def _held(interview: Interview, now: datetime, *, allow_no_show: bool) -> bool:
    if interview.status == Status.COMPLETED or (allow_no_show
                                                and interview.status == Status.NO_SHOW):
        return True
    return (interview.status == Status.BOOKED and interview.starts_at is not None
            and interview.starts_at <= now)


@transaction.atomic
def scorecard_submit(*, actor: Any, interview: Interview, scores: dict[str, int],
                     recommendation: str, comment: str = "",
                     now: datetime | None = None) -> Scorecard:
    """One scorecard per interviewer per interview: each criterion 1–5 and a recommendation
    (APP-5). Scorecards stay inside the organisation."""
    now = _now(now)
    interview = _locked(interview)
    _require(actor, interview, RECRUITER)
    if not _held(interview, now, allow_no_show=False):
        raise ServiceError("not_held", _("面试开始后才能填写评分。"))
    fields = {}
    for name, _label in CRITERIA:
        value = scores.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            fields[name] = [_("请打 1–5 分。")]
    if recommendation not in Recommendation.values:
        fields["recommendation"] = [_("请选择结论。")]
    comment = (comment or "").strip()
    if len(comment) > 2000:
        fields["comment"] = [_("评语最多 2000 字。")]
    if fields:
        raise ServiceError("invalid_scorecard", next(iter(fields.values()))[0], fields=fields)
    if Scorecard.objects.filter(interview=interview, author=actor).exists():
        raise ServiceError("scorecard_exists", _("您已为本场面试提交过评分。"))
    try:
        with transaction.atomic():
            scorecard = Scorecard.objects.create(
                interview=interview, author=actor, recommendation=recommendation,
                comment=comment, created_at=now, **{n: scores[n] for n, _l in CRITERIA})
    except IntegrityError as exc:
        raise ServiceError("scorecard_exists", _("您已为本场面试提交过评分。")) from exc
    log_action(actor, "interview.scorecard_submitted", interview,
               {"scorecard": scorecard.pk, "recommendation": recommendation})
    return scorecard


@transaction.atomic
def evaluation_submit(*, actor: Any, interview: Interview, rating: int, comment: str = "",
                      fee_requested: bool = False, job_differs: bool = False,
                      now: datetime | None = None) -> SeekerEvaluation:
    """The seeker rates the interview once (APP-5). Being asked to pay a fee, or a job unlike
    its posting, opens a report against the posting in the review queue (TKT-1, DISC-6)."""
    now = _now(now)
    interview = _locked(interview)
    _require(actor, interview, SEEKER)
    if not _held(interview, now, allow_no_show=True):
        raise ServiceError("not_held", _("面试开始后才能评价。"))
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        msg = _("请打 1–5 分。")
        raise ServiceError("invalid_rating", msg, fields={"rating": [msg]})
    comment = (comment or "").strip()
    if len(comment) > 1000:
        msg = _("评价最多 1000 字。")
        raise ServiceError("invalid_comment", msg, fields={"comment": [msg]})
    if SeekerEvaluation.objects.filter(interview=interview).exists():
        raise ServiceError("evaluation_exists", _("您已评价过本场面试。"))
    report = None
    if fee_requested or job_differs:
        report = _report(actor, interview, comment, fee_requested, job_differs)
    try:
        with transaction.atomic():
            evaluation = SeekerEvaluation.objects.create(
                interview=interview, rating=rating, comment=comment,
                fee_requested=fee_requested, job_differs=job_differs, report=report,
                created_at=now)
    except IntegrityError as exc:
        raise ServiceError("evaluation_exists", _("您已评价过本场面试。")) from exc
    log_action(actor, "interview.evaluation_submitted", interview,
               {"rating": rating, "fee_requested": fee_requested, "job_differs": job_differs,
                "report": getattr(report, "pk", None)})
    return evaluation


def _report(actor: Any, interview: Interview, comment: str, fee: bool, differs: bool) -> Any:
    posting = interview.application.posting
    notes = [str(_("面试中被要求缴纳费用")) if fee else "",
             str(_("岗位与发布信息不符")) if differs else "", comment]
    detail = "；".join(n for n in notes if n)[:1000]
    reason = ReportReason.FEE if fee else ReportReason.FALSE_INFO
    try:
        with transaction.atomic():
            return report_create(reporter=actor, target=posting, reason=reason, detail=detail,
                                 title=posting.title, text=detail)
    except ServiceError as exc:
        if exc.code != "already_reported":
            raise
        return None
