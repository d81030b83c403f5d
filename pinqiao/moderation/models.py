"""Information review (信息审核) records: rule-set versions, screenings, the review queue,
reports (用户举报), sanctions and case files for the authorities.

The engine (``engine.py``) is pure Python; these models keep what it decided, on which rule-set
version, and what people did about it (MOD-1, MOD-5, MOD-6, MOD-7, RISK-2, TKT-1).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Decision(models.TextChoices):
    PASS = "pass", _("通过")
    REVIEW = "review", _("人工审核")
    REJECT = "reject", _("驳回")


class RuleSet(models.Model):
    """One version of the screening rules (MOD-6). Exactly one is ``live`` at a time.

    ``data`` holds the JSON rule set in the schema of ``rules/default.json``; ``replay`` the
    last replay report (labelled set and recent decisions, before and after).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        LIVE = "live", _("生效中")
        RETIRED = "retired", _("已停用")

    version = models.CharField(_("版本号"), max_length=40, unique=True)
    data = models.JSONField(_("规则数据"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT, db_index=True)
    note = models.CharField(_("变更说明"), max_length=500, blank=True)
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("基于版本"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    replay = models.JSONField(_("回放结果"), null=True, blank=True)
    replayed_at = models.DateTimeField(_("回放时间"), null=True, blank=True)
    source_digest = models.CharField(_("内置规则摘要"), max_length=64, blank=True,
                                     db_index=True)

    class Meta:
        verbose_name = _("审核规则版本")
        verbose_name_plural = _("审核规则版本")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["status"], condition=Q(status="live"),
                                    name="moderation_one_live_ruleset"),
        ]

    def __str__(self) -> str:
        return f"{self.version}（{self.get_status_display()}）"


