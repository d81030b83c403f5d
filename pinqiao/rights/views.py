"""Rights pages: the person's 「我的个人信息权利」 (download my data with its progress, requests
and their deadlines, what a deletion did) and the staff's request desk with overdue alerts
(PRIV-4 … PRIV-6) and the retention schedule (RET-1). Views are thin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from pinqiao.core.errors import ServiceError
from pinqiao.core.forms import add_service_error
from pinqiao.core.permissions import staff_required
from pinqiao.rights import (
    assessments,
    breaches,
    destinations,
    exports,
    monitoring,
    requests,
    retention,
    selectors,
)
from pinqiao.rights.forms import (
    AnswerForm,
    AssessmentForm,
    BreachForm,
    BreachNoticeForm,
    BreachReportForm,
    DestinationForm,
    RetentionRuleForm,
    RightsRequestForm,
)
from pinqiao.rights.models import RequestStatus

ERASURE_SESSION_KEY = selectors.ERASURE_SESSION_KEY


def _rights_page(request: HttpRequest, form: RightsRequestForm | None = None,
                 status: int = 200) -> HttpResponse:
    return render(request, "rights/rights.html", {
        "form": form or RightsRequestForm(), "today": timezone.localdate(),
        **selectors.rights_overview(user=request.user)}, status=status)


@never_cache
@login_required
@require_GET
def rights_view(request: HttpRequest) -> HttpResponse:
    """PRIV-4, PRIV-6: the person's requests, their deadlines and the data download."""
    return _rights_page(request)


@login_required
@require_POST
def export_request_view(request: HttpRequest) -> HttpResponse:
    try:
        requested = exports.export_request(user=request.user)
    except ServiceError as exc:  # PRIV-9: the destination is not listed
        messages.error(request, exc.message)
        return redirect("rights:rights")
    if requested.joined:
        messages.info(request, _("您的数据下载正在生成中，无需重复申请，完成后会通知您。"))
    else:
        messages.success(request, _("已开始生成您的数据下载，完成后会通知您。"))
    return redirect("rights:rights")


@never_cache
@login_required
@require_GET
def export_progress_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment, polled by htmx while the download is being built."""
    export = exports.export_for_owner(user=request.user, export_id=pk)
    return render(request, "rights/_export.html", {"export": export})


@never_cache
@login_required
@require_GET
def export_download_view(request: HttpRequest, token: str) -> HttpResponse:
    """PRIV-4: the ZIP; someone else's, expired or unknown link → 404 (audited)."""
    try:
        export, data = exports.export_download(user=request.user, token=token)
    except ServiceError as exc:
        if exc.code.startswith("export_destination"):  # PRIV-9
            messages.error(request, exc.message)
            return redirect("rights:rights")
        raise Http404(exc.message) from exc
    response = HttpResponse(data, content_type="application/zip")
    day = timezone.localtime(export.finished_at).strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="pinqiao-my-data-{day}.zip"'
    return response


@login_required
@require_POST
def request_create_view(request: HttpRequest) -> HttpResponse:
    form = RightsRequestForm(request.POST)
    if form.is_valid():
        try:
            filed = requests.rights_request_create(user=request.user, **form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已受理，我们将在 %(day)s 前答复。")
                             % {"day": filed.due_on.isoformat()})
            return redirect("rights:rights")
    return _rights_page(request, form, status=400)


@never_cache
@require_GET
def erasure_done_view(request: HttpRequest) -> HttpResponse:
    """ACC-5, PRIV-5: after closing, what was erased, anonymised and restricted — and until
    when. Shown once to the browser that closed the account (the id is in its session)."""
    erasure = selectors.erasure_from_session(request.session.get(ERASURE_SESSION_KEY))
    if erasure is None:
        return redirect("core:home")
    return render(request, "rights/erasure_done.html", {
        "erasure": erasure, "items": selectors.erasure_rows(erasure)})


