"""Consents (PRIV-3, RES-5): separate, explicit, per purpose and, where it applies, per
organisation; withdrawable, withdrawal effective on the next request."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ConsentPurpose(models.TextChoices):
    RESUME_TO_EMPLOYER = "resume_to_employer", _("向该单位提供我的简历")
    CONTACT_RELEASE = "contact_release", _("向该单位提供我的联系方式")
    SENSITIVE_DATA = "sensitive_data", _("处理我的敏感个人信息")
    PERSONALISATION = "personalisation", _("个性化推荐")
    RESUME_SUGGESTIONS = "resume_suggestions", _("简历优化建议")


#: Purposes given to one organisation; the others are given to the platform.
PER_ORGANISATION = (ConsentPurpose.RESUME_TO_EMPLOYER, ConsentPurpose.CONTACT_RELEASE)


class ConsentSource(models.TextChoices):
    APPLICATION = "application", _("投递时")
    CONTACT_REQUEST = "contact_request", _("同意招聘方的联系请求")
    SETTINGS = "settings", _("隐私设置")
    CHAT = "chat", _("在沟通中发送简历")


class Consent(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="consents")
    purpose = models.CharField(_("目的"), max_length=24, choices=ConsentPurpose.choices)
    organisation = models.ForeignKey("orgs.Organisation", null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="+")
    source = models.CharField(_("来源"), max_length=16, choices=ConsentSource.choices)
    wording = models.TextField(_("告知内容"), blank=True)
    granted_at = models.DateTimeField(_("同意时间"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("个人信息同意")
        verbose_name_plural = _("个人信息同意")
        indexes = [models.Index(fields=["user", "purpose", "organisation"])]
        constraints = [
            models.CheckConstraint(condition=Q(purpose__in=ConsentPurpose.values),
                                   name="privacy_consent_purpose_valid"),
            models.CheckConstraint(
                condition=Q(purpose__in=[p.value for p in PER_ORGANISATION],
                            organisation__isnull=False)
                | (~Q(purpose__in=[p.value for p in PER_ORGANISATION])
                   & Q(organisation__isnull=True)),
                name="privacy_consent_org_matches_purpose"),
            models.UniqueConstraint(fields=["user", "purpose", "organisation"],
                                    condition=Q(withdrawn_at=None, organisation__isnull=False),
                                    name="privacy_one_live_org_consent"),
            models.UniqueConstraint(fields=["user", "purpose"],
                                    condition=Q(withdrawn_at=None, organisation__isnull=True),
                                    name="privacy_one_live_platform_consent"),
        ]

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


class ContactRequestStatus(models.TextChoices):
    OPEN = "open", _("待回应")
    ACCEPTED = "accepted", _("已同意")
    DECLINED = "declined", _("已拒绝")


class ContactRequest(models.Model):
    """A recruiter asks for a seeker's contact details (RES-5); accepting grants a
    ``contact_release`` consent to the organisation."""

    resume = models.ForeignKey("resumes.Resume", on_delete=models.CASCADE,
                               related_name="contact_requests")
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE,
                                     related_name="+", verbose_name=_("单位"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    posting = models.ForeignKey("jobs.Posting", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+",
                                verbose_name=_("相关职位"))
    status = models.CharField(_("状态"), max_length=10, choices=ContactRequestStatus.choices,
                              default=ContactRequestStatus.OPEN)
    consent = models.ForeignKey(Consent, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    created_at = models.DateTimeField(_("请求时间"), default=timezone.now)
    decided_at = models.DateTimeField(_("回应时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("联系方式请求")
        verbose_name_plural = _("联系方式请求")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ContactRequestStatus.values),
                                   name="privacy_contact_request_status_valid"),
            models.UniqueConstraint(fields=["resume", "organisation"],
                                    condition=Q(status="open"),
                                    name="privacy_one_open_contact_request"),
        ]


class AccessKind(models.TextChoices):
    VIEW = "view", _("查看")
    DOWNLOAD = "download", _("下载")
    API = "api", _("接口读取")


#: Kinds that count as a view for the daily limits (RES-7).
VIEW_KINDS = (AccessKind.VIEW, AccessKind.API)


class ResumeAccess(models.Model):
    """One view, download or API read of a résumé by a recruiter (RES-6), written in the
    same request. ``fields`` names the parts shown, e.g. ``["basic", "contact"]``."""

    resume = models.ForeignKey("resumes.Resume", on_delete=models.CASCADE,
                               related_name="accesses")
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT,
                                     related_name="+")
    kind = models.CharField(_("方式"), max_length=10, choices=AccessKind.choices)
    fields = models.JSONField(_("展示的内容"), default=list)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    day = models.DateField(_("日期"))

    class Meta:
        verbose_name = _("简历访问记录")
        verbose_name_plural = _("简历访问记录")
        indexes = [models.Index(fields=["resume", "at"]),
                   models.Index(fields=["organisation", "day", "kind"]),
                   models.Index(fields=["viewer", "day", "kind"]),
                   models.Index(fields=["viewer", "at"])]
        constraints = [models.CheckConstraint(condition=Q(kind__in=AccessKind.values),
                                              name="privacy_access_kind_valid")]

    @property
    def contact_shown(self) -> bool:
        return "contact" in self.fields


class DownloadSource(models.TextChoices):
    RENDERED = "rendered", _("在线简历 PDF")
    ATTACHMENT = "attachment", _("附件简历原件")


class ResumeDownload(models.Model):
    """A downloaded résumé file — the online résumé rendered to PDF, or the seeker's uploaded
    PDF or DOCX — and the hidden marker stamped into it (RES-6)."""

    access = models.OneToOneField(ResumeAccess, on_delete=models.PROTECT,
                                  related_name="download")
    marker = models.CharField(max_length=32, unique=True)
    source = models.CharField(_("文件"), max_length=10, choices=DownloadSource.choices,
                              default=DownloadSource.RENDERED)
    template = models.CharField(_("模板"), max_length=32, blank=True)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("简历下载记录")
        verbose_name_plural = _("简历下载记录")
        constraints = [models.CheckConstraint(condition=Q(source__in=DownloadSource.values),
                                              name="privacy_download_source_valid")]


class CounterScope(models.TextChoices):
    USER = "user", _("账号")
    ORGANISATION = "org", _("单位")


class AccessCounter(models.Model):
    """Résumés viewed (``view``: page and API) or downloaded per account or organisation and
    day (RES-7). Locked with ``select_for_update`` while an access is counted, so parallel
    requests cannot overshoot a limit."""

    scope = models.CharField(max_length=4, choices=CounterScope.choices)
    scope_id = models.BigIntegerField()
    day = models.DateField()
    kind = models.CharField(max_length=10, choices=AccessKind.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "scope_id", "day", "kind"],
                                    name="privacy_one_counter"),
            models.CheckConstraint(condition=Q(kind__in=[AccessKind.VIEW, AccessKind.DOWNLOAD]),
                                   name="privacy_counter_kind_valid"),
            models.CheckConstraint(condition=Q(scope__in=CounterScope.values),
                                   name="privacy_counter_scope_valid"),
        ]


class FlagReason(models.TextChoices):
    QUOTA = "quota", _("达到每日上限")
    BURST = "burst", _("短时间内集中查看大量简历")
    VOLUME = "volume", _("访问量远超本单位近期水平")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    BENIGN = "benign", _("确认正常")
    CONFIRMED = "confirmed", _("确认异常")


class AccessFlag(models.Model):
    """Unusual résumé access volume for staff to review, with the evidence (RES-7)."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE,
                                     related_name="+", verbose_name=_("单位"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("账号"))
    reason = models.CharField(_("原因"), max_length=10, choices=FlagReason.choices)
    day = models.DateField(_("日期"))
    evidence = models.JSONField(_("证据"), default=dict)
    status = models.CharField(_("状态"), max_length=10, choices=FlagStatus.choices,
                              default=FlagStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("处理说明"), blank=True)

    class Meta:
        verbose_name = _("异常访问预警")
        verbose_name_plural = _("异常访问预警")
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(reason__in=FlagReason.values),
                                   name="privacy_flag_reason_valid"),
            models.CheckConstraint(condition=Q(status__in=FlagStatus.values),
                                   name="privacy_flag_status_valid"),
            models.UniqueConstraint(fields=["organisation", "user", "reason", "day"],
                                    condition=Q(user__isnull=False),
                                    name="privacy_one_user_flag_per_day"),
            models.UniqueConstraint(fields=["organisation", "reason", "day"],
                                    condition=Q(user__isnull=True),
                                    name="privacy_one_org_flag_per_day"),
        ]
