"""Notifications (MSG-3): staff-edited templates, the in-site inbox, deliveries per channel with
retries, the user's channel preferences and quiet hours, and the local providers' records."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    INBOX = "inbox", _("站内信")
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")
    PUSH = "push", _("App 推送")


class NotificationTemplate(models.Model):
    """How one event reads on one channel, in one language. Bodies use Django template syntax."""

    event = models.CharField(_("事件"), max_length=64)
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    language = models.CharField(_("语言"), max_length=10, default="zh-hans")
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    description = models.CharField(_("说明"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["event", "channel"]
        verbose_name = _("通知模板")
        verbose_name_plural = _("通知模板")
        constraints = [models.UniqueConstraint(fields=["event", "channel", "language"],
                                               name="template_event_channel_language")]

    def __str__(self) -> str:
        return f"{self.event} / {self.get_channel_display()}"


class Notification(models.Model):
    """One notification to one user; it is also the in-site inbox entry."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notifications")
    event = models.CharField(max_length=64, db_index=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]


class Delivery(models.Model):
    """Sending one notification over one outside channel; retried with back-off on failure."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE,
                                     related_name="deliveries")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    not_before = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    provider_ref = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "not_before"])]


class NotificationPreference(models.Model):
    """Per-user channel switches and quiet hours (SMS and push wait until quiet hours end)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notification_preference")
    email_enabled = models.BooleanField(_("接收邮件"), default=True)
    sms_enabled = models.BooleanField(_("接收短信"), default=True)
    push_enabled = models.BooleanField(_("接收 App 推送"), default=True)
    quiet_start = models.TimeField(_("免打扰开始"), null=True, blank=True)
    quiet_end = models.TimeField(_("免打扰结束"), null=True, blank=True)


class LocalSmsMessage(models.Model):
    """What the local SMS provider 'sent': the phone encrypted, like everywhere else."""

    phone_ciphertext = models.TextField()
    phone_index = models.CharField(max_length=64, db_index=True)
    text = models.TextField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-pk"]


class LocalPushMessage(models.Model):
    """What the local push provider 'sent' to a user's devices."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    title = models.CharField(max_length=200)
    text = models.TextField()
    sent_at = models.DateTimeField(default=timezone.now)