class ScreeningRecord(models.Model):
    """What the engine decided for one text (MOD-1), kept for replay (MOD-6) and audit."""

    rule_set = models.ForeignKey(RuleSet, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="screenings")
    rule_version = models.CharField(_("规则版本"), max_length=40)
    context = models.CharField(_("场景"), max_length=20)
    content_type = models.ForeignKey(ContentType, null=True, blank=True,
                                     on_delete=models.SET_NULL)
    object_id = models.CharField(max_length=40, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    text = models.TextField(_("受审文本"))
    decision = models.CharField(_("结论"), max_length=10, choices=Decision.choices,
                                db_index=True)
    categories = models.JSONField(_("类别"), default=list)
    evidence = models.JSONField(_("证据"), default=list)
    rule_ids = models.JSONField(_("命中规则"), default=list)
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("机审记录")
        verbose_name_plural = _("机审记录")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    @property
    def words(self) -> list[str]:
        """The matched words, unique, in text order."""
        seen: list[str] = []
        for item in self.evidence:
            if item["text"] not in seen:
                seen.append(item["text"])
        return seen


class ReviewItem(models.Model):
    """One entry in the human review queue (MOD-5), ordered by risk, then age."""

    class Kind(models.TextChoices):
        SCREENING = "screening", _("机审转人工")
        REPORT = "report", _("用户举报")
        BASE_CHANGE = "base_change", _("发布后修改基础信息")
        ACCOUNT_CLOSURE = "account_closure", _("封号复核（双人）")
        APPEAL = "appeal", _("申诉复核")

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("已驳回")
        EDIT_REQUESTED = "edit_requested", _("已要求修改")
        CLOSED = "closed", _("已关闭")

    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices,
                              default=Status.OPEN, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=40)
    target = GenericForeignKey("content_type", "object_id")
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("待审文本"), blank=True)
    screening = models.ForeignKey(ScreeningRecord, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="review_items")
    reasons = models.JSONField(_("转人工原因"), default=list)
    risk = models.PositiveSmallIntegerField(_("风险分"), default=0, db_index=True)
    created_at = models.DateTimeField(_("进入队列"), default=timezone.now, db_index=True)
    due_at = models.DateTimeField(_("处理时限"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    reason_code = models.CharField(_("处理理由代码"), max_length=40, blank=True)
    note = models.TextField(_("处理说明"), blank=True)
    sanction = models.ForeignKey("Sanction", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="review_items")

    class Meta:
        verbose_name = _("人工审核")
        verbose_name_plural = _("人工审核")
        ordering = ["-risk", "created_at", "id"]
        indexes = [models.Index(fields=["status", "-risk", "created_at"]),
                   models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and timezone.now() > self.due_at


class ReportReason(models.TextChoices):
    """Reason codes on the report button (TKT-1)."""

    DISCRIMINATION = "discrimination", _("就业歧视")
    FEE = "fee_charging", _("收取费用/押金")
    FRAUD = "fraud", _("虚假招聘/诈骗")
    FALSE_INFO = "false_info", _("信息不实（薪资、岗位与实际不符）")
    CONTACT = "contact_info", _("引导站外联系")
    ILLEGAL = "illegal_content", _("违法违规内容")
    EXPIRED = "expired", _("岗位已招满/已失效")
    OTHER = "other", _("其他")


#: Reasons that raise a report's risk in the queue.
REPORT_RISK = {
    ReportReason.ILLEGAL: 90, ReportReason.FRAUD: 80, ReportReason.FEE: 80,
    ReportReason.DISCRIMINATION: 70, ReportReason.FALSE_INFO: 60, ReportReason.CONTACT: 50,
    ReportReason.EXPIRED: 20, ReportReason.OTHER: 30,
}


class Report(models.Model):
    """A user's report (用户举报, TKT-1); it lands in the review queue. The reporter is never
    shown to the party reported (TKT-5)."""

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="moderation_reports")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=40)
    target = GenericForeignKey("content_type", "object_id")
    reason = models.CharField(_("举报原因"), max_length=20, choices=ReportReason.choices)
    detail = models.TextField(_("补充说明"), blank=True)
    created_at = models.DateTimeField(_("举报时间"), default=timezone.now)
    review_item = models.ForeignKey(ReviewItem, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="reports")

    class Meta:
        verbose_name = _("用户举报")
        verbose_name_plural = _("用户举报")
        ordering = ["-created_at"]


class Sanction(models.Model):
    """A stepped measure against an organisation (RISK-2, DB4401 7.1.2 / 7.2.2).

    A warning (shown to the organisation as a pop-up until read), a visible risk label, limits
    on posting volume or on features, a posting suspension and hidden content take effect at
    once; an account closure and a blacklisting are proposed by one reviewer and take effect
    only when a second reviewer approves them (MOD-5).
    """

    class Kind(models.TextChoices):
        WARNING = "warning", _("警告")
        RISK_LABEL = "risk_label", _("风险提示标识")
        VOLUME_LIMIT = "volume_limit", _("限制发布数量")
        FEATURE_LIMIT = "feature_limit", _("限制功能")
        POSTING_SUSPENSION = "posting_suspension", _("暂停发布")
        CONTENT_HIDDEN = "content_hidden", _("隐藏违规内容")
        ACCOUNT_CLOSURE = "account_closure", _("封号")
        BLACKLIST = "blacklist", _("列入黑名单")

    class Feature(models.TextChoices):
        TALENT_SEARCH = "talent_search", _("搜索人才")
        RESUME_DOWNLOAD = "resume_download", _("下载简历")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("待复核")
        ACTIVE = "active", _("生效中")
        LIFTED = "lifted", _("已解除")
        DECLINED = "declined", _("复核未通过")

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT,
                                     related_name="sanctions")
    kind = models.CharField(_("措施"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices,
                              default=Status.ACTIVE, db_index=True)
    rule = models.CharField(_("依据"), max_length=200)
    reason = models.TextField(_("事由"))
    daily_limit = models.PositiveIntegerField(_("每日发布上限"), null=True, blank=True)
    #: The features a feature limit takes away (codes of :class:`Sanction.Feature`).
    features = models.JSONField(_("限制的功能"), default=list, blank=True)
    #: The content a 「隐藏违规内容」 measure hides from the public (kept for evidence).
    content_type = models.ForeignKey(ContentType, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=40, blank=True, default="", db_default="")
    ends_at = models.DateTimeField(_("截止时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    violation_id = models.BigIntegerField(_("违规记录"), null=True, blank=True)

    class Meta:
        verbose_name = _("处置措施")
        verbose_name_plural = _("处置措施")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("created_by")),
                name="moderation_sanction_two_person",
            ),
            models.CheckConstraint(
                condition=~Q(kind="volume_limit") | Q(daily_limit__isnull=False),
                name="moderation_volume_limit_has_limit",
            ),
            models.CheckConstraint(
                condition=~Q(kind="content_hidden") | (Q(content_type__isnull=False)
                                                       & ~Q(object_id="")),
                name="moderation_hidden_names_content",
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"],
                                name="moderation_sanction_target")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.organisation_id}"

    @property
    def in_force(self) -> bool:
        return self.status == self.Status.ACTIVE and (
            self.ends_at is None or self.ends_at > timezone.now())

    @property
    def feature_labels(self) -> list[str]:
        return [str(self.Feature(f).label) for f in self.features if f in self.Feature.values]


class CaseFile(models.Model):
    """A case file prepared for the authorities when illegal content is removed (MOD-7)."""

    class Status(models.TextChoices):
        PREPARED = "prepared", _("已整理")
        SUBMITTED = "submitted", _("已报送")

    reference = models.CharField(_("案卷编号"), max_length=40, unique=True)
    organisation = models.ForeignKey("orgs.Organisation", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="case_files")
    content_type = models.ForeignKey(ContentType, null=True, blank=True,
                                     on_delete=models.SET_NULL)
    object_id = models.CharField(max_length=40, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    summary = models.TextField(_("案情摘要"))
    evidence = models.JSONField(_("证据材料"), default=dict)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices,
                              default=Status.PREPARED)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(_("整理时间"), default=timezone.now)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("移送案卷")
        verbose_name_plural = _("移送案卷")
        ordering = ["-created_at"]
