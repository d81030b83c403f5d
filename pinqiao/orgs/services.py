"""Organisation services: registration (ORG-1, ORG-9, ORG-10), review with evidence (ORG-2,
ORG-3), licences and client authorisations (ORG-4, ORG-5, ORG-12), members (ORG-6, ACC-2),
re-verification (ORG-7), sanctions and the credit record (RISK-3).

Every write validates everything first, then writes inside one transaction with an audit entry,
so a refusal leaves nothing half-saved. Uniqueness that matters (one open organisation per
credit code, one membership per person) is a database constraint, not a hope.
"""

from __future__ import annotations

import ipaddress
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.accounts.identity import phone_index
from pinqiao.accounts.models import User
from pinqiao.accounts.realname import id_number_index
from pinqiao.core.audit import log_action
from pinqiao.core.crypto import encrypt, encrypt_bytes, keyed_digest
from pinqiao.core.errors import NotFound, NotPermitted, ServiceError
from pinqiao.core.masking import mask_email, mask_id_number, mask_phone
from pinqiao.core.permissions import Role, has_perm, require_perm
from pinqiao.core.validators import normalize_phone, normalize_text, parse_id_number
from pinqiao.moderation.public_texts import screen_public_texts
from pinqiao.notifications.services import notify
from pinqiao.orgs import registry
from pinqiao.orgs.models import (
    ANOMALY_WEIGHTS,
    DOCUMENT_CONTEXT,
    RELEASED_STATUSES,
    AgreementAcceptance,
    Anomaly,
    AnomalyKind,
    BanKind,
    BannedEntry,
    CheckKind,
    CheckResult,
    ClientAuthorisation,
    Document,
    DocumentKind,
    EmailDomainCode,
    Licence,
    LicenceKind,
    LocalBankTransfer,
    MemberRole,
    Membership,
    MicroDeposit,
    Organisation,
    OrgKind,
    OrgStatus,
    ReviewStatus,
    ServiceAgreement,
    Severity,
    SpecialPermitRule,
    VerificationCheck,
    Violation,
)
from pinqiao.orgs.selectors import (
    credit_score_for,
    scope_covers_online_recruitment,
    screening_waivers,
    service_agreement_current,
)
from pinqiao.orgs.uploads import IMAGE_TYPES, check_upload
from pinqiao.reference import taxonomy
from pinqiao.reference.validators import uscc_parse

REVERIFY_INTERVAL = timedelta(days=182)  # ORG-7: at least every six months
REVERIFY_GRACE = timedelta(days=14)  # overdue this long → suspended
LICENCE_WARNING = timedelta(days=30)
MANY_ORGS_THRESHOLD = 3  # ORG-3: one person behind this many organisations is flagged
FREE_MAIL_DOMAINS = frozenset({
    "qq.com", "foxmail.com", "163.com", "126.com", "yeah.net", "sina.com", "sina.cn",
    "sohu.com", "aliyun.com", "139.com", "189.cn", "gmail.com", "hotmail.com", "outlook.com",
    "live.com", "yahoo.com", "icloud.com",
})


def _fail(code: str, message: str, field_name: str | None = None) -> ServiceError:
    return ServiceError(code, message, fields={field_name: [message]} if field_name else None)


def _collect(fields: dict[str, list[str]], code: str = "invalid_input") -> None:
    if fields:
        raise ServiceError(code, next(iter(fields.values()))[0], fields=fields)


def _screen_public(values: dict[str, Any], organisation: Organisation | None = None) -> None:
    """Refuse public texts of the organisation that the moderation rules flag (MOD-1,
    ORG-15, DISC-4): each registered field in its own context, the words named."""
    labels = {name: str(Organisation._meta.get_field(name).verbose_name) for name in values}
    screen_public_texts(model="orgs.Organisation",
                        values={k: str(v) for k, v in values.items() if isinstance(v, str)},
                        target=organisation, waived=screening_waivers(organisation),
                        labels=labels)


def _owner_required(actor: Any, organisation: Organisation) -> Membership:
    membership = Membership.objects.filter(organisation=organisation, user=actor).first() \
        if getattr(actor, "is_authenticated", False) else None
    if membership is None or membership.role != MemberRole.OWNER:
        raise NotPermitted(_("只有单位管理员可以执行此操作。"))
    return membership


def _notify_owner(organisation: Organisation, event: str, context: dict[str, Any],
                  link: str = "") -> None:
    owner = Membership.objects.filter(organisation=organisation,
                                      role=MemberRole.OWNER).select_related("user").first()
    if owner is not None and owner.user.is_active:
        notify(owner.user, event, {"organisation": organisation.name, **context},
               link=link or f"/orgs/{organisation.pk}/")


def device_fingerprint(raw: str) -> str:
    """The keyed fingerprint of a device id (cookie or app header); '' when there is none."""
    raw = normalize_text(raw)[:200]
    return keyed_digest(raw, purpose="device") if raw else ""


def client_fingerprint(*, ip: str | None, user_agent: str, accept_language: str) -> str:
    """The server-side fingerprint of a registering client (ORG-9): its network (IPv4 /24,
    IPv6 /64), browser (User-Agent) and languages, keyed. The server sees these on every
    request, so deleting the device cookie does not shake it off; '' without an address."""
    try:
        address = ipaddress.ip_address(ip or "")
    except ValueError:
        return ""
    prefix = 24 if address.version == 4 else 64
    network = ipaddress.ip_network(f"{address}/{prefix}", strict=False)
    raw = "|".join((str(network), normalize_text(user_agent)[:300],
                    normalize_text(accept_language)[:100]))
    return keyed_digest(raw, purpose="client")


# --- Banned list (ORG-9) -------------------------------------------------------------------

def ban_check(*, credit_code: str = "", person_index: str = "", device: str = "",
              client: str = "", phone_index: str = "") -> None:
    """Refuse, saying why, when any identifier is on the banned-organisation list or the
    blacklist (RISK-2: the registering account's phone); ``device`` (the cookie or app id)
    and ``client`` (the server-side fingerprint) are both devices."""
    device_message = _("当前设备曾用于已被平台关闭的单位，已列入禁止注册名单，不能用于注册单位。")
    checks = (
        (BanKind.CREDIT_CODE, credit_code, "credit_code", _(
            "该统一社会信用代码对应的单位已被平台关闭并列入禁止注册名单，不能再次注册。")),
        (BanKind.PERSON, person_index, "responsible_id_number", _(
            "该经办人曾负责的单位已被平台关闭，本人已列入禁止注册名单，不能再次注册。")),
        (BanKind.DEVICE, device, None, device_message),
        (BanKind.DEVICE, client, None, device_message),
        (BanKind.PHONE, phone_index, None, _(
            "您的账号曾负责的单位因严重违规已被列入平台黑名单，不能再登记单位。")),
    )
    for kind, value, field_name, message in checks:
        if value and BannedEntry.objects.filter(kind=kind, value=value).exists():
            raise _fail(f"banned_{kind}", message, field_name)


# --- Registration (ORG-1) -------------------------------------------------------------------

@dataclass
class OrganisationInput:
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


@dataclass
class MaterialsInput:
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
    files: dict[str, UploadedFile | None] = field(default_factory=dict)


