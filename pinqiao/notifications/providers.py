"""Outside notification services behind interfaces (MSG-3).

The local providers behave like the vendors' APIs — they accept or refuse a message and keep a
record of every message they accepted — so sign-up, log-in and notifications run end to end.
Set ``SMS_PROVIDER`` / ``PUSH_PROVIDER`` to a vendor adapter in production.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from pinqiao.accounts.identity import encrypt_phone, phone_index
from pinqiao.notifications.models import LocalPushMessage, LocalSmsMessage


class ProviderError(Exception):
    """The outside service refused or failed; the caller may retry."""


class SmsProvider(Protocol):
    def send(self, *, phone: str, text: str) -> str: ...


class PushProvider(Protocol):
    def send(self, *, user: Any, title: str, text: str) -> str: ...


SMS_MAX_CHARS = 500


class LocalSmsProvider:
    """Keeps each accepted message (phone encrypted); refuses over-long texts like a gateway."""

    def send(self, *, phone: str, text: str) -> str:
        if len(text) > SMS_MAX_CHARS:
            raise ProviderError("message too long")
        message = LocalSmsMessage.objects.create(
            phone_ciphertext=encrypt_phone(phone),
            phone_index=phone_index(phone),
            text=text,
        )
        return f"local-sms-{message.pk}"

    @staticmethod
    def inbox(phone: str) -> list[str]:
        """The texts this phone 'received', newest first (demo pages and tests read codes)."""
        rows = LocalSmsMessage.objects.filter(phone_index=phone_index(phone))
        return list(rows.values_list("text", flat=True))


class LocalPushProvider:
    def send(self, *, user: Any, title: str, text: str) -> str:
        message = LocalPushMessage.objects.create(user=user, title=title, text=text)
        return f"local-push-{message.pk}"


@cache
def sms_provider() -> SmsProvider:
    return import_string(settings.SMS_PROVIDER)()


@cache
def push_provider() -> PushProvider:
    return import_string(settings.PUSH_PROVIDER)()
