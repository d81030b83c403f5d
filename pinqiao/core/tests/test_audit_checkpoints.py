"""SEC-1: the audit chain cannot be quietly rewritten by someone who can write the database.

Chain heads are signed (HMAC with a key derived from the field key, kept outside the database)
into an append-only file outside the database; ``audit_verify`` checks them (issue 11, 12)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from pinqiao.core.audit import (
    audit_checkpoint,
    compute_hash,
    log_action,
    read_checkpoints,
    verify_chain,
)
from pinqiao.core.models import AuditChainHead, AuditEntry

pytestmark = pytest.mark.django_db


def _rewrite_whole_chain(new_verb: str) -> None:
    """What a database writer without the key can do: change an entry and recompute every
    hash after it and the head, so the chain itself is consistent again."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET verb = %s WHERE seq = 1", [new_verb])
    prev = "0" * 64
    for entry in AuditEntry.objects.order_by("seq"):
        entry.prev_hash = prev
        entry.hash = compute_hash(prev, entry)
        with connection.cursor() as cursor:
            cursor.execute("UPDATE core_auditentry SET prev_hash = %s, hash = %s WHERE seq = %s",
                           [entry.prev_hash, entry.hash, entry.seq])
        prev = entry.hash
    AuditChainHead.objects.filter(pk=1).update(hash=prev)


def test_a_checkpoint_is_appended_outside_the_database_and_signed(seeker: Any) -> None:
    log_action(seeker, "test.one", seeker)
    row = audit_checkpoint()
    assert row is not None and row["seq"] == AuditChainHead.objects.get().seq
    assert audit_checkpoint() is None  # the head did not move
    log_action(seeker, "test.two", seeker)
    audit_checkpoint()
    lines = settings.AUDIT_CHECKPOINT_FILE.read_text().splitlines()
    assert len(lines) == 2 and len(json.loads(lines[1])["mac"]) == 64
    assert verify_chain() is None


def test_a_rewritten_chain_passes_the_hash_walk_but_not_the_checkpoints(seeker: Any) -> None:
    log_action(seeker, "accounts.login", seeker)
    log_action(seeker, "resumes.contact_viewed", seeker)
    audit_checkpoint()
    _rewrite_whole_chain("accounts.nothing_happened")
    problem = verify_chain()
    assert problem is not None and "rewritten" in problem.reason
    with pytest.raises(CommandError, match="rewritten"):
        call_command("audit_verify")


def test_a_forged_checkpoint_is_detected(seeker: Any) -> None:
    log_action(seeker, "test.one", seeker)
    audit_checkpoint()
    row = read_checkpoints()[0]
    row["hash"] = "f" * 64
    settings.AUDIT_CHECKPOINT_FILE.write_text(json.dumps(row) + "\n")
    problem = verify_chain()
    assert problem is not None and "MAC" in problem.reason


def test_a_truncated_chain_is_detected(seeker: Any) -> None:
    log_action(seeker, "test.one", seeker)
    log_action(seeker, "test.two", seeker)
    audit_checkpoint()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE seq = 2")
    AuditChainHead.objects.filter(pk=1).update(
        seq=1, hash=AuditEntry.objects.get(seq=1).hash)
    problem = verify_chain()
    assert problem is not None and "truncated" in problem.reason


def test_audit_verify_reports_the_checkpoints(seeker: Any, capsys: pytest.CaptureFixture) -> None:
    log_action(seeker, "test.one", seeker)
    call_command("audit_checkpoint")
    call_command("audit_verify")
    assert "1 signed checkpoints match" in capsys.readouterr().out


def test_the_regulator_downloads_the_checkpoints_on_request(staff_client: Any, regulator: Any,
                                                             customer_service: Any) -> None:
    log_action(regulator, "test.one", regulator)
    audit_checkpoint()
    response = staff_client(regulator).get("/staff/audit-checkpoints.jsonl")
    assert response.status_code == 200 and response["X-Audit-Chain"] == "intact"
    assert json.loads(response.content.decode().splitlines()[0])["seq"] >= 1
    assert AuditEntry.objects.filter(verb="core.audit_checkpoints_exported").exists()
    assert staff_client(customer_service).get(
        "/staff/audit-checkpoints.jsonl").status_code == 403
