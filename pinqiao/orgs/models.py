"""Organisations on Pinqiao (ORG-1 … ORG-12, ACC-2, DISC-3, DISC-4, RISK-3).

An organisation is a self-hiring employer, an HR-service agency or a public employment service.
It registers (ORG-1), is reviewed with evidence (ORG-2, ORG-3), holds licences that decide what
it may post (ORG-4, ORG-5, ORG-12), has members with permissions (ORG-6), is re-verified every
six months (ORG-7), carries a credit record (RISK-3) and, once closed, stays on the banned list
(ORG-9). Personal data (the responsible person's ID number, contact phone) is stored encrypted
with a blind index for lookups (PRIV-1).
"""

from __future__ import annotations

import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pinqiao.reference import taxonomy


class OrgKind(models.TextChoices):
    EMPLOYER = "employer", _("用人单位")
    AGENCY = "agency", _("人力资源服务机构")
    PUBLIC_SERVICE = "public_service", _("公共就业服务机构")


class OrgStatus(models.TextChoices):
    DRAFT = "draft", _("填写中")
    PENDING = "pending", _("待审核")
    MORE_INFO = "more_info", _("待补充材料")
    VERIFIED = "verified", _("已认证")
    REFUSED = "refused", _("未通过")
    SUSPENDED = "suspended", _("已暂停")
    CLOSED = "closed", _("已关闭")


# Statuses that do not hold the credit code: a closed organisation is banned instead (ORG-9), a
# refused application must not block the real company from registering afterwards.
RELEASED_STATUSES = (OrgStatus.CLOSED, OrgStatus.REFUSED)


def _private_name(instance: object, filename: str) -> str:
    """A random name under ``orgs/``; the uploader's file name is kept only in the database."""
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"orgs/{secrets.token_hex(16)}{suffix}"


# Files live under MEDIA_ROOT, which no URL serves: only the permission-checked view reads them.
private_storage = FileSystemStorage(base_url="/nowhere/")


