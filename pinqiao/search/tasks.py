"""Background tasks of the search indexes (run by the task worker, the single writer)."""

from django_tasks import task

from pinqiao.search.services import SOURCES, index_ensure, outbox_apply_all


@task()
def apply_outbox() -> int:
    """Apply queued changes of every index; an index whose writer lock another process holds
    is left to that process."""
    return sum(count or 0 for count in outbox_apply_all(lock_timeout=5.0).values())


@task()
def ensure_index(index: str = "postings") -> bool:
    """Rebuild a missing, corrupt or outdated index (requested by a reader that found it so)."""
    return index_ensure(source=SOURCES[index])