def _validate_organisation(data: OrganisationInput) -> dict[str, Any]:
    fields: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    clean["name"] = normalize_text(data.name)
    if not 2 <= len(clean["name"]) <= 100:
        fields["name"] = [_("请填写单位全称（2至100个字）。")]
    try:
        clean["credit_code"] = uscc_parse(data.credit_code).code
    except ValueError as exc:
        fields["credit_code"] = [str(exc)]
    if data.kind not in OrgKind.values:
        fields["kind"] = [_("请选择账号类型。")]
    clean["kind"] = data.kind
    if taxonomy.industry(data.industry) is None:
        fields["industry"] = [_("请选择所属行业。")]
    clean["industry"] = data.industry
    if data.founded_on is None:
        fields["founded_on"] = [_("请填写成立日期。")]
    elif data.founded_on > timezone.localdate():
        fields["founded_on"] = [_("成立日期不能晚于今天。")]
    clean["founded_on"] = data.founded_on
    clean["address"] = normalize_text(data.address)[:200]
    if len(clean["address"]) < 5:
        fields["address"] = [_("请填写单位的详细地址。")]
    clean["contact_name"] = normalize_text(data.contact_name)[:50]
    if not clean["contact_name"]:
        fields["contact_name"] = [_("请填写联系人。")]
    try:
        clean["contact_phone"] = normalize_phone(data.contact_phone)
    except ValidationError as exc:
        fields["contact_phone"] = exc.messages
    clean["contact_email"] = normalize_text(data.contact_email).lower()
    if clean["contact_email"]:
        try:
            validate_email(clean["contact_email"])
        except ValidationError:
            fields["contact_email"] = [_("请输入有效的电子邮箱。")]
    clean["introduction"] = normalize_text(data.introduction)[:5000]
    clean["website"] = normalize_text(data.website)[:200]
    if clean["website"] and not re.match(r"^https?://[^\s/]+", clean["website"]):
        fields["website"] = [_("网址应以 http:// 或 https:// 开头。")]
    _collect(fields, "invalid_organisation")
    return clean


def organisation_draft_create(*, actor: Any, data: OrganisationInput, device: str = "",
                              client: str = "", ip: str | None = None) -> Organisation:
    """Wizard step 1 (ORG-1): the credit code is checked with its GB 32100 check character, the
    banned list (ORG-9) and the official registry (注销/吊销 refused) before anything is saved.
    The database's conditional unique constraint lets exactly one of two simultaneous
    registrations with one credit code win."""
    if not getattr(actor, "is_authenticated", False) or actor.role != Role.RECRUITER:
        raise NotPermitted(_("请先注册或登录招聘者账号，再登记单位。"))
    clean = _validate_organisation(data)
    _screen_public({k: clean[k] for k in ("name", "introduction", "address", "website")})
    ban_check(credit_code=clean["credit_code"], device=device, client=client,
              person_index=actor.id_number_index or "", phone_index=actor.phone_index or "")
    record = registry.lookup(clean["credit_code"], actor=actor)
    if record is not None and not record.is_active:
        raise _fail("registry_inactive", _(
            "工商登记状态为“%(status)s”的单位不能注册：%(name)s。") % {
            "status": record.status, "name": record.name}, "credit_code")
    taken = _("该统一社会信用代码已有单位在平台注册或正在审核。如您是该单位的经办人，"
              "请联系单位管理员邀请您加入；如有异议请联系客服申诉。")
    if Organisation.objects.filter(credit_code=clean["credit_code"]).exclude(
            status__in=RELEASED_STATUSES).exists():
        raise _fail("credit_code_taken", taken, "credit_code")
    phone = clean.pop("contact_phone")
    try:
        with transaction.atomic():
            org = Organisation.objects.create(
                **clean, status=OrgStatus.DRAFT, created_by=actor,
                contact_phone_ciphertext=encrypt(phone, context="org_contact_phone"),
                registration_device=device, registration_client_digest=client,
            )
            Membership.objects.create(organisation=org, user=actor, role=MemberRole.OWNER,
                                      can_post_jobs=True, can_view_resumes=True, can_chat=True,
                                      can_manage_booths=True)
            log_action(actor, "orgs.draft_created", org, {
                "credit_code": org.credit_code, "kind": org.kind,
                "contact_phone": mask_phone(phone)}, ip=ip)
    except IntegrityError as exc:
        raise _fail("credit_code_taken", taken, "credit_code") from exc
    return org


def _store(actor: Any, organisation: Organisation, kind: str, checked: Any) -> Document:
    """Store the checked file AES-GCM encrypted (PRIV-1, PRIV-10: licences and the ID proof
    are sensitive); ``selectors.document_bytes_for_viewer`` decrypts it."""
    checked.upload.seek(0)
    sealed = ContentFile(encrypt_bytes(checked.upload.read(), context=DOCUMENT_CONTEXT),
                         name="upload" + checked.extension)
    return Document.objects.create(
        organisation=organisation, kind=kind, file=sealed,
        original_name=checked.original_name, content_type=checked.content_type,
        size=checked.size, sha256=checked.sha256, uploaded_by=actor)


def _date_not_expired(value: date | None, field_name: str, what: str,
                      fields: dict[str, list[str]], required: bool = False) -> None:
    if value is None:
        if required:
            fields[field_name] = [_("请填写%(what)s的有效期。") % {"what": what}]
        return
    if value < timezone.localdate():
        fields[field_name] = [_("%(what)s已于 %(date)s 过期，请上传有效期内的证照。") % {
            "what": what, "date": value.isoformat()}]


def organisation_materials_submit(*, actor: Any, organisation: Organisation,
                                  data: MaterialsInput) -> Organisation:
    """Wizard step 2 (ORG-1, ORG-4, ORG-5, DISC-4): the person who posts (ID checked with GB
    11643 and against the banned list), the business licence or approval document, the
    authorisation letter, and for agencies the HR-service licence and the fee statement. Files
    are checked by content and size; expired licences are refused."""
    _owner_required(actor, organisation)
    if organisation.status not in (OrgStatus.DRAFT, OrgStatus.MORE_INFO):
        raise ServiceError("not_editable", _("单位已提交审核，材料不能再修改。"))
    fields: dict[str, list[str]] = {}
    name = normalize_text(data.responsible_name)[:50]
    if not name:
        fields["responsible_name"] = [_("请填写经办人姓名。")]
    id_number = ""
    try:
        id_number = parse_id_number(data.responsible_id_number).number
    except ValidationError as exc:
        fields["responsible_id_number"] = exc.messages
    number = normalize_text(data.business_licence_number)[:60]
    if not number:
        fields["business_licence_number"] = [_("请填写营业执照（或批准文件）编号。")]
    authority = normalize_text(data.business_licence_authority)[:100]
    if not authority:
        fields["business_licence_authority"] = [_("请填写发证（批准）机关。")]
    _date_not_expired(data.business_licence_valid_until, "business_licence_valid_until",
                      _("营业执照"), fields)
    is_agency = organisation.kind == OrgKind.AGENCY
    if is_agency:
        if not normalize_text(data.hr_licence_number):
            fields["hr_licence_number"] = [_("人力资源服务机构须填写人力资源服务许可证编号。")]
        if not normalize_text(data.hr_licence_authority):
            fields["hr_licence_authority"] = [_("请填写许可证发证机关。")]
        if not normalize_text(data.hr_licence_scope):
            fields["hr_licence_scope"] = [_("请填写许可证上的服务范围。")]
        _date_not_expired(data.hr_licence_valid_until, "hr_licence_valid_until",
                          _("人力资源服务许可证"), fields, required=True)
        if data.charges_seekers and not normalize_text(data.seeker_fee_description):
            fields["seeker_fee_description"] = [_("向求职者收费的，须写明收费项目和标准。")]
    wants_dispatch = bool(normalize_text(data.dispatch_licence_number))
    if wants_dispatch:
        if not normalize_text(data.dispatch_licence_authority):
            fields["dispatch_licence_authority"] = [_("请填写劳务派遣许可证发证机关。")]
        _date_not_expired(data.dispatch_licence_valid_until, "dispatch_licence_valid_until",
                          _("劳务派遣经营许可证"), fields, required=True)
    files = data.files
    wanted = [("business_licence", DocumentKind.BUSINESS_LICENCE),
              ("id_proof", DocumentKind.ID_PROOF),
              ("authorisation_letter", DocumentKind.AUTHORISATION_LETTER)]
    if is_agency:
        wanted.append(("hr_licence", DocumentKind.HR_LICENCE))
    if wants_dispatch:
        wanted.append(("dispatch_licence", DocumentKind.DISPATCH_LICENCE))
    checked: dict[str, Any] = {}
    for key, _kind in wanted:
        try:
            checked[key] = check_upload(files.get(key), field=key)
        except ServiceError as exc:
            fields.update(exc.fields)
    _collect(fields, "invalid_materials")
    if is_agency and data.charges_seekers:
        _screen_public({"seeker_fee_description": normalize_text(data.seeker_fee_description)},
                       organisation)
    person = id_number_index(id_number)
    ban_check(person_index=person)
    with transaction.atomic():
        docs = {key: _store(actor, organisation, kind, checked[key]) for key, kind in wanted}
        organisation.responsible_name_ciphertext = encrypt(name, context="org_responsible")
        organisation.responsible_id_ciphertext = encrypt(id_number, context="org_responsible")
        organisation.responsible_id_index = person
        if is_agency:
            organisation.charges_seekers = data.charges_seekers
            organisation.seeker_fee_description = (
                normalize_text(data.seeker_fee_description)[:2000] if data.charges_seekers
                else "")
        organisation.save()
        # A resubmission replaces licences not yet verified.
        organisation.licences.filter(status=ReviewStatus.PENDING).delete()
        Licence.objects.create(organisation=organisation, kind=LicenceKind.BUSINESS,
                               number=number, authority=authority,
                               valid_until=data.business_licence_valid_until,
                               file=docs["business_licence"])
        if is_agency:
            Licence.objects.create(
                organisation=organisation, kind=LicenceKind.HR_SERVICE,
                number=normalize_text(data.hr_licence_number)[:60],
                authority=normalize_text(data.hr_licence_authority)[:100],
                scope=normalize_text(data.hr_licence_scope)[:2000],
                valid_until=data.hr_licence_valid_until, file=docs["hr_licence"])
        if wants_dispatch:
            Licence.objects.create(
                organisation=organisation, kind=LicenceKind.LABOUR_DISPATCH,
                number=normalize_text(data.dispatch_licence_number)[:60],
                authority=normalize_text(data.dispatch_licence_authority)[:100],
                valid_until=data.dispatch_licence_valid_until, file=docs["dispatch_licence"])
        log_action(actor, "orgs.materials_submitted", organisation, {
            "responsible_id": mask_id_number(id_number), "documents": sorted(docs),
            "charges_seekers": organisation.charges_seekers})
    return organisation


