"""Public disclosure pages (DISC-1, DISC-2, DISC-3, DISC-5, DISC-6) and their staff editors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from pinqiao.accounts.services import client_ip
from pinqiao.core.errors import ServiceError
from pinqiao.core.forms import add_service_error
from pinqiao.core.permissions import staff_required
from pinqiao.disclosure.forms import LegalDocumentForm, OperatorProfileForm
from pinqiao.disclosure.models import LegalKind, ServiceOffering
from pinqiao.disclosure.selectors import (
    legal_document_current,
    legal_documents_current,
    legal_documents_pending,
    licence_panel_for_operator,
    operator_profile,
    service_offerings,
)
from pinqiao.disclosure.services import (
    legal_accept_current,
    legal_document_publish,
    operator_profile_update,
)


def licences_view(request: HttpRequest) -> HttpResponse:
    return render(request, "disclosure/licences.html", {"panel": licence_panel_for_operator()})


def services_view(request: HttpRequest) -> HttpResponse:
    groups = []
    offerings = list(service_offerings())
    for value, label in ServiceOffering.Audience.choices:
        items = [o for o in offerings if o.audience == value]
        if items:
            groups.append((label, items))
    return render(request, "disclosure/services.html", {"groups": groups})


def safety_view(request: HttpRequest) -> HttpResponse:
    return render(request, "disclosure/safety.html")


def legal_view(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in LegalKind.values:
        raise Http404
    document = legal_document_current(kind)
    if document is None:
        raise Http404
    return render(request, "disclosure/legal.html", {"document": document,
                                                      "all_current": legal_documents_current()})


@login_required
def legal_accept_view(request: HttpRequest) -> HttpResponse:
    """Shown when a document in force changed since the user last accepted it (DISC-5)."""
    pending = legal_documents_pending(user=request.user)
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    if request.method == "POST":
        if request.POST.get("accept") == "yes":
            legal_accept_current(user=request.user, ip=client_ip(request))
            messages.success(request, _("感谢您同意新版协议。"))
            return redirect(target)
        messages.error(request, _("请勾选同意后继续；如不同意，可以注销账号。"))
    if not pending:
        return redirect(target)
    return render(request, "disclosure/legal_accept.html", {"pending": pending, "next": target})


@staff_required("manage.operator_profile")
def operator_edit_view(request: HttpRequest) -> HttpResponse:
    profile = operator_profile()
    if profile is None:
        raise Http404
    form = OperatorProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            operator_profile_update(actor=request.user, profile=operator_profile(),
                                    changes=form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("公示信息已更新。"))
            return redirect("disclosure:operator_edit")
    return render(request, "disclosure/operator_edit.html", {"form": form})


@staff_required("manage.legal")
def legal_publish_view(request: HttpRequest) -> HttpResponse:
    form = LegalDocumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = legal_document_publish(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _(
                "已发布 %(title)s %(version)s，用户下次访问时将被要求重新同意。")
                             % {"title": document.title, "version": document.version})
            return redirect("disclosure:legal_publish")
    return render(request, "disclosure/legal_publish.html",
                  {"form": form, "current": legal_documents_current()})