# --- staff ------------------------------------------------------------------------------------

@staff_required("privacy.rights")
@require_GET
def staff_requests_view(request: HttpRequest) -> HttpResponse:
    """PRIV-6: every request with its deadline; overdue ones first and marked."""
    status = request.GET.get("status", "open")
    rows = requests.rights_requests_for_staff(viewer=request.user, status=status)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(request, "rights/staff_requests.html", {
        "page": page, "status": status, "today": timezone.localdate(),
        "overdue": requests.rights_requests_for_staff(viewer=request.user,
                                                      status="overdue").count(),
        "statuses": [("open", _("待办")), ("overdue", _("已逾期")),
                     *[(s.value, s.label) for s in (RequestStatus.COMPLETED,
                                                    RequestStatus.REFUSED)]],
        "forms": {r.pk: AnswerForm(prefix=f"r{r.pk}") for r in page if r.is_open}})


def _submit(request: HttpRequest, form: Any, call: Callable[[dict[str, Any]], Any],
            success: str | Callable[[Any], str], to: str) -> HttpResponse | None:
    """The shape every staff form shares: validate, call the service with the cleaned data,
    say so (``success``, or made from the service's result) and go back to ``to``; a refusal
    lands on the form (``None``: render it again). Permission and not-found refusals propagate
    to the error page."""
    if not form.is_valid():
        return None
    try:
        result = call(form.cleaned_data)
    except ServiceError as exc:
        if exc.status in (403, 404):
            raise
        add_service_error(form, exc)
        return None
    messages.success(request, success(result) if callable(success) else success)
    return redirect(to)


@staff_required("privacy.rights")
@require_POST
def staff_take_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        requests.rights_request_take(actor=request.user, request_id=pk)
    except ServiceError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.message)
    return redirect("rights:staff_requests")


@staff_required("privacy.rights")
@require_POST
def staff_answer_view(request: HttpRequest, pk: int) -> HttpResponse:
    form = AnswerForm(request.POST, prefix=f"r{pk}")
    done = _submit(request, form, lambda data: requests.rights_request_answer(
        actor=request.user, request_id=pk, **data), _("已答复并通知申请人。"),
        "rights:staff_requests")
    if done:
        return done
    rows = requests.rights_requests_for_staff(viewer=request.user, status="all").filter(pk=pk)
    return render(request, "rights/staff_requests.html", {
        "page": rows, "status": "all", "today": timezone.localdate(), "overdue": 0,
        "statuses": [], "forms": {pk: form}}, status=400)


@staff_required("retention.manage")
def staff_retention_view(request: HttpRequest) -> HttpResponse:
    """RET-1: the schedule, legal holds and the latest runs; a rule below the legal minimum is
    refused on the form with the input kept."""
    forms = {row["kind"]: RetentionRuleForm(prefix=row["kind"], initial=row)
             for row in retention.schedule()}
    status = 200
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        form = RetentionRuleForm(request.POST, prefix=kind)
        forms[kind] = form
        done = _submit(request, form, lambda data: retention.retention_rule_set(
            actor=request.user, kind=kind, **data), _("保存期限已更新。"),
            "rights:staff_retention")
        if done:
            return done
        status = 400
    return render(request, "rights/staff_retention.html", {
        "rows": [(row, forms[row["kind"]]) for row in retention.schedule()],
        **selectors.retention_overview(viewer=request.user)}, status=status)


@staff_required("security.alerts")
@require_GET
def staff_alerts_view(request: HttpRequest) -> HttpResponse:
    """SEC-2: bulk reads, unusual exports and off-hours staff access, newest first."""
    page = Paginator(monitoring.security_alerts(viewer=request.user), 30).get_page(
        request.GET.get("page"))
    return render(request, "rights/staff_alerts.html", {"page": page})


