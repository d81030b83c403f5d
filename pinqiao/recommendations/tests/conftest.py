"""Recommendation test fixtures: a verified employer with live postings in 广州, 深圳, 北京,
indexed in a fresh search index directory per test (candidates come from the index)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pinqiao.jobs.tests.fixtures import *  # noqa: F403
from pinqiao.recommendations import testing
from pinqiao.search.testing import search_index  # noqa: F401


@pytest.fixture
def postings(recruiter: Any, employer: Any,
             search_index: Callable[[], int]) -> dict[str, Any]:  # noqa: F811
    made = testing.live_postings(recruiter, employer)
    search_index()
    return made


@pytest.fixture
def other_seeker(make_user: Any) -> Any:
    return make_user(display_name="求职者小王")
