"""The audit log service (SEC-1, ACC-2): ``log_action`` and ``verify_chain``.

Every service that creates, reads sensitive data of, updates, deletes, shares or exports personal
data, and every staff action, calls ``log_action`` inside its transaction. Entries are chained:
each stores the hash of the previous one, so an edited or deleted row breaks the chain at that
point and ``manage.py audit_verify`` names it.

Someone who can write the database could still recompute the whole chain and its head. So the
head is also *checkpointed*: ``audit_checkpoint`` appends ``{seq, hash, at, mac}`` to an
append-only file outside the database (``AUDIT_CHECKPOINT_FILE``), the MAC an HMAC-SHA256 with a
key derived from the field key, which is kept outside the database too. ``verify_chain`` checks
every checkpoint's MAC and that the entry at its ``seq`` still has its hash: a rewritten chain no
longer matches the checkpoints written before the rewrite, and a forged checkpoint has no valid
MAC without the key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from pinqiao.core.crypto import derived_key
from pinqiao.core.models import AuditChainHead, AuditEntry
from pinqiao.core.plain_insert import insert

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


def _head_locked() -> tuple[int, str]:
    """The chain head's ``(seq, hash)``, its row locked to the end of the transaction (on
    SQLite the write transaction itself excludes other writers)."""
    quote = connection.ops.quote_name
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote('seq')}, {quote('hash')} "
                       f"FROM {quote(AuditChainHead._meta.db_table)} WHERE {quote('id')} = 1"
                       + lock)
        row = cursor.fetchone()
    if row is None:  # the first entry ever: create the head row
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        return head.seq, head.hash
    return int(row[0]), str(row[1])


def _append(entry: AuditEntry) -> None:
    """INSERT ``entry`` and move the head to it, in plain SQL: the audit log is written by
    nearly every request that changes data, and building these statements through the ORM
    cost about 1.5 ms of CPU per entry (SEC-3: CPU time per write request)."""
    insert(entry, connection.alias)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {quote(AuditChainHead._meta.db_table)} SET {quote('seq')} = %s, "
                       f"{quote('hash')} = %s WHERE {quote('id')} = 1", [entry.seq, entry.hash])


# No savepoint of its own: an entry that cannot be written fails the caller's transaction.
@transaction.atomic(savepoint=False)
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
    seq, prev_hash = _head_locked()
    target_type, target_id = _describe(target)
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    entry = AuditEntry(
        seq=seq + 1,
        at=timezone.now().replace(microsecond=0),
        actor_id=actor.pk if is_user else None,
        actor_label=str(actor.username) if is_user else "system",
        actor_role=str(getattr(actor, "role", "")) if is_user else "",
        verb=verb,
        target_type=target_type,
        target_id=target_id,
        data=json.loads(json.dumps(data or {}, ensure_ascii=False, default=str)),
        ip=ip if ip is not None else _request_ip.get(),
        prev_hash=prev_hash,
    )
    entry.hash = compute_hash(prev_hash, entry)
    _append(entry)
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
    return verify_checkpoints()


# --- checkpoints outside the database -------------------------------------------------------

_CHECKPOINT_KEY_PURPOSE = "audit-checkpoint-v1"


def _checkpoint_mac(seq: int, chain_hash: str, at: str) -> str:
    message = f"{seq}\n{chain_hash}\n{at}".encode()
    return hmac.new(derived_key(_CHECKPOINT_KEY_PURPOSE), message, hashlib.sha256).hexdigest()


def read_checkpoints() -> list[dict[str, Any]]:
    """The checkpoint file's lines, oldest first (an unreadable line is kept as ``{}``)."""
    path = settings.AUDIT_CHECKPOINT_FILE
    if not path.exists():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except ValueError:
            rows.append({})
    return rows


def audit_checkpoint() -> dict[str, Any] | None:
    """SEC-1: append the signed chain head to the checkpoint file (``O_APPEND``, fsynced);
    None when the head has not moved since the last checkpoint."""
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None or head.seq == 0:
        return None
    existing = read_checkpoints()
    if existing and existing[-1].get("seq") == head.seq:
        return None
    at = timezone.now().replace(microsecond=0).isoformat()
    row = {"seq": head.seq, "hash": head.hash, "at": at,
           "mac": _checkpoint_mac(head.seq, head.hash, at)}
    path = settings.AUDIT_CHECKPOINT_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o640)
    try:
        os.write(fd, (json.dumps(row, sort_keys=True) + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    return row


def verify_checkpoints() -> ChainProblem | None:
    """Every checkpoint is genuine (MAC), in order, and still matches the chain."""
    last_seq = 0
    for number, row in enumerate(read_checkpoints(), start=1):
        try:
            seq, chain_hash, at, mac = int(row["seq"]), str(row["hash"]), str(row["at"]), row["mac"]
        except (KeyError, TypeError, ValueError):
            return ChainProblem(0, f"checkpoint line {number} is unreadable")
        if not hmac.compare_digest(str(mac), _checkpoint_mac(seq, chain_hash, at)):
            return ChainProblem(seq, f"checkpoint line {number} has a wrong MAC (forged or "
                                     "made with another key)")
        if seq < last_seq:
            return ChainProblem(seq, f"checkpoint line {number} goes backwards")
        last_seq = seq
        entry = AuditEntry.objects.filter(seq=seq).only("hash").first()
        if entry is None:
            return ChainProblem(seq, f"entry #{seq}, signed in checkpoint {number}, is missing "
                                     "(the chain was truncated)")
        if entry.hash != chain_hash:
            return ChainProblem(seq, f"entry #{seq} differs from the signed checkpoint "
                                     f"{number}: the chain was rewritten")
    return None
