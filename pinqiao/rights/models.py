"""Rights requests (PRIV-4 … PRIV-6), data exports, erasures, legal holds and the retention
schedule (RET-1).

A ``RightsRequest`` is every request a person makes about their data, with its fifteen-working-
day deadline on the Chinese calendar (PIPL Art. 50). A ``DataExport`` is the ZIP built for a
copy request; an ``Erasure`` records what a deletion erased, anonymised and restricted, and until
when. ``LegalHold`` stops erasure and retention for a person, an organisation or a case.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RequestKind(models.TextChoices):
    ACCESS = "access", _("查阅")
    COPY = "copy", _("复制（下载我的数据）")
    CORRECT = "correct", _("更正、补充")
    DELETE = "delete", _("删除（含注销账号）")
    EXPLAIN = "explain", _("解释说明处理规则")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("已受理")
    IN_PROGRESS = "in_progress", _("处理中")
    COMPLETED = "completed", _("已办结")
    REFUSED = "refused", _("不予办理")


OPEN_STATUSES = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS)


class RefusalReason(models.TextChoices):
    LEGAL_RETENTION = "legal_retention", _("法律、行政法规规定应当保存")
    LEGAL_HOLD = "legal_hold", _("涉及正在处理的投诉、争议或执法调查（依法保全）")
    IDENTITY = "identity", _("无法核实申请人身份")
    NOT_HELD = "not_held", _("平台未持有相关个人信息")
    UNREASONABLE = "unreasonable", _("请求明显不合理或重复")


class RightsRequest(models.Model):
    """PRIV-6: one request, its deadline, handler, answer and refusal reason."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="rights_requests", verbose_name=_("申请人"))
    kind = models.CharField(_("请求类型"), max_length=12, choices=RequestKind.choices)
    status = models.CharField(_("状态"), max_length=12, choices=RequestStatus.choices,
                              default=RequestStatus.RECEIVED)
    details = models.TextField(_("请求说明"), blank=True)
    received_at = models.DateTimeField(_("受理时间"), default=timezone.now)
    due_on = models.DateField(_("答复期限"))
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("经办人"))
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answer = models.TextField(_("答复"), blank=True)
    refusal_reason = models.CharField(_("不予办理的理由"), max_length=16, blank=True,
                                      choices=RefusalReason.choices)
    overdue_alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("个人信息权利请求")
        verbose_name_plural = _("个人信息权利请求")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"]),
                   models.Index(fields=["user", "received_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=RequestKind.values),
                                   name="rights_request_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=RequestStatus.values),
                                   name="rights_request_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=RequestStatus.REFUSED) | ~Q(refusal_reason=""),
                name="rights_refusal_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: object = None) -> bool:
        return self.is_open and (today or timezone.localdate()) > self.due_on


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("正在生成")
    READY = "ready", _("可以下载")
    FAILED = "failed", _("生成失败")


LIVE_EXPORT = (ExportStatus.QUEUED, ExportStatus.RUNNING)


class DataExport(models.Model):
    """PRIV-4: the ZIP of JSON files built for a copy request, encrypted at rest, behind an
    unguessable link that expires. One live export per person: a second request joins it."""

    request = models.OneToOneField(RightsRequest, on_delete=models.PROTECT,
                                   related_name="export")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    status = models.CharField(_("状态"), max_length=8, choices=ExportStatus.choices,
                              default=ExportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    step = models.CharField(_("当前步骤"), max_length=60, blank=True)
    token = models.CharField(max_length=64, unique=True)
    file = models.CharField(max_length=100, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    downloads = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("个人数据导出")
        verbose_name_plural = _("个人数据导出")
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(status__in=LIVE_EXPORT),
                                    name="rights_one_live_export"),
            models.CheckConstraint(condition=Q(status__in=ExportStatus.values),
                                   name="rights_export_status_valid"),
            models.CheckConstraint(condition=Q(progress__lte=100),
                                   name="rights_export_progress_bounded"),
        ]

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_EXPORT

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()


class Erasure(models.Model):
    """PRIV-5: what a deletion did to each kind of data. ``items`` rows are
    ``{"what", "action": erased|anonymised|restricted, "count", "until", "basis"}``."""

    request = models.OneToOneField(RightsRequest, on_delete=models.PROTECT,
                                   related_name="erasure")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    held = models.BooleanField(_("受法律保全"), default=False)
    hold_reason = models.TextField(_("保全原因"), blank=True)
    items = models.JSONField(default=list)
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("删除处理记录")
        verbose_name_plural = _("删除处理记录")


class HoldScope(models.TextChoices):
    PERSON = "person", _("个人")
    ORGANISATION = "organisation", _("单位")
    CASE = "case", _("案件")


class LegalHold(models.Model):
    """A hold placed by staff for a complaint, dispute or investigation: while it is in force
    the person's (organisation's, case's) data is neither erased nor purged (RET-1, PRIV-5)."""

    scope = models.CharField(_("范围"), max_length=12, choices=HoldScope.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.PROTECT, related_name="legal_holds",
                             verbose_name=_("个人"))
    organisation = models.ForeignKey("orgs.Organisation", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("单位"))
    case_ref = models.CharField(_("案件编号"), max_length=60, blank=True)
    reason = models.CharField(_("保全原因"), max_length=300)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    placed_at = models.DateTimeField(default=timezone.now)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("法律保全")
        verbose_name_plural = _("法律保全")
        constraints = [
            models.CheckConstraint(condition=Q(scope__in=HoldScope.values),
                                   name="rights_hold_scope_valid"),
            models.CheckConstraint(
                condition=(Q(scope=HoldScope.PERSON, user__isnull=False)
                           | Q(scope=HoldScope.ORGANISATION, organisation__isnull=False)
                           | (Q(scope=HoldScope.CASE) & ~Q(case_ref=""))),
                name="rights_hold_names_its_subject"),
        ]


class RetentionAction(models.TextChoices):
    PURGE = "purge", _("删除")
    ANONYMISE = "anonymise", _("匿名化")


class RetentionRule(models.Model):
    """RET-1: how long one kind of record is kept after the end of the service, and what
    happens then. ``kind`` names an entry of ``pinqiao.rights.retention.KINDS``."""

    kind = models.CharField(_("记录类型"), max_length=32, unique=True)
    days = models.PositiveIntegerField(_("保存天数"))
    action = models.CharField(_("到期处理"), max_length=10, choices=RetentionAction.choices)
    basis = models.CharField(_("依据"), max_length=200)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("保存期限规则")
        verbose_name_plural = _("保存期限规则")
        constraints = [models.CheckConstraint(condition=Q(action__in=RetentionAction.values),
                                              name="rights_retention_action_valid")]


class RetentionRun(models.Model):
    """One run of ``apply_retention``: the per-kind counts, dry or real."""

    started_at = models.DateTimeField(default=timezone.now)
    dry_run = models.BooleanField()
    report = models.JSONField(default=dict)
    summary = models.CharField(max_length=300)

    class Meta:
        verbose_name = _("保存期限执行记录")
        verbose_name_plural = _("保存期限执行记录")


class AlertKind(models.TextChoices):
    BULK_READ = "bulk_read", _("短时间内大量读取个人信息")
    UNUSUAL_EXPORT = "unusual_export", _("异常导出、下载")
    OFF_HOURS = "off_hours", _("工作人员在非工作时间访问")


class SecurityAlert(models.Model):
    """SEC-2: one account's unusual access to personal data on one day, with the evidence
    taken from the audit log; shown to staff and sent to the security role (auditors)."""

    kind = models.CharField(_("类型"), max_length=16, choices=AlertKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("账号"))
    day = models.DateField(_("日期"))
    evidence = models.JSONField(_("证据"), default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("数据访问风险预警")
        verbose_name_plural = _("数据访问风险预警")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=AlertKind.values),
                                   name="rights_alert_kind_valid"),
            models.UniqueConstraint(fields=["kind", "actor", "day"],
                                    name="rights_one_alert_per_day"),
        ]


