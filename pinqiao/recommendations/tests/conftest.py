"""Recommendation test fixtures: a verified employer with live postings in 广州, 深圳, 北京."""

from __future__ import annotations

from typing import Any

import pytest

from pinqiao.jobs.tests.fixtures import *  # noqa: F403
from pinqiao.recommendations import testing


@pytest.fixture
def postings(recruiter: Any, employer: Any) -> dict[str, Any]:
    return testing.live_postings(recruiter, employer)


@pytest.fixture
def other_seeker(make_user: Any) -> Any:
    return make_user(display_name="求职者小王")
