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

from pinqiao.core.sqlite.base import FifoLock, _lock_for
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


def _autocommit_writer(handler: ConnectionHandler, log: list[str]) -> None:
    connection = handler["default"]
    try:
        connection.cursor().execute("INSERT INTO t VALUES (3)")
        log.append("autocommit wrote")
    except OperationalError as exc:
        log.append(f"refused: {exc}")
    finally:
        connection.close()


def _race(handler: ConnectionHandler, hold: float, second_writer=_second_writer) -> list[str]:  # noqa: ANN001
    log: list[str] = []
    started = threading.Event()
    first = threading.Thread(target=_hold_write, args=(handler, started, hold, log))
    first.start()
    started.wait(5)
    second = threading.Thread(target=second_writer, args=(handler, log))
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


def test_a_write_outside_a_transaction_takes_its_turn_in_the_queue(tmp_path: Path) -> None:
    """An autocommit INSERT (a task enqueued after commit) queues like a transaction: refused
    by the queue's time-out, not by SQLite's busy handler polling past the writers in line."""
    handler = _handler(tmp_path / "a.sqlite3", timeout=0.2)
    log = _race(handler, hold=1.0, second_writer=_autocommit_writer)
    assert log == ["refused: database is locked (write queue timeout)", "first committed"]
    handler = _handler(tmp_path / "b.sqlite3", timeout=5)
    assert _race(handler, hold=0.3, second_writer=_autocommit_writer) == [
        "first committed", "autocommit wrote"]


def _queued(lock: FifoLock, waiters: int) -> None:
    deadline = time.monotonic() + 5
    while len(lock._waiters) < waiters and time.monotonic() < deadline:
        time.sleep(0.001)
    assert len(lock._waiters) == waiters


def test_writers_get_their_turn_in_the_order_they_asked() -> None:
    """First come, first served: a thread that releases and asks again at once (the next
    request of a busy thread) queues behind those already waiting instead of barging in, as
    it could with ``threading.Lock``."""
    lock = FifoLock()
    lock.acquire()
    order: list[str] = []

    def writer(name: str) -> None:
        assert lock.acquire(timeout=5)
        order.append(name)
        lock.release()

    threads = []
    for n in range(3):
        threads.append(threading.Thread(target=writer, args=(f"w{n}",)))
        threads[-1].start()
        _queued(lock, n + 1)
    lock.release()
    assert lock.acquire(timeout=5)
    order.append("again")
    lock.release()
    for thread in threads:
        thread.join()
    assert order == ["w0", "w1", "w2", "again"]
    assert not lock.locked()


def test_a_waiter_that_times_out_leaves_the_queue() -> None:
    lock = FifoLock()
    lock.acquire()
    assert lock.acquire(timeout=0.01) is False
    assert not lock._waiters
    lock.release()
    assert lock.acquire(timeout=0) and lock.locked()


def test_connections_are_kept_for_the_next_request_outside_a_transaction_only(
        tmp_path: Path) -> None:
    """Each ASGI request closes its connection; the next one reuses it instead of opening
    the file and reading the schema again. One closed inside a transaction is really closed
    (its writes rolled back), never handed on."""
    handler = _handler(tmp_path / "p.sqlite3", timeout=5)
    connection = handler["default"]
    connection.ensure_connection()
    first = connection.connection
    connection.close()
    connection.ensure_connection()
    assert connection.connection is first
    connection._start_transaction_under_autocommit()
    connection.cursor().execute("INSERT INTO t VALUES (1)")
    connection.close()
    connection.ensure_connection()
    assert connection.connection is not first
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM t")
        assert cursor.fetchone() == (0,)
    assert not _lock_for(str(tmp_path / "p.sqlite3")).locked()
    connection.close()
