"""Keeping the index in step with the database (SRCH-1).

* ``outbox_record``: called from the signal receivers inside the writer's transaction, so a
  change and its outbox row commit or roll back together.
* ``outbox_apply``: the indexer. Under the single-writer lock it takes outbox rows in id order,
  re-reads those objects from the database, replaces their documents, commits the index (at
  least once a second) and only then deletes the rows it applied: a crash loses nothing, the
  rows are replayed (applying twice is harmless, every document is re-read).
* ``index_rebuild``: a fresh generation from the database, swapped in atomically.
* ``index_reconcile``: compares the ``(id, stamp)`` pairs of index and database and queues every
  difference; it repairs changes that bypassed the signals (``QuerySet.update``).
* ``index_ensure``: rebuilds a missing, corrupt or outdated index.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

import tantivy
from django.conf import settings
from django.db import transaction

from pinqiao.core.audit import log_action
from pinqiao.search import postings
from pinqiao.search.engine import IndexUnavailable, SearchIndex, Source, WriterBusy
from pinqiao.search.models import SearchOutbox
from pinqiao.search.talent import index as talent_index

log = logging.getLogger(__name__)

#: Every index the indexer serves, by name (the outbox's ``index`` column): job postings
#: (SRCH-1) and résumés (SRCH-2).
SOURCES: dict[str, Source] = {source.spec.name: source
                              for source in (postings.SOURCE, talent_index.SOURCE)}

BATCH_SIZE = 500
COMMIT_EVERY_SECONDS = 1.0
WRITER_HEAP = 64_000_000
REBUILD_HEAP = 256_000_000

Progress = Callable[[int, int], None]


def outbox_record(*, index: str, object_ids: Iterable[int]) -> None:
    """Queue ``object_ids`` of ``index`` for re-indexing; the indexer runs after commit. An
    object already queued by this transaction is not queued again (a submitted posting is
    saved and changes status twice in one transaction; one row is enough, since the indexer
    re-reads the object after the commit)."""
    from django.db import connection

    hook = _after_commit_hook(connection) if connection.in_atomic_block else None
    wanted = [pk for pk in dict.fromkeys(object_ids) if pk
              and not (hook is not None and hook.covers(connection, index, pk))]
    if not wanted:
        return
    SearchOutbox.objects.bulk_create([SearchOutbox(index=index, object_id=pk) for pk in wanted])
    if hook is None:
        _enqueue_on_commit()
        hook = _after_commit_hook(connection) if connection.in_atomic_block else None
    if hook is not None:
        hook.record(connection, index, wanted)


class _IndexerAfterCommit:
    """The indexer task enqueued after a transaction's commit (one per transaction, however
    many rows it queued), and the rows that transaction queued: each with the savepoints open
    when it was written, so a row written in a savepoint rolled back since is written again."""

    def __init__(self) -> None:
        self.queued: dict[tuple[str, int], tuple[str, ...]] = {}

    def __call__(self) -> None:
        _enqueue()

    def record(self, connection: Any, index: str, object_ids: Iterable[int]) -> None:
        """Rows just written: each now covered by the savepoints open at this point."""
        for pk in object_ids:
            self.queued[(index, pk)] = tuple(connection.savepoint_ids)

    def forget(self, index: str) -> None:
        self.queued = {key: value for key, value in self.queued.items() if key[0] != index}

    def covers(self, connection: Any, index: str, pk: int) -> bool:
        savepoints = self.queued.get((index, pk))
        return (savepoints is not None
                and tuple(connection.savepoint_ids[:len(savepoints)]) == savepoints)


def _consumed(index: str, row_ids: list[int]) -> None:
    """Delete the outbox rows the indexer applied. Where that happens inside the transaction
    that queued them (a test, a command run in one transaction), the transaction forgets what
    it queued for ``index``, so an object queued again gets a new row; forgetting more than was
    consumed only costs a duplicate row, which the indexer tolerates."""
    from django.db import connection

    SearchOutbox.objects.filter(index=index, id__in=row_ids).delete()
    hook = _after_commit_hook(connection) if connection.in_atomic_block else None
    if hook is not None:
        hook.forget(index)


def _after_commit_hook(connection: Any) -> _IndexerAfterCommit | None:
    return next((item[1] for item in connection.run_on_commit
                 if isinstance(item[1], _IndexerAfterCommit)), None)


def _enqueue_on_commit() -> None:
    """One indexer task per transaction, however many rows it queued."""
    from django.db import connection

    if not connection.in_atomic_block:
        _enqueue()
        return
    if _after_commit_hook(connection) is not None:
        return
    transaction.on_commit(_IndexerAfterCommit())


def _enqueue() -> None:
    """After the commit: a new indexer task, unless one is already waiting to start (it will
    read the outbox after this commit, so it applies these rows too; SEC-3: one write less
    per posting change when many arrive at once)."""
    from pinqiao.search.tasks import apply_outbox

    try:
        if task_waiting(apply_outbox.module_path):
            return
        apply_outbox.enqueue()
    except Exception:  # the periodic `search_index` command picks the rows up instead
        log.exception("search: could not enqueue the indexer")


def task_waiting(task_path: str) -> bool:
    """Whether a task of ``task_path`` is queued and not started yet (database task queue)."""
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return False
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready().filter(task_path=task_path).exists()


def _write(index: tantivy.Index, source: Source, ids: list[int],
           writer: tantivy.IndexWriter) -> int:
    """Replace the documents of ``ids`` by their current database rows (absent rows: removed)."""
    schema = index.schema
    # By query: delete_documents_by_term builds a signed term, which misses an unsigned field.
    writer.delete_documents_by_query(tantivy.Query.term_set_query(schema, "id", ids))
    added = 0
    for row in source.rows(ids):
        writer.add_document(tantivy.Document.from_dict(source.document(row), schema))
        added += 1
    return added


def outbox_apply(*, source: Source = postings.SOURCE, batch_size: int = BATCH_SIZE,
                 lock_timeout: float = 10.0, max_seconds: float | None = None) -> int:
    """Apply queued changes to ``source``'s index until the outbox is empty (or
    ``max_seconds`` passed); return how many outbox rows were applied.

    A missing or broken index is rebuilt first (the rebuild reads everything anyway).
    """
    idx = SearchIndex(source.spec)
    name = source.spec.name
    started = time.monotonic()
    applied = 0
    with idx.writer_lock(timeout=lock_timeout):
        try:
            index = idx.open_for_write()
        except IndexUnavailable as exc:
            log.warning("search: %s index %s, rebuilding", name, exc.reason)
            _rebuild_locked(idx, source, progress=None)
            index = idx.open_for_write()
        writer = index.writer(heap_size=WRITER_HEAP, num_threads=1)
        try:
            pending: list[int] = []
            window_started = time.monotonic()
            last_id = 0
            while True:
                batch = list(SearchOutbox.objects.filter(index=name, id__gt=last_id)
                             .order_by("id").values_list("id", "object_id")[:batch_size])
                if batch:
                    last_id = batch[-1][0]
                    _write(index, source, sorted({pk for _, pk in batch}), writer)
                    pending.extend(row_id for row_id, _ in batch)
                due = time.monotonic() - window_started >= COMMIT_EVERY_SECONDS
                if pending and (due or len(batch) < batch_size):
                    writer.commit()
                    _consumed(name, pending)
                    applied += len(pending)
                    pending = []
                    window_started = time.monotonic()
                if len(batch) < batch_size:
                    break
                if max_seconds is not None and time.monotonic() - started > max_seconds:
                    if pending:
                        writer.commit()
                        _consumed(name, pending)
                        applied += len(pending)
                    break
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()
    return applied


def sources(name: str = "") -> list[Source]:
    """The source of index ``name``, or every source when ``name`` is empty or ``all``."""
    if name in ("", "all"):
        return list(SOURCES.values())
    if name not in SOURCES:
        raise KeyError(f"no search index {name!r}; known: {', '.join(SOURCES)}")
    return [SOURCES[name]]


def outbox_apply_all(*, lock_timeout: float = 10.0) -> dict[str, int | None]:
    """Apply every index's queued changes; ``None`` for an index whose writer lock another
    process holds (it applies them itself)."""
    applied: dict[str, int | None] = {}
    for source in SOURCES.values():
        try:
            applied[source.spec.name] = outbox_apply(source=source, lock_timeout=lock_timeout)
        except WriterBusy:
            applied[source.spec.name] = None
    return applied


def outbox_pending(*, source: Source = postings.SOURCE) -> int:
    return SearchOutbox.objects.filter(index=source.spec.name).count()


def _rebuild_locked(idx: SearchIndex, source: Source, progress: Progress | None) -> int:
    total = source.count() if progress else 0
    generation, index = idx.new_generation()
    try:
        writer = index.writer(heap_size=REBUILD_HEAP, num_threads=2)
        schema = index.schema
        done = 0
        for row in source.rows():
            writer.add_document(tantivy.Document.from_dict(source.document(row), schema))
            done += 1
            if progress and done % 1000 == 0:
                progress(done, total)
        writer.commit()
        writer.wait_merging_threads()
        if progress:
            progress(done, total)
    except BaseException:
        import shutil

        shutil.rmtree(generation, ignore_errors=True)
        raise
    idx.swap(generation)
    return done


def index_rebuild(*, source: Source = postings.SOURCE, progress: Progress | None = None,
                  actor: Any = None, lock_timeout: float = 600.0) -> int:
    """Rebuild ``source``'s index from the database into a fresh directory and swap it in;
    return the number of documents. Changes made meanwhile stay in the outbox and are applied
    to the new index right after (the lock is held throughout, so none is applied to the old
    one and lost)."""
    idx = SearchIndex(source.spec)
    with idx.writer_lock(timeout=lock_timeout):
        count = _rebuild_locked(idx, source, progress)
    outbox_apply(source=source)
    log_action(actor, "search.rebuild", None, {"index": source.spec.name, "documents": count})
    return count


def index_ensure(*, source: Source = postings.SOURCE) -> bool:
    """Rebuild the index if it is missing, corrupt or outdated; True when it rebuilt."""
    idx = SearchIndex(source.spec)
    if idx.status()["ok"]:
        return False
    with idx.writer_lock(timeout=600.0):
        idx.forget()
        if idx.status()["ok"]:
            return False
        _rebuild_locked(idx, source, progress=None)
    log_action(None, "search.rebuild", None, {"index": source.spec.name, "reason": "repair"})
    outbox_apply(source=source)
    return True


def _index_stamps(idx: SearchIndex, chunk: int = 100_000) -> dict[int, int]:
    """``{id: stamp}`` of every live document, read from the fast fields in id order."""
    searcher = idx.searcher()
    schema = idx.spec.schema()
    found: dict[int, int] = {}
    low = 0
    while True:
        query = tantivy.Query.range_query(schema, "id", tantivy.FieldType.Unsigned, low, None)
        hits = searcher.search(query, chunk, count=False, order_by_field="id",
                               order=tantivy.Order.Asc).hits
        if not hits:
            return found
        addresses = [address for _, address in hits]
        ids = searcher.fast_field_values("id", addresses)
        for pk, value in zip(ids, searcher.fast_field_values("stamp", addresses), strict=True):
            found[int(pk)] = int(value or 0)
        if len(hits) < chunk:
            return found
        low = int(ids[-1]) + 1


def index_reconcile(*, source: Source = postings.SOURCE, dry_run: bool = False
                    ) -> dict[str, int]:
    """Find drift between database and index and queue its repair: ``missing`` (visible, not
    indexed), ``stale`` (indexed copy out of date), ``extra`` (indexed, no longer visible)."""
    idx = SearchIndex(source.spec)
    if not idx.status()["ok"]:
        rebuilt = 0 if dry_run else int(index_ensure(source=source))
        return {"missing": 0, "stale": 0, "extra": 0, "rebuilt": rebuilt, "unavailable": 1}
    with idx.writer_lock(timeout=60.0):
        in_index = _index_stamps(idx)
        missing, stale = [], []
        for pk, value in source.stamps():
            indexed = in_index.pop(pk, None)
            if indexed is None:
                missing.append(pk)
            elif indexed != value:
                stale.append(pk)
        extra = list(in_index)
    drift = missing + stale + extra
    if drift and not dry_run:
        with transaction.atomic():
            SearchOutbox.objects.bulk_create(
                [SearchOutbox(index=source.spec.name, object_id=pk) for pk in drift],
                batch_size=1000)
        outbox_apply(source=source)
    return {"missing": len(missing), "stale": len(stale), "extra": len(extra), "rebuilt": 0,
            "unavailable": 0}


__all__ = ["SOURCES", "IndexUnavailable", "WriterBusy", "index_ensure", "index_rebuild",
           "index_reconcile", "outbox_apply", "outbox_apply_all", "outbox_pending",
           "outbox_record", "sources"]
