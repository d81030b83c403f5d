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


class ServiceRating(models.Model):
    """The five scores of a service evaluation (TKT-7), each 1–5, with a comment: the same for a
    case and for a support ticket."""

    satisfaction = models.PositiveSmallIntegerField(_("总体满意度"))
    process = models.PositiveSmallIntegerField(_("处理流程"))
    efficiency = models.PositiveSmallIntegerField(_("处理效率"))
    result = models.PositiveSmallIntegerField(_("处理结果"))
    attitude = models.PositiveSmallIntegerField(_("服务态度"))
    comment = models.TextField(_("意见建议"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    ONE_TO_FIVE = (Q(satisfaction__range=(1, 5)) & Q(process__range=(1, 5))
                   & Q(efficiency__range=(1, 5)) & Q(result__range=(1, 5))
                   & Q(attitude__range=(1, 5)))

    class Meta:
        abstract = True


class CaseRating(ServiceRating):
    """The satisfaction survey and service evaluation after closing (TKT-6, TKT-7)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="rating")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=ServiceRating.ONE_TO_FIVE,
                                   name="tickets_rating_one_to_five"),
        ]


# --- the help centre (TKT-8): FAQ, support tickets and canned answers ------------------------

class FaqCategory(models.Model):
    """A section of the help centre's FAQ; its name is public (screened on save)."""

    name = models.CharField(_("分类名称"), max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("常见问题分类")
        verbose_name_plural = _("常见问题分类")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class FaqEntry(models.Model):
    """One question and its answer, public when ``published``; every save is a new version in
    :class:`FaqRevision` (the history staff can read)."""

    category = models.ForeignKey(FaqCategory, on_delete=models.PROTECT, related_name="entries",
                                 verbose_name=_("分类"))
    question = models.CharField(_("问题"), max_length=200)
    answer = models.TextField(_("解答"))
    published = models.BooleanField(_("公开"), default=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    version = models.PositiveIntegerField(_("版本"), default=1)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("常见问题")
        verbose_name_plural = _("常见问题")
        ordering = ["category__position", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["category", "question"],
                                               name="tickets_faq_question_once")]

    def __str__(self) -> str:
        return self.question


class FaqRevision(models.Model):
    """A version of an FAQ entry as it was saved: who, when, what (TKT-8 history)."""

    entry = models.ForeignKey(FaqEntry, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    category_name = models.CharField(max_length=40)
    question = models.CharField(max_length=200)
    answer = models.TextField()
    published = models.BooleanField()
    note = models.CharField(_("修改说明"), max_length=200, blank=True)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    edited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["entry", "version"],
                                               name="tickets_faq_revision_once")]


class TicketCategory(models.TextChoices):
    ACCOUNT = "account", _("账号与登录")
    RESUME = "resume", _("简历与求职")
    APPLICATION = "application", _("投递与面试")
    ORGANISATION = "organisation", _("单位认证")
    POSTING = "posting", _("职位发布")
    PRIVACY = "privacy", _("个人信息保护")
    FEES = "fees", _("服务与收费")
    OTHER = "other", _("其他")


class TicketStatus(models.TextChoices):
    OPEN = "open", _("待回复")
    ANSWERED = "answered", _("已回复")
    CLOSED = "closed", _("已关闭")
    REOPENED = "reopened", _("重新打开")
    CONVERTED = "converted", _("已转为投诉案件")


#: States in which the ticket waits for staff (the queue).
TICKET_WAITING = (TicketStatus.OPEN, TicketStatus.REOPENED)


class SupportTicket(models.Model):
    """A user's question to customer service (TKT-8): open → answered → closed, reopened by
    the user; one that is really a complaint becomes a desk case (``case``), keeping its
    receipt time for the clock."""

    reference = models.CharField(_("工单编号"), max_length=24, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="support_tickets")
    category = models.CharField(_("问题分类"), max_length=14, choices=TicketCategory.choices)
    subject = models.CharField(_("标题"), max_length=100)
    status = models.CharField(_("状态"), max_length=10, choices=TicketStatus.choices,
                              default=TicketStatus.OPEN, db_index=True)
    dedupe_key = models.CharField(max_length=64, unique=True)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    case = models.OneToOneField(Case, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="support_ticket")
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)
    answered_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("客服工单")
        verbose_name_plural = _("客服工单")
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["status", "updated_at"])]
        constraints = [
            models.CheckConstraint(condition=~Q(status="converted") | Q(case__isnull=False),
                                   name="tickets_converted_names_case"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_closed(self) -> bool:
        return self.status in (TicketStatus.CLOSED, TicketStatus.CONVERTED)


class TicketMessage(models.Model):
    """One message on a ticket, from the user or from staff (``canned_answer`` names the
    canned answer a staff reply started from)."""

    ticket = models.ForeignKey(SupportTicket, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    from_staff = models.BooleanField(default=False)
    body = models.TextField(_("内容"))
    canned_answer = models.ForeignKey("CannedAnswer", null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]


class TicketAttachment(models.Model):
    """A file on a ticket message, its type decided by its content like desk evidence."""

    message = models.ForeignKey(TicketMessage, on_delete=models.CASCADE,
                                related_name="attachments")
    file = models.FileField(upload_to="help/%Y/%m/")
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField(max_length=120)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]


class CannedAnswer(models.Model):
    """A reply staff keep ready (常用回复); inserted into a reply and edited before sending."""

    title = models.CharField(_("标题"), max_length=60, unique=True)
    body = models.TextField(_("回复内容"))
    category = models.CharField(_("适用分类"), max_length=14, blank=True,
                                choices=TicketCategory.choices)
    active = models.BooleanField(_("启用"), default=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("常用回复")
        verbose_name_plural = _("常用回复")
        ordering = ["category", "title"]

    def __str__(self) -> str:
        return self.title


class TicketRating(ServiceRating):
    """The user's evaluation of a closed support ticket (TKT-7 on tickets): the same five
    scores as a case's rating, once per ticket."""

    ticket = models.OneToOneField(SupportTicket, on_delete=models.CASCADE, related_name="rating")

    class Meta:
        constraints = [
            models.CheckConstraint(condition=ServiceRating.ONE_TO_FIVE,
                                   name="tickets_ticket_rating_one_to_five"),
        ]
