"""The seeker's résumé API under /api/v1/me/resume (RES-1 … RES-4, MOD-8, PRIV-4).

Owner only: every route works on the caller's own résumé; another user's entry or block is
"not found" and the attempt is audited. Contact details are masked in every answer except
``GET /me/resume/contact`` and the JSON Resume export, which decrypt them with an audit entry.
Errors follow ``{"error": {"code", "message", "fields"}}``.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status, UploadedFile

from pinqiao.api.auth import user_auth
from pinqiao.core.audit import log_action
from pinqiao.core.errors import NotFound, NotPermitted, ServiceError
from pinqiao.core.permissions import Role
from pinqiao.resumes import selectors, services
from pinqiao.resumes.jsonresume import resume_json_export
from pinqiao.resumes.models import Attachment, Resume
from pinqiao.resumes.rendering import TEMPLATES, labels, resume_pdf
from pinqiao.resumes.views import file_response

router = Router(tags=["简历"], auth=user_auth)


class ResumeContactOut(Schema):
    phone: str
    email: str
    im: str


class ReasonOut(Schema):
    code: str
    message: str
    words: list[str] = []
    sections: list[str] = []
    notes: list[str] = []
    field: str = ""


class ResumeAttachmentOut(Schema):
    kind: str
    original_name: str
    size: int
    uploaded_at: datetime


class ResumeOut(Schema):
    public_id: str
    full_name: str
    gender: str
    birth_date: date | None
    age: int | None
    has_photo: bool
    desired_function: str
    desired_industry: str
    desired_city: str
    desired_employment_type: str
    desired_pay_min: Decimal | None
    desired_pay_max: Decimal | None
    labels: dict[str, str]
    self_introduction: str
    skills: str
    interests: str
    contact: ResumeContactOut
    template: str
    visibility: str
    review_status: str
    review_reasons: list[ReasonOut]
    submitted_at: datetime | None
    reviewed_at: datetime | None
    updated_at: datetime
    attachment: ResumeAttachmentOut | None
    education: list[dict[str, Any]]
    work: list[dict[str, Any]]
    certificates: list[dict[str, Any]]
    honours: list[dict[str, Any]]

    @staticmethod
    def resolve_public_id(obj: Resume) -> str:
        return str(obj.public_id)

    @staticmethod
    def resolve_has_photo(obj: Resume) -> bool:
        return bool(obj.photo)

    @staticmethod
    def resolve_labels(obj: Resume) -> dict[str, str]:
        return labels(obj)

    @staticmethod
    def resolve_contact(obj: Resume) -> dict[str, str]:
        masked = selectors.masked_contact(obj)
        return {"phone": masked.phone, "email": masked.email, "im": masked.im}

    @staticmethod
    def resolve_attachment(obj: Resume) -> Attachment | None:
        return Attachment.objects.filter(resume=obj).first()

    @staticmethod
    def resolve_education(obj: Resume) -> list[dict[str, Any]]:
        return [entry_dict("education", e) for e in obj.education.all()]

    @staticmethod
    def resolve_work(obj: Resume) -> list[dict[str, Any]]:
        return [entry_dict("work", e) for e in obj.work.all()]

    @staticmethod
    def resolve_certificates(obj: Resume) -> list[dict[str, Any]]:
        return [entry_dict("certificate", e) for e in obj.certificates.all()]

    @staticmethod
    def resolve_honours(obj: Resume) -> list[dict[str, Any]]:
        return [entry_dict("honour", e) for e in obj.honours.all()]


class ResumeIn(Schema):
    full_name: str | None = None
    gender: str | None = None
    birth_date: str | None = None
    desired_function: str | None = None
    desired_industry: str | None = None
    desired_city: str | None = None
    desired_employment_type: str | None = None
    desired_pay_min: str | None = None
    desired_pay_max: str | None = None
    self_introduction: str | None = None
    skills: str | None = None
    interests: str | None = None


class ContactIn(Schema):
    phone: str = ""
    email: str = ""
    im: str = ""


class EntryIn(Schema):
    """Fields of every section; each section takes its own (see the section's page)."""

    school: str | None = None
    major: str | None = None
    degree: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    description: str | None = None
    company: str | None = None
    title: str | None = None
    achievements: str | None = None
    name: str | None = None
    issuer: str | None = None
    obtained_on: str | None = None
    awarder: str | None = None
    awarded_on: str | None = None
    summary: str | None = None


class MoveIn(Schema):
    direction: str


class ResumeTemplateIn(Schema):
    template: str


class HintOut(Schema):
    section: str
    message: str
    points: int


class QualityOut(Schema):
    score: int
    hints: list[HintOut]
    missing: dict[str, str]
    suggestions_enabled: bool
    wording: list[HintOut] | None


class ResumeSettingsIn(Schema):
    visibility: str | None = None
    suggestions: bool | None = None
    hide_employer: bool | None = None


class ResumeSettingsOut(Schema):
    visibility: str
    suggestions: bool
    hide_employer: bool


class BlockIn(Schema):
    organisation_id: int


class BlockOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str
    created_at: datetime

    @staticmethod
    def resolve_organisation_name(obj: Any) -> str:
        return obj.organisation.name


class ResumeOrganisationOut(Schema):
    id: int
    name: str


def entry_dict(kind: str, entry: Any) -> dict[str, Any]:
    spec = services.ENTRY_KINDS[kind]
    data: dict[str, Any] = {"id": entry.pk, "kind": kind, "position": entry.position}
    for field in spec.fields:
        value = getattr(entry, field)
        data[field] = value.isoformat() if isinstance(value, date) else value
    return data


def _resume(request: HttpRequest) -> Resume:
    if request.auth.role != Role.SEEKER:
        raise NotPermitted(_("只有求职者可以管理简历。"))
    return services.resume_ensure(owner=request.auth)


# --- résumé --------------------------------------------------------------------------------

@router.get("/me/resume", response=ResumeOut, summary="我的简历")
def resume_get(request: HttpRequest) -> object:
    return _resume(request)


@router.patch("/me/resume", response=ResumeOut, summary="修改基本信息、求职意向、自我介绍")
def resume_patch(request: HttpRequest, payload: ResumeIn) -> object:
    resume = _resume(request)
    return services.resume_update(actor=request.auth, resume=resume,
                                  data=payload.dict(exclude_unset=True))


@router.get("/me/resume/contact", response=ResumeContactOut, summary="我的完整联系方式（记录审计）")
def contact_get(request: HttpRequest) -> object:
    return selectors.resume_contact_for_owner(actor=request.auth, resume=_resume(request),
                                              reason="owner_api")


@router.put("/me/resume/contact", response=ResumeOut, summary="设置联系方式（加密保存）")
def contact_put(request: HttpRequest, payload: ContactIn) -> object:
    return services.resume_contact_set(actor=request.auth, resume=_resume(request),
                                       **payload.dict())


@router.put("/me/resume/template", response=ResumeOut, summary="选择简历模板")
def template_put(request: HttpRequest, payload: ResumeTemplateIn) -> object:
    return services.template_set(actor=request.auth, resume=_resume(request),
                                 template=payload.template)


@router.get("/me/resume/quality", response=QualityOut, summary="完整度与优化建议")
def quality_get(request: HttpRequest) -> object:
    return selectors.resume_quality(actor=request.auth, resume=_resume(request))


@router.post("/me/resume/submit", response=ResumeOut, summary="提交审核")
def submit(request: HttpRequest) -> object:
    return services.resume_submit(actor=request.auth, resume=_resume(request))


@router.get("/me/resume/pdf", summary="下载我的简历 PDF（含完整联系方式）")
def pdf(request: HttpRequest, template: str = "") -> HttpResponse:
    resume = _resume(request)
    template = template or resume.template
    if template not in TEMPLATES:
        raise ServiceError("invalid_template", _("没有这个简历模板。"),
                           fields={"template": [_("可选：%(t)s") % {"t": "、".join(TEMPLATES)}]})
    contact = selectors.resume_contact_for_owner(actor=request.auth, resume=resume,
                                                 reason="owner_pdf")
    data = resume_pdf(resume, template=template, contact=contact)
    log_action(request.auth, "resume.pdf_download", resume, {"template": template})
    return file_response(data, "application/pdf", f"简历-{TEMPLATES[template]}.pdf")


@router.get("/me/resume/export", summary="导出 JSON Resume（含完整联系方式，记录审计）")
def export(request: HttpRequest) -> HttpResponse:
    data = resume_json_export(actor=request.auth, resume=_resume(request))
    body = json.dumps(data, ensure_ascii=False, indent=2).encode()
    return file_response(body, "application/json; charset=utf-8", "resume.json")


# --- photo and attachment ------------------------------------------------------------------

@router.get("/me/resume/photo", summary="我的照片")
def photo_get(request: HttpRequest) -> HttpResponse:
    data = selectors.photo_for_owner(actor=request.auth, resume=_resume(request))
    return file_response(data, "image/jpeg", "photo.jpg", inline=True)


@router.post("/me/resume/photo", response=ResumeOut, summary="上传照片（JPEG/PNG，≤5 MB）")
def photo_post(request: HttpRequest, file: File[UploadedFile]) -> object:
    return services.photo_set(actor=request.auth, resume=_resume(request), upload=file)


@router.delete("/me/resume/photo", response={204: None}, summary="删除照片")
def photo_delete(request: HttpRequest) -> object:
    services.photo_remove(actor=request.auth, resume=_resume(request))
    return Status(204, None)


@router.get("/me/resume/attachment", response=ResumeAttachmentOut, summary="附件简历信息")
def attachment_get(request: HttpRequest) -> object:
    attachment = Attachment.objects.filter(resume=_resume(request)).first()
    if attachment is None:
        raise NotFound(_("还没有上传附件简历。"))
    return attachment


@router.get("/me/resume/attachment/file", summary="下载附件简历")
def attachment_file(request: HttpRequest) -> HttpResponse:
    record, data = selectors.attachment_for_owner(actor=request.auth, resume=_resume(request))
    content_type = ("application/pdf" if record.kind == "pdf" else
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    return file_response(data, content_type, record.original_name)


@router.post("/me/resume/attachment", response={201: ResumeAttachmentOut},
             summary="上传附件简历（PDF/DOCX，≤10 MB）")
def attachment_post(request: HttpRequest, file: File[UploadedFile]) -> object:
    return Status(201, services.attachment_upload(actor=request.auth, resume=_resume(request),
                                                  upload=file))


@router.delete("/me/resume/attachment", response={204: None}, summary="删除附件简历")
def attachment_delete(request: HttpRequest) -> object:
    services.attachment_remove(actor=request.auth, resume=_resume(request))
    return Status(204, None)


# --- settings (RES-4, RES-3) ---------------------------------------------------------------

def _settings(resume: Resume, user: Any) -> dict[str, Any]:
    return {"visibility": resume.visibility, "hide_employer": resume.hide_employer,
            "suggestions": selectors.suggestions_enabled(user)}


@router.get("/me/resume/settings", response=ResumeSettingsOut, summary="公开范围与优化建议开关")
def settings_get(request: HttpRequest) -> object:
    return _settings(_resume(request), request.auth)


@router.put("/me/resume/settings", response=ResumeSettingsOut, summary="修改公开范围与优化建议开关")
def settings_put(request: HttpRequest, payload: ResumeSettingsIn) -> object:
    resume = _resume(request)
    if payload.visibility is not None:
        resume = services.visibility_set(actor=request.auth, resume=resume,
                                         visibility=payload.visibility)
    if payload.suggestions is not None:
        services.suggestions_consent_set(actor=request.auth, enabled=payload.suggestions)
    if payload.hide_employer is not None:
        resume = services.employer_hidden_set(actor=request.auth, resume=resume,
                                              hidden=payload.hide_employer)
    return _settings(resume, request.auth)


@router.get("/me/resume/blocked", response=list[BlockOut], summary="屏蔽的单位")
def blocked_list(request: HttpRequest) -> object:
    return selectors.blocked_list(actor=request.auth, resume=_resume(request))


@router.post("/me/resume/blocked", response={201: BlockOut}, summary="屏蔽一个已认证单位")
def blocked_add(request: HttpRequest, payload: BlockIn) -> object:
    return Status(201, services.block_add(actor=request.auth, resume=_resume(request),
                                          organisation_id=payload.organisation_id))


@router.delete("/me/resume/blocked/{block_id}", response={204: None}, summary="取消屏蔽")
def blocked_remove(request: HttpRequest, block_id: int) -> object:
    services.block_remove(actor=request.auth, resume=_resume(request), block_id=block_id)
    return Status(204, None)


@router.get("/me/resume/organisations", response=list[ResumeOrganisationOut],
            summary="按名称搜索已认证单位（用于屏蔽）")
def organisations(request: HttpRequest, q: str = "") -> object:
    _resume(request)
    return selectors.organisations_search(q=q)


# --- entries -------------------------------------------------------------------------------

@router.post("/me/resume/entries/{kind}", response={201: dict[str, Any]},
             summary="添加教育/工作/证书/荣誉（kind: education, work, certificate, honour）")
def entry_add(request: HttpRequest, kind: str, payload: EntryIn) -> object:
    entry = services.entry_add(actor=request.auth, resume=_resume(request), kind=kind,
                               data=payload.dict(exclude_unset=True))
    return Status(201, entry_dict(kind, entry))


@router.patch("/me/resume/entries/{kind}/{entry_id}", response=dict[str, Any],
              summary="修改一条经历")
def entry_update(request: HttpRequest, kind: str, entry_id: int, payload: EntryIn) -> object:
    entry = services.entry_update(actor=request.auth, resume=_resume(request), kind=kind,
                                  entry_id=entry_id, data=payload.dict(exclude_unset=True))
    return entry_dict(kind, entry)


@router.delete("/me/resume/entries/{kind}/{entry_id}", response={204: None},
               summary="删除一条经历")
def entry_delete(request: HttpRequest, kind: str, entry_id: int) -> object:
    services.entry_delete(actor=request.auth, resume=_resume(request), kind=kind,
                          entry_id=entry_id)
    return Status(204, None)


@router.post("/me/resume/entries/{kind}/{entry_id}/move", response=list[dict[str, Any]],
             summary="上移或下移（direction: up, down）")
def entry_move(request: HttpRequest, kind: str, entry_id: int, payload: MoveIn) -> object:
    resume = _resume(request)
    services.entry_move(actor=request.auth, resume=resume, kind=kind, entry_id=entry_id,
                        direction=payload.direction)
    model = services.ENTRY_KINDS[kind].model
    return [entry_dict(kind, e) for e in model.objects.filter(resume=resume)]
