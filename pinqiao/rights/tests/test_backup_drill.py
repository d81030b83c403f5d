"""RET-2, SEC-4: the restore drill — back up, destroy, restore, verify — and the refusals: a
tampered, truncated or re-sealed backup is refused by its checksums, and ``restore --verify``
exits non-zero on any difference."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pinqiao.accounts.models import LoginRecord
from pinqiao.rights.backups import MANIFEST, backup_create, backup_verify, latest, rotate
from pinqiao.rights.models import ExportDestination

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def listed(tmp_path: Path) -> None:
    """PRIV-9: backups go only to a listed directory."""
    ExportDestination.objects.create(kind="backup", target=str(tmp_path), name="演练目录",
                                     recipient="本机", basis="RET-2 演练")


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "resumes").mkdir(parents=True)
    (settings.MEDIA_ROOT / "resumes" / "a.bin").write_bytes(b"encrypted attachment")
    return settings.MEDIA_ROOT


def _restore(*args: str) -> str:
    out = io.StringIO()
    call_command("restore", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_drill_backs_up_destroys_restores_and_verifies(make_user: Any, media: Path,
                                                           tmp_path: Path) -> None:
    user = make_user()
    for _ in range(3):
        LoginRecord.objects.create(user=user, method="password", ip="10.0.0.1")
    out = io.StringIO()
    call_command("backup", "--to", str(tmp_path / "backups"), stdout=out)
    backup = latest(tmp_path / "backups")
    manifest = json.loads((backup / MANIFEST).read_text())
    assert manifest["tables"]["accounts_loginrecord"]["rows"] == 3
    assert b"10.0.0.1" not in (backup / "media.tar.enc").read_bytes()
    assert "no differences" in _restore("--from", str(tmp_path / "backups"), "--verify")

    LoginRecord.objects.all().delete()          # destroy
    (media / "resumes" / "a.bin").unlink()

    assert "restored" in _restore("--from", str(backup), "--apply")
    assert LoginRecord.objects.filter(user=user).count() == 3
    assert (media / "resumes" / "a.bin").read_bytes() == b"encrypted attachment"
    assert backup_verify(source=backup).ok


def test_a_tampered_truncated_or_resealed_backup_is_refused(make_user: Any, media: Path,
                                                            tmp_path: Path) -> None:
    make_user()
    backup = backup_create(to=tmp_path / "b")
    database = next(p for p in backup.iterdir() if p.name.startswith("database"))
    blob = database.read_bytes()

    database.write_bytes(blob[:-1] + bytes([blob[-1] ^ 1]))
    with pytest.raises(CommandError, match="tampered"):
        _restore("--from", str(backup), "--verify")

    database.write_bytes(blob[: len(blob) // 2])
    with pytest.raises(CommandError, match="truncated"):
        _restore("--from", str(backup), "--verify")

    database.write_bytes(blob)
    manifest = json.loads((backup / MANIFEST).read_text())
    manifest["tables"]["accounts_user"]["rows"] += 1
    (backup / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="seal"):
        _restore("--from", str(backup), "--verify")


def test_rotation_keeps_the_newest(make_user: Any, media: Path, tmp_path: Path) -> None:
    made = [backup_create(to=tmp_path / "r") for _ in range(3)]
    assert rotate(tmp_path / "r", keep=2) == made[:1]
    assert latest(tmp_path / "r") == made[-1]
