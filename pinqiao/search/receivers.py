"""Every change to a posting queues it for the index, in the same transaction (SRCH-1).

``QuerySet.update()`` and ``bulk_create`` send no signals; ``search_reconcile`` repairs what
they change.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from pinqiao.jobs.models import Posting
from pinqiao.jobs.signals import posting_status_changed
from pinqiao.search.postings import SPEC
from pinqiao.search.services import outbox_record


def _posting_changed(sender: Any, instance: Posting, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # loaddata
        return
    outbox_record(index=SPEC.name, object_ids=[instance.pk])


def _status_changed(sender: Any, posting: Posting, **kwargs: Any) -> None:
    outbox_record(index=SPEC.name, object_ids=[posting.pk])


def connect() -> None:
    post_save.connect(_posting_changed, sender=Posting, dispatch_uid="search.posting_saved")
    post_delete.connect(_posting_changed, sender=Posting, dispatch_uid="search.posting_deleted")
    posting_status_changed.connect(_status_changed, dispatch_uid="search.posting_status")
