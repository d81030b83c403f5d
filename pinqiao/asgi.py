"""ASGI entry point: HTTP through Django; the chat WebSocket (``/ws/chat/``) through Channels
with the session cookie (origin checked against ``ALLOWED_HOSTS``)."""

import os

from channels.auth import AuthMiddlewareStack
from channels.routing import ProtocolTypeRouter, URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pinqiao.settings.dev")

django_asgi = get_asgi_application()

from pinqiao.messaging.routing import websocket_urlpatterns  # noqa: E402 - needs apps loaded

application = ProtocolTypeRouter({
    "http": django_asgi,
    "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
})
