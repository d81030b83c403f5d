"""Organisation endpoints (ORG-1, ORG-5, ORG-6, ORG-11, DISC-3, DISC-4): the same services as
the pages; every refusal is ``{"error": {"code", "message", "fields"}}``."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status, UploadedFile

from pinqiao.accounts.services import client_ip
from pinqiao.api.auth import user_auth
from pinqiao.core.errors import NotFound
from pinqiao.orgs import brochures, selectors, services
from pinqiao.orgs.models import Brochure, ClientAuthorisation, OrgKind

router = Router(tags=["单位"])
OPTIONAL_FILE = File(None)


class OrganisationOut(Schema):
    id: int
    name: str
    credit_code: str
    kind: str
    status: str
    status_reason: str
    industry: str
    verified_at: datetime | None
    next_review_due: datetime | None
    charges_seekers: bool
    seeker_fee_description: str


class RegisterIn(Schema):
    name: str
    credit_code: str
    kind: str
    industry: str
    address: str
    contact_name: str
    contact_phone: str
    founded_on: date | None = None
    introduction: str = ""
    contact_email: str = ""
    website: str = ""
    responsible_name: str
    responsible_id_number: str
    business_licence_number: str
    business_licence_authority: str
    business_licence_valid_until: date | None = None
    hr_licence_number: str = ""
    hr_licence_authority: str = ""
    hr_licence_scope: str = ""
    hr_licence_valid_until: date | None = None
    dispatch_licence_number: str = ""
    dispatch_licence_authority: str = ""
    dispatch_licence_valid_until: date | None = None
    charges_seekers: bool = False
    seeker_fee_description: str = ""
    pledge_signed: bool = False
    agreement_version: str = ""


ORG_FIELDS = ("name", "credit_code", "kind", "industry", "address", "contact_name",
              "contact_phone", "founded_on", "introduction", "contact_email", "website")


@router.get("/orgs/mine", auth=user_auth, response=list[OrganisationOut], summary="我的单位")
def mine(request: HttpRequest) -> object:
    return list(selectors.organisations_for_user(user=request.auth))


@router.post("/orgs", auth=user_auth, response={201: OrganisationOut}, summary="登记单位（ORG-1）")
def register(request: HttpRequest, payload: Form[RegisterIn],
             business_licence: File[UploadedFile], id_proof: File[UploadedFile],
             authorisation_letter: File[UploadedFile],
             hr_licence: UploadedFile | None = OPTIONAL_FILE,
             dispatch_licence: UploadedFile | None = OPTIONAL_FILE) -> object:
    """All wizard steps in one request: nothing is saved unless every check passes."""
    values = payload.dict()
    data = services.OrganisationInput(**{k: values.pop(k) for k in ORG_FIELDS})
    pledge = values.pop("pledge_signed")
    version = values.pop("agreement_version")
    materials = services.MaterialsInput(**values, files={
        "business_licence": business_licence, "id_proof": id_proof,
        "authorisation_letter": authorisation_letter, "hr_licence": hr_licence,
        "dispatch_licence": dispatch_licence})
    device = services.device_fingerprint(request.headers.get("X-Device-Id", ""))
    client = services.client_fingerprint(
        ip=client_ip(request), user_agent=request.headers.get("User-Agent", ""),
        accept_language=request.headers.get("Accept-Language", ""))
    org = services.organisation_register(actor=request.auth, data=data, materials=materials,
                                         pledge_signed=pledge, agreement_version=version,
                                         device=device, client=client, ip=client_ip(request))
    return Status(201, org)


class PanelOut(Schema):
    subject: str
    credit_code: str
    licence_no: str
    licence_authority: str
    licence_valid_until: date | None
    credit_score: int
    credit_grade: str
    violations: str
    complaint_hotline: str


class PublicOut(Schema):
    id: int
    name: str
    kind: str
    status: str
    introduction: str
    highlights: str
    benefits: str
    address: str
    credit_score: int
    charges_seekers: bool
    seeker_fee_description: str
    panel: PanelOut | None


@router.get("/orgs/{org_id}/public", response=PublicOut, summary="单位公开信息（ORG-11, DISC-3）")
def public(request: HttpRequest, org_id: int) -> object:
    org = selectors.public_organisation_get(organisation_id=org_id)
    panel = selectors.licence_panel_for_organisation(org) if org.kind == OrgKind.AGENCY else None
    return {**{f: getattr(org, f) for f in ("id", "name", "kind", "status", "introduction",
                                             "highlights", "benefits", "address",
                                             "charges_seekers", "seeker_fee_description")},
            "credit_score": selectors.credit_record(org).score,
            "panel": panel.__dict__ if panel else None}


class ProfileIn(Schema):
    """Only the fields sent are changed (ORG-11; DISC-4 for agencies)."""

    introduction: str | None = None
    highlights: str | None = None
    benefits: str | None = None
    team: str | None = None
    website: str | None = None
    charges_seekers: bool | None = None
    seeker_fee_description: str | None = None


class ProfileOut(Schema):
    id: int
    introduction: str
    highlights: str
    benefits: str
    team: str
    website: str
    charges_seekers: bool
    seeker_fee_description: str


@router.patch("/orgs/{org_id}/profile", auth=user_auth, response=ProfileOut,
              summary="编辑单位主页（ORG-11、DISC-4；保存前审核，MOD-1）")
def profile_patch(request: HttpRequest, org_id: int, payload: ProfileIn) -> object:
    """Every text is screened before it is saved: a refusal is ``content_refused`` with the
    words per field in ``fields`` and the evidence (offsets into the submitted text) in
    ``details.screening``."""
    org = selectors.organisation_for_owner(user=request.auth, organisation_id=org_id)
    changes = payload.dict(exclude_none=True)
    org = services.organisation_profile_update(actor=request.auth, organisation=org,
                                               changes=changes)
    return {f: getattr(org, f) for f in ("id", "introduction", "highlights", "benefits", "team",
                                         "website", "charges_seekers",
                                         "seeker_fee_description")}


class MemberIn(Schema):
    phone: str
    can_post_jobs: bool = False
    can_view_resumes: bool = False
    can_chat: bool = False
    can_manage_booths: bool = False


class PermsIn(Schema):
    can_post_jobs: bool = False
    can_view_resumes: bool = False
    can_chat: bool = False
    can_manage_booths: bool = False


class MemberOut(Schema):
    id: int
    username: str
    role: str
    can_post_jobs: bool
    can_view_resumes: bool
    can_chat: bool
    can_manage_booths: bool


def _member_out(m: object) -> dict:
    return {"id": m.pk, "username": m.user.username, "role": m.role,
            **{name: getattr(m, name) for name in m.PERM_FIELDS}}


@router.get("/orgs/{org_id}/members", auth=user_auth, response=list[MemberOut],
            summary="成员列表（ORG-6）")
def members(request: HttpRequest, org_id: int) -> object:
    org = selectors.organisation_for_owner(user=request.auth, organisation_id=org_id)
    return [_member_out(m) for m in org.memberships.select_related("user")]


@router.post("/orgs/{org_id}/members", auth=user_auth, response={201: MemberOut},
             summary="按手机号邀请成员（ORG-6）")
def member_add(request: HttpRequest, org_id: int, payload: MemberIn) -> object:
    org = selectors.organisation_for_owner(user=request.auth, organisation_id=org_id)
    data = payload.dict()
    m = services.member_invite(actor=request.auth, organisation=org, phone=data.pop("phone"),
                               perms=data)
    return Status(201, _member_out(m))


@router.patch("/orgs/{org_id}/members/{member_id}", auth=user_auth, response=MemberOut,
              summary="设置成员权限（ORG-6）")
def member_patch(request: HttpRequest, org_id: int, member_id: int, payload: PermsIn) -> object:
    org = selectors.organisation_for_owner(user=request.auth, organisation_id=org_id)
    membership = org.memberships.filter(pk=member_id).first()
    if membership is None:
        raise NotFound("成员不存在。")
    return _member_out(services.member_update(actor=request.auth, membership=membership,
                                              perms=payload.dict()))


@router.delete("/orgs/{org_id}/members/{member_id}", auth=user_auth, response={204: None},
               summary="移除成员（ORG-6）")
def member_delete(request: HttpRequest, org_id: int, member_id: int) -> object:
    org = selectors.organisation_for_owner(user=request.auth, organisation_id=org_id)
    membership = org.memberships.filter(pk=member_id).first()
    if membership is None:
        raise NotFound("成员不存在。")
    services.member_remove(actor=request.auth, membership=membership)
    return Status(204, None)


class ClientIn(Schema):
    client_name: str
    client_credit_code: str
    valid_from: date
    valid_until: date
    scope: str = ""


class ClientOut(Schema):
    id: int
    client_name: str
    client_credit_code: str
    valid_from: date
    valid_until: date
    status: str


@router.post("/orgs/{org_id}/clients", auth=user_auth, response={201: ClientOut},
             summary="登记委托单位及委托证明（ORG-5）")
def client_add(request: HttpRequest, org_id: int, payload: Form[ClientIn],
               file: File[UploadedFile]) -> object:
    org = selectors.organisation_for_owner(user=request.auth, organisation_id=org_id)
    return Status(201, services.client_authorisation_add(actor=request.auth, organisation=org,
                                                         upload=file, **payload.dict()))


class PermissionOut(Schema):
    allowed: bool


@router.get("/orgs/{org_id}/posting-permission", auth=user_auth, response=PermissionOut,
            summary="发布权限检查（ORG-4, ORG-5, ORG-8, ORG-12）")
def posting_permission(request: HttpRequest, org_id: int, mode: str = "own",
                       client_id: int | None = None, industry: str = "") -> object:
    """200 with ``allowed: true``, or 403 with the reason in Chinese."""
    org, _membership = selectors.organisation_for_member(user=request.auth,
                                                         organisation_id=org_id)
    client = ClientAuthorisation.objects.filter(pk=client_id).first() if client_id else None
    selectors.posting_permission_check(user=request.auth, organisation=org, mode=mode,
                                       client=client, industry_code=industry)
    return {"allowed": True}


# --- 招聘简章 (ORG-13) -----------------------------------------------------------------------

class BrochureIn(Schema):
    title: str
    body: str = ""
    drop_pdf: bool = False


class BrochureOut(Schema):
    id: int
    title: str
    body: str
    pdf_text: str
    updated_at: datetime


class BrochureOwnerOut(BrochureOut):
    status: str
    has_pdf: bool


def _brochure_owner_out(brochure: Brochure) -> dict[str, object]:
    return {f: getattr(brochure, f) for f in ("id", "title", "body", "pdf_text", "updated_at",
                                              "status")} | {"has_pdf": brochure.pdf_id is not None}


@router.get("/orgs/{org_id}/brochures", response=list[BrochureOut],
            summary="单位已发布的招聘简章（ORG-13）")
def brochures_list(request: HttpRequest, org_id: int) -> object:
    """Published brochures only: a held or refused one is never shown."""
    org = selectors.public_organisation_get(organisation_id=org_id)
    return list(brochures.brochures_public(org))


@router.post("/orgs/{org_id}/brochures", response={201: BrochureOwnerOut}, auth=user_auth,
             summary="新建招聘简章（保存前审核，ORG-13、MOD-1）")
def brochure_create(request: HttpRequest, org_id: int, payload: Form[BrochureIn],
                    pdf: UploadedFile | None = OPTIONAL_FILE) -> object:
    """Title and text, optionally a PDF (its text is read out). A refusal is
    ``content_refused`` with the words per field and the evidence in ``details.screening``;
    a text that needs a person is saved with status ``pending`` and published when approved."""
    org = selectors.organisation_for_owner(user=request.auth, organisation_id=org_id)
    saved = brochures.brochure_save(actor=request.auth, organisation=org, data=brochures.
                                    BrochureInput(title=payload.title, body=payload.body,
                                                  pdf=pdf, drop_pdf=payload.drop_pdf))
    return Status(201, _brochure_owner_out(saved))


@router.post("/orgs/{org_id}/brochures/{brochure_id}", response=BrochureOwnerOut,
             auth=user_auth, summary="修改招聘简章（重新审核，ORG-13）")
def brochure_update(request: HttpRequest, org_id: int, brochure_id: int,
                    payload: Form[BrochureIn],
                    pdf: UploadedFile | None = OPTIONAL_FILE) -> object:
    org = selectors.organisation_for_owner(user=request.auth, organisation_id=org_id)
    brochure = brochures.brochure_for_owner(user=request.auth, organisation=org,
                                            brochure_id=brochure_id)
    saved = brochures.brochure_save(actor=request.auth, organisation=org, brochure=brochure,
                                    data=brochures.BrochureInput(
                                        title=payload.title, body=payload.body, pdf=pdf,
                                        drop_pdf=payload.drop_pdf))
    return _brochure_owner_out(saved)


@router.delete("/orgs/{org_id}/brochures/{brochure_id}", response={204: None}, auth=user_auth,
               summary="删除招聘简章（ORG-13）")
def brochure_remove(request: HttpRequest, org_id: int, brochure_id: int) -> object:
    org = selectors.organisation_for_owner(user=request.auth, organisation_id=org_id)
    brochure = brochures.brochure_for_owner(user=request.auth, organisation=org,
                                            brochure_id=brochure_id)
    brochures.brochure_delete(actor=request.auth, brochure=brochure)
    return Status(204, None)
