"""Interview pages for recruiters and seekers, the calendar file and the online room.

Views are thin: parse input, call one service or selector, render.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pinqiao.core.errors import NotFound, ServiceError
from pinqiao.core.forms import add_service_error
from pinqiao.core.permissions import Role, role_required
from pinqiao.interviews import rooms, selectors, services
from pinqiao.interviews.forms import (
    LOCAL_FORMAT,
    CheckinCodeForm,
    EvaluationForm,
    PickForm,
    ProposeForm,
    ReasonForm,
    RecruiterRescheduleForm,
    ScorecardForm,
    SlotsForm,
    WrittenAnswerForm,
    WrittenTestForm,
    in_zone,
)
from pinqiao.interviews.ics import interview_ics
from pinqiao.interviews.models import OPEN_STATUSES, Interview, Mode, Status
from pinqiao.interviews.services import RECRUITER, SEEKER, format_when
from pinqiao.interviews.workdays import day_info, slot_day_info

# --- recruiter ------------------------------------------------------------------------------------


def _bound_slot_days(form: Any) -> dict[str, Any]:
    """Working-day information for each slot typed into a bound form (shown on re-render)."""
    zone_name = form.data.get("time_zone") or services.DEFAULT_TIME_ZONE
    days = {}
    for name in form.slot_names():
        raw = form.data.get(form.add_prefix(name), "")
        try:
            typed = datetime.strptime(raw, LOCAL_FORMAT)
            days[name] = slot_day_info(in_zone(typed, zone_name))
        except (ValueError, ServiceError):
            continue
    return days


@role_required(Role.RECRUITER)
def propose_view(request: HttpRequest, application_pk: int) -> HttpResponse:
    """APP-3: the recruiter offers one or more start times; non-working days are flagged."""
    application = selectors.application_for_recruiter(user=request.user,
                                                      application_id=application_pk)
    form = ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            interview = services.interview_propose(actor=request.user, application=application,
                                                   proposal=form.proposal())
        except ServiceError as exc:
            if exc.status == 404:
                raise
            add_service_error(form, exc)
        else:
            messages.success(request, _("面试邀请已发送，等待求职者选择时间。"))
            for view in selectors.slots_with_days(interview, now=timezone.now()):
                if view.day.warning:
                    messages.warning(request, f"{format_when(interview, view.slot.starts_at)}："
                                              f"{view.day.label}。{view.day.warning}")
            return redirect("interviews:recruiter_detail", pk=interview.pk)
    return render(request, "interviews/propose.html", {
        "application": application, "form": form,
        "slot_days": _bound_slot_days(form) if form.is_bound else {},
        "interviews": selectors.interviews_for_application(application=application)},
        status=400 if form.is_bound else 200)


@role_required(Role.RECRUITER)
def recruiter_list_view(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    return render(request, "interviews/recruiter_list.html", {
        "interviews": selectors.interviews_for_recruiter(user=request.user, status=status)[:200],
        "status": status, "statuses": Status.choices})


def _recruiter_forms(interview: Interview) -> dict[str, forms.Form]:
    zone = services.zone_get(interview.time_zone)
    return {"slots_form": SlotsForm(prefix="add"),
            "reschedule_form": RecruiterRescheduleForm(prefix="reschedule"),
            "cancel_form": ReasonForm(prefix="cancel"),
            "test_form": WrittenTestForm(prefix="test", initial={
                "deadline": (interview.starts_at or timezone.now()).astimezone(zone)
                .replace(tzinfo=None)}),
            "scorecard_form": ScorecardForm(prefix="score")}


def _seeker_forms(interview: Interview, test: Any) -> dict[str, forms.Form]:
    return {"pick_form": PickForm(prefix="pick", slot_choices=_slot_choices(interview)),
            "reschedule_form": ReasonForm(prefix="reschedule"),
            "cancel_form": ReasonForm(prefix="cancel"),
            "checkin_form": CheckinCodeForm(prefix="checkin"),
            "answer_form": WrittenAnswerForm(prefix="test", questions=list(
                test.questions.all()) if test else []),
            "evaluation_form": EvaluationForm(prefix="evaluation")}


def _slot_choices(interview: Interview) -> list[tuple[int, str]]:
    now = timezone.now()
    return [(v.slot.pk, f"{format_when(interview, v.slot.starts_at)} · {v.day.label}")
            for v in selectors.slots_with_days(interview, now=now)
            if v.slot.state == "open" and not v.is_past]


def _detail(request: HttpRequest, interview: Interview, side: str,
            bound: dict[str, forms.Form] | None = None, status: int = 200) -> HttpResponse:
    now = timezone.now()
    test = selectors.written_test_for(interview)
    page_forms = _recruiter_forms(interview) if side == RECRUITER \
        else _seeker_forms(interview, test)
    page_forms.update(bound or {})
    context = {
        "interview": interview, "side": side, "now": now,
        "slots": selectors.slots_with_days(interview, now=now),
        "events": list(interview.events.select_related("actor")),
        "test": test, "test_open": test is not None and test.submitted_at is None
        and now <= test.deadline,
        "scorecards": selectors.scorecards_for(interview, side=side),
        "has_scorecard": any(s.author_id == request.user.pk
                             for s in selectors.scorecards_for(interview, side=side)),
        "checkin": getattr(interview, "checkin", None),
        "evaluation": selectors.evaluation_for(interview, side=side),
        "is_open": interview.status in OPEN_STATUSES,
        "started": interview.starts_at is not None and interview.starts_at <= now,
        "seeker_id": interview.application.seeker_id,
        **page_forms,
    }
    template = "interviews/recruiter_detail.html" if side == RECRUITER \
        else "interviews/seeker_detail.html"
    return render(request, template, context, status=status)


@role_required(Role.RECRUITER)
def recruiter_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    interview = selectors.interview_for_recruiter(user=request.user, interview_id=pk)
    return _detail(request, interview, RECRUITER)


def _run(request: HttpRequest, interview: Interview, side: str, key: str,
         form: forms.Form | None, success: str, call: Callable[[], Any]) -> HttpResponse:
    """Validate ``form``, call the service; a refusal about fields goes back onto the form,
    any other refusal becomes a message on the page. 404s pass through."""
    detail = "interviews:recruiter_detail" if side == RECRUITER else "interviews:seeker_detail"
    if form is not None and not form.is_valid():
        return _detail(request, interview, side, {key: form}, status=400)
    try:
        call()
    except ServiceError as exc:
        if exc.status == 404:
            raise
        if form is None or not exc.fields:
            messages.error(request, exc.message)
            return redirect(detail, pk=interview.pk)
        add_service_error(form, exc)
        return _detail(request, interview, side, {key: form}, status=exc.status)
    messages.success(request, success)
    return redirect(detail, pk=interview.pk)


@role_required(Role.RECRUITER)
@require_POST
def recruiter_action_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    interview = selectors.interview_for_recruiter(user=request.user, interview_id=pk)
    user, post = request.user, request.POST
    zone = interview.time_zone
    if action == "slots":
        form = SlotsForm(post, prefix="add")
        return _run(request, interview, RECRUITER, "slots_form", form, _("已补充可选时间。"),
                    lambda: services.interview_slots_add(actor=user, interview=interview,
                                                         slots=form.slots(zone)))
    if action == "reschedule":
        form = RecruiterRescheduleForm(post, prefix="reschedule")
        return _run(request, interview, RECRUITER, "reschedule_form", form,
                    _("已改期并通知求职者重新选择时间。"),
                    lambda: services.interview_reschedule(
                        actor=user, interview=interview, reason=form.cleaned_data["reason"],
                        slots=form.slots(zone)))
    if action == "cancel":
        form = ReasonForm(post, prefix="cancel")
        return _run(request, interview, RECRUITER, "cancel_form", form,
                    _("面试已取消，已通知求职者。"),
                    lambda: services.interview_cancel(actor=user, interview=interview,
                                                      reason=form.cleaned_data["reason"]))
    if action == "written-test":
        form = WrittenTestForm(post, prefix="test")
        return _run(request, interview, RECRUITER, "test_form", form, _("笔试已发送给求职者。"),
                    lambda: services.written_test_set(
                        actor=user, interview=interview, questions=form.questions(),
                        deadline=in_zone(form.cleaned_data["deadline"], zone),
                        instructions=form.cleaned_data["instructions"]))
    if action == "scorecard":
        form = ScorecardForm(post, prefix="score")
        return _run(request, interview, RECRUITER, "scorecard_form", form, _("评分已提交。"),
                    lambda: services.scorecard_submit(
                        actor=user, interview=interview, scores=form.scores(),
                        recommendation=form.cleaned_data["recommendation"],
                        comment=form.cleaned_data["comment"]))
    simple = {
        "arrival": (_("已登记到场。"), services.checkin_record),
        "no-show": (_("已登记未到场。"), services.interview_no_show),
        "complete": (_("已标记面试完成，已请求职者评价。"), services.interview_complete),
    }
    if action not in simple:
        raise NotFound(_("未知的操作。"))
    success, service = simple[action]
    return _run(request, interview, RECRUITER, "", None, success,
                lambda: service(actor=user, interview=interview))


# --- seeker ---------------------------------------------------------------------------------------

@login_required
def mine_view(request: HttpRequest) -> HttpResponse:
    """The seeker's interviews (APP-3)."""
    return render(request, "interviews/mine.html",
                  {"interviews": selectors.interviews_for_seeker(user=request.user)})


