"""Twenty simultaneous applies by one seeker to one posting leave exactly one application
and one résumé consent (APP-1, constraint ``applications_once_per_posting``). Real threads
with their own connections need a server database; on SQLite the duplicate refusal is covered
by ``test_apply.py``."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from pinqiao.applications import services
from pinqiao.applications.models import Application
from pinqiao.applications.testing import approved_resume, reinstall_data_migrations
from pinqiao.core.errors import ServiceError
from pinqiao.jobs.testing import published_posting
from pinqiao.orgs import testing as org_testing
from pinqiao.privacy.models import Consent

pytestmark = pytest.mark.django_db(transaction=True)

ATTEMPTS = 20


@pytest.mark.skipif(connection.vendor == "sqlite", reason="needs concurrent connections")
def test_twenty_simultaneous_applies_leave_exactly_one_row(seeker: Any, recruiter: Any,
                                                           org_reviewer: Any) -> None:
    reinstall_data_migrations()
    employer = org_testing.verified_employer(recruiter, org_reviewer)
    posting = published_posting(recruiter, employer)
    approved_resume(seeker)
    barrier = threading.Barrier(ATTEMPTS, timeout=30)
    outcomes: list[str] = []

    def attempt() -> None:
        try:
            barrier.wait()
            services.application_submit(seeker=seeker, posting_id=posting.pk, answers={},
                                        resume_consent=True, contact_consent=True)
            outcomes.append("applied")
        except ServiceError as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already_applied"] * (ATTEMPTS - 1) + ["applied"]
    assert Application.objects.filter(seeker=seeker, posting=posting).count() == 1
    assert Consent.objects.filter(user=seeker).count() == 2  # résumé and contact, once each
