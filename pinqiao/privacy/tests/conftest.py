from __future__ import annotations

from typing import Any

import pytest

from pinqiao.core.permissions import Role
from pinqiao.jobs.tests.fixtures import otp_verified
from pinqiao.orgs import testing as org_testing
from pinqiao.privacy.testing import resume_for


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def org_reviewer(make_user: Any) -> Any:
    return otp_verified(make_user(role=Role.REVIEWER, phone=None, email="orgrev@test.example"))


@pytest.fixture
def employer(recruiter: Any, org_reviewer: Any) -> Any:
    return org_testing.verified_employer(recruiter, org_reviewer)


@pytest.fixture
def other_recruiter(make_user: Any) -> Any:
    return make_user(role=Role.RECRUITER, display_name="王招聘")


@pytest.fixture
def other_employer(other_recruiter: Any, org_reviewer: Any) -> Any:
    """A verified organisation the seeker never applied to."""
    return org_testing.approve(org_reviewer, org_testing.register(
        other_recruiter, "浦江物流", person=3))


@pytest.fixture
def resume(seeker: Any) -> Any:
    return resume_for(seeker)
