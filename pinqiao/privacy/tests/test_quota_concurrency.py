"""Parallel résumé views never overshoot a daily limit (RES-7): the counters are locked with
``select_for_update`` in the transaction that writes the access. Real threads with their own
connections need a server database; on SQLite writers are serialised anyway."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from pinqiao.core.permissions import Role
from pinqiao.orgs import testing as org_testing
from pinqiao.privacy.models import AccessCounter, AccessFlag, ResumeAccess
from pinqiao.privacy.quotas import QuotaExceeded
from pinqiao.privacy.services import resume_open
from pinqiao.privacy.testing import install_data_rows, resume_for
from pinqiao.resumes.models import Visibility

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor == "sqlite", reason="needs concurrent connections")
def test_twelve_parallel_views_with_five_left_give_exactly_five(
        settings: Any, recruiter: Any, make_user: Any) -> None:
    install_data_rows()
    reviewer = make_user(role=Role.REVIEWER, phone=None, email="rev@test.example")
    reviewer.is_verified = lambda: True
    employer = org_testing.verified_employer(recruiter, reviewer)
    settings.PRIVACY_RESUME_LIMITS = {"user_views": 5}
    resumes = [resume_for(make_user(), visibility=Visibility.PUBLIC) for _ in range(12)]
    barrier = threading.Barrier(len(resumes), timeout=20)
    outcomes: list[str] = []

    def attempt(resume: Any) -> None:
        try:
            barrier.wait()
            resume_open(viewer=recruiter, public_id=resume.public_id)
            outcomes.append("shown")
        except QuotaExceeded:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(r,)) for r in resumes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused"] * 7 + ["shown"] * 5
    assert ResumeAccess.objects.count() == 5
    counts = dict(AccessCounter.objects.values_list("scope", "count"))
    assert counts == {"user": 5, "org": 5}
    assert AccessFlag.objects.filter(organisation=employer).count() == 1
