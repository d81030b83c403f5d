"""Résumé test fixtures: private storage in a temporary directory, a seeker's résumé."""

from __future__ import annotations

from typing import Any

import pytest

from pinqiao.resumes import services, testing


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def resume(seeker: Any) -> Any:
    return services.resume_ensure(owner=seeker)


@pytest.fixture
def complete(seeker: Any) -> Any:
    return testing.complete_resume(seeker)


@pytest.fixture
def other_seeker(make_user: Any) -> Any:
    return make_user(display_name="另一位求职者")


@pytest.fixture
def employer(recruiter: Any, make_user: Any) -> Any:
    """A verified organisation (its name contains 聘桥示范科技)."""
    from pinqiao.core.permissions import Role
    from pinqiao.orgs import testing as org_testing

    org_reviewer = make_user(role=Role.REVIEWER, phone=None, email="orgrev@test.example")
    org_reviewer.is_verified = lambda: True
    return org_testing.verified_employer(recruiter, org_reviewer)
