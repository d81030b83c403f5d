"""A posting that becomes published is queued for instant job alerts in the publishing
transaction (SRCH-3)."""

from __future__ import annotations

from typing import Any

from pinqiao.jobs.models import Posting, PostingStatus
from pinqiao.jobs.signals import posting_status_changed
from pinqiao.search.alerts import alert_queue_record


def _status_changed(sender: Any, posting: Posting, to_status: str, **kwargs: Any) -> None:
    if to_status == PostingStatus.PUBLISHED:
        alert_queue_record(posting_id=posting.pk)


def connect() -> None:
    posting_status_changed.connect(_status_changed, dispatch_uid="search.alert_queue")
