"""Request-wide middleware: security headers (SEC-3) and the audit context (SEC-1)."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from pinqiao.core.audit import set_request_ip
from pinqiao.core.busy import busy_response, is_database_refusal
from pinqiao.core.error_pages import error_page
from pinqiao.core.errors import ServiceError


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response; the audit IP; a 500
    caused by a database refusal outside any view becomes the 503 of ``core.busy``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        set_request_ip(request.META.get("REMOTE_ADDR"))
        try:
            response = self.get_response(request)
        finally:
            set_request_ip(None)
        refusal = getattr(request, "_database_refusal", None)
        if response.status_code == 500 and refusal is not None:
            response = busy_response(request, refusal)
        response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class ServiceErrorPageMiddleware:
    """A refusal raised while rendering a page becomes a Chinese error page with its status;
    a database refusal (locked, unreachable) a 503 with ``Retry-After``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, ServiceError):
            return error_page(request, exception.status, exception.message)
        if is_database_refusal(exception):
            return busy_response(request, exception)
        return None
