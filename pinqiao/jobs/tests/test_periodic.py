"""Periodic commands (JOB-3, JOB-4): --dry-run and one summary line."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from pinqiao.jobs import services
from pinqiao.jobs.models import Posting, PostingStatus
from pinqiao.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(recruiter: Any, draft: Posting) -> Posting:
    return services.posting_submit(actor=recruiter, posting=draft)


def _run(name: str, *args: str) -> str:
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue().strip()


def test_it_expires_postings_past_their_date(published: Posting) -> None:
    """JOB-3."""
    Posting.objects.filter(pk=published.pk).update(
        valid_until=timezone.localdate() - timedelta(days=1))
    assert _run("expire_postings", "--dry-run") == "expire_postings: would expire 1 postings"
    assert Posting.objects.get(pk=published.pk).status == PostingStatus.PUBLISHED
    assert _run("expire_postings") == "expire_postings: expired 1 postings"
    assert Posting.objects.get(pk=published.pk).status == PostingStatus.EXPIRED
    assert Notification.objects.filter(event="posting_expired").exists()


def test_it_renews_an_expired_posting(recruiter: Any, published: Posting) -> None:
    Posting.objects.filter(pk=published.pk).update(
        valid_until=timezone.localdate() - timedelta(days=1))
    services.postings_expire()
    posting = services.posting_renew(actor=recruiter, posting=Posting.objects.get(pk=published.pk),
                                     valid_until=timezone.localdate() + timedelta(days=20))
    posting.refresh_from_db()
    assert posting.status == PostingStatus.PUBLISHED


def test_it_reminds_then_takes_down_stale_postings(published: Posting) -> None:
    """JOB-4: reminder after 30 days without update, take-down 7 days after the notice."""
    Posting.objects.filter(pk=published.pk).update(
        updated_at=timezone.now() - timedelta(days=31))
    line = _run("patrol_postings", "--dry-run")
    assert line.startswith("patrol_postings: dry run: 0 of suspended") and "1 reminded" in line
    _run("patrol_postings")
    posting = Posting.objects.get(pk=published.pk)
    assert posting.stale_notice_at is not None
    assert Notification.objects.filter(event="posting_stale").exists()
    Posting.objects.filter(pk=published.pk).update(
        stale_notice_at=timezone.now() - timedelta(days=8))
    assert "1 stale taken down" in _run("patrol_postings")
    posting.refresh_from_db()
    assert posting.status == PostingStatus.REMOVED and posting.status_reason_code == "stale"


def test_it_keeps_a_confirmed_posting(recruiter: Any, published: Posting) -> None:
    Posting.objects.filter(pk=published.pk).update(
        updated_at=timezone.now() - timedelta(days=31))
    services.postings_patrol()
    services.posting_confirm_current(actor=recruiter, posting=Posting.objects.get(pk=published.pk))
    services.postings_patrol(now=timezone.now() + timedelta(days=8))
    assert Posting.objects.get(pk=published.pk).status == PostingStatus.PUBLISHED


def test_it_takes_down_postings_of_suspended_organisations(published: Posting,
                                                           employer: Any) -> None:
    type(employer).objects.filter(pk=employer.pk).update(status="suspended")
    assert "1 of suspended organisations taken down" in _run("patrol_postings")
    published.refresh_from_db()
    assert published.status == PostingStatus.REMOVED
    assert published.status_reason_code == "org_suspended"


def test_it_withdraws_the_quality_label_after_a_violation(published: Posting, employer: Any,
                                                          org_reviewer: Any) -> None:
    """JOB-7: the label follows the documented rule, re-checked by the patrol."""
    from pinqiao.orgs.services import violation_record

    assert published.quality_label is True
    violation_record(actor=org_reviewer, organisation=employer, rule="DB4401 6.2.1.8",
                     what="发布不实信息", sanction="警告")
    assert "1 quality labels changed" in _run("patrol_postings")
    published.refresh_from_db()
    assert published.quality_label is False
