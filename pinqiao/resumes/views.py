"""The seeker's résumé pages under /me/resume/ (RES-1 … RES-4, MOD-8, PRIV-4).

Views are thin: parse input, call one service or selector, render. Files (PDF, photo,
attachment, JSON) are sent with ``Cache-Control: no-store``.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from pinqiao.core.audit import log_action
from pinqiao.core.errors import ServiceError
from pinqiao.core.forms import add_service_error
from pinqiao.core.permissions import Role, role_required
from pinqiao.resumes import selectors, services
from pinqiao.resumes.forms import (
    ENTRY_FORMS,
    AboutForm,
    AttachmentForm,
    BasicForm,
    ContactForm,
    IntentionForm,
    PhotoForm,
    TemplateForm,
    VisibilityForm,
)
from pinqiao.resumes.jsonresume import resume_json_export
from pinqiao.resumes.models import Attachment, Resume
from pinqiao.resumes.rendering import TEMPLATES, labels, resume_html, resume_pdf

seeker_required = role_required(Role.SEEKER)

PREVIEW_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
               "frame-ancestors 'self'; base-uri 'none'; form-action 'none'")


def file_response(data: bytes, content_type: str, filename: str, *,
                  inline: bool = False) -> HttpResponse:
    """A personal file: never cached, never sniffed, downloaded unless ``inline``."""
    response = HttpResponse(data, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _resume(request: HttpRequest) -> Resume:
    return services.resume_ensure(owner=request.user)


def _error_messages(request: HttpRequest, exc: ServiceError) -> None:
    messages.error(request, exc.message)


# --- overview ------------------------------------------------------------------------------

HINT_LINKS = {
    "basic": ("resumes:edit_basic", ()), "photo": ("resumes:edit_basic", ()),
    "contact": ("resumes:edit_contact", ()), "intention": ("resumes:edit_intention", ()),
    "about": ("resumes:edit_about", ()), "skills": ("resumes:edit_about", ()),
    "interests": ("resumes:edit_about", ()),
    "education": ("resumes:entry_new", ("education",)), "work": ("resumes:entry_new", ("work",)),
    "certificates": ("resumes:entry_new", ("certificate",)),
    "honours": ("resumes:entry_new", ("honour",)),
}


@seeker_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    resume = _resume(request)
    quality = selectors.resume_quality(actor=request.user, resume=resume)
    hints = [{"message": h.message, "points": h.points,
              "url": reverse(HINT_LINKS[h.section][0], args=HINT_LINKS[h.section][1])}
             for h in quality["hints"]]
    return render(request, "resumes/mine.html", {
        "resume": resume, "labels": labels(resume), "contact": selectors.masked_contact(resume),
        "quality": quality, "hints": hints,
        "attachment": Attachment.objects.filter(resume=resume).first(),
        "templates": TEMPLATES, "education": resume.education.all(), "work": resume.work.all(),
        "certificates": resume.certificates.all(), "honours": resume.honours.all(),
        "entry_kinds": services.ENTRY_KINDS})


@seeker_required
@require_POST
def submit(request: HttpRequest) -> HttpResponse:
    resume = services.resume_submit(actor=request.user, resume=_resume(request))
    notices = {
        "approved": _("简历已通过审核，可以投递职位了。"),
        "pending": _("简历已提交，正在人工审核，结果将通过站内信通知您。"),
        "needs_changes": _("简历需要修改，请查看下方的审核意见。"),
    }
    level = messages.SUCCESS if resume.review_status == "approved" else messages.WARNING
    messages.add_message(request, level, notices.get(resume.review_status, _("已提交。")))
    return redirect("resumes:mine")


# --- sections ------------------------------------------------------------------------------

def _section_saved(request: HttpRequest, resume: Resume) -> HttpResponse:
    if resume.review_status == "needs_changes":
        messages.warning(request, _("已保存，但简历仍需修改，请查看审核意见。"))
    elif resume.review_status == "pending":
        messages.info(request, _("已保存，修改的内容需要人工审核。"))
    else:
        messages.success(request, _("已保存。"))
    return redirect("resumes:mine")


@seeker_required
def edit_basic(request: HttpRequest) -> HttpResponse:
    resume = _resume(request)
    initial = {"full_name": resume.full_name, "gender": resume.gender,
               "birth_date": resume.birth_date.isoformat() if resume.birth_date else ""}
    form = BasicForm(request.POST or None, initial=initial)
    photo_form = PhotoForm()
    if request.method == "POST" and form.is_valid():
        try:
            resume = services.resume_update(actor=request.user, resume=resume,
                                            data=form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            return _section_saved(request, resume)
    return render(request, "resumes/edit_basic.html",
                  {"form": form, "photo_form": photo_form, "resume": resume})


@seeker_required
@require_POST
def photo_upload(request: HttpRequest) -> HttpResponse:
    resume = _resume(request)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.photo_set(actor=request.user, resume=resume,
                               upload=form.cleaned_data["photo"])
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("照片已更新。"))
            return redirect("resumes:edit_basic")
    initial = {"full_name": resume.full_name, "gender": resume.gender,
               "birth_date": resume.birth_date.isoformat() if resume.birth_date else ""}
    return render(request, "resumes/edit_basic.html",
                  {"form": BasicForm(initial=initial), "photo_form": form, "resume": resume},
                  status=400)


@seeker_required
@require_POST
def photo_remove(request: HttpRequest) -> HttpResponse:
    services.photo_remove(actor=request.user, resume=_resume(request))
    messages.success(request, _("照片已删除。"))
    return redirect("resumes:edit_basic")


@seeker_required
@require_GET
def photo(request: HttpRequest) -> HttpResponse:
    data = selectors.photo_for_owner(actor=request.user, resume=_resume(request))
    return file_response(data, "image/jpeg", "photo.jpg", inline=True)


@seeker_required
def edit_contact(request: HttpRequest) -> HttpResponse:
    resume = _resume(request)
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_valid():
            try:
                resume = services.resume_contact_set(actor=request.user, resume=resume,
                                                     **form.cleaned_data)
            except ServiceError as exc:
                add_service_error(form, exc)
            else:
                return _section_saved(request, resume)
    else:
        contact = selectors.resume_contact_for_owner(actor=request.user, resume=resume,
                                                     reason="owner_edit")
        form = ContactForm(initial={"phone": contact.phone, "email": contact.email,
                                    "im": contact.im})
    return render(request, "resumes/edit_section.html", {
        "form": form, "title": _("联系方式"),
        "note": _("联系方式加密保存。招聘方只能看到打码后的号码，"
                  "在您投递时或同意对方的联系请求后才能看到完整信息。")})


def _simple_section(request: HttpRequest, form_class: type, fields: tuple[str, ...],
                    title: str, template: str = "resumes/edit_section.html") -> HttpResponse:
    resume = _resume(request)
    initial = {f: getattr(resume, f) for f in fields}
    initial = {k: ("" if v is None else v) for k, v in initial.items()}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.service_data() if hasattr(form, "service_data") else form.cleaned_data
        try:
            resume = services.resume_update(actor=request.user, resume=resume, data=data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            return _section_saved(request, resume)
    return render(request, template, {"form": form, "title": title})


@seeker_required
def edit_intention(request: HttpRequest) -> HttpResponse:
    return _simple_section(request, IntentionForm, services.INTENTION, _("求职意向"))


@seeker_required
def edit_about(request: HttpRequest) -> HttpResponse:
    return _simple_section(request, AboutForm, services.ABOUT, _("自我介绍与技能"))


# --- entries -------------------------------------------------------------------------------

def _entry_kind(kind: str) -> services.EntryKind:
    if kind not in services.ENTRY_KINDS:
        raise Http404
    return services.ENTRY_KINDS[kind]


def _entry_initial(entry: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    initial = {}
    for field in fields:
        value = getattr(entry, field)
        if field in ("start_date", "end_date", "obtained_on", "awarded_on"):
            value = value.strftime("%Y-%m") if value else ""
        initial[field] = value
    return initial


@seeker_required
def entry_edit(request: HttpRequest, kind: str, entry_id: int | None = None) -> HttpResponse:
    spec = _entry_kind(kind)
    resume = _resume(request)
    entry = services.entry_get(actor=request.user, resume=resume, kind=kind,
                               entry_id=entry_id) if entry_id else None
    initial = _entry_initial(entry, spec.fields) if entry else {}
    form = ENTRY_FORMS[kind](request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if entry is None:
                services.entry_add(actor=request.user, resume=resume, kind=kind,
                                   data=form.cleaned_data)
            else:
                services.entry_update(actor=request.user, resume=resume, kind=kind,
                                      entry_id=entry.pk, data=form.cleaned_data)
        except ServiceError as exc:
            if exc.status == 404:
                raise
            add_service_error(form, exc)
        else:
            return _section_saved(request, Resume.objects.get(pk=resume.pk))
    title = (_("编辑%(s)s") if entry else _("添加%(s)s")) % {"s": spec.label}
    return render(request, "resumes/edit_section.html",
                  {"form": form, "title": title, "entry": entry, "kind": kind})


@seeker_required
@require_POST
def entry_delete(request: HttpRequest, kind: str, entry_id: int) -> HttpResponse:
    _entry_kind(kind)
    resume = _resume(request)
    services.entry_delete(actor=request.user, resume=resume, kind=kind, entry_id=entry_id)
    messages.success(request, _("已删除。"))
    return redirect("resumes:mine")


@seeker_required
@require_POST
def entry_move(request: HttpRequest, kind: str, entry_id: int, direction: str) -> HttpResponse:
    _entry_kind(kind)
    services.entry_move(actor=request.user, resume=_resume(request), kind=kind,
                        entry_id=entry_id, direction=direction)
    return redirect(reverse("resumes:mine") + f"#section-{kind}")


# --- template, preview, PDF ----------------------------------------------------------------

@seeker_required
def template_choose(request: HttpRequest) -> HttpResponse:
    resume = _resume(request)
    if request.method == "POST":
        form = TemplateForm(request.POST)
        if form.is_valid():
            services.template_set(actor=request.user, resume=resume,
                                  template=form.cleaned_data["template"])
            messages.success(request, _("已选用“%(t)s”模板。") % {
                "t": TEMPLATES[form.cleaned_data["template"]]})
            return redirect("resumes:template")
    shown = request.GET.get("template", resume.template)
    shown = shown if shown in TEMPLATES else resume.template
    form = TemplateForm(initial={"template": shown})
    return render(request, "resumes/template.html",
                  {"form": form, "resume": resume, "shown": shown, "shown_label": TEMPLATES[shown],
                   "templates": TEMPLATES})


@seeker_required
@require_GET
@xframe_options_sameorigin
def preview(request: HttpRequest, template: str) -> HttpResponse:
    """The résumé in ``template`` with masked contact details (no decryption for a preview)."""
    if template not in TEMPLATES:
        raise Http404
    resume = _resume(request)
    response = HttpResponse(resume_html(resume, template=template,
                                        contact=selectors.masked_contact(resume)))
    response["Content-Security-Policy"] = PREVIEW_CSP
    response["Cache-Control"] = "no-store"
    return response


@seeker_required
@require_GET
def pdf(request: HttpRequest) -> HttpResponse:
    """The owner's own PDF with full contact details (the decryption is audited)."""
    resume = _resume(request)
    template = request.GET.get("template") or resume.template
    if template not in TEMPLATES:
        raise Http404
    contact = selectors.resume_contact_for_owner(actor=request.user, resume=resume,
                                                 reason="owner_pdf")
    data = resume_pdf(resume, template=template, contact=contact)
    log_action(request.user, "resume.pdf_download", resume, {"template": template})
    return file_response(data, "application/pdf", f"简历-{TEMPLATES[template]}.pdf")


