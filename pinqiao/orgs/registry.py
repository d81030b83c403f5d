"""The official business-registry lookup (ORG-2) behind a provider interface.

Production plugs in the vendor adapter for the national enterprise credit information system;
the local provider answers from ``data/registry.json`` (companies with name, credit code, legal
representative, status 存续/注销/吊销 and business scope). Every lookup, found or not, is recorded
in ``RegistryLookup`` whichever provider answers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from pinqiao.orgs.models import Organisation, RegistryLookup

_FIXTURE = Path(__file__).with_name("data") / "registry.json"

ACTIVE = "存续"
DEREGISTERED = "注销"
REVOKED = "吊销"
DEAD_STATUSES = (DEREGISTERED, REVOKED)


@dataclass(frozen=True)
class RegistryRecord:
    credit_code: str
    name: str
    legal_representative: str
    status: str
    business_scope: str
    founded_on: str = ""

    @property
    def is_active(self) -> bool:
        return self.status == ACTIVE


class BusinessRegistry(Protocol):
    name: str

    def fetch(self, credit_code: str) -> RegistryRecord | None: ...


class LocalBusinessRegistry:
    """Answers from the fixture of companies shipped with the app."""

    name = "local"

    def fetch(self, credit_code: str) -> RegistryRecord | None:
        return _fixture().get(credit_code)


@cache
def _fixture() -> dict[str, RegistryRecord]:
    raw = json.loads(_FIXTURE.read_text(encoding="utf-8"))
    return {row["credit_code"]: RegistryRecord(**row) for row in raw["companies"]}


def fixture_companies() -> list[RegistryRecord]:
    """The local registry's companies (demo data and tests)."""
    return list(_fixture().values())


def fixture_company(name_fragment: str) -> RegistryRecord:
    return next(r for r in _fixture().values() if name_fragment in r.name)


@cache
def provider() -> BusinessRegistry:
    path = getattr(settings, "BUSINESS_REGISTRY_PROVIDER",
                   "pinqiao.orgs.registry.LocalBusinessRegistry")
    return import_string(path)()


def lookup(credit_code: str, *, actor: Any = None,
           organisation: Organisation | None = None) -> RegistryRecord | None:
    """Look a credit code up and record the lookup (ORG-2)."""
    registry = provider()
    record = registry.fetch(credit_code)
    RegistryLookup.objects.create(
        credit_code=credit_code, provider=registry.name, found=record is not None,
        name=record.name if record else "",
        legal_representative=record.legal_representative if record else "",
        registry_status=record.status if record else "",
        business_scope=record.business_scope if record else "",
        organisation=organisation,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    return record
