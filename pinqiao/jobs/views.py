"""Posting pages: the public list and page, recruiters' own postings, staff take-downs.

Views are thin: parse input, call one service or selector, render.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_POST

from pinqiao.core.errors import NotFound, ServiceError
from pinqiao.core.forms import add_service_error
from pinqiao.core.pagecache import mark_public
from pinqiao.core.permissions import Role, role_required, staff_required
from pinqiao.jobs import selectors, services
from pinqiao.jobs.forms import NewPostingForm, PostingForm, RemoveForm, RenewForm, ReportForm
from pinqiao.jobs.jsonld import job_posting_script
from pinqiao.jobs.models import (
    EDITABLE_STATUSES,
    Posting,
    PostingStatus,
    default_valid_until,
)
from pinqiao.moderation.selectors import risk_label_for
from pinqiao.moderation.services import explain, report_create
from pinqiao.orgs.selectors import licence_panel_for_organisation, organisations_for_user
from pinqiao.recommendations.services import search_exposures_log
from pinqiao.reference import divisions, taxonomy
from pinqiao.search.forms import JobSearchForm, active_filters
from pinqiao.search.params import SORTS, parse_job_query
from pinqiao.search.selectors import job_search


def _labels(posting: Posting) -> dict[str, str]:
    function = taxonomy.job_function(posting.job_function)
    industry = taxonomy.industry(posting.industry)
    return {
        "location": divisions.full_name(posting.division_code) or "",
        "function": function.name if function else "",
        "industry": industry.name if industry else "",
    }


# --- public ---------------------------------------------------------------------------------

@require_GET
def posting_list_view(request: HttpRequest) -> HttpResponse:
    """SRCH-1: the public job list is the job search (keywords, filters, relevance or time)."""
    query = parse_job_query(request.GET, strict=False)
    results = job_search(query)
    search_exposures_log(viewer=request.user, postings=[hit.posting for hit in results.hits],
                         start_rank=(results.page - 1) * query.per_page + 1)
    kept = query.as_params(page="")
    mark_public(request)
    return render(request, "jobs/list.html", {
        "results": results, "query": query, "form": JobSearchForm(query),
        # The keyword form keeps the filters, the filter sheet keeps the keywords and order.
        "kept_filters": sorted((k, v) for k, v in kept.items() if k not in ("q", "sort")),
        "chips": [(text, urlencode(query.as_params(page="", **dict.fromkeys(names, ""))))
                  for text, names in active_filters(query)],
        "clear_filters": urlencode({k: v for k, v in kept.items() if k in ("q", "sort")}),
        "sorts": [(sort, label, urlencode(query.as_params(sort=sort, page="")))
                  for sort, label in SORTS.items()],
        "previous_page": urlencode(query.as_params(page=results.page - 1)),
        "next_page": urlencode(query.as_params(page=results.page + 1))})


@require_GET
def posting_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        posting = selectors.posting_public_get(posting_id=pk)
    except NotFound as exc:
        # A missing or expired posting still answers 404, with similar open postings.
        return render(request, "jobs/gone.html", {
            "message": exc.message,
            "similar": selectors.postings_similar_to_missing(posting_id=pk)}, status=404)
    panel = licence_panel_for_organisation(posting.organisation) if posting.mode == "agency" \
        else None
    versions = [v for v in posting.versions.all() if v.changed]
    risk_label = risk_label_for(posting.organisation)
    mark_public(request)
    return render(request, "jobs/detail.html", {
        "posting": posting, "panel": panel, "versions": versions, "risk_label": risk_label,
        "jsonld": job_posting_script(posting, request.build_absolute_uri()),
        "shown": _shown(posting, *versions, risk_label), "report_form": ReportForm(),
        # What the parts held by ``shown`` need: looked up only when they are rendered.
        "labels": SimpleLazyObject(lambda: _labels(posting)),
        "field_labels": SimpleLazyObject(
            lambda: {name: field.label for name, field in PostingForm.base_fields.items()})})


def _shown(*rows: Model | None) -> str:
    """The key of a posting page's rendered parts (``{% cache %}`` in ``jobs/detail.html``): a
    digest of every stored value of the rows they show (the posting, its organisation and
    client, its changed versions, the risk label in force) and the language. Any edit, status
    change, organisation change or moderation decision changes a value read in this request, so
    the page renders anew at once, in every process, with no version to keep in step; the parts
    that differ per visitor (apply, chat, report) and the reply figures are rendered each time."""
    values = [(type(row).__name__, [getattr(row, field.attname)
                                    for field in row._meta.concrete_fields])
              for row in rows if row is not None]
    return hashlib.blake2b(repr((values, get_language())).encode(), digest_size=16).hexdigest()


@login_required
@require_POST
def posting_report_view(request: HttpRequest, pk: int) -> HttpResponse:
    """TKT-1: a report with a reason code lands in the review queue."""
    posting = selectors.posting_public_get(posting_id=pk)
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            report_create(reporter=request.user, target=posting,
                          reason=form.cleaned_data["reason"], detail=form.cleaned_data["detail"],
                          title=posting.title, text=services.screening_text(posting))
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("举报已提交，平台将尽快核查。感谢您的监督。"))
    else:
        messages.error(request, _("请选择举报原因。"))
    return redirect("jobs:detail", pk=pk)


@require_GET
def divisions_view(request: HttpRequest) -> HttpResponse:
    """htmx: the options of the next location select (province → city → district)."""
    field = request.GET.get("field", "")
    parent = request.GET.get("province" if field == "province" else "city", "")
    items = divisions.children(parent) if parent and divisions.get(parent) else []
    options = format_html_join("", '<option value="{}">{}</option>',
                               ((d.code, d.name) for d in items))
    return HttpResponse('<option value="">—</option>' + options)


# --- recruiter ------------------------------------------------------------------------------

@role_required(Role.RECRUITER)
def my_list_view(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in PostingStatus.values else ""
    return render(request, "jobs/my_list.html", {
        "postings": selectors.postings_for_recruiter(user=request.user, status=status),
        "status": status, "statuses": PostingStatus.choices})


#: Where a refused poster goes next (issue 15: no dead ends), by the refusal's code.
WAY_FORWARD = {
    "posting_special_permit": ("orgs:licence_add", _l("上传并提交许可证核验")),
    "posting_business_licence": ("orgs:licence_add", _l("上传营业执照")),
    "posting_hr_licence": ("orgs:licence_add", _l("上传人力资源服务许可证")),
    "posting_dispatch_licence": ("orgs:licence_add", _l("上传劳务派遣经营许可证")),
    "posting_client": ("orgs:client_add", _l("登记委托单位并上传委托证明")),
    "not_your_client": ("orgs:client_add", _l("登记委托单位并上传委托证明")),
    "posting_not_verified": ("orgs:manage", _l("查看单位认证进度")),
    "posting_agreement": ("orgs:manage", _l("阅读并同意新版服务协议")),
}


def _refusal(exc: ServiceError, organisation: Any) -> dict[str, Any]:
    """The refusal for the form: the message and, when there is one, the link onwards."""
    refusal: dict[str, Any] = {"message": exc.message}
    if exc.code in WAY_FORWARD and organisation is not None:
        name, label = WAY_FORWARD[exc.code]
        refusal.update(url=reverse(name, args=[organisation.pk]), label=label)
    return refusal


def _save(request: HttpRequest, posting: Posting | None, form: PostingForm,
          new_form: NewPostingForm | None) -> Posting | None:
    """Create or update, then submit when asked. A refusal comes back onto the form with the
    input kept (``form.refusal``) and nothing written for a new posting (issue 15)."""
    submit = request.POST.get("action") == "submit"
    organisation = posting.organisation if posting is not None else None
    try:
        if posting is None:
            assert new_form is not None
            organisation = next(o for o in organisations_for_user(user=request.user)
                                if str(o.pk) == new_form.cleaned_data["organisation"])
            client_id = new_form.cleaned_data.get("client_authorisation")
            client = next((c for c in selectors.clients_available(user=request.user)
                           if str(c.pk) == client_id), None) if client_id else None
            create = services.posting_create_and_submit if submit else services.posting_create
            return create(actor=request.user, organisation=organisation,
                          data=form.service_data(), mode=new_form.cleaned_data["mode"],
                          client=client)
        posting = services.posting_update(actor=request.user, posting=posting,
                                          data=form.service_data())
        if submit:
            posting = services.posting_submit(actor=request.user, posting=posting)
        return posting
    except ServiceError as exc:
        if exc.fields:
            add_service_error(new_form if new_form is not None and "client_authorisation"
                              in exc.fields else form, exc)
        form.refusal = _refusal(exc, organisation)  # type: ignore[attr-defined]
        return None


def _after_save(request: HttpRequest, posting: Posting) -> HttpResponse:
    notices = {
        PostingStatus.PUBLISHED: _("职位已通过审核并发布。"),
        PostingStatus.PENDING_REVIEW: _("职位已提交，正在人工审核。"),
        PostingStatus.REJECTED: _("职位未通过审核，请查看原因并修改。"),
        PostingStatus.DRAFT: _("草稿已保存。"),
    }
    # A refusal is an error, never a success-coloured notice (issue 15).
    announce = messages.error if posting.status == PostingStatus.REJECTED else messages.info
    announce(request, notices.get(posting.status, _("已保存。")))
    return redirect("jobs:my_detail", pk=posting.pk)


@role_required(Role.RECRUITER)
def my_new_view(request: HttpRequest) -> HttpResponse:
    organisations = sorted(organisations_for_user(user=request.user),
                           key=lambda o: o.status != "verified")
    if not organisations:
        messages.info(request, _("请先注册或加入一个单位，认证通过后即可发布职位。"))
        return redirect("/")
    clients = selectors.clients_available(user=request.user)
    new_form = NewPostingForm(request.POST or None, organisations=organisations, clients=clients)
    form = PostingForm(request.POST or None,
                       initial={"valid_until": default_valid_until().isoformat()})
    if request.method == "POST" and new_form.is_valid() and form.is_valid():
        posting = _save(request, None, form, new_form)
        if posting is not None:
            return _after_save(request, posting)
    return render(request, "jobs/edit.html", {
        "form": form, "new_form": new_form, "posting": None,
        "refusal": getattr(form, "refusal", None),
        "clients": selectors.client_authorisations_overview(user=request.user)})


@role_required(Role.RECRUITER)
def my_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    posting = selectors.posting_for_recruiter(user=request.user, posting_id=pk)
    if posting.status not in EDITABLE_STATUSES:
        raise NotFound(_("该职位当前不能修改。"))
    initial = {f: getattr(posting, f) for f in services.EDITABLE}
    form = PostingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, posting, form, None)
        if saved is not None:
            return _after_save(request, saved)
    return render(request, "jobs/edit.html", {"form": form, "posting": posting,
                                              "new_form": None,
                                              "refusal": getattr(form, "refusal", None)})


@role_required(Role.RECRUITER)
def my_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    posting = selectors.posting_for_recruiter(user=request.user, posting_id=pk)
    screening = posting.last_screening
    return render(request, "jobs/my_detail.html", {
        "posting": posting, "labels": _labels(posting),
        "explained": explain(screening) if screening else [],
        "screening": screening, "missing": services.missing_fields(posting),
        "renew_form": RenewForm(), "editable": posting.status in EDITABLE_STATUSES,
        **selectors.posting_history(posting)})


ACTIONS = {
    "submit": services.posting_submit, "pause": services.posting_pause,
    "resume": services.posting_resume, "close": services.posting_close,
    "withdraw": services.posting_withdraw, "confirm": services.posting_confirm_current,
}


@role_required(Role.RECRUITER)
@require_POST
def my_action_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    posting = selectors.posting_for_recruiter(user=request.user, posting_id=pk)
    try:
        if action == "appeal":
            posting = services.posting_appeal(actor=request.user, posting=posting,
                                              reason=request.POST.get("reason", ""))
        elif action == "renew":
            form = RenewForm(request.POST)
            if not form.is_valid():
                raise ServiceError("invalid", _("请选择新的有效期。"))
            posting = services.posting_renew(actor=request.user, posting=posting,
                                             valid_until=form.cleaned_data["valid_until"])
        elif action in ACTIONS:
            posting = ACTIONS[action](actor=request.user, posting=posting)
        else:
            raise NotFound(_("未知的操作。"))
    except ServiceError as exc:
        if exc.status == 404:
            raise
        # A refusal (403 included) goes back to the posting's page with the reason on top.
        messages.error(request, exc.message)
        for field, errs in exc.fields.items():
            for err in errs:
                messages.error(request, f"{_field_label(field)}：{err}")
        return redirect("jobs:my_detail", pk=pk)
    return _after_save(request, posting)


def _field_label(name: str) -> str:
    field = PostingForm.base_fields.get(name)
    return str(field.label) if field else name


# --- staff ----------------------------------------------------------------------------------

@staff_required("review.content")
def staff_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    """JOB-2, MOD-7: staff take a posting down with a reason code."""
    posting = selectors.posting_for_staff(viewer=request.user, posting_id=pk)
    form = RemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.posting_remove(actor=request.user, posting=posting, **form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("职位已下架。"))
            return redirect("jobs:staff_posting", pk=pk)
    return render(request, "jobs/staff_remove.html", {"posting": posting, "form": form})


@staff_required("review.content")
def staff_list_view(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:30]
    status = request.GET.get("status", "")
    status = status if status in PostingStatus.values else ""
    postings = selectors.postings_for_staff(viewer=request.user, q=q, status=status)
    page = Paginator(postings, 50).get_page(request.GET.get("page"))
    return render(request, "jobs/staff_list.html", {
        "postings": page, "page": page, "q": q, "status": status,
        "statuses": PostingStatus.choices})


@staff_required("review.content")
def staff_posting_view(request: HttpRequest, pk: int) -> HttpResponse:
    posting = selectors.posting_for_staff(viewer=request.user, posting_id=pk)
    context: dict[str, Any] = {"posting": posting, "labels": _labels(posting),
                               "screening": posting.last_screening,
                               **selectors.posting_history(posting)}
    return render(request, "jobs/staff_posting.html", context)
