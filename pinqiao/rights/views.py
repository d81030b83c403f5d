"""Rights pages: the person's 「我的个人信息权利」 (download my data with its progress, requests
and their deadlines, what a deletion did) and the staff's request desk with overdue alerts
(PRIV-4 … PRIV-6) and the retention schedule (RET-1). Views are thin."""

from __future__ import annotations

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
    requested = exports.export_request(user=request.user)
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
    if form.is_valid():
        try:
            requests.rights_request_answer(actor=request.user, request_id=pk,
                                           **form.cleaned_data)
        except ServiceError as exc:
            if exc.status in (403, 404):
                raise
            add_service_error(form, exc)
        else:
            messages.success(request, _("已答复并通知申请人。"))
            return redirect("rights:staff_requests")
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
        if form.is_valid():
            try:
                retention.retention_rule_set(actor=request.user, kind=kind, **form.cleaned_data)
            except ServiceError as exc:
                if exc.status in (403, 404):
                    raise
                add_service_error(form, exc)
            else:
                messages.success(request, _("保存期限已更新。"))
                return redirect("rights:staff_retention")
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
    if form.is_valid():
        try:
            breaches.breach_record(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("事件已登记。"))
            return redirect("rights:staff_breaches")
    return _breach_page(request, {"new": form}, status=400)


@staff_required("privacy.breaches")
@require_POST
def staff_breach_notify_view(request: HttpRequest, pk: int) -> HttpResponse:
    form = BreachNoticeForm(request.POST, prefix=f"n{pk}")
    if form.is_valid():
        try:
            sent = breaches.breach_notify(actor=request.user, breach_id=pk,
                                          usernames=form.cleaned_data["usernames"].splitlines())
        except ServiceError as exc:
            if exc.status in (403, 404):
                raise
            add_service_error(form, exc)
        else:
            messages.success(request, _("已通知 %(n)s 位用户。") % {"n": sent})
            return redirect("rights:staff_breaches")
    return _breach_page(request, {f"notice{pk}": form}, status=400)


@staff_required("privacy.breaches")
@require_POST
def staff_breach_report_view(request: HttpRequest, pk: int) -> HttpResponse:
    form = BreachReportForm(request.POST, prefix=f"p{pk}")
    if form.is_valid():
        try:
            breaches.breach_report(actor=request.user, breach_id=pk, **form.cleaned_data)
        except ServiceError as exc:
            if exc.status in (403, 404):
                raise
            add_service_error(form, exc)
        else:
            messages.success(request, _("已记录向监管部门的报告。"))
            return redirect("rights:staff_breaches")
    return _breach_page(request, {f"report{pk}": form}, status=400)


@staff_required("privacy.assessments")
def staff_assessments_view(request: HttpRequest) -> HttpResponse:
    """PRIV-7: impact assessments — the list and the form."""
    form = AssessmentForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                assessments.assessment_record(actor=request.user, **form.cleaned_data)
            except ServiceError as exc:
                if exc.status in (403, 404):
                    raise
                add_service_error(form, exc)
            else:
                messages.success(request, _("评估记录已保存。"))
                return redirect("rights:staff_assessments")
        status = 400
    return render(request, "rights/staff_assessments.html", {
        "form": form, "rows": assessments.assessments_for_staff(viewer=request.user)},
        status=status)
