"""ASGI entry point: HTTP through Django; WebSocket routes join here as chat and live rooms land."""

import os

from channels.routing import ProtocolTypeRouter
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pinqiao.settings.dev")

application = ProtocolTypeRouter({"http": get_asgi_application()})
