"""Background tasks of the search index (run by the task worker, the single writer)."""

from django_tasks import task

from pinqiao.search.engine import WriterBusy
from pinqiao.search.services import index_ensure, outbox_apply


@task()
def apply_outbox() -> int:
    """Apply queued changes; when another writer holds the lock it will pick them up."""
    try:
        return outbox_apply(lock_timeout=5.0)
    except WriterBusy:
        return 0


@task()
def ensure_index() -> bool:
    """Rebuild a missing, corrupt or outdated index (requested by a reader that found it so)."""
    return index_ensure()
