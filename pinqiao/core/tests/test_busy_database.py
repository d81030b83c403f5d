"""Writes never fail for concurrency as an HTML 500 (SEC-3, RET-3; issue 11 finding 3).

Reading with an API token is not a write: ``last_used_at`` is stamped at most once a minute.
Where the database still refuses ("database is locked" after the busy timeout, a server that
is restarting), the API answers 503 with the JSON error body and ``Retry-After``, pages a
Chinese 503 page; also when the refusal happens in a middleware, outside any view.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pinqiao.accounts.models import ApiToken
from pinqiao.accounts.services import api_token_issue
from pinqiao.settings.base import sqlite_database

pytestmark = pytest.mark.django_db


def _locked(*args: object, **kwargs: object) -> None:
    raise OperationalError("database is locked")


def test_an_api_operation_refused_by_the_database_is_a_json_503(
        client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("pinqiao.jobs.selectors.postings_public", _locked)
    response = client.get("/api/v1/jobs")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert response["Retry-After"] == "2"
    assert response.json()["error"]["code"] == "service_busy"
    assert "稍后重试" in response.json()["error"]["message"]


def test_a_page_refused_by_the_database_is_a_chinese_503_page(
        client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("pinqiao.core.views.licence_panel_for_operator", _locked)
    response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "2"
    page = response.content.decode()
    assert "系统繁忙" in page and "<html" in page


@pytest.mark.parametrize("debug", [False, True])
def test_a_refusal_inside_a_middleware_is_a_503_too(
        seeker: object, monkeypatch: pytest.MonkeyPatch, settings: object, debug: bool) -> None:
    settings.DEBUG = debug  # make run serves with DEBUG on, where Django shows its own page
    monkeypatch.setattr("pinqiao.disclosure.middleware._api_user", _locked)
    raw = api_token_issue(user=seeker, name="cli")
    response = Client(raise_request_exception=False).get(
        "/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "service_busy"


def test_other_server_errors_stay_500(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("pinqiao.disclosure.middleware._api_user", broken)
    response = Client(raise_request_exception=False).get("/api/v1/me")
    assert response.status_code == 500


def _token_writes(client: Client, raw: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    return sum(1 for q in queries.captured_queries
               if q["sql"].startswith("UPDATE") and "apitoken" in q["sql"])


def test_a_token_is_stamped_at_most_once_a_minute(seeker: object) -> None:
    raw = api_token_issue(user=seeker, name="cli")
    client = Client()
    assert _token_writes(client, raw) == 1
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    assert _token_writes(client, raw) == 0
    assert _token_writes(client, raw) == 0
    ApiToken.objects.update(last_used_at=timezone.now() - timedelta(seconds=61))
    assert _token_writes(client, raw) == 1
    assert ApiToken.objects.get().last_used_at > first


def test_a_busy_database_does_not_fail_a_read_for_the_stamp(
        seeker: object, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = api_token_issue(user=seeker, name="cli")
    monkeypatch.setattr("pinqiao.accounts.services.transaction.atomic", _locked)
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    assert ApiToken.objects.get().last_used_at is None


def test_sqlite_is_set_up_for_concurrent_writers() -> None:
    options = sqlite_database("/tmp/x.sqlite3")["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
    assert "busy_timeout=" in options["init_command"]
    assert options["timeout"] >= 5


def test_an_unknown_api_address_answers_with_the_json_error_body(client: Client) -> None:
    response = client.get("/api/v1/jobs/null")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert client.get("/no-such-page/").status_code == 404
