"""Rollup tables (ANA-1, decision 0018): one row per metric, day (or hour), city, industry and
breakdown key. The dashboards, exports and the regulator's statistics read only these tables,
never the raw rows; ``pinqiao.analytics.rollup`` fills them.

``city`` is a six-digit city-level division code (``pinqiao.reference.divisions``), ``industry``
a GB/T 4754 门类 letter (``pinqiao.reference.taxonomy``). Two sentinels: ``ALL`` ("*") is the
total over every city (or industry), ``UNKNOWN`` ("") is where the raw row names none (users
have no city, an organisation without a posting has none). Each day is stored with its totals
(city "*", industry "*", and both), so a chart over a year reads one row per day.

``MonthlyFigure`` is the sum of a calendar month's daily rows, cell by cell, for the flow
metrics (a sum of day-end snapshots means nothing, so ``SNAPSHOTS`` have no monthly rows): a
breakdown over a year reads twelve rows per cell instead of 365. ``rollup_day`` recomputes the
day's month from the daily rows in the same transaction, so the two levels never disagree.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ALL = "*"
UNKNOWN = ""


class Metric(models.TextChoices):
    """What a rollup row counts. ``key`` breaks some metrics down (role, decision, category)."""

    USERS_NEW = "users_new", _("新注册用户")  # key: role
    ORGS_NEW = "orgs_new", _("新注册单位")
    POSTINGS_PUBLISHED = "postings_published", _("发布职位")
    POSTINGS_REMOVED = "postings_removed", _("下架职位")  # key: reason code
    POSTINGS_EXPIRED = "postings_expired", _("过期职位")
    APPLICATIONS = "applications", _("投递")
    INTERVIEWS = "interviews", _("面试")
    OFFERS = "offers", _("录用通知")
    HIRES = "hires", _("入职")
    CHATS = "chats", _("新会话")
    COMPLAINTS_RECEIVED = "complaints_received", _("收到投诉")
    COMPLAINTS_CLOSED = "complaints_closed", _("处理完毕投诉")  # resolved or referred
    COMPLAINTS_ON_TIME = "complaints_on_time", _("按时处理投诉")  # within 7 working days
    COMPLAINTS_OVERDUE = "complaints_overdue", _("超期未处理投诉")  # unhandled at day end, late
    SCREENINGS = "screenings", _("机审")  # key: decision
    SCREENING_CATEGORIES = "screening_categories", _("机审命中类别")  # key: category
    REVIEW_QUEUE_OPEN = "review_queue_open", _("待人工审核")  # snapshot at day end; key: kind
    REVIEW_QUEUE_AGE = "review_queue_age", _("待审累计时长（分钟）")  # sum of ages; key: kind
    REVIEW_QUEUE_OVERDUE = "review_queue_overdue", _("超时待审")  # key: kind


#: Metrics that are a state at the end of the day (summed over a range they mean nothing): the
#: review queue and the complaints overdue. Only flows are summed into ``MonthlyFigure``.
SNAPSHOTS = frozenset({Metric.REVIEW_QUEUE_OPEN, Metric.REVIEW_QUEUE_AGE,
                       Metric.REVIEW_QUEUE_OVERDUE, Metric.COMPLAINTS_OVERDUE})


class _Figure(models.Model):
    metric = models.CharField(_("指标"), max_length=40, choices=Metric.choices)
    city = models.CharField(_("城市"), max_length=6, blank=True)
    industry = models.CharField(_("行业"), max_length=40, blank=True)
    key = models.CharField(_("细分"), max_length=40, blank=True)
    value = models.BigIntegerField(_("数值"))

    class Meta:
        abstract = True


class DailyFigure(_Figure):
    """One day's figure (Asia/Shanghai calendar day)."""

    day = models.DateField(_("日期"))

    class Meta:
        verbose_name = _("日统计")
        verbose_name_plural = _("日统计")
        constraints = [
            models.UniqueConstraint(fields=["metric", "city", "industry", "key", "day"],
                                    name="analytics_daily_one_row"),
            models.CheckConstraint(condition=models.Q(value__gte=0),
                                   name="analytics_daily_value_not_negative"),
        ]
        indexes = [
            models.Index(fields=["day"], name="analytics_daily_day"),
            # Read from the index alone (``value`` is in it), each with its range of days as
            # a bound: the charts of one city and industry (trend, funnel, complaints) …
            models.Index(fields=["metric", "city", "industry", "day", "value"],
                         name="analytics_daily_by_industry"),
            # … and the breakdowns: every city (``city <> "*"`` bounds nothing, so the day
            # comes before it) for one industry or all, every industry for one city or all.
            models.Index(fields=["metric", "industry", "day", "city", "value"],
                         name="analytics_daily_cities"),
            models.Index(fields=["metric", "city", "day", "industry", "value"],
                         name="analytics_daily_industries"),
        ]


class MonthlyFigure(_Figure):
    """A calendar month's flows: each cell the sum of its daily rows (``month`` is the month's
    first day). Written only by ``rollup_day``, from ``DailyFigure``."""

    month = models.DateField(_("月份"))

    class Meta:
        verbose_name = _("月统计")
        verbose_name_plural = _("月统计")
        constraints = [
            models.UniqueConstraint(fields=["metric", "city", "industry", "key", "month"],
                                    name="analytics_monthly_one_row"),
            models.CheckConstraint(condition=models.Q(value__gte=0),
                                   name="analytics_monthly_value_not_negative"),
        ]
        indexes = [
            models.Index(fields=["month"], name="analytics_monthly_month"),  # rollup_month
            # As the daily ones: the city and industry breakdowns read only the index.
            models.Index(fields=["metric", "industry", "month", "city", "value"],
                         name="analytics_monthly_cities"),
            models.Index(fields=["metric", "city", "month", "industry", "value"],
                         name="analytics_monthly_industries"),
        ]


class HourlyFigure(_Figure):
    """One hour's figure, kept for today and yesterday (the periodic task drops older hours)."""

    hour = models.DateTimeField(_("小时"))

    class Meta:
        verbose_name = _("小时统计")
        verbose_name_plural = _("小时统计")
        constraints = [
            models.UniqueConstraint(fields=["metric", "city", "industry", "key", "hour"],
                                    name="analytics_hourly_one_row"),
            models.CheckConstraint(condition=models.Q(value__gte=0),
                                   name="analytics_hourly_value_not_negative"),
        ]
        indexes = [models.Index(fields=["hour"], name="analytics_hourly_hour")]


class RollupRun(models.Model):
    """When a day was last rolled up, how long it took and how many rows it wrote: the
    dashboard says which days are covered, and a re-run replaces the row."""

    day = models.DateField(_("日期"), unique=True)
    computed_at = models.DateTimeField(_("计算时间"), default=timezone.now)
    seconds = models.FloatField(_("耗时（秒）"))
    rows = models.PositiveIntegerField(_("行数"))

    class Meta:
        verbose_name = _("汇总记录")
        verbose_name_plural = _("汇总记录")
        ordering = ["-day"]
