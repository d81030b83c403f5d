"""Job postings (招聘信息): the JOB-1 fields, the JOB-2 lifecycle with its event history, the
JOB-5 version history and the JOB-9 near-duplicate fingerprint."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pinqiao.reference import taxonomy

DEFAULT_VALIDITY_DAYS = 30
MAX_VALIDITY_DAYS = 90


def default_valid_until() -> object:
    return timezone.localdate() + timedelta(days=DEFAULT_VALIDITY_DAYS)


class PostingStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PENDING_REVIEW = "pending_review", _("审核中")
    PUBLISHED = "published", _("招聘中")
    PAUSED = "paused", _("已暂停")
    EXPIRED = "expired", _("已过期")
    CLOSED = "closed", _("已关闭")
    REMOVED = "removed", _("已下架")
    REJECTED = "rejected", _("未通过审核")


#: Statuses in which the poster may edit a posting.
EDITABLE_STATUSES = (PostingStatus.DRAFT, PostingStatus.REJECTED, PostingStatus.PENDING_REVIEW,
                     PostingStatus.PUBLISHED, PostingStatus.PAUSED, PostingStatus.EXPIRED)


class PostingMode(models.TextChoices):
    OWN = "own", _("自主招聘")
    AGENCY = "agency", _("代理招聘（代招）")
    DISPATCH = "dispatch", _("劳务派遣")


class RemovalReason(models.TextChoices):
    """Reason codes for staff take-downs and refusals (JOB-2, JOB-5)."""

    DISCRIMINATION = "discrimination", _("含就业歧视内容")
    FEE_CHARGING = "fee_charging", _("向求职者收费")
    FRAUD = "fraud", _("虚假或欺诈信息")
    ILLEGAL = "illegal_content", _("违法违规内容")
    CONTACT = "contact_info", _("留站外联系方式")
    FALSE_INFO = "false_info", _("信息不实（JOB-5）")
    NO_AUTHORISATION = "no_authorisation", _("无委托授权")
    DUPLICATE = "duplicate", _("重复发布")
    ORG_SUSPENDED = "org_suspended", _("单位已被暂停")
    STALE = "stale", _("长期未更新")
    OTHER = "other", _("其他")


class Posting(models.Model):
    """One job posting. ``organisation`` publishes it; for 代招 postings the real hiring
    organisation is the client named in ``client_authorisation`` (JOB-1, ORG-5)."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT,
                                     related_name="postings", verbose_name=_("发布单位"))
    mode = models.CharField(_("招聘方式"), max_length=10, choices=PostingMode.choices,
                            default=PostingMode.OWN)
    client_authorisation = models.OneToOneField(
        "orgs.ClientAuthorisation", null=True, blank=True, on_delete=models.PROTECT,
        related_name="posting", verbose_name=_("委托证明"))
    title = models.CharField(_("职位名称"), max_length=60)
    headcount = models.PositiveIntegerField(_("招聘人数"), null=True, blank=True)
    hired_count = models.PositiveIntegerField(_("已录用人数"), default=0)
    employment_type = models.CharField(_("用工类型"), max_length=12, blank=True,
                                       choices=taxonomy.as_choices(taxonomy.EMPLOYMENT_TYPES))
    requirements = models.TextField(_("招聘条件"), blank=True)
    work_content = models.TextField(_("工作内容"), blank=True)
    working_hours = models.CharField(_("工作时间"), max_length=200, blank=True)
    social_insurance = models.CharField(_("社会保险"), max_length=200, blank=True)
    housing = models.CharField(_("食宿条件"), max_length=200, blank=True)
    division_code = models.CharField(_("工作地点（区县）"), max_length=6, blank=True,
                                     db_index=True)
    address = models.CharField(_("详细地址"), max_length=200, blank=True)
    pay_min = models.DecimalField(_("最低薪资（元）"), max_digits=10, decimal_places=2,
                                  null=True, blank=True)
    pay_max = models.DecimalField(_("最高薪资（元）"), max_digits=10, decimal_places=2,
                                  null=True, blank=True)
    pay_unit = models.CharField(_("薪资单位"), max_length=6, blank=True,
                                choices=taxonomy.as_choices(taxonomy.PAY_UNITS))
    education = models.CharField(_("学历要求"), max_length=16,
                                 choices=taxonomy.as_choices(taxonomy.EDUCATION_LEVELS),
                                 default="any")
    experience = models.CharField(_("经验要求"), max_length=8,
                                  choices=taxonomy.as_choices(taxonomy.EXPERIENCE_BANDS),
                                  default="any")
    job_function = models.CharField(_("职能"), max_length=60, blank=True)
    industry = models.CharField(_("行业"), max_length=40, blank=True)
    valid_until = models.DateField(_("有效期至"), default=default_valid_until)
    seeker_fee_charged = models.BooleanField(_("是否向求职者收费"), default=False)
    seeker_fee_statement = models.TextField(_("收费说明"), blank=True)
    repost_source_name = models.CharField(_("转载来源"), max_length=100, blank=True)
    repost_source_url = models.URLField(_("来源链接"), blank=True)

    status = models.CharField(_("状态"), max_length=16, choices=PostingStatus.choices,
                              default=PostingStatus.DRAFT, db_index=True)
    status_reason_code = models.CharField(_("原因代码"), max_length=40, blank=True)
    status_reason = models.TextField(_("原因说明"), blank=True)
    matched_words = models.JSONField(_("命中词"), default=list, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    simhash = models.BigIntegerField(null=True, blank=True)
    sim_band0 = models.IntegerField(null=True, blank=True, db_index=True)
    sim_band1 = models.IntegerField(null=True, blank=True, db_index=True)
    sim_band2 = models.IntegerField(null=True, blank=True, db_index=True)
    sim_band3 = models.IntegerField(null=True, blank=True, db_index=True)
    quality_label = models.BooleanField(_("优质职位"), default=False)
    last_screening = models.ForeignKey("moderation.ScreeningRecord", null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+")

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="postings")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    stale_notice_at = models.DateTimeField(_("更新提醒时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("招聘信息")
        verbose_name_plural = _("招聘信息")
        ordering = ["-published_at", "-created_at"]
        indexes = [models.Index(fields=["status", "valid_until"]),
                   models.Index(fields=["organisation", "status"]),
                   # The newest published postings, read from the top (REC-2's list).
                   models.Index(fields=["status", "published_at"], name="jobs_posting_newest")]
        constraints = [
            models.CheckConstraint(condition=Q(pay_min__lte=F("pay_max")),
                                   name="jobs_pay_min_lte_max"),
            models.CheckConstraint(condition=Q(pay_min__gt=0), name="jobs_pay_positive"),
            models.CheckConstraint(condition=Q(headcount__gte=1), name="jobs_headcount_positive"),
            models.CheckConstraint(condition=Q(status__in=PostingStatus.values),
                                   name="jobs_status_valid"),
            models.CheckConstraint(
                condition=~Q(mode="agency") | Q(client_authorisation__isnull=False)
                | Q(status="draft"),
                name="jobs_agency_names_client"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status == PostingStatus.PUBLISHED

    @property
    def employer_name(self) -> str:
        """The real hiring organisation (JOB-1): the client for 代招 postings."""
        if self.mode == PostingMode.AGENCY and self.client_authorisation_id:
            return self.client_authorisation.client_name
        return self.organisation.name


class PostingEvent(models.Model):
    """One lifecycle transition (JOB-2), kept forever as the posting's visible history."""

    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=16, choices=PostingStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=PostingStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    reason_code = models.CharField(max_length=40, blank=True)
    note = models.TextField(blank=True)
    words = models.JSONField(default=list, blank=True)
    version = models.PositiveIntegerField(default=1)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("状态变更")
        verbose_name_plural = _("状态变更")
        # A day's (or the last hour's) transitions for the rollups and the live page (ANA-1/2).
        indexes = [models.Index(fields=["at"], name="jobs_event_at")]


class PostingVersion(models.Model):
    """A snapshot of the fields of each version (JOB-5: base fields changed after publication
    stay visible)."""

    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    fields = models.JSONField()
    changed = models.JSONField(default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["posting", "number"],
                                               name="jobs_version_once")]
