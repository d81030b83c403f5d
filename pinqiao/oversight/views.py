"""Pages of the regulator's view (ANA-3) and the public 一公开 page of inspection results.

Thin: parse the form, call one selector or service, render. Every regulator read is audited
(``services.access_record``); a refusal comes back onto its page with the input kept.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.core.errors import NotFound, NotPermitted, ServiceError
from pinqiao.core.forms import add_service_error
from pinqiao.core.permissions import has_perm, staff_required
from pinqiao.oversight import selectors, services
from pinqiao.oversight.forms import (
    DrawForm,
    ExportForm,
    FilterForm,
    FindingForm,
    InspectorsForm,
)
from pinqiao.oversight.models import DrawStatus, Outcome, SampledItem

VIEW = "view.oversight"


def _filtered(request: HttpRequest) -> tuple[FilterForm, selectors.Filters | None]:
    """The filter form and the validated filter, or ``None`` with the errors on the form."""
    form = FilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return form, None
    data = form.cleaned_data if request.GET else {}
    try:
        return form, selectors.parse_filters(**{k: data.get(k) or "" for k in
                                                ("date_from", "date_to", "city", "industry")})
    except ServiceError as exc:
        add_service_error(form, exc)
        return form, None


def _list_page(request: HttpRequest, *, page: str, template: str,
               rows_for: Any, extra: dict[str, Any] | None = None) -> HttpResponse:
    form, filters = _filtered(request)
    rows: list[Any] = []
    if filters is not None:
        rows = list(rows_for(filters)[:selectors.PAGE_ROWS])
        services.access_record(viewer=request.user, page=page, detail=filters.as_dict())
    return render(request, template, {
        "form": form, "rows": rows, "cities": selectors.city_choices(),
        "industries": selectors.industry_choices(), "page_rows": selectors.PAGE_ROWS,
        **(extra or {})}, status=200 if filters is not None else 400)


@staff_required(VIEW)
def home_view(request: HttpRequest) -> HttpResponse:
    services.access_record(viewer=request.user, page="home")
    return render(request, "oversight/home.html", {
        "overview": selectors.overview(viewer=request.user),
        "year": timezone.localdate().year - 1})


@staff_required(VIEW)
def organisations_view(request: HttpRequest) -> HttpResponse:
    return _list_page(request, page="organisations", template="oversight/organisations.html",
                      rows_for=lambda f: selectors.organisations(viewer=request.user, filters=f))


@staff_required(VIEW)
def organisation_view(request: HttpRequest, pk: int) -> HttpResponse:
    view = selectors.organisation_view(viewer=request.user, organisation_id=pk)
    refusal, status = "", 200
    if request.GET.get("reveal"):
        try:
            services.reveal_refuse(viewer=request.user, target=view.organisation,
                                   what="organisation_contact")
        except NotPermitted as exc:
            refusal, status = exc.message, 403
    else:
        services.access_record(viewer=request.user, page="organisation",
                               target=view.organisation)
    return render(request, "oversight/organisation.html", {"view": view, "refusal": refusal},
                  status=status)


@staff_required(VIEW)
def postings_view(request: HttpRequest) -> HttpResponse:
    return _list_page(request, page="postings", template="oversight/postings.html",
                      rows_for=lambda f: selectors.postings(viewer=request.user, filters=f))


@staff_required(VIEW)
def posting_view(request: HttpRequest, pk: int) -> HttpResponse:
    view = selectors.posting_view(viewer=request.user, posting_id=pk)
    services.access_record(viewer=request.user, page="posting", target=view.posting)
    return render(request, "oversight/posting.html", {"view": view})


@staff_required(VIEW)
def violations_view(request: HttpRequest) -> HttpResponse:
    form, filters = _filtered(request)
    sanctions: list[Any] = []
    if filters is not None:
        sanctions = list(selectors.sanctions(viewer=request.user,
                                             filters=filters)[:selectors.PAGE_ROWS])
    return _list_page(request, page="violations", template="oversight/violations.html",
                      rows_for=lambda f: selectors.violations(viewer=request.user, filters=f),
                      extra={"sanctions": sanctions})


@staff_required(VIEW)
def complaints_view(request: HttpRequest) -> HttpResponse:
    if request.GET.get("reveal"):
        try:
            services.reveal_refuse(viewer=request.user, target=None, what="complainant")
        except NotPermitted as exc:
            messages.error(request, exc.message)
        return redirect("oversight:complaints")
    return _list_page(request, page="complaints", template="oversight/complaints.html",
                      rows_for=lambda f: selectors.complaints(viewer=request.user, filters=f))


@staff_required(VIEW)
def annual_view(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("year", str(timezone.localdate().year - 1))
    error, figures, year = "", None, None
    try:
        year = selectors.parse_year(raw)
    except ServiceError as exc:
        error = exc.message
    else:
        figures = selectors.annual_report(viewer=request.user, year=year)
        services.access_record(viewer=request.user, page="annual", detail={"year": year})
    rows = [(label, figures[key]) for key, label in selectors.ANNUAL_FIELDS] if figures else []
    return render(request, "oversight/annual.html", {
        "rows": rows, "year": year, "raw_year": raw, "error": error,
        "years": list(range(timezone.localdate().year, selectors.FIRST_YEAR - 1, -1))},
        status=400 if error else 200)


@staff_required(VIEW)
def export_view(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.POST or None, initial={"fmt": "csv"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            filters = selectors.parse_filters(
                date_from=data["date_from"], date_to=data["date_to"], city=data["city"],
                industry=data["industry"])
            year = None
            if data["dataset"] == "annual":
                year = selectors.parse_year(data["year"])
            file = services.export_build(actor=request.user, dataset=data["dataset"],
                                         fmt=data["fmt"], reason=data["reason"],
                                         filters=filters, year=year)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            response = HttpResponse(file.content, content_type=file.content_type)
            response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
            return response
    return render(request, "oversight/export.html", {
        "form": form, "cities": selectors.city_choices(),
        "industries": selectors.industry_choices()},
        status=400 if form.is_bound else 200)


# --- 双随机 -------------------------------------------------------------------------------------

@staff_required(VIEW)
def samples_view(request: HttpRequest) -> HttpResponse:
    form = DrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draw = services.draw_create(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已抽取 %(n)s 个对象，随机种子 %(seed)s 已记录。")
                             % {"n": draw.size, "seed": draw.seed})
            return redirect("oversight:sample", pk=draw.pk)
    if request.method != "POST":
        services.access_record(viewer=request.user, page="samples")
    return render(request, "oversight/samples.html", {
        "form": form, "draws": selectors.draws(viewer=request.user)[:100],
        "can_inspect": has_perm(request.user, services.PERM_INSPECT)},
        status=400 if form.is_bound else 200)


def _sample_page(request: HttpRequest, pk: int, *, inspectors_form: InspectorsForm | None = None,
                 finding_forms: dict[int, FindingForm] | None = None,
                 error: str = "", status: int = 200) -> HttpResponse:
    draw = selectors.draw_get(viewer=request.user, draw_id=pk)
    items = selectors.draw_items(draw)
    forms = finding_forms or {}
    for item in items:
        item.form = forms.get(item.pk) or FindingForm(prefix=f"item{item.pk}")
    reproduced = services.draw_reproduce(draw)
    return render(request, "oversight/sample.html", {
        "draw": draw, "items": items, "error": error,
        "inspectors_form": inspectors_form or InspectorsForm(),
        "reproduced": reproduced == [item.subject_id for item in items],
        "pending": sum(1 for item in items if item.outcome == Outcome.PENDING),
        "is_open": draw.status == DrawStatus.OPEN}, status=status)


@staff_required(VIEW)
def sample_view(request: HttpRequest, pk: int) -> HttpResponse:
    response = _sample_page(request, pk)
    services.access_record(viewer=request.user, page="sample", target=("oversight.draw", pk))
    return response


@staff_required(services.PERM_INSPECT)
def sample_inspectors_view(request: HttpRequest, pk: int) -> HttpResponse:
    draw = selectors.draw_get(viewer=request.user, draw_id=pk)
    form = InspectorsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.inspectors_assign(
                actor=request.user, draw=draw,
                inspector_ids=[u.pk for u in form.cleaned_data["inspectors"]])
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已将 %(n)s 个对象随机分配给检查人员。") % {"n": count})
            return redirect("oversight:sample", pk=pk)
    return _sample_page(request, pk, inspectors_form=form, status=400)


@staff_required(services.PERM_INSPECT)
def sample_finding_view(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = SampledItem.objects.filter(pk=item_pk, draw_id=pk).first()
    if item is None:
        raise NotFound(_("抽中对象不存在。"))
    form = FindingForm(request.POST or None, prefix=f"item{item.pk}")
    if request.method == "POST" and form.is_valid():
        try:
            services.finding_record(actor=request.user, item=item, **form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("检查结果已记录。"))
            return redirect("oversight:sample", pk=pk)
    return _sample_page(request, pk, finding_forms={item.pk: form}, status=400)


@staff_required(services.PERM_INSPECT)
def sample_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    draw = selectors.draw_get(viewer=request.user, draw_id=pk)
    if request.method == "POST":
        try:
            services.draw_publish(actor=request.user, draw=draw)
        except ServiceError as exc:
            return _sample_page(request, pk, error=exc.message, status=400)
        messages.success(request, _("抽查结果已在“双随机抽查结果公示”页面公开。"))
    return redirect("oversight:sample", pk=pk)


# --- 一公开 (public) ------------------------------------------------------------------------------

def inspections_view(request: HttpRequest) -> HttpResponse:
    """一公开: the published draws with the sampled organisations and their outcomes."""
    return render(request, "oversight/inspections.html", {
        "draws": list(selectors.published_draws()[:50])})

