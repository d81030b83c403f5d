"""RET-3: the operator's record and the legal documents in force are held in memory by version —
no query per page, and never stale past a change: at once in the process that made it (and,
through a shared cache, in every process), within the hold time otherwise, and a document
scheduled for later enters force at its time."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pinqiao.disclosure import selectors
from pinqiao.disclosure.models import LegalDocument, OperatorProfile

pytestmark = pytest.mark.django_db


def _another_process_saved(key: str) -> None:
    """What a save in another process does to the version shared through the cache."""
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1)


def test_the_footer_costs_no_query_once_held(client: Client) -> None:
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/")
    assert captured.captured_queries == []
    assert OperatorProfile.objects.get().company_name in page.content.decode()


def test_a_change_elsewhere_is_seen_when_the_version_moves(client: Client) -> None:
    client.get("/")
    OperatorProfile.objects.update(company_name="新运营主体有限公司")  # no signal, as elsewhere
    assert "新运营主体有限公司" not in client.get("/").content.decode()
    _another_process_saved(selectors.OPERATOR_PROFILE.key)
    assert "新运营主体有限公司" in client.get("/").content.decode()


def test_without_a_shared_version_a_change_is_seen_after_the_hold_time(
        client: Client, monkeypatch: Any) -> None:
    import pinqiao.core.memo as memo

    client.get("/")
    OperatorProfile.objects.update(company_name="新运营主体有限公司")
    later = memo.time.monotonic() + selectors.OPERATOR_PROFILE.ttl + 1
    monkeypatch.setattr(memo.time, "monotonic", lambda: later)
    assert "新运营主体有限公司" in client.get("/").content.decode()


def test_a_document_scheduled_for_later_enters_force_at_its_time(monkeypatch: Any) -> None:
    current = {d.kind: d.version for d in selectors.legal_documents_current()}
    start = timezone.now() + timedelta(hours=1)
    LegalDocument.objects.create(kind="user_agreement", version="9.0", title="用户协议",
                                 body="新版正文", published_at=start)
    assert {d.kind: d.version for d in selectors.legal_documents_current()} == current
    monkeypatch.setattr(selectors.timezone, "now", lambda: start + timedelta(seconds=1))
    assert {d.kind: d.version for d in selectors.legal_documents_current()}[
        "user_agreement"] == "9.0"


def test_an_acceptance_is_remembered_and_a_new_version_is_asked_for(
        make_user: Any) -> None:
    """SEC-3: a user who accepted the documents in force is not read again on every request
    (the acceptance middleware asks on each); a new version in force is asked for at once."""
    from pinqiao.core.permissions import Role
    from pinqiao.disclosure.services import legal_accept_current

    user = make_user(role=Role.SEEKER)
    assert selectors.legal_documents_pending(user=user)  # nothing accepted: not remembered
    legal_accept_current(user=user)
    assert selectors.legal_documents_pending(user=user) == []
    with CaptureQueriesContext(connection) as captured:
        assert selectors.legal_documents_pending(user=user) == []
    assert captured.captured_queries == []
    LegalDocument.objects.create(kind="user_agreement", version="9.0", title="用户协议",
                                 body="新版正文", published_at=timezone.now())
    assert [d.version for d in selectors.legal_documents_pending(user=user)] == ["9.0"]