class Organisation(models.Model):
    """A registered organisation (ORG-1) and its verification state (ORG-2, ORG-7)."""

    name = models.CharField(_("单位名称"), max_length=100)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, db_index=True)
    kind = models.CharField(_("账号类型"), max_length=16, choices=OrgKind.choices)
    status = models.CharField(_("状态"), max_length=16, choices=OrgStatus.choices,
                              default=OrgStatus.DRAFT, db_index=True)
    status_reason = models.TextField(_("状态说明"), blank=True)
    industry = models.CharField(_("所属行业"), max_length=40)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    introduction = models.TextField(_("单位简介"), blank=True)
    address = models.CharField(_("地址"), max_length=200)
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone_ciphertext = models.TextField(_("联系电话（加密）"), blank=True)
    contact_email = models.EmailField(_("企业邮箱"), blank=True)
    website = models.URLField(_("网址"), blank=True)
    # The person who posts on the organisation's behalf (ORG-1 经办人员身份证明).
    responsible_name_ciphertext = models.TextField(_("经办人姓名（加密）"), blank=True)
    responsible_id_ciphertext = models.TextField(_("经办人身份证号（加密）"), blank=True)
    responsible_id_index = models.CharField(max_length=64, blank=True, db_index=True)
    # DISC-4: agencies state whether and what they charge job seekers.
    charges_seekers = models.BooleanField(_("向求职者收费"), default=False)
    seeker_fee_description = models.TextField(_("收费项目及标准"), blank=True)
    # ORG-11 public profile.
    logo = models.ForeignKey("Document", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("标志"))
    highlights = models.TextField(_("优势亮点"), blank=True)
    benefits = models.TextField(_("福利待遇"), blank=True)
    team = models.TextField(_("管理团队"), blank=True)
    # Registration context.
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="organisations_created")
    registration_device = models.CharField(max_length=64, blank=True, db_index=True)
    #: Server-side fingerprint of the registering client (network, browser, language), keyed;
    #: deleting a cookie does not change it (ORG-9).
    registration_client_digest = models.CharField(max_length=64, blank=True, db_index=True)
    pledge_signed_at = models.DateTimeField(_("信用承诺签署时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交审核时间"), null=True, blank=True)
    verified_at = models.DateTimeField(_("认证时间"), null=True, blank=True)
    next_review_due = models.DateTimeField(_("下次复核期限"), null=True, blank=True)
    reverify_requested_at = models.DateTimeField(_("申请复核时间"), null=True, blank=True)
    reverify_reminded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    risk_score = models.PositiveSmallIntegerField(_("风险分"), default=0)
    credit_score = models.PositiveSmallIntegerField(_("信用评分"), default=100)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        constraints = [
            # Two simultaneous registrations with one credit code: exactly one wins.
            models.UniqueConstraint(
                fields=["credit_code"], condition=~Q(status__in=["closed", "refused"]),
                name="orgs_credit_code_unique_open",
            ),
            models.CheckConstraint(condition=Q(status__in=OrgStatus.values),
                                   name="orgs_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=OrgKind.values), name="orgs_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.status == OrgStatus.VERIFIED

    @property
    def is_agency(self) -> bool:
        return self.kind == OrgKind.AGENCY

    @property
    def industry_name(self) -> str:
        from pinqiao.reference import taxonomy

        found = taxonomy.industry(self.industry)
        return found.name if found else self.industry


class MemberRole(models.TextChoices):
    OWNER = "owner", _("管理员")
    MEMBER = "member", _("成员")


class Membership(models.Model):
    """A recruiter's place in an organisation and what they may do (ORG-6, ACC-2)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="org_memberships")
    role = models.CharField(_("身份"), max_length=8, choices=MemberRole.choices,
                            default=MemberRole.MEMBER)
    can_post_jobs = models.BooleanField(_("发布职位"), default=False)
    can_view_resumes = models.BooleanField(_("查看简历"), default=False)
    can_chat = models.BooleanField(_("沟通求职者"), default=False)
    can_manage_booths = models.BooleanField(_("管理招聘会展位"), default=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    PERM_FIELDS = ("can_post_jobs", "can_view_resumes", "can_chat", "can_manage_booths")

    class Meta:
        verbose_name = _("单位成员")
        verbose_name_plural = _("单位成员")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="orgs_member_once"),
            models.UniqueConstraint(fields=["organisation"], condition=Q(role="owner"),
                                    name="orgs_one_owner"),
        ]


class DocumentKind(models.TextChoices):
    BUSINESS_LICENCE = "business_licence", _("营业执照或批准设立文件")
    HR_LICENCE = "hr_licence", _("人力资源服务许可证")
    DISPATCH_LICENCE = "dispatch_licence", _("劳务派遣经营许可证")
    SPECIAL_PERMIT = "special_permit", _("特许经营许可证")
    ID_PROOF = "id_proof", _("经办人身份证明")
    AUTHORISATION_LETTER = "authorisation_letter", _("单位授权书")
    CLIENT_AUTHORISATION = "client_authorisation", _("委托证明")
    SOCIAL_INSURANCE = "social_insurance", _("社保缴纳证明")
    LOGO = "logo", _("单位标志")
    BROCHURE = "brochure", _("招聘简章 PDF")


#: Encryption context (AES-GCM associated data) of stored organisation documents.
DOCUMENT_CONTEXT = "org_document"


class Document(models.Model):
    """An uploaded file: type checked by content, size limited, stored under a random name
    outside the web root, read only through the audited view (ORG-1, ORG-5)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="documents")
    kind = models.CharField(_("类型"), max_length=24, choices=DocumentKind.choices)
    file = models.FileField(storage=private_storage, upload_to=_private_name, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=120)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("上传材料")
        verbose_name_plural = _("上传材料")


class LicenceKind(models.TextChoices):
    BUSINESS = "business", _("营业执照")
    HR_SERVICE = "hr_service", _("人力资源服务许可证")
    LABOUR_DISPATCH = "labour_dispatch", _("劳务派遣经营许可证")
    SPECIAL_PERMIT = "special_permit", _("特许经营许可证")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    VERIFIED = "verified", _("已核验")
    REFUSED = "refused", _("未通过")
    EXPIRED = "expired", _("已过期")
    REVOKED = "revoked", _("已撤销")


class Licence(models.Model):
    """A licence or permit on file (ORG-4, ORG-5, ORG-12): what it lets the holder post."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="licences")
    kind = models.CharField(_("类型"), max_length=20, choices=LicenceKind.choices)
    permit = models.CharField(_("许可类别"), max_length=40, blank=True,
                              help_text=_("特许经营许可证的类别代码（ORG-12）"))
    number = models.CharField(_("证书编号"), max_length=60)
    authority = models.CharField(_("发证机关"), max_length=100)
    scope = models.TextField(_("许可/经营范围"), blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True,
                                   help_text=_("长期有效的可留空"))
    status = models.CharField(_("状态"), max_length=12, choices=ReviewStatus.choices,
                              default=ReviewStatus.PENDING)
    file = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="licences")
    # A special permit an agency files for one client (代招 in a special-permit industry needs
    # the hiring client's permit, DB4401 6.2.1.2); empty for the organisation's own licences.
    client = models.ForeignKey("ClientAuthorisation", null=True, blank=True,
                               on_delete=models.CASCADE, related_name="permits",
                               verbose_name=_("所属委托单位"))
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    expiry_reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("资质证照")
        verbose_name_plural = _("资质证照")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="special_permit") | ~Q(permit=""),
                name="orgs_special_permit_has_slug",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def is_usable(self, today: object = None) -> bool:
        """Verified and not past its expiry date."""
        today = today or timezone.localdate()
        return self.status == ReviewStatus.VERIFIED and (
            self.valid_until is None or self.valid_until >= today)


class ClientAuthorisation(models.Model):
    """A client's 委托证明 to an agency (ORG-5): one uploaded authorisation per client, used one
    to one by a 代招 posting (渝 三(二))."""

    agency = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                               related_name="client_authorisations")
    client_name = models.CharField(_("委托单位名称"), max_length=100)
    client_credit_code = models.CharField(_("委托单位统一社会信用代码"), max_length=18)
    scope = models.TextField(_("委托招聘岗位及范围"), blank=True)
    file = models.OneToOneField(Document, on_delete=models.PROTECT,
                                related_name="client_authorisation")
    valid_from = models.DateField(_("委托起始日期"))
    valid_until = models.DateField(_("委托截止日期"))
    status = models.CharField(_("状态"), max_length=12, choices=ReviewStatus.choices,
                              default=ReviewStatus.PENDING)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("委托证明")
        verbose_name_plural = _("委托证明")
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gte=models.F("valid_from")),
                                   name="orgs_client_auth_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.client_name}（{self.client_credit_code}）"

    def is_usable(self, today: object = None) -> bool:
        today = today or timezone.localdate()
        return (self.status == ReviewStatus.VERIFIED and self.valid_from <= today
                and self.valid_until >= today)


class ServiceAgreement(models.Model):
    """A version of the electronic service agreement between the platform and organisations
    (ORG-10)."""

    version = models.CharField(_("版本号"), max_length=20, unique=True)
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"))
    published_at = models.DateTimeField(_("生效时间"), default=timezone.now)

    class Meta:
        verbose_name = _("平台服务协议")
        verbose_name_plural = _("平台服务协议")

    def __str__(self) -> str:
        return f"{self.title} {self.version}"


class AgreementAcceptance(models.Model):
    """An organisation's acceptance of one agreement version (ORG-10)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="agreement_acceptances")
    agreement = models.ForeignKey(ServiceAgreement, on_delete=models.PROTECT,
                                  related_name="acceptances")
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    accepted_at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "agreement"],
                                               name="orgs_agreement_accepted_once")]