def agreement_accept(*, actor: Any, organisation: Organisation, version: str,
                     ip: str | None = None) -> AgreementAcceptance:
    """The owner accepts the service agreement version in force (ORG-10)."""
    _owner_required(actor, organisation)
    agreement = service_agreement_current()
    if agreement is None or agreement.version != version:
        raise _fail("agreement_version", _("请阅读并同意当前版本的平台服务协议。"), "version")
    with transaction.atomic():
        acceptance, _created = AgreementAcceptance.objects.get_or_create(
            organisation=organisation, agreement=agreement,
            defaults={"accepted_by": actor, "ip": ip})
        log_action(actor, "orgs.agreement_accepted", organisation,
                   {"version": agreement.version}, ip=ip)
    return acceptance


def service_agreement_publish(*, actor: Any, version: str, title: str, body: str
                              ) -> ServiceAgreement:
    """Publish a new agreement version; every organisation must accept it again (ORG-10)."""
    require_perm(actor, "manage.legal")
    version, title, body = (normalize_text(version)[:20], normalize_text(title)[:100],
                            (body or "").strip()[:50000])
    fields: dict[str, list[str]] = {}
    if not version:
        fields["version"] = [_("请填写版本号。")]
    elif ServiceAgreement.objects.filter(version=version).exists():
        fields["version"] = [_("该版本号已存在。")]
    if not title:
        fields["title"] = [_("请填写标题。")]
    if len(body) < 20:
        fields["body"] = [_("请填写协议正文。")]
    _collect(fields, "invalid_agreement")
    with transaction.atomic():
        agreement = ServiceAgreement.objects.create(version=version, title=title, body=body)
        log_action(actor, "orgs.agreement_published", agreement, {"version": version})
    return agreement


def organisation_submit(*, actor: Any, organisation: Organisation, pledge_signed: bool,
                        agreement_version: str, ip: str | None = None) -> Organisation:
    """Wizard step 3: the signed credit pledge (ORG-1) and acceptance of the service agreement
    version in force (ORG-10); the application joins the review queue with its anomalies
    (ORG-3) flagged."""
    _owner_required(actor, organisation)
    if organisation.status not in (OrgStatus.DRAFT, OrgStatus.MORE_INFO):
        raise ServiceError("not_submittable", _("该单位已提交审核。"))
    fields: dict[str, list[str]] = {}
    if not organisation.responsible_id_index or not organisation.licences.filter(
            kind=LicenceKind.BUSINESS).exists():
        fields["__all__"] = [_("请先上传单位材料（营业执照、经办人身份证明、授权书）。")]
    if not pledge_signed:
        fields["pledge_signed"] = [_("请阅读并签署信用承诺书。")]
    agreement = service_agreement_current()
    if agreement is None:
        fields["agreement_version"] = [_("平台服务协议尚未发布，暂不能提交。")]
    elif agreement_version != agreement.version:
        fields["agreement_version"] = [_("请阅读并同意当前版本（%(v)s）的平台服务协议。") % {
            "v": agreement.version}]
    _collect(fields, "invalid_submission")
    now = timezone.now()
    with transaction.atomic():
        AgreementAcceptance.objects.get_or_create(
            organisation=organisation, agreement=agreement,
            defaults={"accepted_by": actor, "ip": ip})
        organisation.pledge_signed_at = now
        organisation.status = OrgStatus.PENDING
        organisation.submitted_at = now
        organisation.status_reason = ""
        organisation.save()
        anomalies = anomalies_detect(organisation=organisation, actor=actor)
        log_action(actor, "orgs.submitted", organisation, {
            "agreement": agreement.version, "anomalies": [a.kind for a in anomalies]}, ip=ip)
    return organisation


def organisation_register(*, actor: Any, data: OrganisationInput, materials: MaterialsInput,
                          pledge_signed: bool, agreement_version: str, device: str = "",
                          client: str = "", ip: str | None = None) -> Organisation:
    """All three wizard steps at once (the API); any refusal rolls every step back."""
    with transaction.atomic():
        org = organisation_draft_create(actor=actor, data=data, device=device, client=client,
                                        ip=ip)
        organisation_materials_submit(actor=actor, organisation=org, data=materials)
        return organisation_submit(actor=actor, organisation=org, pledge_signed=pledge_signed,
                                   agreement_version=agreement_version, ip=ip)


# --- Anomalies (ORG-3) -----------------------------------------------------------------------

