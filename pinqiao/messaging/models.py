"""Chat (MSG-1, MSG-2, MSG-4): conversations, messages with a per-conversation sequence number,
blocks of whole organisations, contact exchanges, virtual-number bindings and call records, and
the chat restrictions (warning, forced logout, chat ban) that make up the sender's risk record.

A conversation joins one seeker and one organisation about one posting; every member of the
organisation who may chat (the owner, members with ``can_chat``) speaks for the organisation
side. Read state is kept per side on the conversation itself (``seeker_read_seq``,
``org_read_seq``), so the unread count is ``last_seq - read_seq`` without counting rows.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: Longest text message (characters).
MAX_TEXT_CHARS = 1_000

private_storage = FileSystemStorage(base_url="/nowhere/")


def private_image_name(instance: object, filename: str) -> str:
    """A random name: neither the sender nor the original file name can be read from it."""
    return f"chat/{secrets.token_hex(16)}.jpg"


class Side(models.TextChoices):
    SEEKER = "seeker", _("求职者")
    ORG = "org", _("招聘方")


class Conversation(models.Model):
    """One per (seeker, organisation, posting) — a database constraint (MSG-1)."""

    seeker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="seeker_conversations", verbose_name=_("求职者"))
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT,
                                     related_name="conversations", verbose_name=_("单位"))
    posting = models.ForeignKey("jobs.Posting", on_delete=models.PROTECT,
                                related_name="conversations", verbose_name=_("职位"))
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("发起人"))
    started_side = models.CharField(_("发起方"), max_length=6, choices=Side.choices)
    last_seq = models.PositiveIntegerField(_("最新消息序号"), default=0)
    seeker_read_seq = models.PositiveIntegerField(_("求职者已读至"), default=0)
    org_read_seq = models.PositiveIntegerField(_("招聘方已读至"), default=0)
    seeker_messages = models.PositiveIntegerField(_("求职者消息数"), default=0)
    org_messages = models.PositiveIntegerField(_("招聘方消息数"), default=0)
    seeker_muted = models.BooleanField(_("求职者免打扰"), default=False)
    last_message_at = models.DateTimeField(_("最后消息时间"), null=True, blank=True)
    last_preview = models.CharField(_("最后消息摘要"), max_length=60, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("会话")
        verbose_name_plural = _("会话")
        ordering = ["-last_message_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["seeker", "organisation", "posting"],
                                    name="messaging_one_conversation_per_posting"),
            models.CheckConstraint(condition=Q(seeker_read_seq__lte=F("last_seq"))
                                   & Q(org_read_seq__lte=F("last_seq")),
                                   name="messaging_read_within_last_seq"),
        ]
        indexes = [models.Index(fields=["organisation", "-last_message_at"]),
                   models.Index(fields=["seeker", "-last_message_at"])]

    def __str__(self) -> str:
        return f"会话 #{self.pk}"


class Kind(models.TextChoices):
    TEXT = "text", _("文字")
    RESUME = "resume", _("简历")
    INTERVIEW = "interview", _("面试邀请")
    IMAGE = "image", _("图片")
    EXCHANGE = "exchange", _("交换联系方式")
    CALL = "call", _("通话记录")


class Message(models.Model):
    """One message. ``seq`` numbers the messages of a conversation 1, 2, 3 … without gaps —
    unique per conversation in the database — so a client that reconnects asks for
    ``seq > N`` and misses nothing. ``body`` is what the parties see (contact details and
    risky words masked); the original text stays in the screening record only."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE,
                                     related_name="messages")
    seq = models.PositiveIntegerField(_("序号"))
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("发送人"))
    side = models.CharField(_("发送方"), max_length=6, choices=Side.choices)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    body = models.TextField(_("内容"), blank=True)
    masked = models.BooleanField(_("已遮挡部分内容"), default=False)
    risk_categories = models.JSONField(_("风险类别"), default=list, blank=True)
    screening = models.ForeignKey("moderation.ScreeningRecord", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    interview = models.ForeignKey("interviews.Interview", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    image = models.FileField(_("图片"), storage=private_storage, upload_to=private_image_name,
                             max_length=100, blank=True)
    exchange = models.ForeignKey("ExchangeRequest", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    client_id = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now)

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        ordering = ["conversation", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "seq"],
                                    name="messaging_message_seq_unique"),
            models.CheckConstraint(condition=Q(seq__gte=1), name="messaging_message_seq_positive"),
            # A retry of a send names the message it repeats: the second write fails here and
            # the service answers with the message already written.
            models.UniqueConstraint(fields=["conversation", "sender", "client_id"],
                                    condition=~Q(client_id=""),
                                    name="messaging_message_client_id_unique"),
        ]


class Block(models.Model):
    """A seeker blocks an organisation: every member, now and later, cannot write (MSG-1)."""

    seeker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="chat_blocks")
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE,
                                     related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("屏蔽")
        verbose_name_plural = _("屏蔽")
        constraints = [models.UniqueConstraint(fields=["seeker", "organisation"],
                                               name="messaging_block_once")]


class ExchangeKind(models.TextChoices):
    PHONE = "phone", _("交换电话")
    WECHAT = "wechat", _("交换微信")