class RegistryLookup(models.Model):
    """Every business-registry lookup and what it returned (ORG-2)."""

    credit_code = models.CharField(max_length=18, db_index=True)
    provider = models.CharField(max_length=40)
    found = models.BooleanField()
    name = models.CharField(max_length=100, blank=True)
    legal_representative = models.CharField(max_length=50, blank=True)
    registry_status = models.CharField(max_length=10, blank=True)
    business_scope = models.TextField(blank=True)
    organisation = models.ForeignKey(Organisation, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="registry_lookups")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    looked_up_at = models.DateTimeField(default=timezone.now)


class CheckKind(models.TextChoices):
    REGISTRY = "registry", _("工商登记信息核验")
    BANK = "bank", _("企业银行账户小额打款")
    EMAIL = "email", _("企业邮箱验证")
    SOCIAL_INSURANCE = "social_insurance", _("社保关系证明查验")
    SITE_VISIT = "site_visit", _("线下实地走访")


class CheckResult(models.TextChoices):
    PASSED = "passed", _("通过")
    FAILED = "failed", _("未通过")
    PENDING = "pending", _("进行中")


class VerificationCheck(models.Model):
    """One ORG-2 check with who did it, when and the result; history is kept, never edited."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="checks")
    kind = models.CharField(_("核验项目"), max_length=20, choices=CheckKind.choices)
    result = models.CharField(_("结果"), max_length=10, choices=CheckResult.choices)
    note = models.TextField(_("说明"), blank=True)
    evidence = models.JSONField(default=dict, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-checked_at", "-pk"]


class MicroDeposit(models.Model):
    """Bank-account check state (ORG-2): a random small amount sent to the company account;
    the applicant reports it back. Only a keyed digest of the amount is kept here."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="micro_deposits")
    bank_name = models.CharField(max_length=60)
    account_masked = models.CharField(max_length=40)
    account_index = models.CharField(max_length=64)
    amount_digest = models.CharField(max_length=64)
    provider_reference = models.CharField(max_length=40)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    confirmed_at = models.DateTimeField(null=True, blank=True)