@login_required
def seeker_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The seeker's interview page, with the fraud-awareness tips before it (DISC-6)."""
    interview = selectors.interview_for_seeker(user=request.user, interview_id=pk)
    return _detail(request, interview, SEEKER)


@login_required
@require_POST
def seeker_action_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    interview = selectors.interview_for_seeker(user=request.user, interview_id=pk)
    user, post = request.user, request.POST
    if action == "pick":
        form = PickForm(post, prefix="pick", slot_choices=_slot_choices(interview))
        return _run(request, interview, SEEKER, "pick_form", form,
                    _("面试时间已确认，请按时参加。"),
                    lambda: services.interview_pick(actor=user, interview=interview,
                                                    slot_id=form.cleaned_data["slot"]))
    if action in ("reschedule", "cancel"):
        form = ReasonForm(post, prefix=action)
        service = services.interview_reschedule if action == "reschedule" \
            else services.interview_cancel
        success = _("已申请改期，已通知招聘方。") if action == "reschedule" \
            else _("面试已取消，已通知招聘方。")
        return _run(request, interview, SEEKER, f"{action}_form", form, success,
                    lambda: service(actor=user, interview=interview,
                                    reason=form.cleaned_data["reason"]))
    if action == "check-in":
        form = CheckinCodeForm(post, prefix="checkin")
        return _run(request, interview, SEEKER, "checkin_form", form, _("签到成功。"),
                    lambda: services.checkin_with_code(actor=user, interview=interview,
                                                       code=form.cleaned_data["code"]))
    if action == "written-test":
        test = selectors.written_test_for(interview)
        if test is None:
            raise NotFound(_("该面试没有笔试。"))
        form = WrittenAnswerForm(post, prefix="test", questions=list(test.questions.all()))
        return _run(request, interview, SEEKER, "answer_form", form, _("笔试已提交。"),
                    lambda: services.written_test_answer(actor=user, interview=interview,
                                                         answers=form.answers()))
    if action == "evaluation":
        form = EvaluationForm(post, prefix="evaluation")
        return _run(request, interview, SEEKER, "evaluation_form", form,
                    _("感谢您的评价。"),
                    lambda: services.evaluation_submit(actor=user, interview=interview,
                                                       **form.cleaned_data))
    raise NotFound(_("未知的操作。"))


