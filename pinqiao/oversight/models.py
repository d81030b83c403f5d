"""双随机、一公开 (Shandong notice 三(三), ANA-3): a random draw of organisations or postings with
its seed and the population it was drawn from, so the draw can be repeated exactly; the
inspectors assigned at random; a finding per sampled object; the results published.

The population is stored as drawn (ids and weights, in id order): a later change of risk
scores or of the organisations on the platform does not change what the seed reproduces.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SampleKind(models.TextChoices):
    ORGANISATION = "organisation", _("单位")
    POSTING = "posting", _("职位")


class Weighting(models.TextChoices):
    UNIFORM = "uniform", _("等概率抽取")
    RISK = "risk", _("按风险和信用加权（高风险多抽）")


class DrawStatus(models.TextChoices):
    OPEN = "open", _("检查中")
    PUBLISHED = "published", _("已公示")


class Outcome(models.TextChoices):
    PENDING = "pending", _("待检查")
    COMPLIANT = "compliant", _("未发现问题")
    RECTIFY = "rectify", _("发现问题，责令整改")
    VIOLATION = "violation", _("发现违法违规，依法处理")


class SamplingDraw(models.Model):
    title = models.CharField(_("抽查任务名称"), max_length=100)
    kind = models.CharField(_("抽查对象"), max_length=12, choices=SampleKind.choices)
    weighting = models.CharField(_("抽取方式"), max_length=8, choices=Weighting.choices)
    min_risk_score = models.PositiveSmallIntegerField(_("最低风险分"), default=0)
    size = models.PositiveIntegerField(_("抽取数量"))
    seed = models.BigIntegerField(_("随机种子"))
    population = models.JSONField(_("抽取范围（编号与权重）"))
    population_size = models.PositiveIntegerField(_("抽取范围数量"))
    status = models.CharField(_("状态"), max_length=10, choices=DrawStatus.choices,
                              default=DrawStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("抽取时间"), default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("双随机抽查任务")
        verbose_name_plural = _("双随机抽查任务")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(size__gte=1), name="oversight_size_positive"),
            models.CheckConstraint(condition=Q(size__lte=F("population_size")),
                                   name="oversight_size_within_population"),
            models.CheckConstraint(condition=Q(seed__gte=0), name="oversight_seed_non_negative"),
            models.CheckConstraint(
                condition=Q(status="open", published_at__isnull=True)
                | Q(status="published", published_at__isnull=False),
                name="oversight_published_has_time"),
        ]

    def __str__(self) -> str:
        return self.title


class SampledItem(models.Model):
    draw = models.ForeignKey(SamplingDraw, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(_("抽中顺序"))
    subject_id = models.BigIntegerField(_("对象编号"))
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT,
                                     related_name="+")
    posting = models.ForeignKey("jobs.Posting", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    weight = models.FloatField(_("权重"))
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("检查结果"), max_length=10, choices=Outcome.choices,
                               default=Outcome.PENDING)
    finding = models.TextField(_("检查情况"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("记录时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("抽中对象")
        verbose_name_plural = _("抽中对象")
        ordering = ["draw", "position"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "position"], name="oversight_item_position"),
            models.UniqueConstraint(fields=["draw", "subject_id"], name="oversight_item_once"),
            models.CheckConstraint(
                condition=Q(outcome="pending", recorded_at__isnull=True)
                | (~Q(outcome="pending") & Q(recorded_at__isnull=False) & ~Q(finding="")),
                name="oversight_finding_recorded"),
        ]

    def __str__(self) -> str:
        return f"{self.draw_id}#{self.position}"
