"""SEC-1: the audit log is append-only and hash-chained; audit_verify names the first bad row."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from pinqiao.core.audit import log_action, verify_chain
from pinqiao.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _write(n: int) -> list[AuditEntry]:
    return [log_action(None, "test.event", ("thing", i), {"n": i}) for i in range(n)]


def test_it_chains_each_entry_to_the_previous_one() -> None:
    first, second, third = _write(3)
    assert [e.seq for e in (first, second, third)] == [1, 2, 3]
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert verify_chain() is None


def test_it_refuses_updates_and_deletes_through_the_orm() -> None:
    (entry,) = _write(1)
    entry.verb = "changed"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.all().update(verb="x")
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()


def test_audit_verify_passes_on_an_intact_chain(capsys: pytest.CaptureFixture) -> None:
    _write(4)
    call_command("audit_verify")
    assert "intact: 4 entries" in capsys.readouterr().out


def test_audit_verify_names_an_edited_row() -> None:
    _write(5)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AuditEntry._meta.db_table} SET data = %s WHERE seq = 3",
                       ['{"n": 99}'])
    with pytest.raises(CommandError, match="seq 3: entry #3 was altered"):
        call_command("audit_verify")


def test_audit_verify_names_a_deleted_row() -> None:
    _write(5)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE seq = 2")
    with pytest.raises(CommandError, match="seq 2: entry #2 is missing"):
        call_command("audit_verify")


def test_audit_verify_notices_the_tail_was_cut_off() -> None:
    _write(5)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE seq = 5")
    with pytest.raises(CommandError, match="after #4 were deleted"):
        call_command("audit_verify")


def test_it_records_the_actor_and_never_a_phone(seeker: object) -> None:
    entry = log_action(seeker, "accounts.login", seeker, {"method": "password"})
    assert entry.actor_id == seeker.pk and entry.actor_role == "seeker"
    assert seeker.test_phone not in str(entry.data) + entry.actor_label
