"""招聘简章 pages (ORG-13): the owner's list with the status of each brochure, the form to write
or upload one (a refusal comes back onto the form with the words marked and the input kept),
and deletion. The public page shows published brochures (``views.public_view``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pinqiao.core.errors import ServiceError
from pinqiao.core.forms import add_service_error
from pinqiao.core.permissions import Role, role_required
from pinqiao.orgs import brochures, selectors
from pinqiao.orgs.forms import BrochureForm
from pinqiao.orgs.models import Brochure, BrochureStatus

RECRUITER = role_required(Role.RECRUITER)


def _form_page(request: HttpRequest, pk: int, brochure_id: int | None) -> HttpResponse:
    org = selectors.organisation_for_owner(user=request.user, organisation_id=pk)
    brochure: Brochure | None = None
    initial: dict[str, Any] = {}
    if brochure_id is not None:
        brochure = brochures.brochure_for_owner(user=request.user, organisation=org,
                                                brochure_id=brochure_id)
        initial = {"title": brochure.title, "body": brochure.body}
    form = BrochureForm(request.POST or None, request.FILES or None, initial=initial)
    screening: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        data = brochures.BrochureInput(
            title=form.cleaned_data["title"], body=form.cleaned_data["body"],
            pdf=request.FILES.get("pdf"), drop_pdf=form.cleaned_data["drop_pdf"])
        try:
            saved = brochures.brochure_save(actor=request.user, organisation=org, data=data,
                                            brochure=brochure)
        except ServiceError as exc:
            add_service_error(form, exc)
            screening = (exc.details or {}).get("screening", {})
            for name, found in screening.items():
                found["label"] = (form.fields[name].label if name in form.fields
                                  else str(Brochure._meta.get_field(name).verbose_name))
        else:
            if saved.status == BrochureStatus.PUBLISHED:
                messages.success(request, _("招聘简章已保存并发布到单位主页。"))
            else:
                messages.info(request, _("招聘简章已保存，部分内容需人工审核，审核通过后发布。"))
            return redirect("orgs:brochures", org.pk)
    items = brochures.brochures_for_owner(user=request.user, organisation=org)
    return render(request, "orgs/brochures.html", {
        "org": org, "form": form, "brochure": brochure, "brochures": items,
        "screening": screening,
        "title": _("编辑招聘简章") if brochure else _("招聘简章")})


@RECRUITER
def brochures_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner's brochures and the form for a new one."""
    return _form_page(request, pk, None)


@RECRUITER
def brochure_edit_view(request: HttpRequest, pk: int, brochure_id: int) -> HttpResponse:
    """Edit one brochure; it is screened again on save."""
    return _form_page(request, pk, brochure_id)


@RECRUITER
@require_POST
def brochure_delete_view(request: HttpRequest, pk: int, brochure_id: int) -> HttpResponse:
    org = selectors.organisation_for_owner(user=request.user, organisation_id=pk)
    brochure = brochures.brochure_for_owner(user=request.user, organisation=org,
                                            brochure_id=brochure_id)
    brochures.brochure_delete(actor=request.user, brochure=brochure)
    messages.success(request, _("招聘简章已删除。"))
    return redirect("orgs:brochures", org.pk)
