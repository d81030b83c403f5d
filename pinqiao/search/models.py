"""The search outbox: one row per change to an indexed object, written in the same transaction
as the change and deleted only after the index has committed it (SRCH-1); the talent-search
log (SRCH-2, RES-7); saved searches and the job alerts sent for them (SRCH-3)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SearchOutbox(models.Model):
    """Object ``object_id`` of index ``index`` changed; re-read it from the database."""

    index = models.CharField(_("索引"), max_length=20)
    object_id = models.BigIntegerField(_("对象ID"))
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("搜索索引待办")
        verbose_name_plural = _("搜索索引待办")
        indexes = [models.Index(fields=["index", "id"], name="search_outbox_index_id")]


class TalentSearchChannel(models.TextChoices):
    PAGE = "page", _("页面")
    API = "api", _("接口")


class TalentSearch(models.Model):
    """One talent search by a recruiter (SRCH-2, RES-7): who, for which organisation, what,
    how many résumés matched and which were shown. Evidence for bulk-collection review and
    the basis of the daily and burst limits."""

    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("账号"))
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("单位"))
    q = models.CharField(_("关键词"), max_length=100, blank=True)
    filters = models.JSONField(_("筛选条件"), default=dict)
    total = models.PositiveIntegerField(_("匹配数量"))
    page = models.PositiveIntegerField(_("页码"))
    shown = models.JSONField(_("展示的简历"), default=list)
    channel = models.CharField(_("方式"), max_length=8, choices=TalentSearchChannel.choices)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    day = models.DateField(_("日期"))

    class Meta:
        verbose_name = _("人才搜索记录")
        verbose_name_plural = _("人才搜索记录")
        indexes = [models.Index(fields=["viewer", "at"], name="search_talent_viewer_at"),
                   models.Index(fields=["organisation", "day"], name="search_talent_org_day")]
        constraints = [models.CheckConstraint(
            condition=models.Q(channel__in=TalentSearchChannel.values),
            name="search_talent_channel_valid")]
class AlertFrequency(models.TextChoices):
    INSTANT = "instant", _("即时提醒")
    DAILY = "daily", _("每日汇总")
    OFF = "off", _("已暂停")


class SavedSearch(models.Model):
    """A job seeker's saved job search and how often new matches are sent (SRCH-3).

    ``params`` are the normalised search parameters (what a posting must match: keywords and
    filters, not the order or the posted-within window); ``query_key`` is their digest, unique
    per owner. ``alerted_until`` is the high-water mark: postings published before it have been
    alerted (or predate the subscription). ``location_code`` and ``function`` repeat the
    location and job-function filters so that instant matching can skip searches that cannot
    match a new posting without running them.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="saved_searches", verbose_name=_("求职者"))
    name = models.CharField(_("名称"), max_length=40)
    params = models.JSONField(_("搜索条件"), default=dict)
    query_key = models.CharField(_("条件摘要"), max_length=64)
    frequency = models.CharField(_("提醒频率"), max_length=10, choices=AlertFrequency.choices,
                                 default=AlertFrequency.DAILY)
    location_code = models.CharField(_("地区代码"), max_length=6, blank=True)
    function = models.CharField(_("职能"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)
    alerted_until = models.DateTimeField(_("已提醒至"), default=timezone.now)
    checked_at = models.DateTimeField(_("上次检查"), default=timezone.now)
    last_alert_at = models.DateTimeField(_("上次提醒"), null=True, blank=True)

    class Meta:
        verbose_name = _("职位订阅")
        verbose_name_plural = _("职位订阅")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "query_key"],
                                    name="saved_search_owner_query"),
            models.CheckConstraint(condition=models.Q(frequency__in=AlertFrequency.values),
                                   name="saved_search_frequency_valid"),
        ]
        indexes = [
            models.Index(fields=["frequency", "checked_at"], name="saved_search_due"),
            models.Index(fields=["frequency", "location_code", "function"],
                         name="saved_search_instant"),
        ]

    def __str__(self) -> str:
        return self.name


class AlertQueue(models.Model):
    """A posting that became published, waiting to be matched against instant saved searches;
    written in the publishing transaction, deleted once matched (SRCH-3)."""

    posting_id = models.BigIntegerField(_("职位ID"))
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("职位提醒待匹配")
        verbose_name_plural = _("职位提醒待匹配")


class AlertMatch(models.Model):
    """A posting matched by a saved search: pending until ``sent_at`` (instant alerts wait here
    for the per-user rate limit), then the record of what was alerted. Unique per search and
    posting, so no posting is ever alerted twice for one search."""

    saved_search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE,
                                     related_name="matches")
    posting = models.ForeignKey("jobs.Posting", on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(max_length=10, choices=AlertFrequency.choices)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    notification = models.ForeignKey("notifications.Notification", null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("职位提醒记录")
        verbose_name_plural = _("职位提醒记录")
        constraints = [models.UniqueConstraint(fields=["saved_search", "posting"],
                                               name="alert_match_search_posting")]
        indexes = [models.Index(fields=["frequency", "sent_at"], name="alert_match_pending")]