def _same_name(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return re.sub(r"[\s()（）]", "", normalize_text(s))
    return norm(a) == norm(b)


def anomalies_detect(*, organisation: Organisation, actor: Any = None) -> list[Anomaly]:
    """Flag material already used by another account, one person behind many organisations and
    names that differ from the registry; the risk score orders the review queue."""
    org = organisation
    found: dict[str, dict[str, Any]] = {}

    def brief(o: Organisation) -> dict[str, Any]:
        return {"id": o.pk, "name": o.name, "status": o.status,
                "created_by": o.created_by.username}

    others = Organisation.objects.exclude(pk=org.pk).exclude(created_by=org.created_by)
    reused = list(others.filter(credit_code=org.credit_code).select_related("created_by"))
    if reused:
        found[AnomalyKind.CREDIT_CODE_REUSED] = {"organisations": [brief(o) for o in reused]}
    hashes = set(org.documents.exclude(kind=DocumentKind.LOGO).values_list("sha256", flat=True))
    same_files = list(Document.objects.filter(sha256__in=hashes).exclude(
        organisation__created_by=org.created_by).exclude(organisation=org)
        .select_related("organisation"))
    if same_files:
        found[AnomalyKind.FILE_REUSED] = {"files": [
            {"sha256": d.sha256[:16], "kind": d.kind, "organisation": d.organisation_id,
             "organisation_name": d.organisation.name} for d in same_files[:10]]}
    if org.responsible_id_index:
        same_person = list(others.filter(responsible_id_index=org.responsible_id_index)
                           .select_related("created_by"))
        if same_person:
            found[AnomalyKind.PERSON_REUSED] = {"organisations": [brief(o) for o in same_person]}
    behind = (Organisation.objects.exclude(status__in=[OrgStatus.CLOSED])
              .filter(created_by=org.created_by))
    if org.responsible_id_index:
        behind = behind | Organisation.objects.exclude(status=OrgStatus.CLOSED).filter(
            responsible_id_index=org.responsible_id_index)
    behind_list = list(behind.distinct().select_related("created_by"))
    if len(behind_list) >= MANY_ORGS_THRESHOLD:
        found[AnomalyKind.PERSON_MANY_ORGS] = {
            "count": len(behind_list), "organisations": [brief(o) for o in behind_list[:10]]}
    record = registry.lookup(org.credit_code, actor=actor, organisation=org)
    if record is None:
        found[AnomalyKind.REGISTRY_NOT_FOUND] = {"credit_code": org.credit_code}
    elif not _same_name(record.name, org.name):
        found[AnomalyKind.NAME_MISMATCH] = {"submitted": org.name, "registry": record.name}
    org.anomalies.exclude(kind__in=list(found)).delete()
    anomalies = []
    for kind, evidence in found.items():
        anomaly, _created = Anomaly.objects.update_or_create(
            organisation=org, kind=kind, defaults={"evidence": evidence})
        anomalies.append(anomaly)
    org.risk_score = min(100, sum(ANOMALY_WEIGHTS[a.kind] for a in anomalies))
    org.save(update_fields=["risk_score", "updated_at"])
    return anomalies


# --- Reviewer checklist (ORG-2) --------------------------------------------------------------

def registry_check_run(*, actor: Any, organisation: Organisation) -> VerificationCheck:
    """Look the organisation up in the official registry and record the result side by side
    with what it submitted (ORG-2)."""
    require_perm(actor, "review.organisations")
    record = registry.lookup(organisation.credit_code, actor=actor, organisation=organisation)
    problems = []
    if record is None:
        problems.append(_("工商登记中查无此统一社会信用代码。"))
    else:
        if not record.is_active:
            problems.append(_("登记状态为%(s)s。") % {"s": record.status})
        if not _same_name(record.name, organisation.name):
            problems.append(_("登记名称为“%(n)s”，与提交的名称不一致。") % {"n": record.name})
    evidence = {"found": record is not None}
    if record is not None:
        evidence.update(name=record.name, status=record.status,
                        legal_representative=record.legal_representative,
                        business_scope=record.business_scope, provider=registry.provider().name)
    with transaction.atomic():
        check = VerificationCheck.objects.create(
            organisation=organisation, kind=CheckKind.REGISTRY,
            result=CheckResult.FAILED if problems else CheckResult.PASSED,
            note="".join(problems) or _("名称、状态与登记一致（存续）。"), evidence=evidence,
            checked_by=actor)
        log_action(actor, "orgs.check_recorded", organisation,
                   {"kind": check.kind, "result": check.result})
    return check


MANUAL_CHECKS = (CheckKind.SOCIAL_INSURANCE, CheckKind.SITE_VISIT, CheckKind.BANK,
                 CheckKind.EMAIL)


def verification_check_record(*, actor: Any, organisation: Organisation, kind: str,
                              result: str, note: str, visited_on: date | None = None
                              ) -> VerificationCheck:
    """A reviewer's own finding: social-insurance proof seen, on-site visit made (ORG-2)."""
    require_perm(actor, "review.organisations")
    fields: dict[str, list[str]] = {}
    if kind not in MANUAL_CHECKS:
        fields["kind"] = [_("请选择核验项目。")]
    if result not in (CheckResult.PASSED, CheckResult.FAILED):
        fields["result"] = [_("请选择核验结果。")]
    note = normalize_text(note)[:2000]
    if not note:
        fields["note"] = [_("请写明核验依据或走访情况。")]
    if kind == CheckKind.SITE_VISIT and visited_on is None:
        fields["visited_on"] = [_("请填写走访日期。")]
    _collect(fields, "invalid_check")
    evidence = {"visited_on": visited_on.isoformat()} if visited_on else {}
    with transaction.atomic():
        check = VerificationCheck.objects.create(
            organisation=organisation, kind=kind, result=result, note=note,
            evidence=evidence, checked_by=actor)
        log_action(actor, "orgs.check_recorded", organisation, {"kind": kind, "result": result})
    return check


class LocalBankProvider:
    """Pays a small amount to an account and records it as the 'bank statement'."""

    name = "local"

    def pay(self, *, account_index: str, amount_fen: int, memo: str) -> str:
        reference = "PQ" + secrets.token_hex(8).upper()
        LocalBankTransfer.objects.create(reference=reference, account_index=account_index,
                                         amount_fen=amount_fen, memo=memo)
        return reference


def bank_deposit_start(*, actor: Any, organisation: Organisation, bank_name: str,
                       account_number: str) -> MicroDeposit:
    """Send 0.01–0.99 yuan to the company's settlement account (ORG-2 企业银行结算账户)."""
    _owner_required(actor, organisation)
    account = re.sub(r"\s", "", normalize_text(account_number))
    fields: dict[str, list[str]] = {}
    if not re.fullmatch(r"\d{8,30}", account):
        fields["account_number"] = [_("请输入正确的对公银行账号（8至30位数字）。")]
    bank_name = normalize_text(bank_name)[:60]
    if not bank_name:
        fields["bank_name"] = [_("请填写开户银行。")]
    _collect(fields, "invalid_bank_account")
    if organisation.micro_deposits.filter(
            sent_at__gte=timezone.now() - timedelta(days=1)).count() >= 3:
        raise ServiceError("deposit_rate_limited", _("每天最多发起3次打款验证，请明天再试。"),
                           status=429)
    amount = secrets.randbelow(99) + 1
    index = keyed_digest(account, purpose="bank_account")
    with transaction.atomic():
        reference = LocalBankProvider().pay(account_index=index, amount_fen=amount,
                                            memo=f"聘桥验证 {organisation.pk}")
        deposit = MicroDeposit.objects.create(
            organisation=organisation, bank_name=bank_name, account_masked=mask_phone(account),
            account_index=index, provider_reference=reference,
            amount_digest=keyed_digest(str(amount), purpose=f"deposit:{reference}"),
            expires_at=timezone.now() + timedelta(days=3))
        log_action(actor, "orgs.bank_deposit_sent", organisation,
                   {"account": deposit.account_masked, "reference": reference})
    return deposit


def bank_deposit_confirm(*, actor: Any, organisation: Organisation, amount_yuan: str
                         ) -> VerificationCheck:
    """The applicant reports the amount received; three tries, valid three days."""
    _owner_required(actor, organisation)
    deposit = organisation.micro_deposits.filter(confirmed_at__isnull=True).order_by(
        "-sent_at").first()
    if deposit is None or deposit.expires_at <= timezone.now():
        raise _fail("deposit_missing", _("没有待确认的打款，请重新发起验证。"), "amount_yuan")
    if deposit.attempts >= 3:
        raise _fail("deposit_locked", _("回填错误次数过多，请重新发起验证。"), "amount_yuan")
    try:
        fen = int((Decimal(normalize_text(amount_yuan)) * 100).to_integral_exact())
    except (InvalidOperation, ValueError):
        raise _fail("invalid_amount", _("请输入收到的金额，例如 0.37。"), "amount_yuan") from None
    matched = keyed_digest(str(fen), purpose=f"deposit:{deposit.provider_reference}") == \
        deposit.amount_digest
    with transaction.atomic():
        deposit.attempts += 1
        if matched:
            deposit.confirmed_at = timezone.now()
        deposit.save()
        check = VerificationCheck.objects.create(
            organisation=organisation, kind=CheckKind.BANK,
            result=CheckResult.PASSED if matched else CheckResult.FAILED,
            note=(_("申请人回填打款金额正确（%(acct)s）。") if matched
                  else _("申请人回填的金额不符（%(acct)s）。")) % {"acct": deposit.account_masked},
            evidence={"reference": deposit.provider_reference, "bank": deposit.bank_name,
                      "attempt": deposit.attempts, "reported_by": actor.username},
            checked_by=None)
        log_action(actor, "orgs.check_recorded", organisation,
                   {"kind": CheckKind.BANK, "result": check.result})
    if not matched:
        raise _fail("deposit_mismatch", _("金额不正确，请核对银行流水后重试。"), "amount_yuan")
    return check


def email_code_send(*, actor: Any, organisation: Organisation, email: str) -> EmailDomainCode:
    """Send a code to an address on the company's own domain (ORG-2 企业邮箱查验)."""
    _owner_required(actor, organisation)
    email = normalize_text(email).lower()
    try:
        validate_email(email)
    except ValidationError:
        raise _fail("invalid_email", _("请输入有效的企业邮箱。"), "email") from None
    domain = email.rsplit("@", 1)[1]
    if domain in FREE_MAIL_DOMAINS:
        raise _fail("free_mail", _("请使用单位自有域名的企业邮箱，不能使用个人免费邮箱。"),
                    "email")
    if organisation.email_codes.filter(
            sent_at__gte=timezone.now() - timedelta(hours=1)).count() >= 5:
        raise ServiceError("email_rate_limited", _("验证码发送过于频繁，请一小时后再试。"),
                           status=429)
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        record = EmailDomainCode.objects.create(
            organisation=organisation, domain=domain,
            code_digest=keyed_digest(code, purpose=f"org_email:{organisation.pk}"),
            expires_at=timezone.now() + timedelta(minutes=30))
        log_action(actor, "orgs.email_code_sent", organisation, {"email": mask_email(email)})
        send_mail(_("聘桥单位认证：企业邮箱验证码"),
                  _("您的验证码是 %(code)s，30分钟内有效。") % {"code": code}, None, [email])
    return record


def email_code_confirm(*, actor: Any, organisation: Organisation, code: str
                       ) -> VerificationCheck:
    _owner_required(actor, organisation)
    record = organisation.email_codes.filter(confirmed_at__isnull=True).order_by(
        "-sent_at").first()
    if record is None or record.expires_at <= timezone.now() or record.attempts >= 5:
        raise _fail("email_code_missing", _("验证码已失效，请重新发送。"), "code")
    matched = keyed_digest(normalize_text(code), purpose=f"org_email:{organisation.pk}") == \
        record.code_digest
    with transaction.atomic():
        record.attempts += 1
        if matched:
            record.confirmed_at = timezone.now()
        record.save()
        if matched:
            check = VerificationCheck.objects.create(
                organisation=organisation, kind=CheckKind.EMAIL, result=CheckResult.PASSED,
                note=_("已通过 @%(d)s 企业邮箱验证码验证。") % {"d": record.domain},
                evidence={"domain": record.domain, "reported_by": actor.username})
            log_action(actor, "orgs.check_recorded", organisation,
                       {"kind": CheckKind.EMAIL, "result": check.result})
    if not matched:
        raise _fail("email_code_invalid", _("验证码错误。"), "code")
    return check


SUPPLEMENTARY_KINDS = (DocumentKind.SOCIAL_INSURANCE, DocumentKind.AUTHORISATION_LETTER,
                       DocumentKind.ID_PROOF, DocumentKind.BUSINESS_LICENCE)


def document_upload(*, actor: Any, organisation: Organisation, kind: str,
                    upload: UploadedFile | None) -> Document:
    """Supplementary material for the reviewer, e.g. the social-insurance proof (ORG-2) or a
    clearer copy asked for with 'more material'; archived with the rest (ORG-7)."""
    _owner_required(actor, organisation)
    if organisation.status == OrgStatus.CLOSED:
        raise ServiceError("closed", _("单位已关闭。"))
    if kind not in SUPPLEMENTARY_KINDS:
        raise _fail("invalid_kind", _("请选择材料类型。"), "kind")
    checked = check_upload(upload, field="file")
    with transaction.atomic():
        document = _store(actor, organisation, kind, checked)
        log_action(actor, "orgs.document_uploaded", document,
                   {"organisation": organisation.pk, "kind": kind})
    return document


# --- Decisions (ORG-2) -----------------------------------------------------------------------

def _reviewable(organisation: Organisation) -> bool:
    return organisation.status == OrgStatus.PENDING or (
        organisation.reverify_requested_at is not None
        and organisation.status in (OrgStatus.VERIFIED, OrgStatus.SUSPENDED))


def organisation_approve(*, actor: Any, organisation: Organisation, note: str = ""
                         ) -> Organisation:
    """Approve after a passed registry check (ORG-2): the organisation becomes verified, its
    unexpired pending licences and client authorisations verified with it, and the next
    re-check falls due in six months (ORG-7). The applicant is notified."""
    require_perm(actor, "review.organisations")
    if not _reviewable(organisation):
        raise ServiceError("not_pending", _("该单位当前不在待审核状态。"))
    latest = organisation.checks.filter(kind=CheckKind.REGISTRY).first()
    since = organisation.reverify_requested_at or organisation.submitted_at
    if latest is None or latest.result != CheckResult.PASSED or (
            since and latest.checked_at < since):
        raise ServiceError("registry_check_required", _(
            "请先完成工商登记核验且结果为通过，再批准。"))
    today = timezone.localdate()
    pending = list(organisation.licences.filter(status=ReviewStatus.PENDING))
    expired = [lic for lic in pending if lic.valid_until and lic.valid_until < today]
    business_ok = any(lic.kind == LicenceKind.BUSINESS for lic in pending if lic not in expired) \
        or organisation.licences.filter(kind=LicenceKind.BUSINESS,
                                        status=ReviewStatus.VERIFIED).exists()
    if not business_ok:
        raise ServiceError("licence_expired", _("营业执照已过期或未上传，不能批准。"))
    now = timezone.now()
    with transaction.atomic():
        for lic in pending:
            lic.status = ReviewStatus.EXPIRED if lic in expired else ReviewStatus.VERIFIED
            lic.reviewed_by, lic.reviewed_at = actor, now
            lic.save()
        for auth in organisation.client_authorisations.filter(status=ReviewStatus.PENDING):
            auth.status = (ReviewStatus.VERIFIED if auth.valid_until >= today
                           else ReviewStatus.EXPIRED)
            auth.reviewed_by, auth.reviewed_at = actor, now
            auth.save()
        organisation.status = OrgStatus.VERIFIED
        organisation.status_reason = normalize_text(note)[:2000]
        organisation.verified_at = now
        organisation.next_review_due = now + REVERIFY_INTERVAL
        organisation.reverify_requested_at = None
        organisation.reverify_reminded_at = None
        organisation.save()
        log_action(actor, "orgs.approved", organisation, {"note": organisation.status_reason})
        _notify_owner(organisation, "org_approved", {})
    return organisation


def organisation_refuse(*, actor: Any, organisation: Organisation, reasons: str) -> Organisation:
    require_perm(actor, "review.organisations")
    if not _reviewable(organisation):
        raise ServiceError("not_pending", _("该单位当前不在待审核状态。"))
    reasons = normalize_text(reasons)[:2000]
    if not reasons:
        raise _fail("reason_required", _("请写明不通过的原因，申请人会收到。"), "reasons")
    recheck = organisation.status != OrgStatus.PENDING
    with transaction.atomic():
        # A failed re-check suspends a verified organisation; only applications are refused.
        organisation.status = OrgStatus.SUSPENDED if recheck else OrgStatus.REFUSED
        organisation.status_reason = reasons
        organisation.reverify_requested_at = None
        organisation.save()
        log_action(actor, "orgs.refused", organisation, {"reasons": reasons, "recheck": recheck})
        _notify_owner(organisation, "org_suspended" if recheck else "org_refused",
                      {"reason": reasons})
    return organisation


def organisation_request_more(*, actor: Any, organisation: Organisation, message: str
                              ) -> Organisation:
    """Ask for more material or an explanation (ORG-2, ORG-3 提交说明)."""
    require_perm(actor, "review.organisations")
    if organisation.status != OrgStatus.PENDING:
        raise ServiceError("not_pending", _("该单位当前不在待审核状态。"))
    message = normalize_text(message)[:2000]
    if not message:
        raise _fail("message_required", _("请写明需要补充的材料或说明。"), "message")
    with transaction.atomic():
        organisation.status = OrgStatus.MORE_INFO
        organisation.status_reason = message
        organisation.save()
        log_action(actor, "orgs.more_info_requested", organisation, {"message": message})
        _notify_owner(organisation, "org_more_info", {"reason": message})
    return organisation


def organisation_suspend(*, actor: Any, organisation: Organisation, reason: str
                         ) -> Organisation:
    """Suspend posting (sanctions, ORG-7 re-verification). ``actor`` None is the system."""
    if actor is not None:
        require_perm(actor, "review.organisations")
    reason = normalize_text(reason)[:2000]
    if not reason:
        raise _fail("reason_required", _("请写明暂停原因。"), "reason")
    if organisation.status in (OrgStatus.CLOSED, OrgStatus.SUSPENDED):
        return organisation
    with transaction.atomic():
        organisation.status = OrgStatus.SUSPENDED
        organisation.status_reason = reason
        organisation.save()
        log_action(actor, "orgs.suspended", organisation, {"reason": reason})
        _notify_owner(organisation, "org_suspended", {"reason": reason})
    return organisation


def organisation_close(*, actor: Any, organisation: Organisation, reason: str) -> Organisation:
    """Close an organisation for good and put its credit code, its responsible person and its
    registration device (cookie id and server-side fingerprint) on the banned list (ORG-9)."""
    require_perm(actor, "review.organisations")
    reason = normalize_text(reason)[:2000]
    if not reason:
        raise _fail("reason_required", _("请写明关闭原因。"), "reason")
    if organisation.status == OrgStatus.CLOSED:
        return organisation
    with transaction.atomic():
        organisation.status = OrgStatus.CLOSED
        organisation.status_reason = reason
        organisation.closed_at = timezone.now()
        organisation.save()
        for kind, value in ((BanKind.CREDIT_CODE, organisation.credit_code),
                            (BanKind.PERSON, organisation.responsible_id_index),
                            (BanKind.DEVICE, organisation.registration_device),
                            (BanKind.DEVICE, organisation.registration_client_digest)):
            if value:
                BannedEntry.objects.get_or_create(kind=kind, value=value, defaults={
                    "reason": reason, "organisation": organisation, "created_by": actor})
        log_action(actor, "orgs.closed", organisation, {"reason": reason, "banned": True})
        _notify_owner(organisation, "org_suspended", {"reason": reason})
    return organisation


def organisation_blacklist(*, actor: Any, organisation: Organisation, reason: str
                           ) -> Organisation:
    """The blacklist (RISK-2): the organisation is closed (credit code, responsible person and
    device banned, ORG-9) and the phones of its owner and of whoever registered it are banned
    too, so neither the organisation nor the person can register again. Only after a second
    reviewer approved the measure (MOD-5, in ``moderation.sanction_approve``)."""
    organisation_close(actor=actor, organisation=organisation, reason=reason)
    users = {m.user for m in organisation.memberships.filter(role=MemberRole.OWNER)
             .select_related("user")}
    if organisation.created_by_id:
        users.add(organisation.created_by)
    with transaction.atomic():
        banned = []
        for user in users:
            if user.phone_index:
                BannedEntry.objects.get_or_create(
                    kind=BanKind.PHONE, value=user.phone_index, defaults={
                        "reason": reason, "organisation": organisation, "created_by": actor})
                banned.append(user.pk)
        log_action(actor, "orgs.blacklisted", organisation,
                   {"reason": normalize_text(reason)[:200], "users": sorted(banned)})
    return organisation


def phone_banned(phone_index: str) -> bool:
    """True when a phone (its blind index) is on the blacklist (RISK-2)."""
    return bool(phone_index) and BannedEntry.objects.filter(kind=BanKind.PHONE,
                                                            value=phone_index).exists()


def organisation_reverify_request(*, actor: Any, organisation: Organisation) -> Organisation:
    """The owner asks for the periodic re-check (ORG-7) after updating materials."""
    _owner_required(actor, organisation)
    if organisation.status not in (OrgStatus.VERIFIED, OrgStatus.SUSPENDED):
        raise ServiceError("not_verified", _("只有已认证或被暂停的单位可以申请复核。"))
    with transaction.atomic():
        organisation.reverify_requested_at = timezone.now()
        organisation.save(update_fields=["reverify_requested_at", "updated_at"])
        log_action(actor, "orgs.reverify_requested", organisation)
    return organisation


# --- Licences and client authorisations (ORG-4, ORG-5, ORG-12) ------------------------------

LICENCE_DOCUMENT = {
    LicenceKind.BUSINESS: DocumentKind.BUSINESS_LICENCE,
    LicenceKind.HR_SERVICE: DocumentKind.HR_LICENCE,
    LicenceKind.LABOUR_DISPATCH: DocumentKind.DISPATCH_LICENCE,
    LicenceKind.SPECIAL_PERMIT: DocumentKind.SPECIAL_PERMIT,
}


def licence_add(*, actor: Any, organisation: Organisation, kind: str, number: str,
                authority: str, valid_until: date | None, upload: UploadedFile | None,
                scope: str = "", permit: str = "",
                client: ClientAuthorisation | None = None) -> Licence:
    """Add a licence or special permit (pending until a reviewer verifies it). An agency files
    a client's special permit with ``client`` for 代招 in a special-permit industry (ORG-12)."""
    _owner_required(actor, organisation)
    if client is not None and (client.agency_id != organisation.pk
                               or kind != LicenceKind.SPECIAL_PERMIT):
        raise _fail("invalid_client", _("只能为本机构的委托单位登记特许经营许可证。"), "client")
    if organisation.status == OrgStatus.CLOSED:
        raise ServiceError("closed", _("单位已关闭。"))
    fields: dict[str, list[str]] = {}
    if kind not in LicenceKind.values:
        fields["kind"] = [_("请选择证照类型。")]
    if kind == LicenceKind.SPECIAL_PERMIT and not SpecialPermitRule.objects.filter(
            slug=permit, is_active=True).exists():
        fields["permit"] = [_("请选择特许经营许可类别。")]
    if kind == LicenceKind.HR_SERVICE and organisation.kind != OrgKind.AGENCY:
        fields["kind"] = [_("只有人力资源服务机构账号可以登记人力资源服务许可证。")]
    number = normalize_text(number)[:60]
    if not number:
        fields["number"] = [_("请填写证书编号。")]
    authority = normalize_text(authority)[:100]
    if not authority:
        fields["authority"] = [_("请填写发证机关。")]
    _date_not_expired(valid_until, "valid_until", _("该证照"), fields,
                      required=kind != LicenceKind.BUSINESS)
    try:
        checked = check_upload(upload, field="file")
    except ServiceError as exc:
        fields.update(exc.fields)
    _collect(fields, "invalid_licence")
    with transaction.atomic():
        doc = _store(actor, organisation, LICENCE_DOCUMENT[kind], checked)
        licence = Licence.objects.create(
            organisation=organisation, kind=kind,
            permit=permit if kind == LicenceKind.SPECIAL_PERMIT else "", number=number,
            authority=authority, scope=normalize_text(scope)[:2000], valid_until=valid_until,
            file=doc, client=client)
        log_action(actor, "orgs.licence_added", licence,
                   {"organisation": organisation.pk, "kind": kind, "permit": permit,
                    "client": client.pk if client else None})
    return licence


def licence_review(*, actor: Any, licence: Licence, approve: bool, note: str = "") -> Licence:
    require_perm(actor, "review.organisations")
    if licence.status != ReviewStatus.PENDING:
        raise ServiceError("not_pending", _("该证照不在待审核状态。"))
    note = normalize_text(note)[:2000]
    if not approve and not note:
        raise _fail("reason_required", _("请写明不通过的原因。"), "note")
    if approve and licence.valid_until and licence.valid_until < timezone.localdate():
        raise ServiceError("licence_expired", _("该证照已过期，不能通过。"))
    if approve and licence.kind == LicenceKind.HR_SERVICE and not \
            scope_covers_online_recruitment(licence.scope):
        note = note or _("许可范围不含网络招聘：可登记，但不能代招。")
    with transaction.atomic():
        licence.status = ReviewStatus.VERIFIED if approve else ReviewStatus.REFUSED
        licence.reviewed_by, licence.reviewed_at = actor, timezone.now()
        licence.review_note = note
        licence.save()
        log_action(actor, "orgs.licence_reviewed", licence,
                   {"organisation": licence.organisation_id, "result": licence.status})
    return licence


def client_authorisation_add(*, actor: Any, organisation: Organisation, client_name: str,
                             client_credit_code: str, valid_from: date, valid_until: date,
                             upload: UploadedFile | None, scope: str = ""
                             ) -> ClientAuthorisation:
    """An agency records a client with the uploaded 委托证明 (ORG-5); one authorisation file
    per client record, one record per 代招 posting."""
    _owner_required(actor, organisation)
    fields: dict[str, list[str]] = {}
    if organisation.kind != OrgKind.AGENCY:
        raise NotPermitted(_("只有人力资源服务机构可以登记委托单位。"))
    client_name = normalize_text(client_name)[:100]
    if len(client_name) < 2:
        fields["client_name"] = [_("请填写委托单位全称。")]
    try:
        code = uscc_parse(client_credit_code).code
    except ValueError as exc:
        fields["client_credit_code"] = [str(exc)]
        code = ""
    if code and code == organisation.credit_code:
        fields["client_credit_code"] = [_("委托单位不能是本机构自己。")]
    if not valid_from or not valid_until:
        fields["valid_until"] = [_("请填写委托期限。")]
    elif valid_until < valid_from:
        fields["valid_until"] = [_("委托截止日期不能早于起始日期。")]
    elif valid_until < timezone.localdate():
        fields["valid_until"] = [_("委托证明已过期，请上传有效期内的委托证明。")]
    try:
        checked = check_upload(upload, field="file")
    except ServiceError as exc:
        fields.update(exc.fields)
    _collect(fields, "invalid_client")
    with transaction.atomic():
        doc = _store(actor, organisation, DocumentKind.CLIENT_AUTHORISATION, checked)
        auth = ClientAuthorisation.objects.create(
            agency=organisation, client_name=client_name, client_credit_code=code,
            scope=normalize_text(scope)[:2000], file=doc, valid_from=valid_from,
            valid_until=valid_until, created_by=actor)
        log_action(actor, "orgs.client_added", auth,
                   {"agency": organisation.pk, "client_credit_code": code})
    return auth


def client_authorisation_review(*, actor: Any, authorisation: ClientAuthorisation,
                                approve: bool, note: str = "") -> ClientAuthorisation:
    require_perm(actor, "review.organisations")
    if authorisation.status != ReviewStatus.PENDING:
        raise ServiceError("not_pending", _("该委托证明不在待审核状态。"))
    note = normalize_text(note)[:2000]
    if not approve and not note:
        raise _fail("reason_required", _("请写明不通过的原因。"), "note")
    if approve and authorisation.valid_until < timezone.localdate():
        raise ServiceError("expired", _("该委托证明已过期，不能通过。"))
    with transaction.atomic():
        authorisation.status = ReviewStatus.VERIFIED if approve else ReviewStatus.REFUSED
        authorisation.reviewed_by, authorisation.reviewed_at = actor, timezone.now()
        authorisation.review_note = note
        authorisation.save()
        log_action(actor, "orgs.client_reviewed", authorisation,
                   {"agency": authorisation.agency_id, "result": authorisation.status})
    return authorisation


# --- Members (ORG-6, ACC-2) ------------------------------------------------------------------

def _perms(perms: dict[str, bool]) -> dict[str, bool]:
    return {name: bool(perms.get(name, False)) for name in Membership.PERM_FIELDS}


def member_invite(*, actor: Any, organisation: Organisation, phone: str,
                  perms: dict[str, bool]) -> Membership:
    """The owner adds a recruiter by phone number with the permissions chosen; a person already
    in the organisation is refused (database constraint)."""
    _owner_required(actor, organisation)
    if organisation.status == OrgStatus.CLOSED:
        raise ServiceError("closed", _("单位已关闭。"))
    try:
        phone = normalize_phone(phone)
    except ValidationError as exc:
        raise _fail("invalid_phone", exc.messages[0], "phone") from exc
    user = User.objects.filter(phone_index=phone_index(phone), is_active=True).first()
    if user is None or user.role != Role.RECRUITER:
        raise _fail("not_recruiter", _(
            "该手机号尚未注册招聘者账号，请对方先在聘桥注册招聘者账号后再邀请。"), "phone")
    already = _("该成员已在本单位中，不能重复邀请。")
    if Membership.objects.filter(organisation=organisation, user=user).exists():
        raise _fail("already_member", already, "phone")
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                organisation=organisation, user=user, role=MemberRole.MEMBER,
                invited_by=actor, **_perms(perms))
            log_action(actor, "orgs.member_added", membership, {
                "organisation": organisation.pk, "phone": mask_phone(phone),
                "perms": _perms(perms)})
            notify(user, "org_member_added", {"organisation": organisation.name},
                   link=f"/orgs/{organisation.pk}/")
    except IntegrityError as exc:
        raise _fail("already_member", already, "phone") from exc
    return membership


