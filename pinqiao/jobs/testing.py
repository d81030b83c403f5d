"""Test builders for other apps: a published posting through the real services."""

from __future__ import annotations

from typing import Any

from pinqiao.jobs import services
from pinqiao.jobs.models import Posting, PostingStatus
from pinqiao.jobs.tests.fixtures import posting_data


def published_posting(recruiter: Any, organisation: Any, **over: Any) -> Posting:
    """Create and submit a lawful posting (``posting_data`` plus ``over``); a clean posting
    passes screening and is published at once. Vary the title and text between postings of
    one organisation, or the near-duplicate check (JOB-9) sends the copy to review."""
    posting = services.posting_create(actor=recruiter, organisation=organisation,
                                      data=posting_data(**over))
    posting = services.posting_submit(actor=recruiter, posting=posting)
    assert posting.status == PostingStatus.PUBLISHED, posting.status_reason
    return posting
