"""Fixtures for the applications tests: a verified employer with a published posting, and
seekers with approved résumés, all through the real services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pinqiao.applications.testing import approved_resume
from pinqiao.core.permissions import Role
from pinqiao.jobs.testing import published_posting
from pinqiao.jobs.tests.fixtures import *  # noqa: F403


@pytest.fixture
def posting(recruiter: Any, employer: Any) -> Any:
    return published_posting(recruiter, employer)


@pytest.fixture
def ready_seeker(seeker: Any) -> Any:
    approved_resume(seeker)
    return seeker


@pytest.fixture
def make_seeker(make_user: Callable[..., Any]) -> Callable[..., Any]:
    def make(**over: Any) -> Any:
        user = make_user(role=Role.SEEKER, **over)
        approved_resume(user)
        return user

    return make