def member_update(*, actor: Any, membership: Membership, perms: dict[str, bool]) -> Membership:
    _owner_required(actor, membership.organisation)
    if membership.role == MemberRole.OWNER:
        raise ServiceError("owner_perms", _("管理员始终拥有全部权限。"))
    before = {name: getattr(membership, name) for name in Membership.PERM_FIELDS}
    with transaction.atomic():
        for name, value in _perms(perms).items():
            setattr(membership, name, value)
        membership.save()
        log_action(actor, "orgs.member_perms_changed", membership, {
            "organisation": membership.organisation_id, "before": before,
            "after": _perms(perms)})
    return membership


def member_remove(*, actor: Any, membership: Membership) -> None:
    _owner_required(actor, membership.organisation)
    if membership.role == MemberRole.OWNER:
        raise ServiceError("owner_remove", _("不能移除单位管理员。"))
    with transaction.atomic():
        log_action(actor, "orgs.member_removed", membership, {
            "organisation": membership.organisation_id, "user": membership.user.username})
        membership.delete()


# --- Profile and fees (ORG-11, DISC-4) -------------------------------------------------------

PROFILE_FIELDS = ("introduction", "highlights", "benefits", "team", "website")


def organisation_profile_update(*, actor: Any, organisation: Organisation,
                                changes: dict[str, Any], logo: UploadedFile | None = None
                                ) -> Organisation:
    """The public profile (ORG-11) and, for agencies, the seeker fee statement (DISC-4)."""
    _owner_required(actor, organisation)
    fields: dict[str, list[str]] = {}
    clean = {name: normalize_text(str(changes.get(name, "") or ""))[:5000]
             for name in PROFILE_FIELDS if name in changes}
    if clean.get("website") and not re.match(r"^https?://[^\s/]+", clean["website"]):
        fields["website"] = [_("网址应以 http:// 或 https:// 开头。")]
    if organisation.kind == OrgKind.AGENCY and "charges_seekers" in changes:
        clean["charges_seekers"] = bool(changes["charges_seekers"])
        fee = normalize_text(str(changes.get("seeker_fee_description") or ""))[:2000]
        if clean["charges_seekers"] and not fee:
            fields["seeker_fee_description"] = [_("向求职者收费的，须写明收费项目和标准。")]
        clean["seeker_fee_description"] = fee if clean["charges_seekers"] else ""
    checked = None
    if logo is not None:
        try:
            checked = check_upload(logo, field="logo", allowed=IMAGE_TYPES)
        except ServiceError as exc:
            fields.update(exc.fields)
    _collect(fields, "invalid_profile")
    _screen_public(clean, organisation)
    with transaction.atomic():
        for name, value in clean.items():
            setattr(organisation, name, value)
        if checked is not None:
            organisation.logo = _store(actor, organisation, DocumentKind.LOGO, checked)
        organisation.save()
        log_action(actor, "orgs.profile_updated", organisation, {
            "fields": sorted(clean) + (["logo"] if checked else []),
            "charges_seekers": organisation.charges_seekers})
    return organisation