# --- attachment ----------------------------------------------------------------------------

@seeker_required
def attachment(request: HttpRequest) -> HttpResponse:
    resume = _resume(request)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.attachment_upload(actor=request.user, resume=resume,
                                       upload=form.cleaned_data["file"])
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("附件简历已上传，文字已提取。"))
            return redirect("resumes:attachment")
    current = Attachment.objects.filter(resume=resume).first()
    status = 400 if request.method == "POST" else 200
    return render(request, "resumes/attachment.html",
                  {"form": form, "attachment": current, "resume": resume}, status=status)


@seeker_required
@require_GET
def attachment_file(request: HttpRequest) -> HttpResponse:
    record, data = selectors.attachment_for_owner(actor=request.user, resume=_resume(request))
    content_type = ("application/pdf" if record.kind == "pdf" else
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    return file_response(data, content_type, record.original_name)


@seeker_required
@require_POST
def attachment_remove(request: HttpRequest) -> HttpResponse:
    services.attachment_remove(actor=request.user, resume=_resume(request))
    messages.success(request, _("附件简历已删除。"))
    return redirect("resumes:attachment")


# --- settings (RES-4, RES-3) and export (PRIV-4) -------------------------------------------

@seeker_required
def settings_view(request: HttpRequest) -> HttpResponse:
    resume = _resume(request)
    form = VisibilityForm(request.POST or None, initial={
        "visibility": resume.visibility,
        "suggestions": selectors.suggestions_enabled(request.user)})
    if request.method == "POST" and form.is_valid():
        try:
            services.visibility_set(actor=request.user, resume=resume,
                                    visibility=form.cleaned_data["visibility"])
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            services.suggestions_consent_set(actor=request.user,
                                             enabled=form.cleaned_data["suggestions"])
            messages.success(request, _("设置已保存。"))
            return redirect("resumes:settings")
    q = request.GET.get("q", "").strip()[:40]
    blocked = selectors.blocked_list(actor=request.user, resume=resume)
    blocked_ids = {b.organisation_id for b in blocked}
    return render(request, "resumes/settings.html", {
        "form": form, "resume": resume, "blocked": blocked, "q": q,
        "results": [o for o in selectors.organisations_search(q=q) if o.pk not in blocked_ids]
        if q else None})


@seeker_required
@require_POST
def block_add(request: HttpRequest) -> HttpResponse:
    try:
        organisation_id = int(request.POST.get("organisation", ""))
    except ValueError:
        organisation_id = 0
    try:
        block = services.block_add(actor=request.user, resume=_resume(request),
                                   organisation_id=organisation_id)
    except ServiceError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, _("已屏蔽“%(o)s”，该单位将看不到您的简历。") % {
            "o": block.organisation.name})
    return redirect("resumes:settings")


@seeker_required
@require_POST
def block_remove(request: HttpRequest, block_id: int) -> HttpResponse:
    services.block_remove(actor=request.user, resume=_resume(request), block_id=block_id)
    messages.success(request, _("已取消屏蔽。"))
    return redirect("resumes:settings")


@seeker_required
@require_GET
def export_json(request: HttpRequest) -> HttpResponse:
    """PRIV-4: my résumé as JSON Resume (v1.0.0), with contact details; audited."""
    try:
        data = resume_json_export(actor=request.user, resume=_resume(request))
    except ServiceError as exc:  # PRIV-9: the destination is not listed
        messages.error(request, exc.message)
        return redirect("resumes:settings")
    body = json.dumps(data, ensure_ascii=False, indent=2).encode()
    return file_response(body, "application/json; charset=utf-8", "resume.json")
