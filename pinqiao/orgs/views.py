"""Pages: the registration wizard and the owner's organisation pages (recruiters), the public
organisation page (ORG-11, DISC-3, DISC-4), the audited file view, and the reviewer console
under /staff/orgs/ (ORG-2, ORG-3, ORG-9, ORG-12, RISK-3). Views parse input, call one service
or selector, and render."""

from __future__ import annotations

import io
import secrets
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pinqiao.accounts.services import client_ip
from pinqiao.core.crypto import decrypt
from pinqiao.core.errors import NotFound, ServiceError
from pinqiao.core.forms import add_service_error
from pinqiao.core.masking import mask_id_number, mask_name, mask_phone
from pinqiao.core.permissions import Role, role_required, staff_required
from pinqiao.orgs import forms as f
from pinqiao.orgs import registry, selectors, services
from pinqiao.orgs.brochures import brochures_public
from pinqiao.orgs.models import (
    CheckKind,
    ClientAuthorisation,
    Licence,
    MemberRole,
    Membership,
    OrgKind,
    OrgStatus,
    SpecialPermitRule,
)

DEVICE_COOKIE = "pq_device"
RECRUITER = role_required(Role.RECRUITER)


def _device(request: HttpRequest) -> str:
    raw = request.headers.get("X-Device-Id") or request.COOKIES.get(DEVICE_COOKIE, "")
    return services.device_fingerprint(raw)


def _client(request: HttpRequest) -> str:
    return services.client_fingerprint(
        ip=client_ip(request), user_agent=request.headers.get("User-Agent", ""),
        accept_language=request.headers.get("Accept-Language", ""))


