"""RET-3 health check; SEC-3 security headers."""

import pytest
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from pinqiao.core.views import _Migrations

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_migrations(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    report = response.json()
    assert {k: report[k] for k in ("status", "database", "pending_migrations")} == {
        "status": "ok", "database": "ok", "pending_migrations": 0}
    assert report["tasks"]["pending"] == 0 and report["tasks"]["stuck"] == 0


def test_healthz_is_503_with_pending_migrations(client: Client,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_Migrations, "all_applied", False)
    monkeypatch.setattr(MigrationExecutor, "migration_plan",
                        lambda self, targets: [("accounts", "9999_pending")])
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["pending_migrations"] == 1


def test_healthz_checks_migrations_until_all_are_applied_then_never_again(
        client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    """RET-3: the migration graph is loaded while something is pending, not on every call."""
    plans = [[("accounts", "9999_pending")], []]
    calls = []

    def plan(self: MigrationExecutor, targets: object) -> list:
        calls.append(1)
        return plans[min(len(calls), len(plans)) - 1]

    monkeypatch.setattr(_Migrations, "all_applied", False)
    monkeypatch.setattr(MigrationExecutor, "migration_plan", plan)
    assert client.get("/healthz").status_code == 503
    assert client.get("/healthz").status_code == 200
    assert client.get("/healthz").json()["pending_migrations"] == 0
    assert len(calls) == 2


def test_pages_carry_csp_and_frame_protection(client: Client) -> None:
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_openapi_is_served(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/auth/signup" in response.json()["paths"]


def test_recruiters_find_their_organisation_and_postings_in_the_nav(user_client,  # noqa: ANN001
                                                                     recruiter) -> None:  # noqa: ANN001
    page = user_client(recruiter).get("/").content.decode()
    assert 'href="/orgs/"' in page and 'href="/recruiter/jobs/"' in page


def test_the_home_search_goes_to_the_job_list(client: Client) -> None:
    assert 'action="/jobs/"' in client.get("/").content.decode()
