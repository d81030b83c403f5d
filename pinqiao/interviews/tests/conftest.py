"""Interview fixtures: a verified employer with a published posting and an application;
a second organisation and a second seeker for the access checks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from pinqiao.core.permissions import Role
from pinqiao.interviews import testing
from pinqiao.interviews.workdays import CHINA
from pinqiao.jobs.testing import published_posting
from pinqiao.jobs.tests.fixtures import *  # noqa: F403
from pinqiao.orgs import testing as org_testing
from pinqiao.orgs.models import Membership

#: A Friday before the 2025 National Day holiday (1–8 October; 28 September and 11 October
#: are make-up working days).
NOW = datetime(2025, 9, 26, 9, 0, tzinfo=CHINA)


def at(day: int, hour: int = 10, minute: int = 0, month: int = 9) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=CHINA)


@pytest.fixture
def posting(recruiter: Any, employer: Any) -> Any:
    return published_posting(recruiter, employer)


@pytest.fixture
def application(seeker: Any, posting: Any) -> Any:
    return testing.make_application(seeker, posting)


@pytest.fixture
def other_seeker(make_user: Any) -> Any:
    return make_user(role=Role.SEEKER, display_name="别的求职者")


@pytest.fixture
def other_recruiter(make_user: Any, org_reviewer: Any) -> Any:
    """A recruiter of another verified organisation."""
    user = make_user(role=Role.RECRUITER, display_name="别家招聘者")
    org_testing.approve(org_reviewer, org_testing.register(user, "示范电子", person=3))
    return user


def _member(make_user: Any, employer: Any, name: str, can_view_resumes: bool) -> Any:
    user = make_user(role=Role.RECRUITER, display_name=name)
    Membership.objects.create(organisation=employer, user=user,
                              can_view_resumes=can_view_resumes)
    return user


@pytest.fixture
def colleague(make_user: Any, employer: Any) -> Any:
    """A second interviewer of the same organisation."""
    return _member(make_user, employer, "面试官小王", True)


@pytest.fixture
def colleague_without_resumes(make_user: Any, employer: Any) -> Any:
    return _member(make_user, employer, "行政小赵", False)
