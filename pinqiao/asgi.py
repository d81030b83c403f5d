"""ASGI entry point: HTTP through Django; the chat WebSocket (``/ws/chat/``) through Channels
with the session cookie (origin checked against ``ALLOWED_HOSTS``).

In front of Django's HTTP (decision 0014): collected static files served from memory, the
health check's last answer (at most a few seconds old), visitors' public pages and API answers
held by content version (``pinqiao.core.pagecache``), then a bound on the requests a process
takes on (503 with ``Retry-After`` beyond it).
"""

import gc
import os

from channels.auth import AuthMiddlewareStack
from channels.routing import ProtocolTypeRouter, URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from django.conf import settings
from django.core.asgi import get_asgi_application
from django.urls import URLResolver, get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pinqiao.settings.dev")

django_application = get_asgi_application()

from pinqiao.core.pagecache import HealthCheckCache, PublicCache  # noqa: E402  (after setup)
from pinqiao.core.serving import ConcurrencyLimit, StaticFiles  # noqa: E402  (after setup)
from pinqiao.messaging.routing import websocket_urlpatterns  # noqa: E402  (after setup)
from pinqiao.search.analysis import place_tokens, query_tokens  # noqa: E402  (after setup)

application = ProtocolTypeRouter({
    "http": StaticFiles(
        HealthCheckCache(PublicCache(
            ConcurrencyLimit(django_application, active=settings.WEB_ACTIVE_REQUESTS,
                             queued=settings.WEB_QUEUED_REQUESTS, wait=settings.WEB_QUEUE_WAIT),
            ttl=settings.PUBLIC_CACHE_SECONDS), max_age=settings.HEALTH_MAX_AGE),
        root=settings.STATIC_ROOT, prefix=settings.STATIC_URL),
    "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
})

# Every view module imported now, before the process takes connections: Django imports them at
# its first request (0.8 s of CPU), and every connection the process had accepted waited behind
# that request (34 connections for 4.5 s in a wrk run on the shared machine: docs/benchmarks.md,
# "Web tier", fourth pass); with them the reverse lookups of every URL name (0.15 s at the first
# page's first link). Likewise the search's word segmenter (jieba with the platform's words:
# 0.3 s in one call that holds the interpreter lock, so even held answers stopped) and its
# place names.

def _populate(resolver: URLResolver) -> None:
    """The reverse lookups of ``resolver`` and every namespace under it (``{% url %}``)."""
    resolver.reverse_dict  # noqa: B018  (the property builds them)
    for _prefix, namespace in resolver.namespace_dict.values():
        _populate(namespace)


_populate(get_resolver())
query_tokens("销售")
place_tokens()

# What is loaded by now (Django, the apps, their modules and classes) lives as long as the
# process. Frozen out of the garbage collector's view, it is no longer walked by every full
# collection, which took about 90 ms of CPU with every thread stopped once every few dozen
# write requests (SEC-3: docs/benchmarks.md, "Concurrent writers").
gc.freeze()
