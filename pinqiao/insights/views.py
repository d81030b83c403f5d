"""Public insight pages (ANA-4) and the staff guide editor. Pages read the newest snapshot;
a bad filter comes back onto the form with a Chinese message."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from pinqiao.analytics.suppression import min_cell, suppressed_label
from pinqiao.core.errors import ServiceError
from pinqiao.core.forms import add_service_error
from pinqiao.core.permissions import staff_required
from pinqiao.insights import selectors, services
from pinqiao.insights.forms import GuideForm, SalaryFilterForm
from pinqiao.insights.models import Guide
from pinqiao.oversight.selectors import city_choices


def salary_view(request: HttpRequest) -> HttpResponse:
    form = SalaryFilterForm(request.GET or None)
    index, status = None, 200
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        data = form.cleaned_data if form.is_bound else {}
        try:
            index = selectors.salary_index(function=data.get("function", ""),
                                           city=data.get("city", ""))
        except ServiceError as exc:
            add_service_error(form, exc)
            status = 400
    return render(request, "insights/salary.html", {
        "form": form, "index": index, "chart": index.chart if index else None,
        "min_cell": min_cell(), "functions": selectors.function_choices(),
        "cities": city_choices()}, status=status)


def trends_view(request: HttpRequest) -> HttpResponse:
    city = request.GET.get("city", "")
    error, trends = "", None
    try:
        trends = selectors.hiring_trends(city=city)
    except ServiceError as exc:
        error = exc.message
        trends = selectors.hiring_trends()
    return render(request, "insights/trends.html", {
        "trends": trends, "error": error, "city": city,
        "rows": trends.rows, "suppressed": suppressed_label(), "min_cell": min_cell()},
        status=400 if error else 200)


def guides_view(request: HttpRequest) -> HttpResponse:
    return render(request, "insights/guides.html",
                  {"guides": list(selectors.guides_published()[:100])})


def guide_view(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "insights/guide.html",
                  {"guide": selectors.guide_published(slug=slug)})


@staff_required("insights.guides")
def staff_guides_view(request: HttpRequest) -> HttpResponse:
    return render(request, "insights/staff_guides.html",
                  {"guides": list(selectors.guides_for_staff()[:200])})


@staff_required("insights.guides")
def staff_guide_edit_view(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    guide = get_object_or_404(Guide, pk=pk) if pk else None
    initial = ({"title": guide.title, "slug": guide.slug, "summary": guide.summary,
                "body": guide.body, "status": guide.status} if guide else {})
    form = GuideForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            guide = services.guide_save(actor=request.user, guide=guide, **form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("求职指南已保存。"))
            return redirect("insights:staff_guide", pk=guide.pk)
    return render(request, "insights/staff_guide_edit.html", {"form": form, "guide": guide},
                  status=400 if form.is_bound else 200)