# --- both sides: calendar file, online room, working-day hint ---------------------------------

def _room_page_url(request: HttpRequest, interview: Interview) -> str:
    return request.build_absolute_uri(reverse("interviews:room", args=[interview.pk]))


@login_required
@require_GET
def ics_view(request: HttpRequest, pk: int) -> HttpResponse:
    """APP-3: the .ics file (stable UID, SEQUENCE per reschedule, METHOD:CANCEL)."""
    interview, _side = selectors.interview_for(user=request.user, interview_id=pk)
    if interview.starts_at is None:
        raise NotFound(_("面试时间尚未确定，暂无日历文件。"))
    body = interview_ics(interview, room_page_url=_room_page_url(request, interview))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="interview-{interview.pk}.ics"'
    return response


@login_required
@require_GET
def room_view(request: HttpRequest, pk: int) -> HttpResponse:
    """APP-4: the in-site room page (participants and the join log)."""
    interview, side = selectors.interview_for(user=request.user, interview_id=pk)
    if interview.mode != Mode.VIDEO:
        raise NotFound(_("该面试没有在线面试间。"))
    return render(request, "interviews/room.html", {
        "interview": interview, "side": side, "log": selectors.room_log(interview),
        "is_local": rooms.is_local(interview.room_provider)})


@login_required
@require_POST
def room_enter_view(request: HttpRequest, pk: int) -> HttpResponse:
    interview, _side = selectors.interview_for(user=request.user, interview_id=pk)
    try:
        url = services.room_join_url(actor=request.user, interview=interview)
    except ServiceError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
        return redirect("interviews:room", pk=pk)
    return redirect(url)


@login_required
@require_GET
def local_room_join_view(request: HttpRequest, ref: str, token: str) -> HttpResponse:
    """The local provider's join link: records the join (and the seeker's check-in)."""
    interview = selectors.interview_for_local_room(user=request.user, ref=ref)
    services.room_local_join(actor=request.user, interview=interview, token=token)
    messages.success(request, _("您已进入面试间。"))
    return redirect("interviews:room", pk=interview.pk)


@login_required
@require_POST
def room_leave_view(request: HttpRequest, pk: int) -> HttpResponse:
    interview, _side = selectors.interview_for(user=request.user, interview_id=pk)
    services.room_local_leave(actor=request.user, interview=interview)
    messages.info(request, _("您已离开面试间。"))
    return redirect("interviews:room", pk=pk)


@login_required
@require_GET
def day_info_view(request: HttpRequest) -> HttpResponse:
    """htmx: the working-day label beside a slot input as it is typed (APP-3)."""
    raw = next((v for k, v in request.GET.items() if k == "when" or k.endswith("slot")
                or "slot_" in k), "")
    zone_name = next((v for k, v in request.GET.items() if k.endswith("time_zone")),
                     services.DEFAULT_TIME_ZONE)
    try:
        typed = datetime.strptime(raw[:16], LOCAL_FORMAT)
        info = slot_day_info(in_zone(typed, zone_name))
    except (ValueError, ServiceError):
        try:
            info = day_info(date.fromisoformat(raw[:10]))
        except ValueError:
            return HttpResponse("")
    return render(request, "interviews/_day.html", {"day": info})

