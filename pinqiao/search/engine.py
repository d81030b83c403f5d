"""An embedded Tantivy index on local disk, reusable for every kind of document (SRCH-1, SRCH-2).

Layout under ``settings.SEARCH_INDEX_DIR``::

    <name>/current -> gen-<stamp>      symlink to the live generation, swapped atomically
    <name>/gen-<stamp>/                 a Tantivy index plus ``pinqiao-index.json`` (spec version)
    <name>/writer.lock                  flock: one writer at a time (indexer, rebuild, reconcile)

Readers (web processes) never write: they open the live generation, reload when its
``meta.json`` changes, and follow the symlink when a rebuild swaps it. A missing, corrupt or
outdated index raises ``IndexUnavailable``; callers fall back and ask for a rebuild.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tantivy
from django.conf import settings
from django.utils import timezone

MARKER = "pinqiao-index.json"


def filter_clause(query: tantivy.Query) -> tuple[tantivy.Occur, tantivy.Query]:
    """A required clause that filters without scoring (fast-field filters of every search)."""
    return tantivy.Occur.Must, tantivy.Query.const_score_query(query, 0.0)


class Paged:
    """``has_previous`` / ``has_next`` for a result page with ``page`` and ``pages``."""

    page: int
    pages: int

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


class IndexUnavailable(Exception):
    """The index cannot be read: ``reason`` is "missing", "corrupt" or "outdated"."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


class WriterBusy(Exception):
    """Another process holds the writer lock for longer than we were willing to wait."""


@dataclass(frozen=True)
class IndexSpec:
    """What one index holds: a name (its directory), a version that changes whenever the
    schema or the analysis changes, and the schema itself."""

    name: str
    version: str
    schema: Callable[[], tantivy.Schema]


@dataclass(frozen=True)
class Source:
    """Where an index's documents come from: the database stays the source of truth.

    ``rows(ids)`` yields the visible rows (all of them when ``ids`` is None) with an ``id``;
    ``document(row)`` turns one into a Tantivy document dict (with ``id`` and ``stamp``);
    ``stamps()`` yields ``(id, stamp)`` of every visible row for the reconcile; ``count()``
    counts them (for progress bars).
    """

    spec: IndexSpec
    rows: Callable[..., Iterator[dict[str, Any]]]
    document: Callable[[dict[str, Any]], dict[str, Any]]
    stamps: Callable[[], Iterator[tuple[int, int]]]
    count: Callable[[], int]


def base_dir() -> Path:
    return Path(settings.SEARCH_INDEX_DIR)


@dataclass
class _Reader:
    generation: Path
    index: tantivy.Index
    meta_key: tuple[int, int]


_readers: dict[Path, _Reader] = {}
_readers_lock = threading.Lock()


class SearchIndex:
    """One index (``spec``) under the configured directory."""

    def __init__(self, spec: IndexSpec, root: Path | None = None) -> None:
        self.spec = spec
        self.root = (root or base_dir()) / spec.name

    # --- paths -------------------------------------------------------------------------------

    @property
    def current_link(self) -> Path:
        return self.root / "current"

    def generation(self) -> Path:
        """The live generation directory; ``IndexUnavailable("missing")`` when there is none."""
        try:
            target = os.readlink(self.current_link)
        except OSError as exc:
            raise IndexUnavailable("missing", str(self.current_link)) from exc
        path = self.root / target
        if not path.is_dir():
            raise IndexUnavailable("missing", str(path))
        return path

    def _check_marker(self, generation: Path) -> dict[str, Any]:
        try:
            marker = json.loads((generation / MARKER).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise IndexUnavailable("corrupt", f"{generation.name}: no readable marker") from exc
        if marker.get("version") != self.spec.version:
            raise IndexUnavailable("outdated", f"{marker.get('version')} != {self.spec.version}")
        return marker

    # --- reading -----------------------------------------------------------------------------

    def searcher(self) -> tantivy.Searcher:
        """A searcher over the latest commit. Cheap when nothing changed (two syscalls)."""
        generation = self.generation()
        try:
            stat = (generation / "meta.json").stat()
        except OSError as exc:
            self.forget()
            raise IndexUnavailable("corrupt", "meta.json missing") from exc
        meta_key = (stat.st_ino, stat.st_mtime_ns)
        with _readers_lock:
            reader = _readers.get(self.root)
            try:
                if reader is None or reader.generation != generation:
                    self._check_marker(generation)
                    index = tantivy.Index.open(str(generation))
                    index.config_reader("manual")
                    reader = _Reader(generation, index, meta_key)
                    _readers[self.root] = reader
                elif reader.meta_key != meta_key:
                    reader.index.reload()
                    reader.meta_key = meta_key
                return reader.index.searcher()
            except ValueError as exc:
                _readers.pop(self.root, None)
                raise IndexUnavailable("corrupt", str(exc)) from exc

    def forget(self) -> None:
        """Drop this process's cached reader (after a failure, or in tests)."""
        with _readers_lock:
            _readers.pop(self.root, None)

    def status(self) -> dict[str, Any]:
        """Health for commands and the page: ``{"ok", "reason", "docs", "generation"}``."""
        try:
            searcher = self.searcher()
        except IndexUnavailable as exc:
            return {"ok": False, "reason": exc.reason, "docs": 0, "generation": ""}
        return {"ok": True, "reason": "", "docs": searcher.num_docs,
                "generation": self.generation().name}

    # --- writing -----------------------------------------------------------------------------

    @contextmanager
    def writer_lock(self, timeout: float = 30.0) -> Iterator[None]:
        """Hold the single-writer lock (a ``flock`` on ``writer.lock``) or raise WriterBusy."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / "writer.lock", "a+b") as handle:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError as exc:
                    if time.monotonic() >= deadline:
                        raise WriterBusy(str(self.root)) from exc
                    time.sleep(0.05)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def open_for_write(self) -> tantivy.Index:
        """The live index for the writer (caller holds ``writer_lock``)."""
        generation = self.generation()
        self._check_marker(generation)
        try:
            return tantivy.Index.open(str(generation))
        except ValueError as exc:
            raise IndexUnavailable("corrupt", str(exc)) from exc

    def new_generation(self) -> tuple[Path, tantivy.Index]:
        """An empty index in a fresh directory, not yet live (caller holds ``writer_lock``)."""
        self.root.mkdir(parents=True, exist_ok=True)
        stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
        path = self.root / f"gen-{stamp}-{uuid.uuid4().hex[:8]}"
        path.mkdir()
        index = tantivy.Index(self.spec.schema(), path=str(path), reuse=False)
        (path / MARKER).write_text(json.dumps({
            "name": self.spec.name, "version": self.spec.version,
            "built_at": timezone.now().isoformat()}), encoding="utf-8")
        return path, index

    def swap(self, generation: Path) -> None:
        """Make ``generation`` live atomically and delete all but the previous generation."""
        previous = None
        with suppress(IndexUnavailable):
            previous = self.generation()
        tmp = self.root / f".current-{uuid.uuid4().hex}"
        os.symlink(generation.name, tmp)
        os.replace(tmp, self.current_link)
        for path in self.root.glob("gen-*"):
            if path not in (generation, previous):
                shutil.rmtree(path, ignore_errors=True)
        self.forget()
