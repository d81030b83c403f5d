"""Privacy endpoints: a recruiter's résumé read (RES-5, RES-6), contact requests, the seeker's
consents (PRIV-3) and access trail (RES-6). The same services and selectors as the pages."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status

from pinqiao.accounts.services import client_ip
from pinqiao.api.auth import user_auth
from pinqiao.api.params import Offset
from pinqiao.privacy import selectors, services
from pinqiao.privacy.models import AccessKind, Consent, ContactRequest, ResumeAccess
from pinqiao.privacy.wording import EXPLANATIONS

router = Router(tags=["个人信息保护"])


class OrganisationRef(Schema):
    id: int
    name: str


class ContactOut(Schema):
    released: bool
    phone: str
    email: str
    im: str


class ContactRequestOut(Schema):
    id: int
    organisation: OrganisationRef
    posting_title: str
    status: str
    created_at: datetime
    decided_at: datetime | None

    @staticmethod
    def resolve_posting_title(obj: ContactRequest) -> str:
        return obj.posting.title if obj.posting else ""


class AttachmentOut(Schema):
    kind: str
    original_name: str
    size: int
    uploaded_at: datetime
    text: str
    downloadable: bool


class RecruiterResumeOut(Schema):
    public_id: uuid.UUID
    organisation: OrganisationRef
    via: str
    full_name: str
    gender: str
    age: int | None
    contact: ContactOut
    fields: list[str]
    contact_request: ContactRequestOut | None
    attachment: AttachmentOut | None


class ConsentOut(Schema):
    id: int
    purpose: str
    purpose_label: str
    explanation: str
    organisation: OrganisationRef | None
    source: str
    wording: str
    granted_at: datetime
    withdrawn_at: datetime | None
    active: bool

    @staticmethod
    def resolve_purpose_label(obj: Consent) -> str:
        return str(obj.get_purpose_display())

    @staticmethod
    def resolve_explanation(obj: Consent) -> str:
        return str(EXPLANATIONS[obj.purpose])


class ConsentIn(Schema):
    purpose: str


class ViewerOut(Schema):
    organisation: OrganisationRef
    viewer: str
    at: datetime
    day: date
    kind: str
    contact_shown: bool


@router.get("/recruiter/resumes/{public_id}", response=RecruiterResumeOut, auth=user_auth,
            summary="招聘方查看简历（联系方式默认打码）")
def recruiter_resume(request: HttpRequest, public_id: uuid.UUID, organisation: int | None = None,
                     application: int | None = None) -> Any:
    if application is not None:
        organisation = selectors.application_for_resume(
            viewer=request.user, public_id=public_id, application_id=application).organisation_id
    opened = services.resume_open(viewer=request.user, public_id=public_id,
                                  kind=AccessKind.API, organisation=organisation,
                                  ip=client_ip(request))
    resume, attachment = opened.resume, opened.display.attachment
    return {"public_id": resume.public_id, "organisation": opened.organisation,
            "via": opened.grant.via, "full_name": resume.full_name, "gender": resume.gender,
            "age": resume.age, "contact": opened.contact, "fields": opened.access.fields,
            "contact_request": selectors.contact_request_latest(
                resume=resume, organisation=opened.organisation),
            "attachment": None if attachment is None else {
                "kind": attachment.kind, "original_name": attachment.original_name,
                "size": attachment.size, "uploaded_at": attachment.uploaded_at,
                "text": attachment.text, "downloadable": opened.contact.released}}


@router.get("/recruiter/resumes/{public_id}/pdf", auth=user_auth,
            summary="下载带水印的简历 PDF", response={200: None})
def recruiter_resume_pdf(request: HttpRequest, public_id: uuid.UUID,
                         organisation: int | None = None, application: int | None = None,
                         template: str = "") -> Any:
    if application is not None:
        organisation = selectors.application_for_resume(
            viewer=request.user, public_id=public_id, application_id=application).organisation_id
    downloaded = services.resume_download(viewer=request.user, public_id=public_id,
                                          organisation=organisation, template=template,
                                          ip=client_ip(request))
    return _file(downloaded)


@router.get("/recruiter/resumes/{public_id}/attachment", auth=user_auth,
            summary="下载带水印的附件简历原件（需求职者同意提供联系方式）", response={200: None})
def recruiter_resume_attachment(request: HttpRequest, public_id: uuid.UUID,
                                organisation: int | None = None,
                                application: int | None = None) -> Any:
    if application is not None:
        organisation = selectors.application_for_resume(
            viewer=request.user, public_id=public_id, application_id=application).organisation_id
    return _file(services.attachment_download(viewer=request.user, public_id=public_id,
                                              organisation=organisation,
                                              ip=client_ip(request)))


def _file(downloaded: services.DownloadedResume) -> HttpResponse:
    response = HttpResponse(downloaded.data, content_type=downloaded.content_type)
    response["Content-Disposition"] = f'attachment; filename="{downloaded.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@router.post("/recruiter/resumes/{public_id}/contact-requests",
             response={201: ContactRequestOut}, auth=user_auth, summary="请求求职者的联系方式")
def contact_request(request: HttpRequest, public_id: uuid.UUID,
                    organisation: int | None = None) -> Any:
    return Status(201, services.contact_request_create(actor=request.user, public_id=public_id,
                                                       organisation=organisation))


@router.get("/me/privacy/consents", response=list[ConsentOut], auth=user_auth,
            summary="我的同意记录")
def my_consents(request: HttpRequest) -> Any:
    return selectors.consents_for(user=request.user)


@router.post("/me/privacy/consents", response={201: ConsentOut}, auth=user_auth,
             summary="开启可选功能（个性化推荐、简历优化建议）")
def consent_grant(request: HttpRequest, payload: ConsentIn) -> Any:
    consent = services.consent_grant_self_service(user=request.user, purpose=payload.purpose)
    return Status(201, consent)


@router.post("/me/privacy/consents/{consent_id}/withdraw", response=ConsentOut,
             auth=user_auth, summary="撤回同意（即时生效）")
def consent_withdraw(request: HttpRequest, consent_id: int) -> Any:
    return services.consent_withdraw(user=request.user, consent_id=consent_id)


@router.get("/me/privacy/contact-requests", response=list[ContactRequestOut], auth=user_auth,
            summary="收到的联系方式请求")
def my_contact_requests(request: HttpRequest) -> Any:
    return selectors.contact_requests_for_seeker(user=request.user)


@router.post("/me/privacy/contact-requests/{request_id}/accept", response=ContactRequestOut,
             auth=user_auth, summary="同意提供联系方式")
def contact_request_accept(request: HttpRequest, request_id: int) -> Any:
    return services.contact_request_accept(user=request.user, request_id=request_id)


@router.post("/me/privacy/contact-requests/{request_id}/decline", response=ContactRequestOut,
             auth=user_auth, summary="拒绝提供联系方式")
def contact_request_decline(request: HttpRequest, request_id: int) -> Any:
    return services.contact_request_decline(user=request.user, request_id=request_id)


@router.get("/me/resume/viewers", response=list[ViewerOut], auth=user_auth,
            summary="谁看过我的简历")
def my_viewers(request: HttpRequest, limit: int = 50, offset: Offset = 0) -> Any:
    limit = max(1, min(limit, 200))
    rows: list[ResumeAccess] = list(
        selectors.resume_viewers(user=request.user)[max(offset, 0):max(offset, 0) + limit])
    return [{"organisation": a.organisation, "viewer": selectors.viewer_label(a), "at": a.at,
             "day": a.day, "kind": a.kind, "contact_shown": a.contact_shown} for a in rows]