class ExchangeStatus(models.TextChoices):
    OPEN = "open", _("待回应")
    ACCEPTED = "accepted", _("已同意")
    DECLINED = "declined", _("已拒绝")


class ExchangeRequest(models.Model):
    """「交换电话」/「交换微信」: one side asks, the other accepts or declines (RES-5, MSG-4).

    Accepting is the seeker's consent for that organisation (``wording`` records what was
    agreed): a phone exchange gives both sides a virtual number, a WeChat exchange releases the
    seeker's instant-messaging handle to the organisation."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE,
                                     related_name="exchanges")
    kind = models.CharField(_("类型"), max_length=8, choices=ExchangeKind.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    requested_side = models.CharField(max_length=6, choices=Side.choices)
    status = models.CharField(_("状态"), max_length=8, choices=ExchangeStatus.choices,
                              default=ExchangeStatus.OPEN)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    wording = models.TextField(_("告知内容"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("交换联系方式请求")
        verbose_name_plural = _("交换联系方式请求")
        constraints = [models.UniqueConstraint(
            fields=["conversation", "kind"], condition=Q(status="open"),
            name="messaging_one_open_exchange_per_kind")]


class VirtualBinding(models.Model):
    """An AXB binding (MSG-4): seeker A and recruiter B reach each other through the middle
    number X until ``expires_at``; the real numbers are held encrypted and never shown."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE,
                                     related_name="bindings")
    exchange = models.OneToOneField(ExchangeRequest, on_delete=models.PROTECT,
                                    related_name="binding")
    provider = models.CharField(max_length=200)
    provider_ref = models.CharField(max_length=64)
    middle_number = models.CharField(_("虚拟号码"), max_length=20)
    seeker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    recruiter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    expires_at = models.DateTimeField(_("到期时间"))
    unbound_at = models.DateTimeField(_("解绑时间"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("虚拟号码绑定")
        verbose_name_plural = _("虚拟号码绑定")

    @property
    def active(self) -> bool:
        return self.unbound_at is None and self.expires_at > timezone.now()


class LocalAxbBinding(models.Model):
    """The local virtual-number provider's own state: what a carrier platform would keep."""

    ref = models.CharField(max_length=64, unique=True)
    middle_number = models.CharField(max_length=20, db_index=True)
    a_ciphertext = models.TextField()
    b_ciphertext = models.TextField()
    a_index = models.CharField(max_length=64, db_index=True)
    b_index = models.CharField(max_length=64, db_index=True)
    expires_at = models.DateTimeField()
    unbound_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)


class LocalCallRecord(models.Model):
    """A call placed through the local provider (话单)."""

    class Outcome(models.TextChoices):
        CONNECTED = "connected", _("已接通")
        REFUSED = "refused", _("未接通（绑定已失效或号码不在绑定中）")

    binding = models.ForeignKey(LocalAxbBinding, null=True, blank=True,
                                on_delete=models.PROTECT, related_name="calls")
    middle_number = models.CharField(max_length=20)
    caller_index = models.CharField(max_length=64)
    caller_is_a = models.BooleanField(null=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    started_at = models.DateTimeField(default=timezone.now)
    duration_seconds = models.PositiveIntegerField(default=0)


class RestrictionKind(models.TextChoices):
    WARNING = "warning", _("警告")
    FORCED_LOGOUT = "forced_logout", _("强制下线")
    CHAT_BAN = "chat_ban", _("禁止沟通")


class AppealStatus(models.TextChoices):
    NONE = "", _("未申诉")
    OPEN = "open", _("申诉处理中")
    UPHELD = "upheld", _("申诉成立，已撤销")
    REJECTED = "rejected", _("申诉不成立")


class ChatRestriction(models.Model):
    """A step in the escalation for abuse in chat (MSG-2): the user's risk record in chat,
    open to appeal. An appeal is a case on the complaints desk (``appeal_case``, TKT-1/TKT-3)
    naming the restriction; a handler who upholds it lifts the restriction. A chat ban is in
    force until ``ends_at`` unless lifted on appeal."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="chat_restrictions")
    kind = models.CharField(_("措施"), max_length=14, choices=RestrictionKind.choices)
    reason = models.TextField(_("事由"))
    categories = models.JSONField(_("违规类别"), default=list)
    ends_at = models.DateTimeField(_("截止时间"), null=True, blank=True)
    lifted_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    appeal_text = models.TextField(_("申诉理由"), blank=True)
    appeal_status = models.CharField(_("申诉状态"), max_length=8, choices=AppealStatus.choices,
                                     default=AppealStatus.NONE, blank=True)
    appeal_case = models.ForeignKey("tickets.Case", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("申诉案件"))
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("沟通处罚记录")
        verbose_name_plural = _("沟通处罚记录")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "kind", "-created_at"])]


class ChatViolation(models.Model):
    """One screened message that was masked or blocked for a counted category; the
    escalation counts these over a rolling window."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    screening = models.ForeignKey("moderation.ScreeningRecord", on_delete=models.PROTECT,
                                  related_name="+")
    blocked = models.BooleanField(default=False)
    categories = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
