"""The desk (TKT-1 … TKT-8): one case model for reports, complaints and appeals, their evidence,
their history, and the complainant's rating of the handling.

The complainant's identity (user, name, contact) lives only here and is read only through the
staff and complainant selectors; nothing the party complained about can see carries it (TKT-5).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pinqiao.moderation.models import ReportReason


class CaseKind(models.TextChoices):
    REPORT = "report", _("举报")
    COMPLAINT = "complaint", _("投诉")
    APPEAL = "appeal", _("申诉")


class Channel(models.TextChoices):
    WEB = "web", _("网站")
    PHONE = "phone", _("电话")
    VISIT = "visit", _("来访")
    LETTER = "letter", _("信函")
    EMAIL = "email", _("电子邮件")


#: Channels a member of staff enters on the complainant's behalf (TKT-2).
STAFF_CHANNELS = (Channel.PHONE, Channel.VISIT, Channel.LETTER)
#: Channels whose signed intake form must be uploaded (DB4401 9.2.1.1).
SIGNED_FORM_CHANNELS = (Channel.VISIT, Channel.LETTER)


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("已接收")
    ACCEPTED = "accepted", _("已受理")
    INVESTIGATING = "investigating", _("调查中")
    RESOLVED = "resolved", _("已处理")
    CLOSED = "closed", _("已办结")
    REOPENED = "reopened", _("重新处理")
    REFERRED = "referred", _("已移送主管部门")


#: States in which the clock runs.
OPEN_STATUSES = (CaseStatus.RECEIVED, CaseStatus.ACCEPTED, CaseStatus.INVESTIGATING,
                 CaseStatus.REOPENED)

APPEAL_REASON = "sanction_appeal"
REASON_CHOICES = [*ReportReason.choices, (APPEAL_REASON, _("对处置措施申诉"))]


class Case(models.Model):
    """One report, complaint or appeal on the desk (TKT-1, TKT-2) and its clock (TKT-3)."""

    reference = models.CharField(_("案件编号"), max_length=24, unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=CaseKind.choices)
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices,
                               default=Channel.WEB)
    status = models.CharField(_("状态"), max_length=14, choices=CaseStatus.choices,
                              default=CaseStatus.RECEIVED, db_index=True)
    reason_code = models.CharField(_("原因"), max_length=20, choices=REASON_CHOICES)
    complainant = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="cases_filed")
    complainant_name_ciphertext = models.TextField(_("投诉人姓名（加密）"), blank=True)
    contact_ciphertext = models.TextField(_("联系方式（加密）"), blank=True)
    content = models.TextField(_("投诉内容"))
    desired_outcome = models.TextField(_("诉求"), blank=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True,
                                     on_delete=models.PROTECT)
    object_id = models.CharField(max_length=40, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    target_label = models.CharField(_("被投诉对象"), max_length=200, blank=True)
    organisation = models.ForeignKey("orgs.Organisation", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="cases")
    accused_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="cases_against")
    sanction = models.ForeignKey("moderation.Sanction", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="appeal_cases")
    report = models.OneToOneField("moderation.Report", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="case")
    dedupe_key = models.CharField(max_length=64, unique=True)
    received_at = models.DateTimeField(_("接收时间"), default=timezone.now)
    escalate_on = models.DateField(_("升级日期"))
    deadline = models.DateField(_("办结时限"), db_index=True)
    intake_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="cases_assigned")
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("升级时间"), null=True, blank=True)
    overdue_alerted_at = models.DateTimeField(_("超期提醒时间"), null=True, blank=True)
    upheld = models.BooleanField(_("是否成立"), null=True, blank=True)
    finding = models.TextField(_("查明事实"), blank=True)
    result = models.TextField(_("处理结果"), blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    referred_to = models.CharField(_("移送机关"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("投诉举报案件")
        verbose_name_plural = _("投诉举报案件")
        ordering = ["deadline", "received_at", "id"]
        indexes = [models.Index(fields=["status", "deadline"]),
                   models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="appeal") | Q(sanction__isnull=False),
                                   name="tickets_appeal_names_sanction"),
            models.CheckConstraint(condition=Q(escalate_on__lte=models.F("deadline")),
                                   name="tickets_escalation_before_deadline"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class EvidenceKind(models.TextChoices):
    EVIDENCE = "evidence", _("证据材料")
    INTAKE_FORM = "intake_form", _("签字登记表")


class CaseEvidence(models.Model):
    """A file attached to a case, its type decided by its content (TKT-2)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=12, choices=EvidenceKind.choices,
                            default=EvidenceKind.EVIDENCE)
    file = models.FileField(upload_to="cases/%Y/%m/")
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField(max_length=120)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]


class CaseEvent(models.Model):
    """One step in a case's history; the archive (TKT-6). ``public`` steps are shown to the
    complainant."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    verb = models.CharField(max_length=30)
    from_status = models.CharField(max_length=14, blank=True)
    to_status = models.CharField(max_length=14, blank=True)
    note = models.TextField(blank=True)
    public = models.BooleanField(default=True)

    class Meta:
        ordering = ["at", "id"]


class CaseRating(models.Model):
    """The satisfaction survey and service evaluation after closing (TKT-6, TKT-7)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="rating")
    satisfaction = models.PositiveSmallIntegerField(_("总体满意度"))
    process = models.PositiveSmallIntegerField(_("处理流程"))
    efficiency = models.PositiveSmallIntegerField(_("处理效率"))
    result = models.PositiveSmallIntegerField(_("处理结果"))
    attitude = models.PositiveSmallIntegerField(_("服务态度"))
    comment = models.TextField(_("意见建议"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__range=(1, 5)) & Q(process__range=(1, 5))
                & Q(efficiency__range=(1, 5)) & Q(result__range=(1, 5))
                & Q(attitude__range=(1, 5)),
                name="tickets_rating_one_to_five"),
        ]
