"""Risk scores (RISK-1, RISK-4) and sanction notices (RISK-2).

A score is kept per subject (organisation, recruiter, posting) with the formula version and
every contributing signal, so it can be explained. A sanction notice is what the sanctioned
organisation sees: the rule, the evidence quoted, the case it rests on and the appeal deadline;
never who complained (TKT-5).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Subject(models.TextChoices):
    ORGANISATION = "organisation", _("单位")
    RECRUITER = "recruiter", _("招聘者")
    POSTING = "posting", _("职位")


class RiskScore(models.Model):
    subject = models.CharField(_("对象类型"), max_length=12, choices=Subject.choices)
    subject_id = models.BigIntegerField(_("对象"))
    score = models.PositiveSmallIntegerField(_("风险分"))
    level = models.CharField(_("风险等级"), max_length=8)
    formula_version = models.CharField(_("公式版本"), max_length=20)
    contributions = models.JSONField(_("构成"), default=list)
    computed_at = models.DateTimeField(_("计算时间"), default=timezone.now)

    class Meta:
        verbose_name = _("风险评分")
        verbose_name_plural = _("风险评分")
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "subject_id"], name="risk_one_score"),
            models.CheckConstraint(condition=models.Q(score__lte=100), name="risk_score_le_100"),
        ]


class EvidenceSource(models.TextChoices):
    CASE = "case", _("投诉举报案件")
    SCREENING = "screening", _("机审记录")
    REPORT = "report", _("用户举报")
    STAFF = "staff", _("人工审核")


class AppealOutcome(models.TextChoices):
    NONE = "", _("未申诉")
    PENDING = "pending", _("申诉处理中")
    UPHELD = "upheld", _("申诉成立，已撤销")
    DISMISSED = "dismissed", _("申诉不成立，维持处置")


class SanctionNotice(models.Model):
    """The evidence and the appeal route of one sanction (RISK-2)."""

    sanction = models.OneToOneField("moderation.Sanction", on_delete=models.CASCADE,
                                    related_name="notice")
    source = models.CharField(_("证据来源"), max_length=10, choices=EvidenceSource.choices)
    case = models.ForeignKey("tickets.Case", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="sanction_notices")
    screening = models.ForeignKey("moderation.ScreeningRecord", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    evidence = models.TextField(_("证据摘录"))
    appeal_until = models.DateField(_("申诉截止日期"))
    appeal_outcome = models.CharField(_("申诉结果"), max_length=10, blank=True,
                                      choices=AppealOutcome.choices, default=AppealOutcome.NONE)
    #: When a member of the organisation read the pop-up warning (RISK-2); until then it pops
    #: up on the 工作台.
    acknowledged_at = models.DateTimeField(_("已阅时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey("accounts.User", null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("处置告知")
        verbose_name_plural = _("处置告知")
        ordering = ["-created_at", "-id"]
