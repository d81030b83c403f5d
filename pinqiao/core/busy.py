"""When the database refuses a request (SEC-3, RET-3): a 503 with ``Retry-After``, never a 500.

SQLite answers "database is locked" when a write waited out the busy timeout; PostgreSQL may
refuse connections while it restarts. Both are ``OperationalError``: the request did not happen
(its transaction rolled back), so the client is told to try again shortly. The API answers with
the project's JSON error body, pages with a Chinese page; both carry ``Retry-After``.
"""

from __future__ import annotations

import json
import logging
import sys

from django.core.signals import got_request_exception
from django.db import OperationalError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

#: Seconds a client should wait before trying again.
RETRY_AFTER_SECONDS = 2
BUSY_CODE = "service_busy"


def is_database_refusal(exc: BaseException | None) -> bool:
    return isinstance(exc, OperationalError)


@receiver(got_request_exception)
def remember_database_refusal(sender: object, request: HttpRequest | None = None,
                              **kwargs: object) -> None:
    """An exception outside any view (a middleware: the session save, the token lookup) is
    turned into a 500 by Django itself, in DEBUG a technical page; remember a database refusal
    so that ``SecurityHeadersMiddleware`` answers 503 instead."""
    exc = sys.exc_info()[1]
    if request is not None and is_database_refusal(exc):
        request._database_refusal = exc


def busy_message() -> str:
    return _("系统繁忙，请稍后重试。您的操作未被执行。")


def busy_response(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """The 503 for a refused database operation: JSON under ``/api/``, a page elsewhere."""
    logger.warning("database refused %s %s: %s", request.method, request.path, exc)
    if request.path.startswith("/api/"):
        body = {"error": {"code": BUSY_CODE, "message": busy_message(), "fields": {}}}
        response = HttpResponse(json.dumps(body, ensure_ascii=False), status=503,
                                content_type="application/json; charset=utf-8")
    else:
        html = render_to_string("core/busy.html", {"message": busy_message(),
                                                   "retry_after": RETRY_AFTER_SECONDS})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
