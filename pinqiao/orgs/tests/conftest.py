"""Fixtures for the orgs tests: uploads go to a temporary MEDIA_ROOT."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pinqiao.core.permissions import Role
from pinqiao.orgs import testing


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def recruiter2(make_user: Callable[..., Any]) -> Any:
    return make_user(role=Role.RECRUITER, display_name="招聘者小王")


@pytest.fixture
def employer(recruiter: Any, reviewer: Any) -> Any:
    """A verified employer owned by ``recruiter``."""
    return testing.verified_employer(recruiter, reviewer)


@pytest.fixture
def agency_owner(make_user: Callable[..., Any]) -> Any:
    return make_user(role=Role.RECRUITER, display_name="机构顾问")


@pytest.fixture
def agency(agency_owner: Any, reviewer: Any) -> Any:
    """A verified HR-service agency with an online-recruitment licence."""
    return testing.verified_agency(agency_owner, reviewer)


def otp_verified(user: Any) -> Any:
    """Mark a staff user object as past the second factor, as OTPMiddleware does per request."""
    user.is_verified = lambda: True
    return user


@pytest.fixture
def reviewer(reviewer: Any) -> Any:  # noqa: F811 - extends the root fixture
    return otp_verified(reviewer)


@pytest.fixture
def operator(operator: Any) -> Any:  # noqa: F811
    return otp_verified(operator)