# --- Credit record (RISK-3) -----------------------------------------------------------------

def violation_record(*, actor: Any, organisation: Organisation, rule: str, what: str,
                     sanction: str, severity: str = Severity.MINOR,
                     occurred_at: datetime | None = None) -> Violation:
    """Add a violation to the credit record and recompute the credit score (RISK-3); ``actor``
    None is the system (automatic sanctions)."""
    if actor is not None and not has_perm(actor, "review.organisations"):
        raise NotPermitted(_("您没有记录违规的权限。"))
    fields: dict[str, list[str]] = {}
    rule, what, sanction = (normalize_text(rule)[:200], normalize_text(what)[:5000],
                            normalize_text(sanction)[:200])
    for name, value in (("rule", rule), ("what", what), ("sanction", sanction)):
        if not value:
            fields[name] = [_("此项必填。")]
    if severity not in Severity.values:
        fields["severity"] = [_("请选择严重程度。")]
    _collect(fields, "invalid_violation")
    with transaction.atomic():
        violation = Violation.objects.create(
            organisation=organisation, rule=rule, what=what, sanction=sanction,
            severity=severity, occurred_at=occurred_at or timezone.now(), created_by=actor)
        organisation.credit_score = credit_score_for(list(organisation.violations.all()))
        organisation.save(update_fields=["credit_score", "updated_at"])
        log_action(actor, "orgs.violation_recorded", organisation, {
            "rule": rule, "sanction": sanction, "severity": severity,
            "credit_score": organisation.credit_score})
        _notify_owner(organisation, "org_violation", {"rule": rule, "sanction": sanction})
    return violation



