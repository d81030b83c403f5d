"""SQLite with writers queued inside the process (SEC-3, RET-3; issue 11 finding 3).

SQLite lets one writer in at a time. Its busy handler makes the others poll with growing
sleeps, which is unfair: under 50 concurrent writers some waited out the 20 s busy timeout and
failed while later ones got in. Here every write transaction (``BEGIN IMMEDIATE``, which the
settings make every ``atomic`` block) first takes a per-database queue of this process, so the
web process's writers wait their turn and the next one is woken at once; SQLite's busy
timeout is left for the other processes (the task worker, the scheduler). A turn not obtained
within the busy timeout raises ``OperationalError``, answered as a 503 with ``Retry-After``.
A write outside a transaction (an ``INSERT`` in autocommit mode: a task enqueued after commit,
say) takes its turn in the same queue for its one statement. In-memory databases (tests) are
left alone.

Connections are kept for reuse in a small per-process pool (:class:`ConnectionPool`). Under ASGI
every request runs in a thread of its own and Django closes its connection at the end, so each
request paid for a new SQLite connection: opening the file, Django's SQL functions registered
again, the pragmas, and SQLite reading the whole schema on the first statement, about 4.7 ms
of CPU per request on this schema. A connection goes back to the pool only outside any
transaction; one closed inside a transaction is closed for real.

The queue is first come, first served (:class:`FifoLock`). A plain ``threading.Lock`` is not:
a thread that arrives while the lock is being handed over can take it before the waiter that
was woken, so under 50 writers a few waited many turns and set the tail latency (p99 about
twice the median at the same throughput, ``bench/writers.py``).
"""

from __future__ import annotations

import atexit
import queue
import sqlite3
import threading
from collections import deque
from typing import Any

from django.db import OperationalError
from django.db.backends.sqlite3 import base


class FifoLock:
    """A lock granted in the order it was asked for, with a time-out. ``release`` hands the
    lock directly to the longest waiter, so no thread arriving later can take it first."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._held = False
        self._waiters: deque[threading.Lock] = deque()

    def acquire(self, timeout: float = -1) -> bool:
        with self._guard:
            if not self._held:
                self._held = True
                return True
            turn = threading.Lock()
            turn.acquire()
            self._waiters.append(turn)
        if turn.acquire(timeout=timeout):
            return True
        with self._guard:
            try:
                self._waiters.remove(turn)
            except ValueError:  # handed over between the time-out and here: it is ours
                return True
            return False

    def release(self) -> None:
        with self._guard:
            if not self._held:
                raise RuntimeError("release of an unheld FifoLock")
            if self._waiters:
                self._waiters.popleft().release()  # still held: now by that waiter
            else:
                self._held = False

    def locked(self) -> bool:
        return self._held


_locks: dict[str, FifoLock] = {}
_locks_guard = threading.Lock()


def _lock_for(name: str) -> FifoLock:
    with _locks_guard:
        return _locks.setdefault(name, FifoLock())


class ConnectionPool:
    """Open SQLite connections of one database file, ready for the next request."""

    def __init__(self, size: int) -> None:
        self._idle: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue(maxsize=size)

    def take(self) -> sqlite3.Connection | None:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            return None

    def give_back(self, connection: sqlite3.Connection) -> bool:
        """Keep ``connection`` for reuse; False when the pool is full (the caller closes it)."""
        try:
            self._idle.put_nowait(connection)
        except queue.Full:
            return False
        return True


#: Idle connections kept per database file and process: the web process's concurrent
#: requests (``PINQIAO_WEB_ACTIVE_REQUESTS``, 3 on SQLite) with room to spare.
POOL_SIZE = 16
_pools: dict[str, ConnectionPool] = {}


def _pool_for(name: str) -> ConnectionPool:
    with _locks_guard:
        return _pools.setdefault(name, ConnectionPool(POOL_SIZE))


@atexit.register
def _close_pools() -> None:
    """Close the idle connections at exit (the last one to close checkpoints the WAL)."""
    for pool in list(_pools.values()):
        while (connection := pool.take()) is not None:
            connection.close()


_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLAC")


class QueuedCursor(base.SQLiteCursorWrapper):
    """A write statement run in autocommit mode waits for its turn in the queue."""

    wrapper: DatabaseWrapper

    def execute(self, query: str, params: object = None) -> object:
        lock = self.wrapper._statement_lock(query)
        try:
            return super().execute(query, params)
        finally:
            if lock is not None:
                lock.release()

    def executemany(self, query: str, param_list: object) -> object:
        lock = self.wrapper._statement_lock(query)
        try:
            return super().executemany(query, param_list)
        finally:
            if lock is not None:
                lock.release()


class DatabaseWrapper(base.DatabaseWrapper):
    _write_lock: FifoLock | None = None

    def get_new_connection(self, conn_params: dict[str, Any]) -> sqlite3.Connection:
        if not self.is_in_memory_db():
            pooled = _pool_for(str(self.settings_dict["NAME"])).take()
            if pooled is not None:
                # Constraint checks may have been switched off by the last user (loaddata).
                pooled.execute("PRAGMA foreign_keys = ON")
                return pooled
        return super().get_new_connection(conn_params)

    def create_cursor(self, name: str | None = None) -> base.SQLiteCursorWrapper:
        if self.is_in_memory_db():
            return super().create_cursor(name)
        cursor = self.connection.cursor(factory=QueuedCursor)
        cursor.wrapper = self
        return cursor

    def _statement_lock(self, query: str) -> FifoLock | None:
        """The queue's lock, taken, for a write statement outside a transaction; else None."""
        if (self._write_lock is not None or not self.get_autocommit()
                or query.lstrip()[:6].upper() not in _WRITES):
            return None
        lock = _lock_for(str(self.settings_dict["NAME"]))
        if not lock.acquire(timeout=self._queue_timeout()):
            raise OperationalError("database is locked (write queue timeout)")
        return lock

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
            raw = self.connection
            if (raw is None or self.is_in_memory_db() or raw.in_transaction
                    or not _pool_for(str(self.settings_dict["NAME"])).give_back(raw)):
                super()._close()
        finally:
            self._release_write_lock()
