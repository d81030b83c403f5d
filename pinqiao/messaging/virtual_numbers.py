"""Virtual numbers for phone calls (MSG-4; 直播带岗 5.1.5, DB4401 7.4.1).

``VirtualNumberProvider`` is the interface a carrier's AXB service is wrapped in: bind two real
numbers A and B to a middle number X until an expiry, route a call dialled to X by A or B to the
other party, keep call records (话单), unbind. ``LocalVirtualNumberProvider`` behaves like one and
keeps its state in the database (``LocalAxbBinding``, ``LocalCallRecord``): bindings expire,
unbound or expired bindings refuse calls, and a middle number is never shared by two live
bindings that involve the same party (so a call to X is always routed unambiguously).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from pinqiao.accounts.identity import encrypt_phone, phone_index
from pinqiao.messaging.models import LocalAxbBinding, LocalCallRecord

#: The local provider's pool: 1700000xxxx (a virtual-operator range), allocated in order.
LOCAL_POOL_PREFIX = "1700000"
LOCAL_POOL_SIZE = 10_000


class NoNumberAvailable(Exception):
    """The pool has no middle number free for this pair."""


@dataclass(frozen=True)
class Binding:
    ref: str
    middle_number: str
    expires_at: datetime


@dataclass(frozen=True)
class CallRecord:
    started_at: datetime
    caller_is_a: bool | None
    connected: bool
    duration_seconds: int


@dataclass(frozen=True)
class CallRouting:
    connected: bool
    caller_is_a: bool | None


class VirtualNumberProvider(Protocol):
    def bind(self, *, a_phone: str, b_phone: str, expires_at: datetime) -> Binding: ...

    def unbind(self, *, ref: str) -> None: ...

    def place_call(self, *, middle_number: str, caller_phone: str,
                   duration_seconds: int = 0) -> CallRouting: ...

    def calls(self, *, ref: str) -> list[CallRecord]: ...


class LocalVirtualNumberProvider:
    """An AXB service that keeps bindings, expiries and call records in the database."""

    @transaction.atomic
    def bind(self, *, a_phone: str, b_phone: str, expires_at: datetime) -> Binding:
        now = timezone.now()
        a_index, b_index = phone_index(a_phone), phone_index(b_phone)
        indexes = [a_index, b_index]
        busy = set(LocalAxbBinding.objects.select_for_update().filter(
            unbound_at=None, expires_at__gt=now).filter(
            Q(a_index__in=indexes) | Q(b_index__in=indexes)).values_list(
            "middle_number", flat=True))
        for n in range(LOCAL_POOL_SIZE):
            number = f"{LOCAL_POOL_PREFIX}{n:04d}"
            if number not in busy:
                break
        else:
            raise NoNumberAvailable
        row = LocalAxbBinding.objects.create(
            ref=secrets.token_hex(12), middle_number=number, a_ciphertext=encrypt_phone(a_phone),
            b_ciphertext=encrypt_phone(b_phone), a_index=a_index, b_index=b_index,
            expires_at=expires_at)
        return Binding(ref=row.ref, middle_number=row.middle_number, expires_at=row.expires_at)

    def unbind(self, *, ref: str) -> None:
        LocalAxbBinding.objects.filter(ref=ref, unbound_at=None).update(unbound_at=timezone.now())

    def place_call(self, *, middle_number: str, caller_phone: str,
                   duration_seconds: int = 0) -> CallRouting:
        """A call dialled to ``middle_number`` from ``caller_phone``: connected to the other
        party of the live binding that holds both, refused otherwise; recorded either way."""
        caller = phone_index(caller_phone)
        row = LocalAxbBinding.objects.filter(
            Q(a_index=caller) | Q(b_index=caller), middle_number=middle_number,
            unbound_at=None, expires_at__gt=timezone.now()).first()
        caller_is_a = None if row is None else row.a_index == caller
        LocalCallRecord.objects.create(
            binding=row, middle_number=middle_number, caller_index=caller,
            caller_is_a=caller_is_a,
            outcome=LocalCallRecord.Outcome.CONNECTED if row else LocalCallRecord.Outcome.REFUSED,
            duration_seconds=duration_seconds if row else 0)
        return CallRouting(connected=row is not None, caller_is_a=caller_is_a)

    def calls(self, *, ref: str) -> list[CallRecord]:
        return [CallRecord(started_at=c.started_at, caller_is_a=c.caller_is_a,
                           connected=c.outcome == LocalCallRecord.Outcome.CONNECTED,
                           duration_seconds=c.duration_seconds)
                for c in LocalCallRecord.objects.filter(binding__ref=ref).order_by("started_at")]


@cache
def _provider_class(path: str) -> type:
    return import_string(path)


def provider() -> VirtualNumberProvider:
    return _provider_class(settings.VIRTUAL_NUMBER_PROVIDER)()
