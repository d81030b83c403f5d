"""Fixtures of the analytics tests: a verified employer and its postings through the real
services (shared with the posting and ticket tests), and a small world of raw rows."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from pinqiao.applications.models import Application
from pinqiao.applications.testing import applied
from pinqiao.core.permissions import Role
from pinqiao.jobs.models import Posting, PostingEvent
from pinqiao.jobs.testing import published_posting
from pinqiao.tickets.tests.conftest import (  # noqa: F401 - fixtures
    _media,
    employer,
    org_reviewer,
)

GUANGZHOU, SHENZHEN, YUNFU = "440100", "440300", "445300"
SMALL_DISTRICT = "445302"  # 云浮市云城区: the small city


def _copies(posting: Posting, division_code: str, count: int) -> list[Posting]:
    """``count`` raw copies of a published posting in another district, each with its
    published event (the rollup reads raw rows; going through the services for each would only
    make the test slower)."""
    copies = []
    for n in range(count):
        copy = Posting.objects.get(pk=posting.pk)
        copy.pk, copy.division_code, copy.title = None, division_code, f"{posting.title}{n}"
        copy.save()
        PostingEvent.objects.create(posting=copy, from_status="pending_review",
                                    to_status="published")
        copies.append(copy)
    return copies


@pytest.fixture
def world(recruiter: Any, employer: Any, make_user: Any) -> dict[str, Any]:  # noqa: F811
    """Eight postings in 广州, six in 深圳 and two in 云浮, three applications; one 广州 posting
    and one application moved to yesterday 23:30 (China time; earlier just after midnight): the
    day boundary."""
    first = published_posting(recruiter, employer)
    guangzhou = [first, *_copies(first, "440106", 7)]
    shenzhen = _copies(first, "440305", 6)
    yunfu = _copies(first, SMALL_DISTRICT, 2)
    seeker = make_user(role=Role.SEEKER)
    applied(seeker, guangzhou[0])
    applied(seeker, guangzhou[1])
    applied(seeker, yunfu[0])
    # Yesterday 23:30, or two hours ago when that is earlier (just after midnight): the late
    # row stays out of the live page's last hour.
    now = timezone.localtime()
    yesterday_late = min(now.replace(hour=23, minute=30) - timedelta(days=1),
                         now - timedelta(hours=2))
    PostingEvent.objects.filter(posting=guangzhou[7]).update(at=yesterday_late)
    Application.objects.filter(posting=guangzhou[1]).update(created_at=yesterday_late)
    return {"guangzhou": guangzhou, "shenzhen": shenzhen, "yunfu": yunfu}


