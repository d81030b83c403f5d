"""SQLite with writers queued inside the process (SEC-3, RET-3; issue 11 finding 3).

SQLite lets one writer in at a time. Its busy handler makes the others poll with growing
sleeps, which is unfair: under 50 concurrent writers some waited out the 20 s busy timeout and
failed while later ones got in. Here every write transaction (``BEGIN IMMEDIATE``, which the
settings make every ``atomic`` block) first takes a per-database lock of this process, so the
web process's writers wait their turn on a lock that wakes the next one at once; SQLite's busy
timeout is left for the other processes (the task worker, the scheduler). A lock not obtained
within the busy timeout raises ``OperationalError``, answered as a 503 with ``Retry-After``.
In-memory databases (tests) are left alone.
"""

from __future__ import annotations

import threading

from django.db import OperationalError
from django.db.backends.sqlite3 import base

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def _lock_for(name: str) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(name, threading.Lock())


class DatabaseWrapper(base.DatabaseWrapper):
    _write_lock: threading.Lock | None = None

    def _queue_timeout(self) -> float:
        return float(self.settings_dict.get("OPTIONS", {}).get("timeout", 20))

    def _start_transaction_under_autocommit(self) -> None:
        if self.is_in_memory_db():
            super()._start_transaction_under_autocommit()
            return
        lock = _lock_for(str(self.settings_dict["NAME"]))
        if not lock.acquire(timeout=self._queue_timeout()):
            raise OperationalError("database is locked (write queue timeout)")
        self._write_lock = lock
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_write_lock()
            raise

    def _release_write_lock(self) -> None:
        lock, self._write_lock = self._write_lock, None
        if lock is not None:
            lock.release()

    def _commit(self) -> None:
        try:
            super()._commit()
        finally:
            self._release_write_lock()

    def _rollback(self) -> None:
        try:
            super()._rollback()
        finally:
            self._release_write_lock()

    def _close(self) -> None:
        try:
            super()._close()
        finally:
            self._release_write_lock()
