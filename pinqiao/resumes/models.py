"""The online résumé (RES-1) with its visibility (RES-4) and review state (MOD-8).

Contact details (phone, e-mail, IM) are kept only as AES-GCM ciphertext (PRIV-1), encrypted with
the contexts in ``CONTACT_CONTEXTS``; ``pinqiao.resumes.selectors.resume_contact_decrypt`` is the
one place that decrypts them, and it writes an audit entry each time. The photo and the uploaded
attachment are encrypted files in private storage that no URL serves.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pinqiao.reference import taxonomy

#: Encryption contexts (AES-GCM associated data) of the contact fields.
CONTACT_CONTEXTS = {"phone": "resume_phone", "email": "resume_email", "im": "resume_im"}
PHOTO_CONTEXT = "resume_photo"
ATTACHMENT_CONTEXT = "resume_attachment"

# Encrypted files live under MEDIA_ROOT, which no URL serves; only owner-checked views read them.
private_storage = FileSystemStorage(base_url="/nowhere/")


def private_file_name(instance: object, filename: str) -> str:
    """A random name: neither the seeker nor the original file name can be read from it."""
    return f"resumes/{secrets.token_hex(16)}.bin"


class Visibility(models.TextChoices):
    PUBLIC = "public", _("对已认证招聘方公开")
    APPLIED_ONLY = "applied_only", _("仅对我投递过的单位可见")
    HIDDEN = "hidden", _("隐藏")


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("未提交")
    PENDING = "pending", _("审核中")
    APPROVED = "approved", _("已通过")
    NEEDS_CHANGES = "needs_changes", _("需修改")


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Template(models.TextChoices):
    SIMPLE = "simple", _("简约")
    BUSINESS = "business", _("商务")
    TWO_COLUMN = "two_column", _("双栏")


class Resume(models.Model):
    """One online résumé per seeker."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                 related_name="resume", verbose_name=_("求职者"))
    full_name = models.CharField(_("姓名"), max_length=40, blank=True)
    gender = models.CharField(_("性别"), max_length=8, blank=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    phone_ciphertext = models.TextField(_("手机号（加密）"), blank=True)
    email_ciphertext = models.TextField(_("电子邮箱（加密）"), blank=True)
    im_ciphertext = models.TextField(_("即时通讯账号（加密）"), blank=True)
    phone_masked = models.CharField(_("手机号（脱敏）"), max_length=20, blank=True)
    email_masked = models.CharField(_("电子邮箱（脱敏）"), max_length=110, blank=True)
    im_masked = models.CharField(_("即时通讯账号（脱敏）"), max_length=60, blank=True)
    photo = models.FileField(_("照片（加密）"), storage=private_storage,
                             upload_to=private_file_name, max_length=100, blank=True)
    desired_function = models.CharField(_("期望职能"), max_length=60, blank=True)
    desired_industry = models.CharField(_("期望行业"), max_length=40, blank=True)
    desired_city = models.CharField(_("期望城市"), max_length=6, blank=True)
    desired_employment_type = models.CharField(
        _("工作性质"), max_length=12, blank=True,
        choices=taxonomy.as_choices(taxonomy.EMPLOYMENT_TYPES))
    desired_pay_min = models.DecimalField(_("期望月薪下限（元）"), max_digits=9, decimal_places=0,
                                          null=True, blank=True)
    desired_pay_max = models.DecimalField(_("期望月薪上限（元）"), max_digits=9, decimal_places=0,
                                          null=True, blank=True)
    self_introduction = models.TextField(_("自我介绍"), blank=True)
    skills = models.CharField(_("技能"), max_length=300, blank=True)
    interests = models.CharField(_("兴趣爱好"), max_length=200, blank=True)
    template = models.CharField(_("简历模板"), max_length=16, choices=Template.choices,
                                default=Template.SIMPLE)
    review_reasons = models.JSONField(_("审核意见"), default=list, blank=True)
    submitted_at = models.DateTimeField(_("提交审核时间"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("审核完成时间"), null=True, blank=True)
    visibility = models.CharField(_("公开范围"), max_length=16, choices=Visibility.choices,
                                  default=Visibility.APPLIED_ONLY)
    #: Issue 15: the seeker may keep the last employer's name off the candidate cards of the
    #: applicant list and talent search (the full résumé still lists the work history).
    hide_employer = models.BooleanField(_("候选人卡片上不显示最近任职单位"), default=False,
                                        db_default=False)
    review_status = models.CharField(_("审核状态"), max_length=16, choices=ReviewStatus.choices,
                                     default=ReviewStatus.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("简历")
        verbose_name_plural = _("简历")
        constraints = [
            models.CheckConstraint(condition=Q(visibility__in=Visibility.values),
                                   name="resumes_visibility_valid"),
            models.CheckConstraint(condition=Q(review_status__in=ReviewStatus.values),
                                   name="resumes_review_status_valid"),
            models.CheckConstraint(condition=Q(gender__in=["", *Gender.values]),
                                   name="resumes_gender_valid"),
            models.CheckConstraint(condition=Q(template__in=Template.values),
                                   name="resumes_template_valid"),
            models.CheckConstraint(condition=Q(desired_pay_min__gt=0),
                                   name="resumes_pay_positive"),
            models.CheckConstraint(condition=Q(desired_pay_min__lte=F("desired_pay_max")),
                                   name="resumes_pay_min_lte_max"),
        ]

    def __str__(self) -> str:
        return f"简历 {self.public_id}"

    @property
    def age(self) -> int | None:
        """Whole years since ``birth_date`` today (local time)."""
        if self.birth_date is None:
            return None
        today = timezone.localdate()
        born = self.birth_date
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


class Entry(models.Model):
    """A child row of a résumé, shown in the seeker's ``position`` order."""

    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]


class Education(Entry):
    resume = models.ForeignKey(Resume, on_delete=models.CASCADE, related_name="education")
    school = models.CharField(_("学校"), max_length=60)
    major = models.CharField(_("专业"), max_length=60, blank=True)
    degree = models.CharField(_("学历"), max_length=16,
                              choices=taxonomy.as_choices(taxonomy.EDUCATION_LEVELS[1:]))
    start_date = models.DateField(_("入学时间"))
    end_date = models.DateField(_("毕业时间"), null=True, blank=True)
    description = models.TextField(_("在校经历与社会实践"), blank=True)

    class Meta(Entry.Meta):
        verbose_name = _("教育经历")
        verbose_name_plural = _("教育经历")
        constraints = [models.CheckConstraint(
            condition=Q(end_date__gte=F("start_date")), name="resumes_education_dates")]


class WorkExperience(Entry):
    resume = models.ForeignKey(Resume, on_delete=models.CASCADE, related_name="work")
    company = models.CharField(_("单位名称"), max_length=60)
    title = models.CharField(_("职位"), max_length=60)
    start_date = models.DateField(_("开始时间"))
    end_date = models.DateField(_("结束时间"), null=True, blank=True,
                                help_text=_("留空表示至今"))
    description = models.TextField(_("工作内容"), blank=True)
    achievements = models.TextField(_("工作成果"), blank=True)

    class Meta(Entry.Meta):
        verbose_name = _("工作经历")
        verbose_name_plural = _("工作经历")
        constraints = [models.CheckConstraint(
            condition=Q(end_date__gte=F("start_date")), name="resumes_work_dates")]


class Certificate(Entry):
    resume = models.ForeignKey(Resume, on_delete=models.CASCADE, related_name="certificates")
    name = models.CharField(_("证书名称"), max_length=60)
    issuer = models.CharField(_("发证机构"), max_length=60, blank=True)
    obtained_on = models.DateField(_("取得时间"), null=True, blank=True)

    class Meta(Entry.Meta):
        verbose_name = _("职业证书")
        verbose_name_plural = _("职业证书")


class Honour(Entry):
    resume = models.ForeignKey(Resume, on_delete=models.CASCADE, related_name="honours")
    title = models.CharField(_("荣誉名称"), max_length=60)
    awarder = models.CharField(_("颁发单位"), max_length=60, blank=True)
    awarded_on = models.DateField(_("获得时间"), null=True, blank=True)
    summary = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta(Entry.Meta):
        verbose_name = _("荣誉成果")
        verbose_name_plural = _("荣誉成果")


class AttachmentKind(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (DOCX)"


class Attachment(models.Model):
    """An uploaded résumé file (RES-2): content-checked, encrypted at rest, its text kept for
    search and screening."""

    resume = models.OneToOneField(Resume, on_delete=models.CASCADE, related_name="attachment")
    file = models.FileField(storage=private_storage, upload_to=private_file_name, max_length=100)
    kind = models.CharField(_("类型"), max_length=8, choices=AttachmentKind.choices)
    original_name = models.CharField(_("原文件名"), max_length=120)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    text = models.TextField(_("提取的文字"), blank=True)
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("附件简历")
        verbose_name_plural = _("附件简历")
        constraints = [models.CheckConstraint(condition=Q(kind__in=AttachmentKind.values),
                                              name="resumes_attachment_kind_valid")]


class BlockedOrganisation(models.Model):
    """An organisation that must never see this résumé (RES-4)."""

    resume = models.ForeignKey(Resume, on_delete=models.CASCADE, related_name="blocked")
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE,
                                     related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("屏蔽单位")
        verbose_name_plural = _("屏蔽单位")
        constraints = [models.UniqueConstraint(fields=["resume", "organisation"],
                                               name="resumes_block_once")]
