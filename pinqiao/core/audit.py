"""The audit log service (SEC-1, ACC-2): ``log_action`` and ``verify_chain``.

Every service that creates, reads sensitive data of, updates, deletes, shares or exports personal
data, and every staff action, calls ``log_action`` inside its transaction. Entries are chained:
each stores the hash of the previous one, so an edited or deleted row breaks the chain at that
point and ``manage.py audit_verify`` names it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from pinqiao.core.models import AuditChainHead, AuditEntry

_request_ip: ContextVar[str | None] = ContextVar("audit_request_ip", default=None)


def set_request_ip(ip: str | None) -> None:
    """Remember the client IP of the current request for entries written while serving it."""
    _request_ip.set(ip)


def _canonical(entry: AuditEntry) -> bytes:
    body = {
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "actor_role": entry.actor_role,
        "verb": entry.verb,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "data": entry.data,
        "ip": entry.ip,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def compute_hash(prev_hash: str, entry: AuditEntry) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + _canonical(entry)).hexdigest()


def _describe(target: Any) -> tuple[str, str]:
    if target is None:
        return "", ""
    if isinstance(target, tuple):
        return str(target[0]), str(target[1])
    if isinstance(target, models.Model):
        return target._meta.label_lower, str(target.pk)
    return type(target).__name__, str(target)


@transaction.atomic
def log_action(
    actor: Any,
    verb: str,
    target: Any = None,
    data: dict[str, Any] | None = None,
    *,
    ip: str | None = None,
) -> AuditEntry:
    """Append one entry. ``actor`` is a user or None (the system); ``target`` a model instance,
    a ``(type, id)`` pair or None. ``data`` must hold no plaintext personal data: pass masked
    forms or ids."""
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    target_type, target_id = _describe(target)
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    entry = AuditEntry(
        seq=head.seq + 1,
        at=timezone.now().replace(microsecond=0),
        actor_id=actor.pk if is_user else None,
        actor_label=str(actor.username) if is_user else "system",
        actor_role=str(getattr(actor, "role", "")) if is_user else "",
        verb=verb,
        target_type=target_type,
        target_id=target_id,
        data=json.loads(json.dumps(data or {}, ensure_ascii=False, default=str)),
        ip=ip if ip is not None else _request_ip.get(),
        prev_hash=head.hash,
    )
    entry.hash = compute_hash(head.hash, entry)
    entry.save()
    AuditChainHead.objects.filter(pk=1).update(seq=entry.seq, hash=entry.hash)
    return entry


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    reason: str


def _entries() -> Iterator[AuditEntry]:
    return AuditEntry.objects.order_by("seq").iterator(chunk_size=2000)


def verify_chain() -> ChainProblem | None:
    """Walk the chain; return the first altered, deleted or reordered entry, or None if intact."""
    prev_hash = "0" * 64
    expected_seq = 1
    for entry in _entries():
        if entry.seq != expected_seq:
            return ChainProblem(expected_seq, f"entry #{expected_seq} is missing (deleted)")
        if entry.prev_hash != prev_hash:
            return ChainProblem(entry.seq, f"entry #{entry.seq} does not link to its predecessor")
        if compute_hash(prev_hash, entry) != entry.hash:
            return ChainProblem(entry.seq, f"entry #{entry.seq} was altered after it was written")
        prev_hash = entry.hash
        expected_seq += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev_hash):
        return ChainProblem(expected_seq, f"entries after #{expected_seq - 1} were deleted")
    return None
