"""The seeker real-name rule (docs/decisions/0015-seeker-real-name.md): a phone-verified seeker
builds a résumé and applies without an ID check; the page says so, per role, and no longer
claims that national rules require seekers to verify an ID."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pinqiao.applications.testing import applied
from pinqiao.jobs.testing import published_posting
from pinqiao.jobs.tests.fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def _page(user: Any) -> str:
    client = Client()
    client.force_login(user)
    return client.get("/accounts/real-name/").content.decode()


def test_a_seeker_without_id_verification_builds_a_resume_and_applies(
        seeker: Any, recruiter: Any, employer: Any) -> None:
    assert not seeker.is_real_name_verified
    application = applied(seeker, published_posting(recruiter, employer))
    assert application.pk and application.resume.review_status == "approved"


def test_the_page_states_the_rule_for_each_role(seeker: Any, recruiter: Any) -> None:
    seeker_page, recruiter_page = _page(seeker), _page(recruiter)
    assert "不需要身份证实名认证" in seeker_page
    assert "经办人身份证明" in recruiter_page
    assert "根据国家规定，网络招聘需实名" not in seeker_page + recruiter_page
