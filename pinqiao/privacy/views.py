"""Privacy pages: the recruiter's résumé page (RES-5, RES-6), the seeker's consent centre
(PRIV-3) and 「谁看过我」 (RES-6). Views are thin; nothing here is cached, so a withdrawal
shows on the next request."""

from __future__ import annotations

import uuid

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from pinqiao.accounts.services import client_ip
from pinqiao.core.errors import ServiceError
from pinqiao.core.permissions import Role, staff_required
from pinqiao.privacy import inventory, selectors, services
from pinqiao.privacy.forms import FlagResolveForm
from pinqiao.privacy.models import ConsentPurpose, FlagStatus
from pinqiao.privacy.wording import EXPLANATIONS, LEGAL_BASIS, SELF_SERVICE
from pinqiao.resumes.rendering import TEMPLATES


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _context(request: HttpRequest, public_id: uuid.UUID) -> tuple[object, int | None]:
    """The application and organisation named in the query string, if any."""
    application_id = _int(request.GET.get("application") or request.POST.get("application"))
    if application_id is not None:
        application = selectors.application_for_resume(
            viewer=request.user, public_id=public_id, application_id=application_id)
        return application, application.organisation_id
    return None, _int(request.GET.get("organisation") or request.POST.get("organisation"))


def _resume_url(public_id: uuid.UUID, application: object, organisation: int | None) -> str:
    url = reverse("privacy:recruiter_resume", args=[public_id])
    if application is not None:
        return f"{url}?application={application.pk}"  # type: ignore[attr-defined]
    return f"{url}?organisation={organisation}" if organisation else url


# --- recruiter ------------------------------------------------------------------------------