def violation_overturn(*, actor: Any, violation_id: int, reason: str) -> None:
    """Take a violation off the credit record when an appeal against its sanction is upheld
    (RISK-2, RISK-3); the audit log keeps what it said."""
    if not has_perm(actor, "review.content"):
        raise NotPermitted(_("您没有撤销违规记录的权限。"))
    with transaction.atomic():
        violation = Violation.objects.select_for_update().filter(pk=violation_id).first()
        if violation is None:
            return
        organisation = violation.organisation
        log_action(actor, "orgs.violation_overturned", organisation, {
            "violation": violation.pk, "rule": violation.rule, "sanction": violation.sanction,
            "reason": normalize_text(reason)[:500]})
        violation.delete()
        organisation.credit_score = credit_score_for(list(organisation.violations.all()))
        organisation.save(update_fields=["credit_score", "updated_at"])

# --- Special-permit industries (ORG-12) -----------------------------------------------------

def special_permit_rule_save(*, actor: Any, rule: SpecialPermitRule | None,
                             data: dict[str, Any]) -> SpecialPermitRule:
    require_perm(actor, "manage.special_permits")
    fields: dict[str, list[str]] = {}
    codes = [c.strip() for c in re.split(r"[,，\s]+", str(data.get("industries", ""))) if c.strip()]
    unknown = [c for c in codes if taxonomy.industry(c) is None]
    if not codes:
        fields["industries"] = [_("请至少填写一个行业代码。")]
    elif unknown:
        fields["industries"] = [_("未知的行业代码：%(c)s") % {"c": "、".join(unknown)}]
    for name in ("industry_label", "permit_name", "authority"):
        if not normalize_text(str(data.get(name, ""))):
            fields[name] = [_("此项必填。")]
    slug = normalize_text(str(data.get("slug", "")))
    if rule is None and not re.fullmatch(r"[a-z][a-z0-9_]{1,39}", slug):
        fields["slug"] = [_("代码须为小写字母、数字和下划线。")]
    elif rule is None and SpecialPermitRule.objects.filter(slug=slug).exists():
        fields["slug"] = [_("该代码已存在。")]
    _collect(fields, "invalid_rule")
    with transaction.atomic():
        rule = rule or SpecialPermitRule(slug=slug)
        rule.industry_label = normalize_text(str(data["industry_label"]))[:60]
        rule.permit_name = normalize_text(str(data["permit_name"]))[:60]
        rule.authority = normalize_text(str(data["authority"]))[:100]
        rule.basis = normalize_text(str(data.get("basis", "")))[:200]
        rule.industries = codes
        rule.is_active = bool(data.get("is_active", True))
        rule.updated_by = actor
        rule.save()
        log_action(actor, "orgs.special_permit_rule_saved", rule,
                   {"slug": rule.slug, "industries": codes, "active": rule.is_active})
    return rule


