"""Interview API (APP-3 … APP-5) with the pages' permissions: only the application's seeker and
recruiters of its organisation who may view résumés; anyone else gets 404 (audited).
Errors follow ``{"error": {"code", "message", "fields"}}``. Times are ISO 8601; a time without
an offset is read in the interview's time zone."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from pinqiao.api.auth import user_auth
from pinqiao.core.errors import NotFound
from pinqiao.core.permissions import Role
from pinqiao.interviews import selectors, services
from pinqiao.interviews.ics import interview_ics
from pinqiao.interviews.models import DEFAULT_TIME_ZONE, Interview
from pinqiao.interviews.services import RECRUITER, SEEKER, Proposal, format_when, zone_get
from pinqiao.interviews.workdays import day_info

router = Router(tags=["面试"])


# --- schemas ------------------------------------------------------------------------------------

class DayOut(Schema):
    date: date
    is_workday: bool
    label: str
    warning: str
    known: bool


class SlotOut(Schema):
    id: int
    starts_at: datetime
    starts_at_local: str
    state: str
    day: DayOut


class InterviewOut(Schema):
    id: int
    uid: str
    side: str
    application_id: int
    posting_title: str
    organisation_name: str
    title: str
    mode: str
    location: str
    duration_minutes: int
    time_zone: str
    note: str
    status: str
    starts_at: datetime | None
    starts_at_local: str
    sequence: int
    slots: list[SlotOut]
    checkin_code: str
    checked_in_at: datetime | None
    has_room: bool
    has_written_test: bool


class ProposeIn(Schema):
    mode: str
    slots: list[datetime]
    title: str = "面试"
    location: str = ""
    duration_minutes: int = 60
    time_zone: str = DEFAULT_TIME_ZONE
    note: str = ""


class SlotsIn(Schema):
    slots: list[datetime]


class PickIn(Schema):
    slot_id: int


class ReasonIn(Schema):
    reason: str
    slots: list[datetime] | None = None


class RoomLinkOut(Schema):
    url: str


class RoomLogOut(Schema):
    name: str
    role: str
    kind: str
    at: datetime


class WrittenTestIn(Schema):
    questions: list[str]
    deadline: datetime
    instructions: str = ""


class InterviewQuestionOut(Schema):
    id: int
    position: int
    text: str
    answer: str


class WrittenTestOut(Schema):
    deadline: datetime
    instructions: str
    submitted_at: datetime | None
    questions: list[InterviewQuestionOut]


class AnswerIn(Schema):
    question_id: int
    answer: str


class AnswersIn(Schema):
    answers: list[AnswerIn]


class CodeIn(Schema):
    code: str


class CheckInOut(Schema):
    method: str
    at: datetime


class ScorecardIn(Schema):
    skills: int
    communication: int
    fit: int
    potential: int
    recommendation: str
    comment: str = ""


class ScorecardOut(Schema):
    id: int
    author_name: str
    skills: int
    communication: int
    fit: int
    potential: int
    recommendation: str
    comment: str
    created_at: datetime


class EvaluationIn(Schema):
    rating: int
    comment: str = ""
    fee_requested: bool = False
    job_differs: bool = False


class EvaluationOut(Schema):
    rating: int
    comment: str
    reported: bool
    created_at: datetime


# --- helpers ------------------------------------------------------------------------------------

def _day(info: Any) -> dict[str, Any]:
    return {"date": info.day, "is_workday": info.is_workday, "label": info.label,
            "warning": info.warning, "known": info.known}


def _out(interview: Interview, side: str) -> dict[str, Any]:
    interview.refresh_from_db()
    checkin = getattr(interview, "checkin", None)
    slots = selectors.slots_with_days(interview, now=timezone.now())
    return {
        "id": interview.pk, "uid": str(interview.uid), "side": side,
        "application_id": interview.application_id,
        "posting_title": interview.application.posting.title,
        "organisation_name": interview.application.organisation.name,
        "title": interview.title, "mode": interview.mode, "location": interview.location,
        "duration_minutes": interview.duration_minutes, "time_zone": interview.time_zone,
        "note": interview.note, "status": interview.status, "starts_at": interview.starts_at,
        "starts_at_local": format_when(interview, interview.starts_at),
        "sequence": interview.sequence,
        "slots": [{"id": v.slot.pk, "starts_at": v.slot.starts_at,
                   "starts_at_local": format_when(interview, v.slot.starts_at),
                   "state": v.slot.state, "day": _day(v.day)} for v in slots],
        "checkin_code": interview.checkin_code if side == RECRUITER else "",
        "checked_in_at": checkin.at if checkin else None,
        "has_room": bool(interview.room_ref),
        "has_written_test": selectors.written_test_for(interview) is not None,
    }


def _aware(values: list[datetime] | None, zone_name: str) -> list[datetime]:
    zone = zone_get(zone_name)
    return [v.replace(tzinfo=zone) if timezone.is_naive(v) else v for v in values or []]


def _get(request: HttpRequest, interview_id: int, side: str | None = None
         ) -> tuple[Interview, str]:
    return selectors.interview_for(user=request.auth, interview_id=interview_id, side=side)


# --- APP-3 --------------------------------------------------------------------------------------

@router.get("/interviews/day-info", response=DayOut, auth=user_auth,
            summary="某日是否为工作日（法定节假日、调休）")
def interview_day_info(request: HttpRequest, day: date) -> object:
    return _day(day_info(day))


@router.post("/applications/{application_id}/interviews", response={201: InterviewOut},
             auth=user_auth, summary="招聘方发起面试邀请（提供多个可选时间）")
def interview_propose(request: HttpRequest, application_id: int, payload: ProposeIn) -> object:
    application = selectors.application_for_recruiter(user=request.auth,
                                                      application_id=application_id)
    zone_get(payload.time_zone)
    interview = services.interview_propose(
        actor=request.auth, application=application,
        proposal=Proposal(mode=payload.mode, slots=_aware(payload.slots, payload.time_zone),
                          title=payload.title, location=payload.location,
                          duration_minutes=payload.duration_minutes,
                          time_zone=payload.time_zone, note=payload.note))
    return Status(201, _out(interview, RECRUITER))


@router.get("/interviews", response=list[InterviewOut], auth=user_auth,
            summary="我的面试（求职者）或本单位的面试（招聘方）")
def interview_list(request: HttpRequest, status: str = "") -> object:
    user = request.auth
    if user.role == Role.RECRUITER:
        return [_out(i, RECRUITER)
                for i in selectors.interviews_for_recruiter(user=user, status=status)[:200]]
    return [_out(i, SEEKER) for i in selectors.interviews_for_seeker(user=user)[:200]]


@router.get("/interviews/{interview_id}", response=InterviewOut, auth=user_auth,
            summary="面试详情")
def interview_detail(request: HttpRequest, interview_id: int) -> object:
    interview, side = _get(request, interview_id)
    return _out(interview, side)


@router.post("/interviews/{interview_id}/slots", response=InterviewOut, auth=user_auth,
             summary="补充可选时间（招聘方）")
def interview_slots_add(request: HttpRequest, interview_id: int, payload: SlotsIn) -> object:
    interview, side = _get(request, interview_id, RECRUITER)
    services.interview_slots_add(actor=request.auth, interview=interview,
                                 slots=_aware(payload.slots, interview.time_zone))
    return _out(interview, side)


@router.post("/interviews/{interview_id}/pick", response=InterviewOut, auth=user_auth,
             summary="选定一个面试时间（求职者）")
def interview_pick(request: HttpRequest, interview_id: int, payload: PickIn) -> object:
    interview, side = _get(request, interview_id, SEEKER)
    services.interview_pick(actor=request.auth, interview=interview, slot_id=payload.slot_id)
    return _out(interview, side)


@router.post("/interviews/{interview_id}/reschedule", response=InterviewOut, auth=user_auth,
             summary="改期（双方，需说明原因；招聘方须提供新时间）")
def interview_reschedule(request: HttpRequest, interview_id: int, payload: ReasonIn) -> object:
    interview, side = _get(request, interview_id)
    slots = _aware(payload.slots, interview.time_zone) if payload.slots else None
    services.interview_reschedule(actor=request.auth, interview=interview,
                                  reason=payload.reason, slots=slots)
    return _out(interview, side)


@router.post("/interviews/{interview_id}/cancel", response=InterviewOut, auth=user_auth,
             summary="取消面试（双方，需说明原因）")
def interview_cancel(request: HttpRequest, interview_id: int, payload: ReasonIn) -> object:
    interview, side = _get(request, interview_id)
    services.interview_cancel(actor=request.auth, interview=interview, reason=payload.reason)
    return _out(interview, side)


@router.get("/interviews/{interview_id}/calendar.ics", auth=user_auth,
            summary="日历文件（.ics）")
def interview_calendar(request: HttpRequest, interview_id: int) -> HttpResponse:
    interview, _side = _get(request, interview_id)
    if interview.starts_at is None:
        raise NotFound(_("面试时间尚未确定，暂无日历文件。"))
    room = request.build_absolute_uri(reverse("interviews:room", args=[interview.pk]))
    response = HttpResponse(interview_ics(interview, room_page_url=room),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="interview-{interview.pk}.ics"'
    return response


# --- APP-4 --------------------------------------------------------------------------------------

@router.post("/interviews/{interview_id}/room/join", response=RoomLinkOut, auth=user_auth,
             summary="取得进入在线面试间的链接")
def room_join(request: HttpRequest, interview_id: int) -> object:
    interview, _side = _get(request, interview_id)
    url = services.room_join_url(actor=request.auth, interview=interview)
    return {"url": request.build_absolute_uri(url)}


@router.get("/interviews/{interview_id}/room/log", response=list[RoomLogOut], auth=user_auth,
            summary="在线面试间进出记录")
def room_log(request: HttpRequest, interview_id: int) -> object:
    interview, _side = _get(request, interview_id)
    return selectors.room_log(interview)


def _test_out(interview: Interview, side: str) -> dict[str, Any]:
    test = selectors.written_test_for(interview)
    if test is None:
        raise NotFound(_("该面试没有笔试。"))
    show_answers = side == RECRUITER or test.submitted_at is not None
    return {"deadline": test.deadline, "instructions": test.instructions,
            "submitted_at": test.submitted_at,
            "questions": [{"id": q.pk, "position": q.position, "text": q.text,
                           "answer": q.answer if show_answers else ""}
                          for q in test.questions.all()]}


@router.put("/interviews/{interview_id}/written-test", response=WrittenTestOut, auth=user_auth,
            summary="布置或修改笔试（招聘方，求职者作答前）")
def written_test_set(request: HttpRequest, interview_id: int, payload: WrittenTestIn) -> object:
    interview, side = _get(request, interview_id, RECRUITER)
    deadline = _aware([payload.deadline], interview.time_zone)[0]
    services.written_test_set(actor=request.auth, interview=interview,
                              questions=payload.questions, deadline=deadline,
                              instructions=payload.instructions)
    return _test_out(interview, side)


@router.get("/interviews/{interview_id}/written-test", response=WrittenTestOut, auth=user_auth,
            summary="笔试题目（及回答）")
def written_test_get(request: HttpRequest, interview_id: int) -> object:
    interview, side = _get(request, interview_id)
    return _test_out(interview, side)


@router.post("/interviews/{interview_id}/written-test/answers", response=WrittenTestOut,
             auth=user_auth, summary="提交笔试（求职者，仅一次，截止前）")
def written_test_answer(request: HttpRequest, interview_id: int, payload: AnswersIn) -> object:
    interview, side = _get(request, interview_id, SEEKER)
    services.written_test_answer(actor=request.auth, interview=interview,
                                 answers={a.question_id: a.answer for a in payload.answers})
    return _test_out(interview, side)


# --- APP-5 --------------------------------------------------------------------------------------

@router.post("/interviews/{interview_id}/check-in", response=CheckInOut, auth=user_auth,
             summary="现场签到（求职者输入签到码）")
def check_in(request: HttpRequest, interview_id: int, payload: CodeIn) -> object:
    interview, _side = _get(request, interview_id, SEEKER)
    return services.checkin_with_code(actor=request.auth, interview=interview,
                                      code=payload.code)


@router.post("/interviews/{interview_id}/arrival", response=CheckInOut, auth=user_auth,
             summary="登记求职者到场（招聘方）")
def arrival(request: HttpRequest, interview_id: int) -> object:
    interview, _side = _get(request, interview_id, RECRUITER)
    return services.checkin_record(actor=request.auth, interview=interview)


@router.post("/interviews/{interview_id}/no-show", response=InterviewOut, auth=user_auth,
             summary="登记未到场（招聘方）")
def no_show(request: HttpRequest, interview_id: int) -> object:
    interview, side = _get(request, interview_id, RECRUITER)
    services.interview_no_show(actor=request.auth, interview=interview)
    return _out(interview, side)


@router.post("/interviews/{interview_id}/complete", response=InterviewOut, auth=user_auth,
             summary="标记面试完成（招聘方）")
def complete(request: HttpRequest, interview_id: int) -> object:
    interview, side = _get(request, interview_id, RECRUITER)
    services.interview_complete(actor=request.auth, interview=interview)
    return _out(interview, side)


def _scorecard_out(scorecard: Any) -> dict[str, Any]:
    return {"id": scorecard.pk, "author_name": scorecard.author.display_name,
            "skills": scorecard.skills, "communication": scorecard.communication,
            "fit": scorecard.fit, "potential": scorecard.potential,
            "recommendation": scorecard.recommendation, "comment": scorecard.comment,
            "created_at": scorecard.created_at}


@router.post("/interviews/{interview_id}/scorecards", response={201: ScorecardOut},
             auth=user_auth, summary="提交面试评分（招聘方，每位面试官一次）")
def scorecard_submit(request: HttpRequest, interview_id: int, payload: ScorecardIn) -> object:
    interview, _side = _get(request, interview_id, RECRUITER)
    scorecard = services.scorecard_submit(
        actor=request.auth, interview=interview,
        scores={"skills": payload.skills, "communication": payload.communication,
                "fit": payload.fit, "potential": payload.potential},
        recommendation=payload.recommendation, comment=payload.comment)
    return Status(201, _scorecard_out(scorecard))


@router.get("/interviews/{interview_id}/scorecards", response=list[ScorecardOut],
            auth=user_auth, summary="面试评分（仅本单位招聘方）")
def scorecard_list(request: HttpRequest, interview_id: int) -> object:
    interview, side = _get(request, interview_id, RECRUITER)
    return [_scorecard_out(s) for s in selectors.scorecards_for(interview, side=side)]


@router.post("/interviews/{interview_id}/evaluation", response={201: EvaluationOut},
             auth=user_auth, summary="评价面试（求职者；收费或不符将提交平台核查）")
def evaluation_submit(request: HttpRequest, interview_id: int, payload: EvaluationIn) -> object:
    interview, _side = _get(request, interview_id, SEEKER)
    evaluation = services.evaluation_submit(
        actor=request.auth, interview=interview, rating=payload.rating, comment=payload.comment,
        fee_requested=payload.fee_requested, job_differs=payload.job_differs)
    return Status(201, {"rating": evaluation.rating, "comment": evaluation.comment,
                        "reported": evaluation.report_id is not None,
                        "created_at": evaluation.created_at})
