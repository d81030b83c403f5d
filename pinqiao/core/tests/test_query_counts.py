"""RET-3, DB4401 4.5.2: the database queries of every main page and API operation are pinned, and
lists cost the same number of queries for one row as for several (no query per row).

A change that adds a query per request (a middleware, a context processor, a template that
follows a relation) fails here; raise a pin only with a reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from pinqiao.accounts.services import api_token_issue
from pinqiao.applications.testing import applied
from pinqiao.core.permissions import Role
from pinqiao.disclosure.services import legal_accept_current
from pinqiao.jobs.testing import published_posting
from pinqiao.jobs.tests.fixtures import *  # noqa: F403
from pinqiao.jobs.tests.fixtures import posting_data
from pinqiao.resumes.testing import approved_resume
from pinqiao.search.testing import search_index  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def postings(recruiter: Any, employer: Any, search_index: Callable[[], int]) -> list[Any]:  # noqa: F811
    made = [published_posting(recruiter, employer, title=f"仓库管理员{n}") for n in range(4)]
    search_index()
    return made


@pytest.fixture
def applicants(make_user: Callable[..., Any], postings: list[Any]) -> list[Any]:
    seekers = [make_user(role=Role.SEEKER) for _n in range(3)]
    for seeker in seekers:
        for posting in postings[:2]:
            applied(seeker, posting)
    return seekers


def queries(client: Client, path: str, status: int = 200) -> int:
    client.get(path)  # the first request of a process fills its caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return len(captured.captured_queries)


def test_public_pages_and_apis(client: Client, postings: list[Any],
                               django_assert_max_num_queries: Any) -> None:
    pinned = {
        # SELECT 1 (the migration check ran at the first call) and the task queue's health
        # (RET-3, pinqiao/ops): one aggregate over the task table
        "/healthz": 2,
        "/": 0,  # the operator's record and the legal documents are held by version
        "/jobs/?q=仓库": 1,  # the page of postings re-checked and loaded
        "/jobs/": 1,
        # the posting, its versions, the responsiveness figures, the visible risk label of its
        # organisation (RISK-2, pinqiao/moderation.selectors.risk_label_for)
        f"/jobs/{postings[0].pk}/": 4,
        "/api/v1/jobs/search?q=仓库": 1,
        "/api/v1/jobs": 1,
    }
    client.get("/healthz")
    for path, most in pinned.items():
        client.get(path)
        with django_assert_max_num_queries(most):
            assert client.get(path).status_code == 200, path


def test_signed_in_seeker_pages(user_client: Callable[[Any], Client], applicants: list[Any],
                                django_assert_max_num_queries: Any) -> None:
    web = user_client(applicants[0])
    # Every signed-in request: the session and the user (2); every page (not the API) adds
    # the header's chat unread badge (pinqiao/messaging: one aggregate, 1). Searches log what
    # the seeker was shown (ALG-1: savepoint, insert, release) and look up a saved search for
    # the query. The seeker's home (issue 15 workspace, 6): applications, the personalisation
    # consent, the résumé's desired city and the recommended postings, interviews, the unread
    # notification count, the support tickets customer service answered (TKT-8, 1).
    pinned = {"/": 10, "/jobs/?q=仓库": 8, "/me/applications/": 4,
              "/api/v1/applications": 3, "/api/v1/jobs/search?q=仓库": 6}
    for path, most in pinned.items():
        web.get(path)
        with django_assert_max_num_queries(most):
            assert web.get(path).status_code == 200, path


def test_recruiter_applicant_list(user_client: Callable[[Any], Client], recruiter: Any,
                                  applicants: list[Any],
                                  django_assert_max_num_queries: Any) -> None:
    web = user_client(recruiter)
    # The page: organisations and memberships (read once and passed on: issue 15 brought the
    # page from 17 to 14), postings, stages (once for the filter and the move targets), tags,
    # templates, count, the page of applications and their tags; the candidate cards' work
    # experience and education (issue 15, 2; the seeker comes with the application); the
    # header's chat unread badge (pinqiao/messaging, 1). Talent search (issue 15 cards, 9):
    # the session and the user, the searcher's organisations, the search log, the page's
    # résumés with their owners, their work and education, the chat badge; the feature-limit
    # sanction check (issue 13, 1); the cards' 「立即沟通」 picker: the member's chat
    # organisations and their published postings (issue 12, 2).
    for path, most in {"/recruiter/applications/": 14,
                       "/api/v1/recruiter/applications": 6, "/talent/": 12}.items():
        web.get(path)
        with django_assert_max_num_queries(most):
            assert web.get(path).status_code == 200, path


def test_lists_cost_no_query_per_row(user_client: Callable[[Any], Client], recruiter: Any,
                                     make_user: Callable[..., Any],
                                     postings: list[Any]) -> None:
    """One applicant or four, one application or two: the same number of queries."""
    seeker = make_user(role=Role.SEEKER)
    applied(seeker, postings[0])
    seeker_web, recruiter_web = user_client(seeker), user_client(recruiter)
    paths = {seeker_web: ["/me/applications/", "/api/v1/applications"],
             recruiter_web: ["/recruiter/applications/", "/api/v1/recruiter/applications"]}
    before = {path: queries(web, path) for web, those in paths.items() for path in those}
    applied(seeker, postings[1])
    for _n in range(3):
        applied(make_user(role=Role.SEEKER), postings[0])
    after = {path: queries(web, path) for web, those in paths.items() for path in those}
    assert after == before


def test_the_two_write_operations_of_bench_writers(client: Client, recruiter: Any,
                                                   employer: Any, postings: list[Any],
                                                   make_user: Callable[..., Any],
                                                   django_assert_max_num_queries: Any) -> None:
    """SEC-3: the writes `bench/writers.py` sends 50 at a time, with an API token as there.
    SQLite takes one write transaction at a time, so every query inside one is paid by every
    writer in the queue; the checks read before it (issue 11). Measured 20, 11 and 30 (23, 11
    and 39 before the write path's CPU time was cut: ``docs/benchmarks.md``)."""
    seeker = make_user(role=Role.SEEKER)
    legal_accept_current(user=seeker)
    approved_resume(seeker)
    seeker_api = Client(HTTP_AUTHORIZATION=f"Bearer {api_token_issue(user=seeker, name='b')}")
    legal_accept_current(user=recruiter)
    recruiter_api = Client(
        HTTP_AUTHORIZATION=f"Bearer {api_token_issue(user=recruiter, name='b')}")
    # The first request of a token stamps its last use (then at most once a minute).
    seeker_api.get("/api/v1/applications")
    recruiter_api.get("/api/v1/my/jobs")
    # Applying: the token (1); before the transaction the résumé, and the posting with the
    # blocked list, an earlier application and whether it asks questions in one query (2); in
    # it (BEGIN, COMMIT) the posting re-checked, the consent looked up and written and the
    # application, each in a savepoint (6), the application's first event, an audit entry for
    # the consent and one for the application (head, entry, head moved: 6). The answer shows
    # the new application without asking again: its one event is known and it has no offer.
    with django_assert_max_num_queries(20):
        application = seeker_api.post("/api/v1/applications", {
            "posting_id": postings[0].pk, "consent_resume": True, "consent_contact": False},
            content_type="application/json")
    assert application.status_code == 201, application.content
    assert application.json()["history"] and application.json()["offer"] is None
    # Creating a draft: the token, the organisation (2); in the transaction the membership,
    # the draft, its event, the audit entry (3), the search outbox.
    with django_assert_max_num_queries(11):
        created = recruiter_api.post("/api/v1/my/jobs", {
            **posting_data(title="数据分析师", work_content="整理销售数据并制作月度报表。"),
            "organisation_id": employer.pk}, content_type="application/json")
    assert created.status_code == 201, created.content
    # Submitting: the token, the posting; screened before the transaction (the licence that
    # waives a category, the rule set); in it the locked posting, the membership (once, for
    # the member check and the permission check), the licences, the sanctions in force (the
    # service agreement, its acceptance and the special-permit rules are held in memory),
    # the transition (event, audit entry ×3, search outbox: one row per transaction), the
    # screening record, the near-duplicate search (fingerprints only), publication (event,
    # audit entry ×3, job-alert queue, the quality label's two checks, one save) and the
    # notification to the poster (the template, the message, the preferences; the poster is
    # the actor).
    with django_assert_max_num_queries(30):
        submitted = recruiter_api.post(f"/api/v1/my/jobs/{created.json()['id']}/submit", {},
                                       content_type="application/json")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "published"