def _ensure_device_cookie(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if not request.COOKIES.get(DEVICE_COOKIE):
        response.set_cookie(DEVICE_COOKIE, secrets.token_urlsafe(24), max_age=2 * 365 * 86400,
                            httponly=True, samesite="Lax")
    return response


def _post_form(request: HttpRequest, form_class: type, **kwargs: Any) -> Any:
    return form_class(request.POST or None, request.FILES or None, **kwargs)


# --- Recruiter: wizard -----------------------------------------------------------------------

@RECRUITER
def my_organisations_view(request: HttpRequest) -> HttpResponse:
    orgs = selectors.organisations_for_user(user=request.user)
    return render(request, "orgs/mine.html", {"organisations": orgs})


WIZARD_STEPS = (_("1 基本信息"), _("2 证照与经办人"), _("3 承诺与协议"))


@RECRUITER
def register_view(request: HttpRequest) -> HttpResponse:
    """Wizard step 1 (ORG-1)."""
    form = f.OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.organisation_draft_create(
                actor=request.user, data=services.OrganisationInput(**form.cleaned_data),
                device=_device(request), client=_client(request), ip=client_ip(request))
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            return redirect("orgs:register_materials", org.pk)
    response = render(request, "orgs/register.html",
                      {"form": form, "step": 1, "steps": WIZARD_STEPS, "multipart": False})
    return _ensure_device_cookie(request, response)


@RECRUITER
def register_materials_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Wizard step 2 (ORG-1, ORG-4, ORG-5, DISC-4)."""
    org = selectors.organisation_for_owner(user=request.user, organisation_id=pk)
    if org.status not in (OrgStatus.DRAFT, OrgStatus.MORE_INFO):
        return redirect("orgs:manage", org.pk)
    form = _post_form(request, f.MaterialsForm, kind=org.kind)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items()
                if k not in ("id_proof", "authorisation_letter", "business_licence",
                             "hr_licence", "dispatch_licence")}
        files = {k: request.FILES.get(k) for k in ("id_proof", "authorisation_letter",
                                                    "business_licence", "hr_licence",
                                                    "dispatch_licence")}
        try:
            services.organisation_materials_submit(
                actor=request.user, organisation=org,
                data=services.MaterialsInput(**data, files=files))
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            return redirect("orgs:register_confirm", org.pk)
    return render(request, "orgs/register.html", {"form": form, "step": 2, "org": org,
                                                  "steps": WIZARD_STEPS, "multipart": True})


@RECRUITER
def register_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Wizard step 3: credit pledge and service agreement (ORG-1, ORG-10)."""
    org = selectors.organisation_for_owner(user=request.user, organisation_id=pk)
    if org.status not in (OrgStatus.DRAFT, OrgStatus.MORE_INFO):
        return redirect("orgs:manage", org.pk)
    agreement = services.service_agreement_current()
    form = f.ConfirmForm(request.POST or None,
                         initial={"agreement_version": agreement.version if agreement else ""})
    if request.method == "POST" and form.is_valid():
        accepted = form.cleaned_data["agreement_accepted"]
        try:
            services.organisation_submit(
                actor=request.user, organisation=org,
                pledge_signed=form.cleaned_data["pledge_signed"],
                agreement_version=form.cleaned_data["agreement_version"] if accepted else "",
                ip=client_ip(request))
        except ServiceError as exc:
            if not accepted:
                exc.fields.setdefault("agreement_accepted", [_("请阅读并同意平台服务协议。")])
                exc.fields.pop("agreement_version", None)
            add_service_error(form, exc)
        else:
            messages.success(request, _("已提交审核，审核结果将通过站内信和短信通知您。"))
            return redirect("orgs:manage", org.pk)
    return render(request, "orgs/register.html", {
        "form": form, "step": 3, "org": org, "steps": WIZARD_STEPS, "agreement": agreement,
        "multipart": False})


# --- Recruiter: the organisation's own pages -------------------------------------------------

def _manage_context(request: HttpRequest, org: Any, membership: Membership) -> dict[str, Any]:
    is_owner = membership.role == MemberRole.OWNER
    return {
        "org": org, "membership": membership, "is_owner": is_owner,
        "licences": org.licences.select_related("file").order_by("kind", "-created_at"),
        "clients": org.client_authorisations.order_by("-created_at"),
        "members": org.memberships.select_related("user").order_by("role", "created_at")
        if is_owner else [],
        "checks": org.checks.select_related("checked_by")[:20] if is_owner else [],
        "credit": selectors.credit_record(org),
        "invite_form": f.MemberInviteForm(),
        "bank_form": f.BankStartForm(), "bank_confirm_form": f.BankConfirmForm(),
        "email_form": f.EmailSendForm(), "email_confirm_form": f.EmailConfirmForm(),
        "pending_deposit": org.micro_deposits.filter(confirmed_at__isnull=True).exists(),
        "pending_email": org.email_codes.filter(confirmed_at__isnull=True).exists(),
        "perm_labels": f.PERM_LABELS,
        "agreement_pending": selectors.agreement_pending(org)
        if org.status not in (OrgStatus.DRAFT, OrgStatus.CLOSED) else None,
    }


@RECRUITER
def manage_view(request: HttpRequest, pk: int) -> HttpResponse:
    org, membership = selectors.organisation_for_member(user=request.user, organisation_id=pk)
    return render(request, "orgs/manage.html", _manage_context(request, org, membership))


def _owner_action(request: HttpRequest, pk: int, form_class: type, action: Any,
                  success: str) -> HttpResponse:
    """POST a small owner form; on refusal re-render the organisation page with the error."""
    org = selectors.organisation_for_owner(user=request.user, organisation_id=pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(org, form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, success)
            return redirect("orgs:manage", org.pk)
    membership = selectors.membership_get(user=request.user, organisation=org)
    context = _manage_context(request, org, membership)
    context["failed_form"] = form
    return render(request, "orgs/manage.html", context, status=400)


@require_POST
@RECRUITER
def member_invite_view(request: HttpRequest, pk: int) -> HttpResponse:
    """ORG-6: the owner adds a member by phone with chosen permissions."""
    def act(org: Any, data: dict[str, Any]) -> None:
        services.member_invite(actor=request.user, organisation=org, phone=data["phone"],
                               perms=data)
    return _owner_action(request, pk, f.MemberInviteForm, act, _("已添加成员。"))


def _membership(org: Any, member_id: int) -> Membership:
    membership = org.memberships.filter(pk=member_id).select_related("organisation").first()
    if membership is None:
        raise NotFound(_("成员不存在。"))
    return membership


@require_POST
@RECRUITER
def member_update_view(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    def act(org: Any, data: dict[str, Any]) -> None:
        services.member_update(actor=request.user, membership=_membership(org, member_id),
                               perms=data)
    return _owner_action(request, pk, f.MemberPermsForm, act, _("已更新成员权限。"))


@require_POST
@RECRUITER
def member_remove_view(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    def act(org: Any, data: dict[str, Any]) -> None:
        services.member_remove(actor=request.user, membership=_membership(org, member_id))
    return _owner_action(request, pk, f.forms.Form, act, _("已移除成员。"))


@require_POST
@RECRUITER
def bank_start_view(request: HttpRequest, pk: int) -> HttpResponse:
    def act(org: Any, data: dict[str, Any]) -> None:
        services.bank_deposit_start(actor=request.user, organisation=org, **data)
    return _owner_action(request, pk, f.BankStartForm, act,
                         _("平台已向该账户打入一笔小额款项，请查看银行流水后回填金额。"))


@require_POST
@RECRUITER
def bank_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    def act(org: Any, data: dict[str, Any]) -> None:
        services.bank_deposit_confirm(actor=request.user, organisation=org, **data)
    return _owner_action(request, pk, f.BankConfirmForm, act, _("银行账户验证通过。"))


@require_POST
@RECRUITER
def email_send_view(request: HttpRequest, pk: int) -> HttpResponse:
    def act(org: Any, data: dict[str, Any]) -> None:
        services.email_code_send(actor=request.user, organisation=org, **data)
    return _owner_action(request, pk, f.EmailSendForm, act, _("验证码已发送到企业邮箱。"))


@require_POST
@RECRUITER
def email_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    def act(org: Any, data: dict[str, Any]) -> None:
        services.email_code_confirm(actor=request.user, organisation=org, **data)
    return _owner_action(request, pk, f.EmailConfirmForm, act, _("企业邮箱验证通过。"))


@require_POST
@RECRUITER
def reverify_request_view(request: HttpRequest, pk: int) -> HttpResponse:
    def act(org: Any, data: dict[str, Any]) -> None:
        services.organisation_reverify_request(actor=request.user, organisation=org)
    return _owner_action(request, pk, f.forms.Form, act, _("已申请复核，审核员会尽快处理。"))


@require_POST
@RECRUITER
def agreement_accept_view(request: HttpRequest, pk: int) -> HttpResponse:
    """ORG-10: accept the agreement version in force after it changed."""
    def act(org: Any, data: dict[str, Any]) -> None:
        services.agreement_accept(actor=request.user, organisation=org,
                                  version=data["version"], ip=client_ip(request))
    return _owner_action(request, pk, f.AgreementAcceptForm, act, _("已同意新版平台服务协议。"))


def _owner_form_page(request: HttpRequest, pk: int, form_class: type, title: str,
                     action: Any, success: str, with_org: bool = False) -> HttpResponse:
    org = selectors.organisation_for_owner(user=request.user, organisation_id=pk)
    form = _post_form(request, form_class, **({"organisation": org} if with_org else {}))
    if request.method == "POST" and form.is_valid():
        try:
            action(org, form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, success)
            return redirect("orgs:manage", org.pk)
    return render(request, "orgs/form_page.html", {"form": form, "org": org, "title": title})


@RECRUITER
def licence_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    """ORG-4, ORG-12: add a licence or special permit; a reviewer verifies it."""
    def act(org: Any, data: dict[str, Any]) -> None:
        client = org.client_authorisations.filter(pk=data["client"]).first() \
            if data.get("client") else None
        services.licence_add(actor=request.user, organisation=org, kind=data["kind"],
                             permit=data["permit"], number=data["number"],
                             authority=data["authority"], scope=data["scope"],
                             valid_until=data["valid_until"], upload=request.FILES.get("file"),
                             client=client)
    return _owner_form_page(request, pk, f.LicenceForm, _("登记证照"), act,
                            _("证照已提交，审核通过后生效。"), with_org=True)


@RECRUITER
def document_upload_view(request: HttpRequest, pk: int) -> HttpResponse:
    """ORG-2: supplementary material such as the social-insurance proof."""
    def act(org: Any, data: dict[str, Any]) -> None:
        services.document_upload(actor=request.user, organisation=org, kind=data["kind"],
                                 upload=request.FILES.get("file"))
    return _owner_form_page(request, pk, f.DocumentForm, _("上传补充材料"), act,
                            _("材料已上传，审核员可以查看。"))


@RECRUITER
def client_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    """ORG-5: an agency records a client with its uploaded 委托证明."""
    def act(org: Any, data: dict[str, Any]) -> None:
        services.client_authorisation_add(
            actor=request.user, organisation=org, client_name=data["client_name"],
            client_credit_code=data["client_credit_code"], scope=data["scope"],
            valid_from=data["valid_from"], valid_until=data["valid_until"],
            upload=request.FILES.get("file"))
    return _owner_form_page(request, pk, f.ClientForm, _("登记委托单位"), act,
                            _("委托证明已提交，审核通过后可为该单位代招。"))


@RECRUITER
def profile_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """ORG-11 profile and DISC-4 fee statement."""
    org = selectors.organisation_for_owner(user=request.user, organisation_id=pk)
    initial = {name: getattr(org, name) for name in services.PROFILE_FIELDS}
    initial.update(charges_seekers=org.charges_seekers,
                   seeker_fee_description=org.seeker_fee_description)
    form = f.ProfileForm(request.POST or None, request.FILES or None, initial=initial,
                         kind=org.kind)
    screening: dict = {}
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k != "logo"}
        try:
            services.organisation_profile_update(actor=request.user, organisation=org,
                                                 changes=changes,
                                                 logo=request.FILES.get("logo"))
        except ServiceError as exc:
            add_service_error(form, exc)
            screening = (exc.details or {}).get("screening", {})
            for name, found in screening.items():
                found["label"] = form.fields[name].label if name in form.fields else name
        else:
            messages.success(request, _("单位主页已更新。"))
            return redirect("orgs:manage", org.pk)
    return render(request, "orgs/form_page.html",
                  {"form": form, "org": org, "title": _("编辑单位主页"),
                   "screening": screening})


def document_view(request: HttpRequest, doc_id: int) -> HttpResponse:
    """Stored files only through here: permission-checked and audited."""
    document, data = selectors.document_bytes_for_viewer(viewer=request.user,
                                                         document_id=doc_id)
    response = FileResponse(io.BytesIO(data), content_type=document.content_type)
    suffix = {"application/pdf": ".pdf", "image/png": ".png"}.get(document.content_type, ".jpg")
    response["Content-Disposition"] = f'inline; filename="document-{document.pk}{suffix}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Public ------------------------------------------------------------------------------------

def public_view(request: HttpRequest, pk: int) -> HttpResponse:
    """ORG-11 profile; for agencies the 「许可及监管」 panel (DISC-3) and fees (DISC-4)."""
    from pinqiao.moderation.selectors import is_hidden, risk_label_for

    org = selectors.public_organisation_get(organisation_id=pk)
    panel = selectors.licence_panel_for_organisation(org) if org.kind == OrgKind.AGENCY else None
    return render(request, "orgs/public.html", {
        "org": org, "panel": panel, "credit": selectors.credit_record(org),
        "risk_label": risk_label_for(org), "profile_hidden": is_hidden(org),
        "brochures": list(brochures_public(org))})


# --- Reviewer console --------------------------------------------------------------------------

REVIEW = staff_required("review.organisations")


@REVIEW
def queue_view(request: HttpRequest) -> HttpResponse:
    """ORG-2/ORG-3: pending applications, highest risk then oldest first, anomalies shown."""
    return render(request, "orgs/staff/queue.html",
                  {"queue": selectors.review_queue(viewer=request.user)})


def _plain(ciphertext: str) -> str:
    try:
        return decrypt(ciphertext, context="org_responsible") if ciphertext else ""
    except Exception:  # a row written under an unloaded key shows as unknown
        return ""


def _review_context(request: HttpRequest, org: Any, **extra: Any) -> dict[str, Any]:
    record = registry.provider().fetch(org.credit_code)
    try:
        phone = decrypt(org.contact_phone_ciphertext, context="org_contact_phone")
    except Exception:
        phone = ""
    context = {
        "org": org, "record": record,
        "responsible_name": mask_name(_plain(org.responsible_name_ciphertext)),
        "responsible_id": mask_id_number(_plain(org.responsible_id_ciphertext)),
        "contact_phone": mask_phone(phone) if phone else "",
        "documents": org.documents.order_by("kind", "-uploaded_at"),
        "licences": org.licences.select_related("file", "reviewed_by").order_by("kind"),
        "clients": org.client_authorisations.select_related("file"),
        "checks": org.checks.select_related("checked_by"),
        "checklist": [(label, org.checks.filter(kind=kind).select_related("checked_by").first())
                      for kind, label in CheckKind.choices],
        "anomalies": org.anomalies.all(),
        "credit": selectors.credit_record(org),
        "check_form": f.CheckForm(),
        "violation_form": f.ViolationForm(),
        "acceptances": org.agreement_acceptances.select_related("agreement"),
    }
    context.update(extra)
    return context


@REVIEW
def review_view(request: HttpRequest, pk: int) -> HttpResponse:
    """ORG-2: evidence side by side with the registry record; the checklist; decisions."""
    org = selectors.organisation_for_reviewer(viewer=request.user, organisation_id=pk)
    return render(request, "orgs/staff/review.html", _review_context(request, org))


def _staff_action(request: HttpRequest, pk: int, form_class: type | None, action: Any,
                  success: str) -> HttpResponse:
    org = selectors.organisation_for_reviewer(viewer=request.user, organisation_id=pk)
    form = form_class(request.POST) if form_class else None
    if form is None or form.is_valid():
        try:
            action(org, form.cleaned_data if form else {})
        except ServiceError as exc:
            if form is None:
                messages.error(request, exc.message)
                return redirect("orgs:review", org.pk)
            add_service_error(form, exc)
        else:
            messages.success(request, success)
            return redirect("orgs:review", org.pk)
    return render(request, "orgs/staff/review.html",
                  _review_context(request, org, failed_form=form), status=400)


@require_POST
@REVIEW
def registry_check_view(request: HttpRequest, pk: int) -> HttpResponse:
    def act(org: Any, data: dict[str, Any]) -> None:
        services.registry_check_run(actor=request.user, organisation=org)
    return _staff_action(request, pk, None, act, _("已完成工商登记核验并记录结果。"))


@require_POST
@REVIEW
def check_record_view(request: HttpRequest, pk: int) -> HttpResponse:
    def act(org: Any, data: dict[str, Any]) -> None:
        services.verification_check_record(actor=request.user, organisation=org, **data)
    return _staff_action(request, pk, f.CheckForm, act, _("核验结果已记录。"))


@require_POST
@REVIEW
def approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    def act(org: Any, data: dict[str, Any]) -> None:
        services.organisation_approve(actor=request.user, organisation=org,
                                      note=request.POST.get("note", ""))
    return _staff_action(request, pk, None, act, _("已批准，申请人已收到通知。"))


@require_POST
@REVIEW
def refuse_view(request: HttpRequest, pk: int) -> HttpResponse:
    def act(org: Any, data: dict[str, Any]) -> None:
        services.organisation_refuse(actor=request.user, organisation=org,
                                     reasons=data["reason"])
    return _staff_action(request, pk, f.ReasonForm, act, _("已驳回，申请人已收到原因。"))


@require_POST
@REVIEW
def more_info_view(request: HttpRequest, pk: int) -> HttpResponse:
    def act(org: Any, data: dict[str, Any]) -> None:
        services.organisation_request_more(actor=request.user, organisation=org,
                                           message=data["reason"])
    return _staff_action(request, pk, f.ReasonForm, act, _("已要求申请人补充材料。"))


@require_POST
@REVIEW
def suspend_view(request: HttpRequest, pk: int) -> HttpResponse:
    def act(org: Any, data: dict[str, Any]) -> None:
        services.organisation_suspend(actor=request.user, organisation=org,
                                      reason=data["reason"])
    return _staff_action(request, pk, f.ReasonForm, act, _("已暂停该单位的发布权限。"))


@require_POST
@REVIEW
def close_view(request: HttpRequest, pk: int) -> HttpResponse:
    def act(org: Any, data: dict[str, Any]) -> None:
        services.organisation_close(actor=request.user, organisation=org,
                                    reason=data["reason"])
    return _staff_action(request, pk, f.ReasonForm, act,
                         _("已关闭该单位，并将其信用代码、经办人和设备列入禁止注册名单。"))


@require_POST
@REVIEW
def violation_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    def act(org: Any, data: dict[str, Any]) -> None:
        services.violation_record(actor=request.user, organisation=org, **data)
    return _staff_action(request, pk, f.ViolationForm, act, _("违规已记入信用记录。"))


@require_POST
@REVIEW
def licence_review_view(request: HttpRequest, pk: int, licence_id: int) -> HttpResponse:
    def act(org: Any, data: dict[str, Any]) -> None:
        licence = Licence.objects.filter(pk=licence_id, organisation=org).first()
        if licence is None:
            raise NotFound(_("证照不存在。"))
        services.licence_review(actor=request.user, licence=licence,
                                approve=request.POST.get("decision") == "approve",
                                note=request.POST.get("note", ""))
    return _staff_action(request, pk, None, act, _("证照审核结果已记录。"))


@require_POST
@REVIEW
def client_review_view(request: HttpRequest, pk: int, client_id: int) -> HttpResponse:
    def act(org: Any, data: dict[str, Any]) -> None:
        auth = ClientAuthorisation.objects.filter(pk=client_id, agency=org).first()
        if auth is None:
            raise NotFound(_("委托证明不存在。"))
        services.client_authorisation_review(actor=request.user, authorisation=auth,
                                             approve=request.POST.get("decision") == "approve",
                                             note=request.POST.get("note", ""))
    return _staff_action(request, pk, None, act, _("委托证明审核结果已记录。"))


PERMITS = staff_required("manage.special_permits")


@PERMITS
def permit_rules_view(request: HttpRequest) -> HttpResponse:
    """ORG-12: the staff-editable table of special-permit industries."""
    return render(request, "orgs/staff/permit_rules.html",
                  {"rules": SpecialPermitRule.objects.all()})


@PERMITS
def permit_rule_edit_view(request: HttpRequest, slug: str = "") -> HttpResponse:
    rule = SpecialPermitRule.objects.filter(slug=slug).first() if slug else None
    if slug and rule is None:
        raise NotFound(_("特许行业不存在。"))
    initial = {}
    if rule is not None:
        initial = {"slug": rule.slug, "industry_label": rule.industry_label,
                   "permit_name": rule.permit_name, "authority": rule.authority,
                   "basis": rule.basis, "industries": rule.industries,
                   "is_active": rule.is_active}
    form = f.SpecialPermitRuleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.special_permit_rule_save(actor=request.user, rule=rule,
                                              data=form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("特许行业已保存。"))
            return redirect("orgs:permit_rules")
    return render(request, "orgs/form_page.html", {
        "form": form, "title": _("编辑特许行业") if rule else _("新增特许行业"),
        "back": "orgs:permit_rules"})


@staff_required("manage.legal")
def agreement_publish_view(request: HttpRequest) -> HttpResponse:
    """ORG-10: publish a new version of the organisations' service agreement."""
    form = f.AgreementPublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_agreement_publish(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("新版平台服务协议已发布，各单位须重新同意后才能发布职位。"))
            return redirect("orgs:agreement_publish")
    return render(request, "orgs/form_page.html", {
        "form": form, "title": _("发布平台服务协议（单位版）"),
        "current": selectors.service_agreement_current()})


@staff_required()
def credit_export_view(request: HttpRequest) -> HttpResponse:
    """RISK-3 credit-sharing export as CSV (regulators and reviewers); audited."""
    import csv

    rows = selectors.credit_export_rows(viewer=request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="pinqiao-credit-records.csv"'
    response.write("\ufeff")
    columns = ["credit_code", "name", "kind", "status", "credit_score", "credit_grade",
               "violations", "last_violation", "violation_summary"]
    writer = csv.DictWriter(response, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return response