class LocalBankTransfer(models.Model):
    """What the local bank provider 'paid': the applicant's bank statement in tests and demo."""

    reference = models.CharField(max_length=40, unique=True)
    account_index = models.CharField(max_length=64)
    amount_fen = models.PositiveIntegerField()
    memo = models.CharField(max_length=60)
    sent_at = models.DateTimeField(default=timezone.now)


class EmailDomainCode(models.Model):
    """A code sent to an address on the company's own e-mail domain (ORG-2)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="email_codes")
    domain = models.CharField(max_length=100)
    code_digest = models.CharField(max_length=64)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    confirmed_at = models.DateTimeField(null=True, blank=True)


class AnomalyKind(models.TextChoices):
    CREDIT_CODE_REUSED = "credit_code_reused", _("统一社会信用代码曾被其他账号使用")
    FILE_REUSED = "file_reused", _("证照文件与其他账号提交的相同")
    PERSON_REUSED = "person_reused", _("经办人曾为其他账号的单位经办")
    PERSON_MANY_ORGS = "person_many_orgs", _("同一人提交多家单位")
    NAME_MISMATCH = "name_mismatch", _("单位名称与工商登记不一致")
    REGISTRY_NOT_FOUND = "registry_not_found", _("工商登记中查无此单位")


ANOMALY_WEIGHTS: dict[str, int] = {
    AnomalyKind.CREDIT_CODE_REUSED: 30,
    AnomalyKind.FILE_REUSED: 40,
    AnomalyKind.PERSON_REUSED: 20,
    AnomalyKind.PERSON_MANY_ORGS: 20,
    AnomalyKind.NAME_MISMATCH: 30,
    AnomalyKind.REGISTRY_NOT_FOUND: 40,
}


class Anomaly(models.Model):
    """A registration anomaly flagged for the reviewer with its evidence (ORG-3)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="anomalies")
    kind = models.CharField(max_length=24, choices=AnomalyKind.choices)
    evidence = models.JSONField(default=dict)
    detected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "kind"],
                                               name="orgs_anomaly_once_per_kind")]