class BreachStatus(models.TextChoices):
    OPEN = "open", _("处置中")
    CLOSED = "closed", _("已结案")


class Breach(models.Model):
    """PRIV-8: a personal-information security incident — what happened, the people affected,
    the notices sent to them (notifications) and the report to the regulator."""

    title = models.CharField(_("事件名称"), max_length=120)
    description = models.TextField(_("事件经过"))
    data_involved = models.CharField(_("涉及的个人信息种类"), max_length=300)
    measures = models.TextField(_("已采取的补救措施"))
    advice = models.TextField(_("个人可以采取的措施"))
    occurred_at = models.DateTimeField(_("发生时间"))
    discovered_at = models.DateTimeField(_("发现时间"), default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    status = models.CharField(_("状态"), max_length=8, choices=BreachStatus.choices,
                              default=BreachStatus.OPEN)
    regulator_report = models.TextField(_("向监管部门的报告"), blank=True)
    reported_at = models.DateTimeField(_("报告时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("个人信息安全事件")
        verbose_name_plural = _("个人信息安全事件")
        ordering = ["-discovered_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=BreachStatus.values),
                                   name="rights_breach_status_valid"),
            models.CheckConstraint(condition=Q(reported_at__isnull=True) | ~Q(regulator_report=""),
                                   name="rights_breach_report_has_text"),
        ]


class BreachNotice(models.Model):
    """One affected person told about a breach, through the notification service."""

    breach = models.ForeignKey(Breach, on_delete=models.PROTECT, related_name="notices")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    notification = models.ForeignKey("notifications.Notification", null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    notified_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["breach", "user"],
                                               name="rights_one_notice_per_person")]


class AssessmentKind(models.TextChoices):
    SENSITIVE = "sensitive", _("处理敏感个人信息")
    AUTOMATED = "automated", _("利用个人信息进行自动化决策")
    SHARING = "sharing", _("向他人提供或公开个人信息")
    ENTRUSTED = "entrusted", _("委托处理个人信息")


class ImpactAssessment(models.Model):
    """PRIV-7 (PIPL Arts. 55–56, DB4401 7.4.3): a personal-information impact assessment made
    before the processing, kept at least three years; linked to the algorithm register for
    automated decisions."""

    kind = models.CharField(_("评估事项"), max_length=12, choices=AssessmentKind.choices)
    title = models.CharField(_("处理活动"), max_length=120)
    algorithm = models.ForeignKey("recommendations.Algorithm", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("对应的算法登记"))
    purpose = models.TextField(_("处理目的、方式是否合法、正当、必要"))
    impact = models.TextField(_("对个人权益的影响及安全风险"))
    measures = models.TextField(_("保护措施是否合法、有效并与风险程度相适应"))
    conclusion = models.TextField(_("评估结论"))
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    assessed_on = models.DateField(_("评估日期"), default=timezone.localdate)
    review_on = models.DateField(_("复评日期"))

    class Meta:
        verbose_name = _("个人信息保护影响评估")
        verbose_name_plural = _("个人信息保护影响评估")
        ordering = ["-assessed_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=AssessmentKind.values),
                                   name="rights_assessment_kind_valid"),
            models.CheckConstraint(condition=~Q(kind="automated") | Q(algorithm__isnull=False),
                                   name="rights_automated_names_algorithm"),
            models.CheckConstraint(condition=Q(review_on__gt=models.F("assessed_on")),
                                   name="rights_review_after_assessment"),
        ]


