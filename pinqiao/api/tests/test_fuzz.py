"""Fuzzing the API contract with schemathesis (issue 11: 0 5xx, 0 schema mismatches).

Every operation of ``/api/v1/openapi.json`` is called with generated valid and invalid input,
anonymously and as each role with a bearer token, in-process through the WSGI application.
The suite runs ``PINQIAO_FUZZ_EXAMPLES`` (default 1) examples per operation and mode with a
fixed seed; ``make fuzz`` runs many more with a random one (``PINQIAO_FUZZ_RANDOM``).
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from pinqiao.accounts.services import api_token_issue
from pinqiao.api.tests.fuzzing import fuzz_api
from pinqiao.applications.testing import applied
from pinqiao.jobs.testing import published_posting
from pinqiao.jobs.tests.fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("PINQIAO_FUZZ_EXAMPLES", "1"))
ROLES = ["anonymous", "seeker", "recruiter", "reviewer", "customer_service", "operator",
         "auditor", "regulator"]


@pytest.fixture
def world(seeker: Any, recruiter: Any, employer: Any) -> None:
    """Something for each role to find: a published posting and an application to it."""
    applied(seeker, published_posting(recruiter, employer))


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_answers_within_its_contract(role: str, world: None,
                                                     request: pytest.FixtureRequest) -> None:
    headers = {}
    if role != "anonymous":
        user = request.getfixturevalue(role)
        headers = {"Authorization": f"Bearer {api_token_issue(user=user, name='fuzz')}"}
    report = fuzz_api(headers=headers, examples=EXAMPLES,
                      derandomize="PINQIAO_FUZZ_RANDOM" not in os.environ)
    assert report.operations > 100
    assert report.failures == [], "\n\n".join(report.failures)
