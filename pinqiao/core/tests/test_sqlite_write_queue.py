"""SQLite writers of one process wait their turn on a lock (SEC-3; issue 11 finding 3).

SQLite's own busy handler polls with growing sleeps, so under many writers some wait out the
busy timeout while later ones get in. ``pinqiao.core.sqlite`` queues the process's write
transactions on a lock instead; one not obtained within the timeout is an ``OperationalError``
(answered as a 503). Tested on a database file, as the in-memory test database is left alone."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from django.db import OperationalError
from django.db.utils import ConnectionHandler

from pinqiao.settings.base import sqlite_database

pytestmark = pytest.mark.django_db


def _handler(path: Path, timeout: float) -> ConnectionHandler:
    config = sqlite_database(path)
    config["OPTIONS"]["timeout"] = timeout
    handler = ConnectionHandler({"default": config})
    with handler["default"].cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS t (n INTEGER)")
    handler["default"].close()
    return handler


def _hold_write(handler: ConnectionHandler, started: threading.Event, seconds: float,
                log: list[str]) -> None:
    connection = handler["default"]
    with _atomic(connection):
        connection.cursor().execute("INSERT INTO t VALUES (1)")
        started.set()
        time.sleep(seconds)
        log.append("first committed")
    connection.close()


class _atomic:
    """``transaction.atomic`` for a connection outside ``django.db.connections``."""

    def __init__(self, connection) -> None:  # noqa: ANN001
        self.connection = connection

    def __enter__(self) -> None:
        self.connection.ensure_connection()
        self.connection._start_transaction_under_autocommit()

    def __exit__(self, exc_type, exc, tb) -> None:  # noqa: ANN001
        if exc_type is None:
            self.connection._commit()
        else:
            self.connection._rollback()


def _second_writer(handler: ConnectionHandler, log: list[str]) -> None:
    connection = handler["default"]
    try:
        with _atomic(connection):
            connection.cursor().execute("INSERT INTO t VALUES (2)")
            log.append("second wrote")
    except OperationalError as exc:
        log.append(f"refused: {exc}")
    finally:
        connection.close()


def _race(handler: ConnectionHandler, hold: float) -> list[str]:
    log: list[str] = []
    started = threading.Event()
    first = threading.Thread(target=_hold_write, args=(handler, started, hold, log))
    first.start()
    started.wait(5)
    second = threading.Thread(target=_second_writer, args=(handler, log))
    second.start()
    first.join()
    second.join()
    return log


def test_a_second_writer_waits_for_the_first_to_commit(tmp_path: Path) -> None:
    handler = _handler(tmp_path / "q.sqlite3", timeout=5)
    assert _race(handler, hold=0.3) == ["first committed", "second wrote"]


def test_a_writer_that_cannot_get_its_turn_in_time_is_refused(tmp_path: Path) -> None:
    handler = _handler(tmp_path / "r.sqlite3", timeout=0.2)
    log = _race(handler, hold=1.0)
    assert log[0].startswith("refused: database is locked") and log[1] == "first committed"
