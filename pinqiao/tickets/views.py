"""Desk pages: 「我的投诉」 for users, the staff desk, the supervisor's overdue view and the
monthly root-cause report (TKT-1 … TKT-7). Views are thin; refusals come back onto the form
with the input kept."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.accounts.models import User
from pinqiao.core.errors import NotFound, ServiceError
from pinqiao.core.forms import add_service_error
from pinqiao.core.permissions import has_perm, staff_required
from pinqiao.tickets import forms, selectors, services, targets
from pinqiao.tickets.clock import china_today
from pinqiao.tickets.models import CaseKind, CaseStatus
from pinqiao.tickets.referral import referral_pdf


def _target_of(data: dict[str, Any]) -> Any:
    return targets.target_get(data["target_type"], data["target_id"])


def _refused(form: Any, exc: ServiceError) -> None:
    if exc.status == 404 and "target_id" in form.fields:
        form.add_error("target_id", exc.message)
    else:
        add_service_error(form, exc)


# --- 我的投诉 ----------------------------------------------------------------------------------

@login_required
def mine_view(request: HttpRequest) -> HttpResponse:
    return render(request, "tickets/mine.html",
                  {"cases": selectors.cases_for_complainant(viewer=request.user)[:200]})


@login_required
def new_view(request: HttpRequest) -> HttpResponse:
    initial = {k: request.GET.get(k, "") for k in ("target_type", "target_id", "reason_code")}
    form = forms.ComplaintForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_submit(
                actor=request.user, kind=data["kind"], reason_code=data["reason_code"],
                content=data["content"], desired_outcome=data["desired_outcome"],
                target=_target_of(data), contact=data["contact"], files=data["files"])
        except ServiceError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("已收到，编号 %(r)s，办结时限 %(d)s。") % {
                "r": case.reference, "d": case.deadline.isoformat()})
            return redirect("tickets:detail", pk=case.pk)
    return render(request, "tickets/new.html", {"form": form})


@login_required
def detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for_complainant(viewer=request.user, case_id=pk)
    dispute = forms.DisputeForm(request.POST if request.POST.get("action") == "reopen"
                                else None)
    rating = forms.RatingForm(request.POST if request.POST.get("action") == "rate" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "reopen" and dispute.is_valid():
                services.case_reopen(actor=request.user, case=case, **dispute.cleaned_data)
                messages.success(request, _("已提出异议，案件将重新处理。"))
                return redirect("tickets:detail", pk=pk)
            if action == "close":
                services.case_close(actor=request.user, case=case)
                messages.success(request, _("案件已办结，欢迎评价。"))
                return redirect("tickets:detail", pk=pk)
            if action == "rate" and rating.is_valid():
                services.case_rate(actor=request.user, case=case, **rating.cleaned_data)
                messages.success(request, _("感谢您的评价。"))
                return redirect("tickets:detail", pk=pk)
        except ServiceError as exc:
            if exc.status == 404:
                raise
            add_service_error(rating if action == "rate" else dispute, exc)
    return render(request, "tickets/detail.html", {
        "case": case, "events": selectors.public_events(case), "dispute": dispute,
        "rating_form": rating, "rating": getattr(case, "rating", None),
        "days_left": selectors.working_days_left(case)})


# --- the staff desk ---------------------------------------------------------------------------

@staff_required("tickets.handle")
def desk_view(request: HttpRequest) -> HttpResponse:
    scope = request.GET.get("scope", "open")
    scope = scope if scope in ("open", "done", "all") else "open"
    mine = request.GET.get("mine") == "1"
    cases = selectors.desk_queue(viewer=request.user, scope=scope, mine=mine)[:200]
    return render(request, "tickets/desk.html", {
        "cases": cases, "scope": scope, "mine": mine, "today": china_today(timezone.now()),
        "can_supervise": has_perm(request.user, "tickets.supervise")})


@staff_required("tickets.handle")
def intake_view(request: HttpRequest) -> HttpResponse:
    """TKT-2: staff enter a complaint made by phone, in person or by letter."""
    form = forms.IntakeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_submit(
                actor=request.user, kind=data["kind"], channel=data["channel"],
                reason_code=data["reason_code"], content=data["content"],
                desired_outcome=data["desired_outcome"], target=_target_of(data),
                files=data["files"], intake=services.Intake(data["name"], data["contact"]),
                intake_form=data["intake_form"])
        except ServiceError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("已登记，编号 %(r)s。") % {"r": case.reference})
            return redirect("tickets:staff_detail", pk=case.pk)
    return render(request, "tickets/intake.html", {"form": form})


@staff_required()
def staff_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for_staff(viewer=request.user, case_id=pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    resolve = forms.ResolveForm(request.POST if action == "resolve" else None)
    refer = forms.ReferForm(request.POST if action == "refer" else None)
    assign = forms.AssignForm(request.POST if action == "assign" else None)
    if action:
        try:
            if action == "accept":
                services.case_accept(actor=request.user, case=case)
            elif action == "investigate":
                services.case_investigate(actor=request.user, case=case,
                                          note=request.POST.get("note", ""))
            elif action == "close":
                services.case_close(actor=request.user, case=case)
            elif action == "resolve" and resolve.is_valid():
                data = resolve.cleaned_data
                services.case_resolve(
                    actor=request.user, case=case, upheld=data["upheld"],
                    finding=data["finding"], result=data["result"],
                    measures=services.Measures(
                        remove_target=data["remove_target"], sanction_kind=data["sanction_kind"],
                        rule=data["rule"], daily_limit=data["daily_limit"],
                        features=tuple(data["features"]), days=data["days"]))
            elif action == "refer" and refer.is_valid():
                services.case_refer(actor=request.user, case=case, **refer.cleaned_data)
            elif action == "assign" and assign.is_valid():
                handler = User.objects.filter(pk=assign.cleaned_data["handler"]).first()
                if handler is None:
                    raise ServiceError("invalid_handler", _("经办人不存在。"),
                                       fields={"handler": [_("经办人不存在。")]})
                services.case_assign(actor=request.user, case=case, handler=handler)
            else:
                raise ServiceError("invalid_form", _("请检查填写的内容。"))
        except ServiceError as exc:
            if exc.status == 404:
                raise
            target_form = {"resolve": resolve, "refer": refer, "assign": assign}.get(action)
            if target_form is not None and exc.status != 403:
                add_service_error(target_form, exc)
            else:
                messages.error(request, exc.message)
        else:
            messages.success(request, _("已保存。"))
            return redirect("tickets:staff_detail", pk=pk)
        case = selectors.case_for_staff(viewer=request.user, case_id=pk)
    can_handle = has_perm(request.user, "tickets.handle")
    contact = selectors.case_contact(viewer=request.user, case=case,
                                     reveal=request.GET.get("reveal") == "1") \
        if can_handle else None
    return render(request, "tickets/staff_detail.html", {
        "case": case, "events": case.events.select_related("actor"),
        "evidence": case.evidence.all(), "contact": contact, "resolve": resolve,
        "refer": refer, "assign": assign, "days_left": selectors.working_days_left(case),
        "is_assignee": case.assigned_to_id == request.user.pk, "can_handle": can_handle,
        "can_supervise": has_perm(request.user, "tickets.supervise"),
        "is_appeal": case.kind == CaseKind.APPEAL, "statuses": CaseStatus})


@staff_required("tickets.supervise")
def overdue_view(request: HttpRequest) -> HttpResponse:
    today = china_today(timezone.now())
    return render(request, "tickets/overdue.html", {
        "cases": selectors.overdue_view(viewer=request.user, today=today)[:200],
        "today": today})


@staff_required()
def report_view(request: HttpRequest) -> HttpResponse:
    """TKT-7: the monthly root-cause report."""
    today = china_today(timezone.now())
    try:
        year, month = (int(x) for x in request.GET.get("month", "").split("-"))
        if not 1 <= month <= 12:
            raise ValueError
    except ValueError:
        year, month = today.year, today.month
    return render(request, "tickets/report.html", {
        "report": selectors.monthly_report(viewer=request.user, year=year, month=month)})


@staff_required("tickets.handle")
def referral_view(request: HttpRequest, pk: int) -> HttpResponse:
    """TKT-4: the referral file of a referred case as a PDF."""
    case = selectors.case_for_staff(viewer=request.user, case_id=pk)
    try:
        pdf = referral_pdf(viewer=request.user, case=case)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("tickets:staff_detail", pk=pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{case.reference}.pdf"'
    return response


@staff_required("tickets.handle")
def evidence_view(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    """Evidence files are served only to handlers, through this permission-checked view."""
    case = selectors.case_for_staff(viewer=request.user, case_id=pk)
    item = case.evidence.filter(pk=evidence_id).first()
    if item is None:
        raise NotFound(_("文件不存在。"))
    return FileResponse(item.file.open("rb"), content_type=item.content_type,
                        as_attachment=True, filename=item.original_name)