class DestinationKind(models.TextChoices):
    DATA_SUBJECT = "data_subject", _("本人下载")
    REGULATOR = "regulator", _("向监管部门报送")
    BACKUP = "backup", _("备份目录")
    HTTP = "http", _("网络接口")


class DestinationRegion(models.TextChoices):
    DOMESTIC = "cn", _("境内")
    ABROAD = "abroad", _("境外")


class ExportDestination(models.Model):
    """PRIV-9 (PIPL Arts. 23, 38–40): a place personal data may be sent off the platform. Every
    export path checks its destination against these rows (``destinations.destination_check``);
    an unlisted, disabled or abroad destination is refused and the refusal audited."""

    kind = models.CharField(_("导出途径"), max_length=16, choices=DestinationKind.choices)
    target = models.CharField(_("目的地"), max_length=300,
                              help_text=_("目录路径、接口地址（协议://主机[:端口]）或报送渠道代号"))
    name = models.CharField(_("名称"), max_length=120)
    recipient = models.CharField(_("接收方"), max_length=120)
    region = models.CharField(_("所在地"), max_length=8, choices=DestinationRegion.choices,
                              default=DestinationRegion.DOMESTIC)
    basis = models.CharField(_("依据"), max_length=300)
    enabled = models.BooleanField(_("启用"), default=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("个人信息导出目的地")
        verbose_name_plural = _("个人信息导出目的地")
        ordering = ["kind", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "target"], name="rights_destination_unique"),
            models.CheckConstraint(condition=Q(kind__in=DestinationKind.values),
                                   name="rights_destination_kind_valid"),
            models.CheckConstraint(condition=Q(region__in=DestinationRegion.values),
                                   name="rights_destination_region_valid"),
            models.CheckConstraint(condition=~Q(region="abroad") | Q(enabled=False),
                                   name="rights_abroad_destination_disabled"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.name}"


class Correction(models.Model):
    """PRIV-5 (PIPL Art. 46): a correction the person made through the normal edit pages —
    which fields changed, when and by whom; the values are stored masked only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="corrections", verbose_name=_("本人"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("操作人"))
    source = models.CharField(_("更正的内容"), max_length=60)
    changes = models.JSONField(_("更正的字段（已遮盖）"), default=list)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("个人信息更正记录")
        verbose_name_plural = _("个人信息更正记录")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "at"])]
