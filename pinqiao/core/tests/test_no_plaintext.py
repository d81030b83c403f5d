"""PRIV-1: after demo data is loaded, no phone or ID number is anywhere in the SQLite file."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pinqiao.accounts.demo import DEMO_IDENTITIES, DEMO_USERS
from pinqiao.resumes.demo_pool import POOL, pool_phone
from pinqiao.search.seeding import SEED_USERNAME

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="inspects the SQLite file")
def test_demo_database_holds_no_plaintext_phone_or_id_number(tmp_path: Path) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "pinqiao.settings.dev",
           "PINQIAO_VAR_DIR": str(tmp_path)}
    for args in (["migrate", "--noinput", "-v0"], ["load_demo"]):
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                       capture_output=True)
    database = tmp_path / "pinqiao.sqlite3"
    with sqlite3.connect(database) as conn:  # fold the WAL into the main file first
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        users = conn.execute("SELECT count(*) FROM accounts_user WHERE username != ?",
                             (SEED_USERNAME,)).fetchone()[0]
    assert users == len(DEMO_USERS) + len(POOL)
    blob = b"".join(p.read_bytes() for p in tmp_path.glob("pinqiao.sqlite3*"))
    secrets = [phone for *_, phone, _email, _key in DEMO_USERS if phone]
    secrets += [number for _name, number in DEMO_IDENTITIES]
    secrets += [pool_phone(n) for n in range(1, len(POOL) + 1)]
    assert secrets
    for secret in secrets:
        assert secret.encode() not in blob, f"{secret} stored in plaintext"
        assert secret.encode("utf-16-le") not in blob