class BanKind(models.TextChoices):
    CREDIT_CODE = "credit_code", _("统一社会信用代码")
    PERSON = "person", _("经办人身份证号")
    DEVICE = "device", _("设备指纹")
    PHONE = "phone", _("手机号")


class BannedEntry(models.Model):
    """The banned-organisation list (ORG-9) and the blacklist (RISK-2). Credit codes are public
    and kept as they are; a person is kept as the ID-number blind index, a phone as the phone
    blind index, a device as its keyed fingerprint."""

    kind = models.CharField(max_length=12, choices=BanKind.choices)
    value = models.CharField(max_length=64)
    reason = models.TextField()
    organisation = models.ForeignKey(Organisation, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("禁止注册名单")
        verbose_name_plural = _("禁止注册名单")
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="orgs_ban_once")]


class Severity(models.TextChoices):
    MINOR = "minor", _("一般")
    SERIOUS = "serious", _("较重")
    GRAVE = "grave", _("严重")


class Violation(models.Model):
    """One violation on an organisation's credit record (RISK-3): what, when, rule, sanction."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="violations")
    rule = models.CharField(_("违反的规则"), max_length=200)
    what = models.TextField(_("违规事实"))
    occurred_at = models.DateTimeField(_("发生时间"), default=timezone.now)
    sanction = models.CharField(_("处理措施"), max_length=200)
    severity = models.CharField(_("严重程度"), max_length=8, choices=Severity.choices,
                                default=Severity.MINOR)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name = _("违规记录")
        verbose_name_plural = _("违规记录")


class SpecialPermitRule(models.Model):
    """Staff-editable table of special-permit industries (ORG-12), seeded from the reference
    taxonomy: organisations posting jobs in ``industries`` need a verified ``permit``."""

    slug = models.SlugField(_("代码"), max_length=40, unique=True)
    industry_label = models.CharField(_("特许行业"), max_length=60)
    permit_name = models.CharField(_("所需许可证"), max_length=60)
    authority = models.CharField(_("发证机关"), max_length=100)
    basis = models.CharField(_("依据"), max_length=200, blank=True)
    industries = models.JSONField(_("适用行业代码"), default=list)
    is_active = models.BooleanField(_("启用"), default=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("特许行业")
        verbose_name_plural = _("特许行业")

    def __str__(self) -> str:
        return f"{self.industry_label}：{self.permit_name}"

    @property
    def industry_names(self) -> list[str]:
        """The industries by their Chinese names (codes unknown to the taxonomy as they are)."""
        found = (taxonomy.industry(code) for code in self.industries)
        return [item.name if item else code for item, code in zip(found, self.industries,
                                                                   strict=True)]


class BrochureStatus(models.TextChoices):
    PUBLISHED = "published", _("已发布")
    PENDING = "pending", _("待人工审核")
    REFUSED = "refused", _("审核未通过")


class Brochure(models.Model):
    """A 招聘简章 (ORG-13): a title and a text, optionally a PDF whose text is extracted with
    the bounded extractor. Every text is screened on save in the ``brochure`` context, like a
    posting: a ``reject`` finding refuses the save, a ``review`` one holds the brochure for the
    review queue; only a published brochure is shown on the organisation's public page."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="brochures")
    title = models.CharField(_("简章标题"), max_length=100)
    body = models.TextField(_("简章正文"), blank=True)
    pdf = models.ForeignKey(Document, null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+")
    pdf_text = models.TextField(_("PDF 中的文字"), blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=BrochureStatus.choices,
                              default=BrochureStatus.PENDING, db_index=True)
    rules_version = models.CharField(_("审核规则版本"), max_length=40, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("招聘简章")
        verbose_name_plural = _("招聘简章")
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="orgs_brochure_has_title"),
            models.CheckConstraint(condition=~Q(body="", pdf_text=""),
                                   name="orgs_brochure_has_text"),
            models.CheckConstraint(condition=Q(status__in=BrochureStatus.values),
                                   name="orgs_brochure_status_valid"),
        ]

    def __str__(self) -> str:
        return self.title
