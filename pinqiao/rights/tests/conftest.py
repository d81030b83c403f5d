"""Fixtures for the rights tests: a seeker who applied to a verified employer's posting, all
through the real services; media in a temporary directory."""

from __future__ import annotations

from typing import Any

import pytest

from pinqiao.applications.testing import applied
from pinqiao.core.permissions import Role
from pinqiao.jobs.testing import published_posting
from pinqiao.jobs.tests.fixtures import *  # noqa: F403
from pinqiao.jobs.tests.fixtures import otp_verified


@pytest.fixture
def posting(recruiter: Any, employer: Any) -> Any:
    return published_posting(recruiter, employer)


@pytest.fixture
def application(seeker: Any, posting: Any) -> Any:
    return applied(seeker, posting, answers={})


@pytest.fixture
def rights_operator(make_user: Any) -> Any:
    return otp_verified(make_user(role=Role.OPERATOR, phone=None, email="ops@test.example"))
