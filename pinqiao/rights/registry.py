"""The registries other apps extend (PRIV-4, PRIV-5).

An **exporter** contributes one JSON file to a person's data download; an **eraser** handles one
kind of data when the person asks for deletion (or closes the account). An app that keeps
personal data registers both in its ``AppConfig.ready``::

    from pinqiao.rights.registry import Exporter, Eraser, register_eraser, register_exporter

    register_exporter(Exporter("chats", "chats.json", _("聊天记录"), collect_chats))
    register_eraser(Eraser("chats", _("聊天记录"), erase_chats))

``collect(user)`` returns JSON-serialisable data (no ciphertext: decrypt for the owner, it is
their copy); ``erase(user, ctx)`` does its work inside the erasure's transaction and returns
the ``ErasureItem`` rows that say what happened.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

ERASED = "erased"
ANONYMISED = "anonymised"
RESTRICTED = "restricted"


@dataclass(frozen=True)
class Exporter:
    name: str
    filename: str
    title: str
    collect: Callable[[Any], Any]


@dataclass(frozen=True)
class ErasureItem:
    what: str
    action: str
    count: int
    until: date | None = None
    basis: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"what": str(self.what), "action": self.action, "count": self.count,
                "until": self.until.isoformat() if self.until else "",
                "basis": str(self.basis)}


@dataclass
class ErasureContext:
    """What every eraser needs to know: the person, the closing time, the actor."""

    user: Any
    now: Any
    actor: Any
    #: The blind index of the person's phone number, taken before the account is erased.
    phone_index: str = ""


@dataclass(frozen=True)
class Eraser:
    name: str
    title: str
    erase: Callable[[ErasureContext], list[ErasureItem]]


EXPORTERS: dict[str, Exporter] = {}
ERASERS: dict[str, Eraser] = {}


def register_exporter(exporter: Exporter) -> None:
    EXPORTERS[exporter.name] = exporter


def register_eraser(eraser: Eraser) -> None:
    ERASERS[eraser.name] = eraser
