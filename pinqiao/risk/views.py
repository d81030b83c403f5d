"""Pages of the sanctioned party (「处置与申诉」, RISK-2), the staff risk list (RISK-1) and the
regulator's credit-sharing export in JSON (RISK-3; the CSV is in orgs)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pinqiao.core.errors import ServiceError
from pinqiao.core.forms import add_service_error
from pinqiao.core.permissions import Role, role_required, staff_required
from pinqiao.orgs.selectors import credit_export_rows
from pinqiao.risk import selectors, services
from pinqiao.risk.models import Subject
from pinqiao.tickets.clock import china_today
from pinqiao.tickets.forms import AppealForm


@role_required(Role.RECRUITER)
def notices_view(request: HttpRequest) -> HttpResponse:
    return render(request, "risk/notices.html", {
        "notices": selectors.notices_for_member(viewer=request.user)[:200],
        "today": china_today(timezone.now())})


@role_required(Role.RECRUITER)
def notice_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One sanction: the rule, the evidence and the case it rests on, the appeal deadline and
    the appeal form; nothing about who complained (TKT-5)."""
    notice = selectors.notice_for_member(viewer=request.user, sanction_id=pk)
    form = AppealForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.appeal_submit(actor=request.user, sanction=notice.sanction,
                                          **form.cleaned_data)
        except ServiceError as exc:
            if exc.status == 404:
                raise
            add_service_error(form, exc)
        else:
            messages.success(request, _("申诉已提交，编号 %(r)s，办结时限 %(d)s。") % {
                "r": case.reference, "d": case.deadline.isoformat()})
            return redirect("risk:notice", pk=pk)
    appeals = notice.sanction.appeal_cases.order_by("-received_at")
    return render(request, "risk/notice.html", {
        "notice": notice, "sanction": notice.sanction, "form": form, "appeals": appeals,
        "can_appeal": notice.appeal_until >= china_today(timezone.now())
        and notice.appeal_outcome == "" and notice.sanction.status == "active"})


@role_required(Role.RECRUITER)
@require_POST
def acknowledge_view(request: HttpRequest, pk: int) -> HttpResponse:
    """「我已知晓」 on the pop-up warning (RISK-2)."""
    notice = selectors.notice_for_member(viewer=request.user, sanction_id=pk)
    try:
        services.notice_acknowledge(actor=request.user, notice=notice)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已确认阅读该警告。如有异议，可在申诉期限内提出申诉。"))
    if request.POST.get("next") == "/":
        return redirect("core:home")
    return redirect("risk:notice", pk=pk)


@staff_required("review.content")
def scores_view(request: HttpRequest) -> HttpResponse:
    subject = request.GET.get("subject", "")
    subject = subject if subject in Subject.values else ""
    return render(request, "risk/scores.html", {
        "scores": selectors.risk_scores(viewer=request.user, subject=subject)[:200],
        "subject": subject, "subjects": Subject.choices})


@staff_required()
def credit_export_json_view(request: HttpRequest) -> HttpResponse:
    """RISK-3 credit-sharing export as JSON for the regulator role; audited, masked."""
    rows = credit_export_rows(viewer=request.user)
    response = JsonResponse({"generated_at": timezone.now().isoformat(), "records": rows},
                            json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="pinqiao-credit-records.json"'
    return response
