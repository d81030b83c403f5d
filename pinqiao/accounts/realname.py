"""Real-name verification (ACC-1) behind a provider interface.

The production adapter calls the public-security identity service; the local provider keeps its
own registry of confirmable identities (``IdentityRecord``, keyed hashes only) so that the whole
flow — match, name mismatch, unknown number, revoked number — runs end to end in tests and demo.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from pinqiao.accounts.models import IdentityRecord
from pinqiao.core.crypto import blind_index, keyed_digest


@dataclass(frozen=True)
class RealNameResult:
    matched: bool
    reason: str  # "matched" | "name_mismatch" | "not_found" | "id_invalid"


class RealNameVerifier(Protocol):
    name: str

    def verify(self, *, name: str, id_number: str) -> RealNameResult: ...


def id_number_index(id_number: str) -> str:
    return blind_index(id_number.upper(), purpose="id_number")


class LocalRealNameVerifier:
    """Confirms name + ID number pairs against its own registry table."""

    name = "local"

    def verify(self, *, name: str, id_number: str) -> RealNameResult:
        record = IdentityRecord.objects.filter(id_number_index=id_number_index(id_number)).first()
        if record is None:
            return RealNameResult(False, "not_found")
        if record.status != "valid":
            return RealNameResult(False, "id_invalid")
        if record.name_digest != keyed_digest(name, purpose="real_name"):
            return RealNameResult(False, "name_mismatch")
        return RealNameResult(True, "matched")

    def register(self, *, name: str, id_number: str, status: str = "valid") -> None:
        """Add or update an identity the local registry can confirm (demo data and tests)."""
        IdentityRecord.objects.update_or_create(
            id_number_index=id_number_index(id_number),
            defaults={"name_digest": keyed_digest(name, purpose="real_name"), "status": status},
        )


@cache
def verifier() -> RealNameVerifier:
    return import_string(settings.REALNAME_VERIFIER)()
