"""The seeker's home lists the interviews still ahead (issue 15) from one narrow query (issue
14): open ones whose time is not past, or not yet chosen; never cancelled or past ones."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from pinqiao.interviews import testing
from pinqiao.interviews.models import Interview, Status
from pinqiao.interviews.selectors import interviews_coming_for_seeker
from pinqiao.interviews.tests.conftest import NOW, at
from pinqiao.jobs.testing import published_posting

pytestmark = pytest.mark.django_db


def test_open_interviews_ahead_are_listed_and_the_rest_are_not(
        recruiter: Any, employer: Any, seeker: Any, application: Any) -> None:
    booked = testing.book(recruiter, application, at(29), now=NOW)
    other = testing.make_application(seeker, published_posting(recruiter, employer,
                                                               title="第二个职位"))
    proposed = testing.propose(recruiter, other, [at(30)], now=NOW)
    assert proposed.starts_at is None  # no time chosen yet

    coming = interviews_coming_for_seeker(user=seeker, now=NOW, limit=5)
    assert {i.pk for i in coming} == {booked.pk, proposed.pk}
    assert {i.application.posting.title for i in coming} == {application.posting.title,
                                                             "第二个职位"}

    after_booked = booked.starts_at + timedelta(minutes=1)
    assert [i.pk for i in interviews_coming_for_seeker(user=seeker, now=after_booked,
                                                       limit=5)] == [proposed.pk]
    Interview.objects.filter(pk=proposed.pk).update(status=Status.CANCELLED)
    assert [i.pk for i in interviews_coming_for_seeker(user=seeker, now=NOW,
                                                       limit=5)] == [booked.pk]
    assert interviews_coming_for_seeker(user=seeker, now=NOW, limit=0) == []
