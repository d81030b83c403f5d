"""The project's ASGI application (HTTP and the chat WebSocket) with the static files served
from the apps' folders, as ``runserver`` does: the browser tests run without collectstatic."""

from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

from pinqiao.asgi import application as pinqiao_application

application = ASGIStaticFilesHandler(pinqiao_application)
