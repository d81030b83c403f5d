"""RET-3: the open job search API is limited per client (signed-in user, else IP address): past
the limit it answers 429 with the API's error body, code ``rate_limited``, and ``Retry-After``;
other clients are not affected."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_past_the_limit_a_client_gets_429_with_retry_after(client: Client, settings: Any,
                                                           user_client: Any, seeker: Any) -> None:
    settings.SEARCH_API_RATE = (3, 60)
    statuses = [client.get("/api/v1/jobs/search", {"q": "司机"}).status_code for _n in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/jobs/search", {"q": "司机"})
    error = refused.json()["error"]
    assert error["code"] == "rate_limited" and "请求过于频繁" in error["message"]
    assert 1 <= int(refused["Retry-After"]) <= 60
    other_address = Client(REMOTE_ADDR="10.0.0.9")
    assert other_address.get("/api/v1/jobs/search", {"q": "司机"}).status_code == 200
    signed_in = user_client(seeker)
    assert signed_in.get("/api/v1/jobs/search", {"q": "司机"}).status_code == 200


def test_the_window_starts_again(client: Client, settings: Any, monkeypatch: Any) -> None:
    import pinqiao.core.ratelimit as ratelimit

    settings.SEARCH_API_RATE = (1, 60)
    now = [1_000_040.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: now[0])
    assert client.get("/api/v1/jobs/search").status_code == 200
    refused = client.get("/api/v1/jobs/search")
    assert refused.status_code == 429 and refused["Retry-After"] == "40"
    now[0] += 40
    assert client.get("/api/v1/jobs/search").status_code == 200
