"""Recommendation feedback and deleted interest tags (REC-2, REC-3), the exposure log and the
bias reports (ALG-1), and the algorithm register (ALG-2)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FeedbackKind(models.TextChoices):
    NOT_INTERESTED = "not_interested", _("不感兴趣")
    MORE_LIKE_THIS = "more_like_this", _("更多类似")


class Feedback(models.Model):
    """A seeker's opinion of one recommended posting (REC-3); a new opinion replaces the old."""

    seeker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="+")
    posting = models.ForeignKey("jobs.Posting", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("反馈"), max_length=16, choices=FeedbackKind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("推荐反馈")
        verbose_name_plural = _("推荐反馈")
        indexes = [models.Index(fields=["seeker", "created_at"])]
        constraints = [
            models.UniqueConstraint(fields=["seeker", "posting"],
                                    name="recommendations_feedback_once"),
            models.CheckConstraint(condition=Q(kind__in=FeedbackKind.values),
                                   name="recommendations_feedback_kind_valid"),
        ]


class TagKind(models.TextChoices):
    CITY = "city", _("城市")
    FUNCTION = "function", _("职能")
    INDUSTRY = "industry", _("行业")
    SKILL = "skill", _("技能")
    KEYWORD = "keyword", _("关键词")
    PAY = "pay", _("期望薪资")
    EDUCATION = "education", _("学历")
    EXPERIENCE = "experience", _("工作经验")


class DeletedTag(models.Model):
    """An interest tag the seeker deleted (REC-2, ALG Art. 17): never derived again until the
    seeker restores it."""

    seeker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="+")
    kind = models.CharField(max_length=16, choices=TagKind.choices)
    value = models.CharField(max_length=100)
    deleted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("已删除的兴趣标签")
        verbose_name_plural = _("已删除的兴趣标签")
        constraints = [
            models.UniqueConstraint(fields=["seeker", "kind", "value"],
                                    name="recommendations_tag_deleted_once"),
            models.CheckConstraint(condition=Q(kind__in=TagKind.values),
                                   name="recommendations_tag_kind_valid"),
        ]


class Surface(models.TextChoices):
    RECOMMENDATION = "recommendation", _("职位推荐")
    SEARCH = "search", _("职位搜索")
    CANDIDATE = "candidate", _("人才推荐")


class Exposure(models.Model):
    """One posting shown to one seeker (or one seeker shown for one posting, on the candidate
    surface) at one rank (ALG-1). Written in bulk, one INSERT per page."""

    surface = models.CharField(max_length=16, choices=Surface.choices)
    posting = models.ForeignKey("jobs.Posting", on_delete=models.CASCADE, related_name="+",
                                db_constraint=False)
    seeker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="+", db_constraint=False)
    rank = models.PositiveSmallIntegerField()
    personalised = models.BooleanField(default=False)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("曝光记录")
        verbose_name_plural = _("曝光记录")
        indexes = [models.Index(fields=["surface", "at"]), models.Index(fields=["at"])]


class BiasReport(models.Model):
    """One run of the bias monitor (ALG-1, DB4401 7.2.8), kept."""

    created_at = models.DateTimeField(_("生成时间"), default=timezone.now, db_index=True)
    period_start = models.DateTimeField(_("统计开始"))
    period_end = models.DateTimeField(_("统计结束"))
    threshold = models.DecimalField(_("阈值"), max_digits=4, decimal_places=2)
    min_exposures = models.PositiveIntegerField(_("最小样本"))
    data = models.JSONField(_("分组数据"), default=dict)
    flags = models.JSONField(_("预警"), default=list)

    class Meta:
        verbose_name = _("算法偏差报告")
        verbose_name_plural = _("算法偏差报告")
        ordering = ["-created_at", "-pk"]

    @property
    def flagged(self) -> bool:
        return bool(self.flags)


class FilingStatus(models.TextChoices):
    NOT_REQUIRED = "not_required", _("无需备案（内部评估）")
    PREPARING = "preparing", _("备案材料准备中")
    SUBMITTED = "submitted", _("已提交备案")
    FILED = "filed", _("已备案")


class Algorithm(models.Model):
    """A ranking, recommendation or decision algorithm in use (ALG-2, ALG Arts. 16 and 24)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("名称"), max_length=60)
    purpose = models.TextField(_("目的"))
    principle = models.TextField(_("基本原理与主要运行机制"))
    inputs = models.TextField(_("输入数据"))
    output = models.TextField(_("输出"))
    user_controls = models.TextField(_("用户选择权"), blank=True)
    version = models.CharField(_("版本"), max_length=20)
    last_changed_at = models.DateTimeField(_("最近变更"), default=timezone.now)
    owner = models.CharField(_("负责人"), max_length=60)
    filing_status = models.CharField(_("备案状态"), max_length=16, choices=FilingStatus.choices,
                                     default=FilingStatus.PREPARING)
    filing_number = models.CharField(_("备案编号"), max_length=60, blank=True)
    code_path = models.CharField(_("代码位置"), max_length=200)
    public = models.BooleanField(_("向用户公示"), default=True)

    class Meta:
        verbose_name = _("算法登记")
        verbose_name_plural = _("算法登记")
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(filing_status__in=FilingStatus.values),
                                              name="recommendations_filing_status_valid")]

    def __str__(self) -> str:
        return self.name


class AlgorithmChange(models.Model):
    """One entry of an algorithm's change history (ALG-2)."""

    algorithm = models.ForeignKey(Algorithm, on_delete=models.CASCADE, related_name="changes")
    version = models.CharField(_("版本"), max_length=20)
    summary = models.TextField(_("变更说明"))
    filing_status = models.CharField(_("备案状态"), max_length=16, choices=FilingStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(_("变更时间"), default=timezone.now)

    class Meta:
        verbose_name = _("算法变更")
        verbose_name_plural = _("算法变更")
        ordering = ["-changed_at", "-pk"]
