"""RET-2, RET-3: no committed write is lost when the process dies. A child process runs a bounded
burst of writes through the services (seekers, applications, postings) on a WAL-mode SQLite file
and prints each id after its commit; it is killed with SIGKILL at random points. Every write it
reported is present and whole, nothing is half-written, the database passes its integrity check,
and the search outbox catches up afterwards."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from pinqiao.applications.testing import reinstall_data_migrations
from pinqiao.jobs.testing import published_posting
from pinqiao.orgs import testing as org_testing
from pinqiao.privacy.testing import install_data_rows

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif("os.environ.get('DATABASE_URL')",
                                 reason="the child process works on a SQLite file")]

CHILD = Path(__file__).with_name("crash_child.py")
ROUNDS = 2


def _env(var: Path) -> dict[str, str]:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "pinqiao.settings.dev",
            "PINQIAO_VAR_DIR": str(var), "PINQIAO_FIELD_KEY": settings.FIELD_ENCRYPTION_KEY,
            "DATABASE_URL": "", "PYTHONPATH": str(settings.BASE_DIR)}


def _run_and_kill(var: Path, args: list[int], rng: random.Random) -> dict[str, list[int]]:
    """Start the child, let it write for a random while, SIGKILL it; the ids it reported."""
    child = subprocess.Popen([sys.executable, str(CHILD), *map(str, args)], env=_env(var),
                             stdout=subprocess.PIPE, text=True, cwd=settings.BASE_DIR)
    assert child.stdout is not None
    lines = []
    while not lines or not lines[-1].startswith("application"):  # warmed up: one full round
        line = child.stdout.readline()
        assert line, "the child stopped before its first application"
        lines.append(line)
    deadline = time.monotonic() + rng.uniform(0.2, 4.0)
    while time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.02)
    child.send_signal(signal.SIGKILL)
    child.wait()
    lines.extend(child.stdout.read().splitlines())
    reported: dict[str, list[int]] = {}
    for line in lines:
        kind, pk = line.split()
        reported.setdefault(kind, []).append(int(pk))
    return reported


def _one(db: sqlite3.Connection, sql: str, *params: Any) -> Any:
    return db.execute(sql, params).fetchone()[0]


def test_no_committed_write_is_lost_and_none_is_half_written(recruiter: Any, org_reviewer: Any,
                                                             tmp_path: Path) -> None:
    # Transactional tests flush every table: the data rows first, then the organisation.
    reinstall_data_migrations()
    install_data_rows()
    employer = org_testing.verified_employer(recruiter, org_reviewer)
    posting = published_posting(recruiter, employer)
    (tmp_path / "var").mkdir()
    database = tmp_path / "var" / "pinqiao.sqlite3"
    target = sqlite3.connect(database)
    connection.connection.backup(target)
    target.execute("PRAGMA journal_mode=WAL")
    target.close()
    rng = random.Random(int(os.environ.get("CRASH_SEED", "17")))
    reported: dict[str, list[int]] = {}
    for round_ in range(ROUNDS):
        got = _run_and_kill(tmp_path / "var", [recruiter.pk, employer.pk, posting.pk,
                                               round_ * 1000, 200], rng)
        for kind, ids in got.items():
            reported.setdefault(kind, []).extend(ids)
    assert reported.get("application"), "the child committed nothing before it was killed"

    db = sqlite3.connect(database)
    assert _one(db, "PRAGMA integrity_check") == "ok"
    for kind, table in (("seeker", "accounts_user"), ("application", "applications_application"),
                        ("posting", "jobs_posting")):
        ids = reported.get(kind, [])
        marks = ",".join("?" * len(ids)) or "NULL"
        assert _one(db, f"SELECT COUNT(*) FROM {table} WHERE id IN ({marks})", *ids) == len(ids)
    # Nothing half-written: every application has its consent and its first history event,
    # every seeker who applied has a résumé.
    assert _one(db, "SELECT COUNT(*) FROM applications_application a LEFT JOIN privacy_consent c "
                    "ON c.id = a.consent_id WHERE c.id IS NULL") == 0
    assert _one(db, "SELECT COUNT(*) FROM applications_application a WHERE NOT EXISTS ("
                    "SELECT 1 FROM applications_applicationevent e "
                    "WHERE e.application_id = a.id)") == 0
    assert _one(db, "SELECT COUNT(*) FROM applications_application a LEFT JOIN resumes_resume r "
                    "ON r.id = a.resume_id WHERE r.id IS NULL") == 0
    db.close()

    caught_up = subprocess.run([sys.executable, "manage.py", "search_index"],
                               env=_env(tmp_path / "var"), cwd=settings.BASE_DIR,
                               capture_output=True, text=True, timeout=300)
    assert caught_up.returncode == 0, caught_up.stderr
    db = sqlite3.connect(database)
    assert _one(db, "SELECT COUNT(*) FROM search_searchoutbox") == 0
    db.close()
