"""Values that nearly every request reads and that rarely change (the operator's disclosure
record, the legal documents in force), kept in process memory by version (RET-3).

Each value has a version number in the cache. A change (``bump``, wired to the model's save
and delete signals) raises it; a process sees a new version on its next read and loads the
value again. On the scale path (``REDIS_URL``) the version is shared, so every process and
machine reloads at once; with the local-memory cache only the process that made the change
sees the new version at once and the others within ``ttl`` seconds. ``ttl`` also bounds how
late a value whose validity depends on the clock (a document published for a future time)
can be.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")

_REGISTRY: list[VersionedMemo[Any]] = []


class VersionedMemo(Generic[T]):
    def __init__(self, name: str, load: Callable[[], T], *, ttl: float = 30.0) -> None:
        self.key = f"pinqiao:memo:{name}"
        self.load = load
        self.ttl = ttl
        self._held: tuple[int, float, T] | None = None
        _REGISTRY.append(self)

    def version(self) -> int:
        return cache.get(self.key, 0)

    def get(self) -> T:
        version, now, held = self.version(), time.monotonic(), self._held
        if held is not None and held[0] == version and now - held[1] < self.ttl:
            return held[2]
        value = self.load()
        self._held = (version, now, value)
        return value

    def bump(self, *_args: object, **_kwargs: object) -> None:
        """Signal receiver too: every holder loads the value again on its next read; again
        once the change is committed (a process may have loaded the old value meanwhile)."""
        self._bump()
        transaction.on_commit(self._bump)

    def _bump(self) -> None:
        try:
            cache.incr(self.key)
        except ValueError:  # no version yet
            cache.set(self.key, 1, timeout=None)
        self._held = None


class KnownTrue:
    """Facts that stay true once they are (a user accepted a given version of the legal
    documents: an acceptance is never withdrawn), remembered in process memory so that the
    next request need not ask the database again. Only a true answer is kept, so every process
    is right without telling the others; at most ``size`` facts, the least recently used
    forgotten first."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._facts: OrderedDict[Hashable, None] = OrderedDict()
        self._lock = threading.Lock()
        _FACTS.append(self)

    def __contains__(self, fact: Hashable) -> bool:
        with self._lock:
            if fact not in self._facts:
                return False
            self._facts.move_to_end(fact)
            return True

    def add(self, fact: Hashable) -> None:
        with self._lock:
            self._facts[fact] = None
            self._facts.move_to_end(fact)
            while len(self._facts) > self._size:
                self._facts.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._facts.clear()


_FACTS: list[KnownTrue] = []


def forget_all() -> None:
    """Drop every held value and known fact (tests, whose rolled-back transactions send no
    signals and reuse row ids)."""
    for memo in _REGISTRY:
        memo._held = None
    for facts in _FACTS:
        facts.clear()
