"""Market insights (ANA-4): snapshots of the salary index and hiring trends, refreshed by a
periodic job so a page never scans postings, and the staff-edited job-search guides.

A snapshot is written whole by ``services.insights_refresh`` and read whole: the pages show
the newest complete one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Snapshot(models.Model):
    computed_at = models.DateTimeField(_("计算时间"), default=timezone.now, db_index=True)
    window_days = models.PositiveSmallIntegerField(_("统计区间（天）"))
    postings_considered = models.PositiveIntegerField(_("参与统计的月薪职位数"))
    min_cell = models.PositiveSmallIntegerField(_("单元格最少职位数"))

    class Meta:
        verbose_name = _("市场洞察快照")
        verbose_name_plural = _("市场洞察快照")
        ordering = ["-computed_at", "-id"]


class SalaryCell(models.Model):
    """Monthly posted pay for one job function in one city (``function``/``city`` empty: all).
    ``postings`` below the minimum leaves the figures empty (suppressed, not rounded)."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="salary")
    function = models.CharField(_("职能"), max_length=60, blank=True)
    city = models.CharField(_("城市"), max_length=6, blank=True)
    postings = models.PositiveIntegerField(_("职位数"))
    p25 = models.PositiveIntegerField(_("下四分位（元/月）"), null=True, blank=True)
    median = models.PositiveIntegerField(_("中位数（元/月）"), null=True, blank=True)
    p75 = models.PositiveIntegerField(_("上四分位（元/月）"), null=True, blank=True)

    class Meta:
        verbose_name = _("薪酬指数单元")
        verbose_name_plural = _("薪酬指数单元")
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "function", "city"],
                                    name="insights_one_cell"),
            models.CheckConstraint(
                condition=Q(median__isnull=True, p25__isnull=True, p75__isnull=True)
                | (Q(p25__lte=F("median")) & Q(median__lte=F("p75"))),
                name="insights_quartiles_ordered"),
        ]
        indexes = [models.Index(fields=["snapshot", "city"]),
                   models.Index(fields=["snapshot", "function"])]


class TrendPoint(models.Model):
    """Postings first published in one month (``city`` empty: all cities), and the month's
    applications and hires from the daily rollups (ANA-1's tables): ``None`` when fewer than
    the suppression minimum (suppressed, not rounded)."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="trends")
    month = models.DateField(_("月份"))
    city = models.CharField(_("城市"), max_length=6, blank=True)
    postings = models.PositiveIntegerField(_("新发布职位数"))
    headcount = models.PositiveIntegerField(_("招聘人数"))
    applications = models.PositiveIntegerField(_("投递人次"), null=True, blank=True)
    hires = models.PositiveIntegerField(_("入职人数"), null=True, blank=True)

    class Meta:
        verbose_name = _("招聘趋势")
        verbose_name_plural = _("招聘趋势")
        constraints = [models.UniqueConstraint(fields=["snapshot", "month", "city"],
                                               name="insights_one_point")]


class GuideStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤下")


class Guide(models.Model):
    """A job-search guide (求职指南) written by staff; screened on save (MOD-1)."""

    slug = models.SlugField(_("网址标识"), max_length=60, unique=True)
    title = models.CharField(_("标题"), max_length=80)
    summary = models.CharField(_("摘要"), max_length=200)
    body = models.TextField(_("正文"))
    status = models.CharField(_("状态"), max_length=10, choices=GuideStatus.choices,
                              default=GuideStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("求职指南")
        verbose_name_plural = _("求职指南")
        ordering = ["-published_at", "-id"]
        constraints = [models.CheckConstraint(
            condition=~Q(status="published") | Q(published_at__isnull=False),
            name="insights_published_guide_has_time")]

    def __str__(self) -> str:
        return self.title
