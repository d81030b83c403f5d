"""Whether the Redis server of the scale-path tests answers (skip those tests cleanly where not)."""

from __future__ import annotations

import pytest


def redis_reachable(url: str = "redis://127.0.0.1:6379/2") -> bool:
    """True when a Redis server answers PING at ``url`` within a second."""
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_timeout=1).ping())
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False


needs_redis = pytest.mark.skipif(
    not redis_reachable(), reason="Redis at 127.0.0.1:6379 is not reachable"
)