def _breach_page(request: HttpRequest, forms: dict[str, object] | None = None,
                 status: int = 200) -> HttpResponse:
    rows = breaches.breaches_for_staff(viewer=request.user)
    forms = forms or {}
    return render(request, "rights/staff_breaches.html", {
        "form": forms.get("new") or BreachForm(),
        "rows": [(b, forms.get(f"notice{b.pk}") or BreachNoticeForm(prefix=f"n{b.pk}"),
                  forms.get(f"report{b.pk}") or BreachReportForm(prefix=f"p{b.pk}"))
                 for b in rows]}, status=status)


@staff_required("privacy.breaches")
def staff_breaches_view(request: HttpRequest) -> HttpResponse:
    """PRIV-8: the breach register; record an incident."""
    if request.method != "POST":
        return _breach_page(request)
    form = BreachForm(request.POST)
    return _submit(request, form, lambda data: breaches.breach_record(
        actor=request.user, **data), _("事件已登记。"), "rights:staff_breaches") \
        or _breach_page(request, {"new": form}, status=400)


@staff_required("privacy.breaches")
@require_POST
def staff_breach_notify_view(request: HttpRequest, pk: int) -> HttpResponse:
    form = BreachNoticeForm(request.POST, prefix=f"n{pk}")
    return _submit(request, form, lambda data: breaches.breach_notify(
        actor=request.user, breach_id=pk, usernames=data["usernames"].splitlines()),
        lambda sent: _("已通知 %(n)s 位用户。") % {"n": sent}, "rights:staff_breaches") \
        or _breach_page(request, {f"notice{pk}": form}, status=400)


@staff_required("privacy.breaches")
@require_POST
def staff_breach_report_view(request: HttpRequest, pk: int) -> HttpResponse:
    form = BreachReportForm(request.POST, prefix=f"p{pk}")
    return _submit(request, form, lambda data: breaches.breach_report(
        actor=request.user, breach_id=pk, **data), _("已记录向监管部门的报告。"),
        "rights:staff_breaches") or _breach_page(request, {f"report{pk}": form}, status=400)


def _list_and_form(request: HttpRequest, *, form_class: type, call: Callable[..., object],
                   success: str, to: str, template: str, rows: Any) -> HttpResponse:
    """A staff register: its rows and a form that adds one (GET shows, POST records)."""
    form = form_class(request.POST or None)
    if request.method == "POST":
        done = _submit(request, form, lambda data: call(actor=request.user, **data),
                       success, to)
        if done:
            return done
    return render(request, template, {"form": form, "rows": rows},
                  status=400 if request.method == "POST" else 200)


@staff_required("privacy.assessments")
def staff_assessments_view(request: HttpRequest) -> HttpResponse:
    """PRIV-7: impact assessments — the list and the form."""
    return _list_and_form(request, form_class=AssessmentForm,
                          call=assessments.assessment_record, success=_("评估记录已保存。"),
                          to="rights:staff_assessments", template="rights/staff_assessments.html",
                          rows=assessments.assessments_for_staff(viewer=request.user))


@staff_required("retention.manage")
def staff_destinations_view(request: HttpRequest) -> HttpResponse:
    """PRIV-9: the export destinations — every place personal data may be sent — and a form
    that records one; an abroad one is recorded disabled."""
    return _list_and_form(request, form_class=DestinationForm,
                          call=destinations.destination_record, success=_("导出目的地已登记。"),
                          to="rights:staff_destinations",
                          template="rights/staff_destinations.html",
                          rows=destinations.destinations_for_staff(viewer=request.user))


@staff_required("retention.manage")
@require_POST
def staff_destination_toggle_view(request: HttpRequest, pk: int) -> HttpResponse:
    enabled = request.POST.get("enabled") == "1"
    try:
        destinations.destination_set_enabled(actor=request.user, destination_id=pk,
                                              enabled=enabled)
    except ServiceError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已启用。") if enabled
                         else _("已停用：该目的地的导出将被拒绝。"))
    return redirect("rights:staff_destinations")