# --- Re-verification (ORG-7) ----------------------------------------------------------------

@dataclass
class ReverifySummary:
    reminded: int = 0
    licence_warnings: int = 0
    licences_expired: int = 0
    suspended: int = 0

    def line(self, dry_run: bool) -> str:
        prefix = "[dry-run] " if dry_run else ""
        return (f"{prefix}reverify_organisations: reminded={self.reminded} "
                f"licence_warnings={self.licence_warnings} "
                f"licences_expired={self.licences_expired} suspended={self.suspended}")


def _due_before(moment: datetime) -> Q:
    """Organisations whose re-check fell due at or before ``moment``."""
    return Q(next_review_due__lte=moment) | Q(verified_at__lte=moment - REVERIFY_INTERVAL)


def _due(org: Organisation) -> datetime:
    """The earlier of the recorded due date and six months after the last verification."""
    candidates = [d for d in (org.next_review_due,
                              org.verified_at and org.verified_at + REVERIFY_INTERVAL) if d]
    return min(candidates) if candidates else timezone.now()


def reverification_run(*, now: datetime | None = None, dry_run: bool = False
                       ) -> ReverifySummary:
    """Remind organisations due for the six-monthly re-check or with a licence expiring within
    30 days; mark expired licences (suspending what depends on them, and the organisation when
    its business licence lapsed); suspend organisations more than 14 days overdue (ORG-7)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    summary = ReverifySummary()
    live = Organisation.objects.filter(status=OrgStatus.VERIFIED)
    # 1. Expired licences.
    for lic in Licence.objects.filter(status=ReviewStatus.VERIFIED, valid_until__lt=today,
                                      organisation__status__in=[OrgStatus.VERIFIED,
                                                                OrgStatus.SUSPENDED]
                                      ).select_related("organisation"):
        summary.licences_expired += 1
        if dry_run:
            continue
        with transaction.atomic():
            lic.status = ReviewStatus.EXPIRED
            lic.save(update_fields=["status"])
            log_action(None, "orgs.licence_expired", lic, {"organisation": lic.organisation_id,
                                                           "kind": lic.kind})
            org = lic.organisation
            if lic.kind == LicenceKind.BUSINESS and org.status == OrgStatus.VERIFIED:
                organisation_suspend(actor=None, organisation=org, reason=_(
                    "营业执照已于 %(d)s 过期，发布权限已暂停；请上传新证照并申请复核。") % {
                    "d": lic.valid_until.isoformat()})
                summary.suspended += 1
            else:
                _notify_owner(org, "org_licence_expired", {
                    "licence": lic.get_kind_display(), "date": lic.valid_until.isoformat()})
    # 2. Licences expiring within 30 days: remind once.
    for lic in Licence.objects.filter(
            status=ReviewStatus.VERIFIED, valid_until__gte=today,
            valid_until__lte=today + LICENCE_WARNING, expiry_reminded_at__isnull=True,
            organisation__status=OrgStatus.VERIFIED).select_related("organisation"):
        summary.licence_warnings += 1
        if not dry_run:
            with transaction.atomic():
                lic.expiry_reminded_at = now
                lic.save(update_fields=["expiry_reminded_at"])
                _notify_owner(lic.organisation, "org_licence_expiring", {
                    "licence": lic.get_kind_display(), "date": lic.valid_until.isoformat()})
    # 3. Overdue re-checks suspend; due ones are reminded.
    for org in live.filter(_due_before(now - REVERIFY_GRACE)):
        summary.suspended += 1
        if not dry_run:
            organisation_suspend(actor=None, organisation=org, reason=_(
                "超过半年未完成定期复核（应于 %(d)s 前完成），发布权限已暂停；"
                "请更新材料并申请复核。") % {"d": timezone.localdate(_due(org))})
    for org in live.filter(_due_before(now), reverify_reminded_at__isnull=True).exclude(
            _due_before(now - REVERIFY_GRACE)):
        summary.reminded += 1
        if not dry_run:
            with transaction.atomic():
                org.reverify_reminded_at = now
                org.save(update_fields=["reverify_reminded_at", "updated_at"])
                log_action(None, "orgs.reverify_reminded", org)
                _notify_owner(org, "org_reverify_due", {
                    "date": timezone.localdate(_due(org) + REVERIFY_GRACE)})
    return summary


def organisation_get_or_404(organisation_id: int) -> Organisation:
    org = Organisation.objects.filter(pk=organisation_id).first()
    if org is None:
        raise NotFound(_("单位不存在。"))
    return org

