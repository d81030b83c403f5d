"""Inbox and preferences for users; the template editor with preview for staff (MSG-3)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pinqiao.core.errors import ServiceError
from pinqiao.core.forms import add_service_error
from pinqiao.core.permissions import staff_required
from pinqiao.notifications.forms import PreferenceForm, TemplateForm
from pinqiao.notifications.models import NotificationTemplate
from pinqiao.notifications.selectors import inbox_for, preference_for
from pinqiao.notifications.services import (
    inbox_mark_read,
    preference_update,
    template_preview,
    template_update,
)


@login_required
def inbox_view(request: HttpRequest) -> HttpResponse:
    return render(request, "notifications/inbox.html",
                  {"notifications": inbox_for(user=request.user)[:100]})


@login_required
@require_POST
def inbox_read_view(request: HttpRequest) -> HttpResponse:
    inbox_mark_read(user=request.user)
    return redirect("notifications:inbox")


@login_required
def preferences_view(request: HttpRequest) -> HttpResponse:
    current = preference_for(user=request.user)
    initial = {f: getattr(current, f) for f in PreferenceForm.base_fields}
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            preference_update(user=request.user, **form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("通知设置已保存。"))
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@staff_required("manage.templates")
def template_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "notifications/template_list.html",
                  {"templates": NotificationTemplate.objects.all()})


@staff_required("manage.templates")
def template_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(NotificationTemplate, pk=pk)
    form = TemplateForm(request.POST or None, initial={
        "subject": template.subject, "body": template.body, "is_active": template.is_active})
    if request.method == "POST" and form.is_valid():
        try:
            template_update(actor=request.user, template=template, **form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("模板已保存（版本 %(v)s）。") % {"v": template.version})
            return redirect("notifications:template_list")
    return render(request, "notifications/template_edit.html",
                  {"form": form, "template": template})


@staff_required("manage.templates")
@require_POST
def template_preview_view(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: render the edited subject and body with sample data."""
    get_object_or_404(NotificationTemplate, pk=pk)
    try:
        subject, body = template_preview(subject=request.POST.get("subject", ""),
                                         body=request.POST.get("body", ""), user=request.user)
    except ServiceError as exc:
        return render(request, "notifications/_preview.html", {"error": exc.message})
    return render(request, "notifications/_preview.html", {"subject": subject, "body": body})
