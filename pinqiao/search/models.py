"""The search outbox: one row per change to an indexed object, written in the same transaction
as the change and deleted only after the index has committed it (SRCH-1); the talent-search
log (SRCH-2, RES-7)."""

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