@never_cache
@login_required
@require_GET
def recruiter_resume_view(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """RES-5: contact details masked unless released to this organisation now; RES-6: the
    view is logged in this request."""
    application, organisation = _context(request, public_id)
    opened = services.resume_open(viewer=request.user, public_id=public_id,
                                  organisation=organisation, ip=client_ip(request))
    return render(request, "privacy/recruiter_resume.html", {
        "opened": opened, "resume": opened.resume, "contact": opened.contact,
        "organisation": opened.organisation, "application": application,
        "templates": TEMPLATES.items(),
        "contact_request": selectors.contact_request_latest(
            resume=opened.resume, organisation=opened.organisation)})


@never_cache
@login_required
@require_GET
def recruiter_resume_pdf_view(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """RES-6: a watermarked PDF with a hidden marker, recorded and counted."""
    _application, organisation = _context(request, public_id)
    downloaded = services.resume_download(
        viewer=request.user, public_id=public_id, organisation=organisation,
        template=request.GET.get("template", ""), ip=client_ip(request))
    return _file_response(downloaded)


@never_cache
@login_required
@require_GET
def recruiter_attachment_view(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """RES-2, RES-6: the seeker's uploaded file, watermarked, once contact details are
    released to the organisation; recorded and counted like a PDF download."""
    application, organisation = _context(request, public_id)
    try:
        downloaded = services.attachment_download(
            viewer=request.user, public_id=public_id, organisation=organisation,
            ip=client_ip(request))
    except ServiceError as exc:
        if exc.status in (404, 429):
            raise
        messages.error(request, exc.message)
        return redirect(_resume_url(public_id, application, organisation))
    return _file_response(downloaded)


def _file_response(downloaded: services.DownloadedResume) -> HttpResponse:
    response = HttpResponse(downloaded.data, content_type=downloaded.content_type)
    response["Content-Disposition"] = f'attachment; filename="{downloaded.filename}"'
    return response


@login_required
@require_POST
def contact_request_view(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    application, organisation = _context(request, public_id)
    try:
        services.contact_request_create(
            actor=request.user, public_id=public_id, organisation=organisation,
            posting=getattr(application, "posting", None))
    except ServiceError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已向求职者发出请求，对方同意后您将收到通知。"))
    return redirect(_resume_url(public_id, application, organisation))


# --- seeker ---------------------------------------------------------------------------------

@never_cache
@login_required
@require_GET
def consents_view(request: HttpRequest) -> HttpResponse:
    """PRIV-3: every consent with what it means, when it was given and withdrawn."""
    consents = selectors.consents_for(user=request.user)
    live = {c.purpose for c in consents if c.active and c.organisation_id is None}
    return render(request, "privacy/consents.html", {
        "rows": [(c, EXPLANATIONS[c.purpose]) for c in consents], "legal_basis": LEGAL_BASIS,
        "requests": selectors.contact_requests_for_seeker(user=request.user),
        "switchable": [(p, ConsentPurpose(p).label, EXPLANATIONS[p]) for p in SELF_SERVICE
                       if p not in live]})


@login_required
@require_POST
def consent_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    consent = services.consent_withdraw(user=request.user, consent_id=pk)
    messages.success(request, _("已撤回“%(purpose)s”的同意，即时生效。")
                     % {"purpose": consent.get_purpose_display()})
    return redirect("privacy:consents")


@login_required
@require_POST
def consent_grant_view(request: HttpRequest) -> HttpResponse:
    try:
        consent = services.consent_grant_self_service(user=request.user,
                                                      purpose=request.POST.get("purpose", ""))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已开启“%(purpose)s”。")
                         % {"purpose": consent.get_purpose_display()})
    return redirect("privacy:consents")


@login_required
@require_POST
def contact_request_answer_view(request: HttpRequest, pk: int, answer: str) -> HttpResponse:
    try:
        if answer == "accept":
            services.contact_request_accept(user=request.user, request_id=pk)
            messages.success(request, _("已同意提供联系方式，您可以随时撤回。"))
        else:
            services.contact_request_decline(user=request.user, request_id=pk)
            messages.success(request, _("已拒绝该请求。"))
    except ServiceError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
    return redirect(reverse("privacy:consents") + "#requests")


@never_cache
@login_required
@require_GET
def viewers_view(request: HttpRequest) -> HttpResponse:
    """RES-6: 「谁看过我」 — organisation, when, how, whether contact details were shown."""
    page = Paginator(selectors.resume_viewers(user=request.user), 30).get_page(
        request.GET.get("page"))
    rows = [(access, selectors.viewer_label(access)) for access in page]
    return render(request, "privacy/viewers.html", {"page": page, "rows": rows})


# --- staff ----------------------------------------------------------------------------------

COUNT_LABELS = {"today": _lazy("当日数量"), "median": _lazy("此前每日中位数"),
                "factor": _lazy("倍数阈值"), "days": _lazy("统计天数"),
                "count": _lazy("已用数量"), "limit": _lazy("上限")}


@staff_required("privacy.flags")
@require_GET
def flags_view(request: HttpRequest) -> HttpResponse:
    """RES-7: unusual résumé access for staff to review, with the evidence."""
    status = request.GET.get("status", FlagStatus.OPEN)
    page = Paginator(selectors.access_flags(status=status), 20).get_page(request.GET.get("page"))
    rows = [(flag,
             [(COUNT_LABELS.get(k, k), v) for k, v in flag.evidence.get("counts", {}).items()],
             FlagResolveForm(prefix=f"flag{flag.pk}") if flag.status == FlagStatus.OPEN else None)
            for flag in page]
    return render(request, "privacy/staff_flags.html", {
        "page": page, "rows": rows, "status": status, "statuses": FlagStatus.choices})


@staff_required("privacy.flags")
@require_POST
def flag_resolve_view(request: HttpRequest, pk: int) -> HttpResponse:
    form = FlagResolveForm(request.POST, prefix=f"flag{pk}")
    if not form.is_valid():
        messages.error(request, _("请选择处理结论并写明处理说明。"))
        return redirect("privacy:flags")
    try:
        services.flag_resolve(actor=request.user, flag_id=pk, **form.cleaned_data)
    except ServiceError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("预警已处理。"))
    return redirect("privacy:flags")


@staff_required("privacy.inventory")
@require_GET
def inventory_view(request: HttpRequest) -> HttpResponse:
    """PRIV-1: the personal-information inventory (DB4401 7.3.5)."""
    # Grouped under the modules' Chinese names; the regulator reads the inventory without the
    # developers' field names (issue 15), the platform's own staff see them as code.
    groups = [(apps.get_app_config(label).verbose_name, items)
              for label, items in inventory.by_app()]
    return render(request, "privacy/staff_inventory.html", {
        "groups": groups, "findings": inventory.FINDINGS,
        "show_codes": request.user.role != Role.REGULATOR,
        "not_personal": sorted(inventory.NOT_PERSONAL.items()),
        "count": len(inventory.INVENTORY),
        "sensitive": sum(1 for i in inventory.INVENTORY if i.level == inventory.SENSITIVE)})
