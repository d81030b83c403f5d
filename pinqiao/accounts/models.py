"""Accounts: users with encrypted phone and ID numbers, SMS codes, the login log, API tokens.

Phone numbers and ID numbers are stored only as AES-GCM ciphertext with an HMAC blind index for
lookups (PRIV-1); nothing here holds them in plaintext.
"""

from __future__ import annotations

import secrets

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pinqiao.core.permissions import STAFF_ROLES, Role


def new_username() -> str:
    return "u" + secrets.token_hex(6)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, username: str | None = None, password: str | None = None,
                    **extra: object) -> User:
        user = self.model(username=username or new_username(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, username: str, password: str, **extra: object) -> User:
        extra.setdefault("role", Role.OPERATOR)
        return self.create_user(username, password, is_superuser=True, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person using Pinqiao. ``username`` is a random public handle, not personal data."""

    username = models.CharField(_("用户名"), max_length=32, unique=True, default=new_username)
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, default=Role.SEEKER)
    display_name = models.CharField(_("昵称"), max_length=50, blank=True)
    phone_ciphertext = models.TextField(_("手机号（加密）"), blank=True)
    phone_index = models.CharField(max_length=64, null=True, blank=True, unique=True)
    email = models.EmailField(_("电子邮箱"), null=True, blank=True, unique=True)
    real_name_ciphertext = models.TextField(_("真实姓名（加密）"), blank=True)
    id_number_ciphertext = models.TextField(_("身份证号（加密）"), blank=True)
    id_number_index = models.CharField(max_length=64, null=True, blank=True, unique=True)
    real_name_verified_at = models.DateTimeField(_("实名认证时间"), null=True, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    date_joined = models.DateTimeField(_("注册时间"), default=timezone.now)
    closed_at = models.DateTimeField(_("注销时间"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=~Q(phone_index=None) | ~Q(email=None) | Q(role__in=sorted(STAFF_ROLES))
                | Q(is_active=False),
                name="user_has_login_identifier",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_staff(self) -> bool:
        """Platform staff (and regulators) — they must pass a second factor."""
        return self.role in STAFF_ROLES

    @property
    def is_real_name_verified(self) -> bool:
        return self.real_name_verified_at is not None


class SmsPurpose(models.TextChoices):
    SIGNUP = "signup", _("注册")
    LOGIN = "login", _("登录")


class SmsCode(models.Model):
    """A one-time SMS code: stored as a keyed hash, valid 5 minutes, used once."""

    phone_index = models.CharField(max_length=64, db_index=True)
    purpose = models.CharField(max_length=16, choices=SmsPurpose.choices)
    code_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        indexes = [models.Index(fields=["phone_index", "purpose", "created_at"])]


class LoginMethod(models.TextChoices):
    PASSWORD = "password", _("密码")
    SMS = "sms", _("短信验证码")
    TOKEN = "token", _("API 令牌")


class LoginRecord(models.Model):
    """The login log (ACC-4): log-in and log-out time, account, IP, user agent, phone used."""

    user = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="logins")
    succeeded = models.BooleanField(default=True)
    method = models.CharField(max_length=16, choices=LoginMethod.choices)
    login_at = models.DateTimeField(default=timezone.now, db_index=True)
    logout_at = models.DateTimeField(null=True, blank=True)
    logout_reason = models.CharField(max_length=32, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    user_agent = models.CharField(max_length=300, blank=True)
    phone_ciphertext = models.TextField(blank=True)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True)
    session_digest = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["-login_at"]
        verbose_name = _("登录日志")
        verbose_name_plural = _("登录日志")


class ApiToken(models.Model):
    """A bearer token for the API; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=50)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")


class IdentityRecord(models.Model):
    """The local real-name provider's registry: name and ID number pairs it can confirm.

    Stands in for the public-security identity service; holds only keyed hashes."""

    id_number_index = models.CharField(max_length=64, unique=True)
    name_digest = models.CharField(max_length=64)
    status = models.CharField(max_length=16, default="valid")


class RealNameCheck(models.Model):
    """Each real-name verification attempt and its outcome (ACC-1)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="real_name_checks")
    checked_at = models.DateTimeField(default=timezone.now)
    provider = models.CharField(max_length=64)
    matched = models.BooleanField()
    reason = models.CharField(max_length=64)


class ClosureRequest(models.Model):
    """A user's request to close the account (ACC-5); data handling follows PRIV-5."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("已受理")
        COMPLETED = "completed", _("已完成")

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="closure_requests")
    requested_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RECEIVED)

    class Meta:
        verbose_name = _("注销申请")
        verbose_name_plural = _("注销申请")
