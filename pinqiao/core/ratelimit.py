"""Per-client rate limits for open, costly operations such as the job search API (RET-3).

A fixed window per client in the cache: shared by every process and machine on the scale path
(``REDIS_URL``), per process with the local-memory cache (then each web process allows the
limit on its own).
"""

from __future__ import annotations

import math
import time
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _

from pinqiao.core.errors import ServiceError


class RateLimited(ServiceError):
    """429 with ``Retry-After``: the API's error body, code ``rate_limited``."""

    status = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__("rate_limited", _("请求过于频繁，请 %(seconds)d 秒后再试。")
                         % {"seconds": retry_after})
        self.retry_after = retry_after


def client_key(request: HttpRequest, user: Any = None) -> str:
    """The signed-in user, else the address the request came from."""
    user = user if user is not None else getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{request.META.get('REMOTE_ADDR', '')}"


def rate_limit(*, scope: str, client: str, limit: int, window: int) -> None:
    """Count one call of ``client`` to ``scope``; raise ``RateLimited`` past ``limit`` calls in
    the current window of ``window`` seconds."""
    now = time.time()
    key = f"pinqiao:rate:{scope}:{client}:{int(now // window)}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # the counter was evicted between add and incr
        count = 1
        cache.set(key, count, timeout=window + 1)
    if count > limit:
        raise RateLimited(max(1, math.ceil(window - now % window)))
