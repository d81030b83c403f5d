"""Recommendation pages for seekers (REC-1 … REC-3), the public algorithm summary (ALG Art. 16)
and the staff pages of the algorithm register (ALG-2) and the bias monitor (ALG-1)."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pinqiao.core.errors import NotFound, ServiceError
from pinqiao.core.forms import add_service_error
from pinqiao.core.permissions import (
    Role,
    has_perm,
    require_perm,
    role_required,
    staff_required,
)
from pinqiao.recommendations import selectors, services
from pinqiao.recommendations.forms import AlgorithmChangeForm, FeedbackForm, TagForm
from pinqiao.recommendations.models import FeedbackKind, Surface
from pinqiao.reference import divisions


@cache
def _city_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """Cities by province for the city picker of the non-personalised list."""
    groups = []
    for province in divisions.provinces():
        cities = [(d.code, d.name) for d in divisions.children(province.code)
                  if d.level == "city"]
        if cities:
            groups.append((province.name, cities))
    return groups


def _page_number(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("page", "1"))
    except ValueError:
        return 1


@role_required(Role.SEEKER)
@require_GET
def recommendations_view(request: HttpRequest) -> HttpResponse:
    page = selectors.recommendations_for_seeker(
        seeker=request.user, page=_page_number(request), city=request.GET.get("city", "")[:6])
    services.exposures_log(surface=Surface.RECOMMENDATION, seeker=request.user,
                           postings=[item.posting for item in page.items],
                           start_rank=page.start_rank, personalised=page.personalised)
    opinions = selectors.feedback_by_posting(
        seeker=request.user, posting_ids=[item.posting.pk for item in page.items])
    return render(request, "recommendations/list.html", {
        "page": page, "rows": [(item, opinions.get(item.posting.pk, ""),
                                divisions.full_name(item.posting.division_code) or "")
                               for item in page.items],
        "city_groups": _city_groups(),
        "consent_wording": services.CONSENT_WORDING, "kinds": FeedbackKind})


@role_required(Role.SEEKER)
@require_POST
def personalisation_view(request: HttpRequest) -> HttpResponse:
    enabled = services.personalisation_set(seeker=request.user,
                                           enabled=request.POST.get("enabled") == "on")
    messages.success(request, _("已开启个性化推荐。") if enabled else
                     _("已关闭个性化推荐，现在为您展示非个性化推荐。"))
    return redirect("recommendations:list")


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/me/recommendations/") else default)


@role_required(Role.SEEKER)
@require_POST
def feedback_view(request: HttpRequest) -> HttpResponse:
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择「不感兴趣」或「更多类似」。"))
        return _back(request, "recommendations:list")
    try:
        feedback = services.feedback_record(seeker=request.user,
                                            posting_id=form.cleaned_data["posting_id"],
                                            kind=form.cleaned_data["kind"])
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已减少此类推荐。") if feedback.kind ==
                         FeedbackKind.NOT_INTERESTED else _("将为您推荐更多类似职位。"))
    return _back(request, "recommendations:list")


@role_required(Role.SEEKER)
@require_POST
def feedback_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.feedback_remove(seeker=request.user, feedback_id=pk)
    except NotFound as exc:
        messages.error(request, exc.message)
        return redirect("recommendations:tags")
    messages.success(request, _("已撤销该反馈。"))
    return redirect("recommendations:tags")


@role_required(Role.SEEKER)
@require_GET
def tags_view(request: HttpRequest) -> HttpResponse:
    return render(request, "recommendations/tags.html",
                  {"overview": selectors.interest_tags(seeker=request.user)})


@role_required(Role.SEEKER)
@require_POST
def tag_change_view(request: HttpRequest, action: str) -> HttpResponse:
    form = TagForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("没有这个兴趣标签。"))
        return redirect("recommendations:tags")
    change = services.tag_delete if action == "delete" else services.tag_restore
    try:
        change(seeker=request.user, kind=form.cleaned_data["kind"],
               value=form.cleaned_data["value"])
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("标签已删除，不再用于推荐。") if action == "delete"
                         else _("标签已恢复。"))
    return redirect("recommendations:tags")


# --- candidate recommendation (REC-4) ------------------------------------------------------

@role_required(Role.RECRUITER)
@require_GET
def candidates_view(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.candidates_for_posting(viewer=request.user, posting_id=pk,
                                            page=_page_number(request))
    services.candidate_exposures_log(posting=page.posting,
                                     seekers=[c.resume.owner_id for c in page.items],
                                     start_rank=page.start_rank)
    return render(request, "recommendations/candidates.html", {"page": page})


@role_required(Role.RECRUITER)
@require_POST
def recruiter_personalisation_view(request: HttpRequest, pk: int) -> HttpResponse:
    """REC-5: turn personalised candidate recommendation on or off, back to the posting's list."""
    enabled = services.recruiter_personalisation_set(
        recruiter=request.user, enabled=request.POST.get("enabled") == "on")
    messages.success(request, _("已开启个性化人才推荐。") if enabled else
                     _("已关闭个性化人才推荐，现在按简历更新时间展示。"))
    return redirect("recommendations:candidates", pk=pk)


# --- algorithm register (ALG-2) ------------------------------------------------------------

@require_GET
def algorithms_public_view(request: HttpRequest) -> HttpResponse:
    """ALG Art. 16: the basic principle, purpose and main mechanism of each algorithm."""
    return render(request, "recommendations/algorithms_public.html",
                  {"algorithms": selectors.algorithms_public()})


@staff_required("view.algorithms")
@require_GET
def staff_algorithms_view(request: HttpRequest) -> HttpResponse:
    return render(request, "recommendations/staff_algorithms.html",
                  {"algorithms": selectors.algorithms_for_staff(viewer=request.user)})


@staff_required("view.algorithms")
def staff_algorithm_view(request: HttpRequest, slug: str) -> HttpResponse:
    algorithm = selectors.algorithm_for_staff(viewer=request.user, slug=slug)
    can_change = has_perm(request.user, "manage.algorithms")
    if request.method == "POST":
        require_perm(request.user, "manage.algorithms")
    form = AlgorithmChangeForm(request.POST or None,
                               initial={"filing_status": algorithm.filing_status,
                                        "filing_number": algorithm.filing_number})
    if request.method == "POST" and form.is_valid():
        try:
            services.algorithm_change_record(actor=request.user, algorithm=algorithm,
                                             **form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("已记录新版本。"))
            return redirect("recommendations:staff_algorithm", slug=slug)
    return render(request, "recommendations/staff_algorithm.html",
                  {"algorithm": algorithm, "form": form if can_change else None})


# --- bias monitor (ALG-1) ------------------------------------------------------------------

def _bias_page(request: HttpRequest, report: Any) -> HttpResponse:
    return render(request, "recommendations/staff_bias.html", {
        "report": report, "history": selectors.bias_reports_for_staff(viewer=request.user)[:50],
        "chart": selectors.bias_chart_data(report) if report else None})


@staff_required("view.algorithms")
@require_GET
def staff_bias_view(request: HttpRequest) -> HttpResponse:
    """The latest report with its chart, and the past reports."""
    return _bias_page(request, selectors.bias_reports_for_staff(viewer=request.user).first())


@staff_required("view.algorithms")
@require_GET
def staff_bias_report_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _bias_page(request, selectors.bias_report_for_staff(viewer=request.user,
                                                               report_id=pk))
