"""Ask again for acceptance when a legal document in force changed (DISC-5)."""

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from pinqiao.disclosure.selectors import legal_documents_pending

# Open while acceptance is pending: the documents themselves, the public disclosure (pages and
# API), log-out, and closing the account — the way out for a user who does not agree.
_EXEMPT_PREFIXES = ("/legal/", "/accounts/logout", "/accounts/close/", "/static/", "/healthz",
                    "/api/v1/auth/", "/api/v1/legal/", "/api/v1/disclosure/", "/api/v1/me/close",
                    "/api/v1/openapi.json", "/api/v1/docs", "/admin/", "/staff/otp/",
                    "/disclosure/", "/services/", "/safety/")


def _api_user(request: HttpRequest) -> Any:
    """The user behind an API request: the session's, or else the bearer token's (the token is
    only resolved by the endpoint's auth later, so check it here too)."""
    if request.user.is_authenticated:
        return request.user
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    from pinqiao.accounts.services import api_token_user_for_request  # accounts imports us

    return api_token_user_for_request(request, token.strip())


class LegalAcceptanceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if path == "/" or path.startswith(_EXEMPT_PREFIXES):
            return self.get_response(request)
        if path.startswith("/api/"):
            user = _api_user(request)
            if user is not None and legal_documents_pending(user=user):
                return JsonResponse({"error": {
                    "code": "legal_acceptance_required",
                    "message": _("协议已更新，请先阅读并同意新版本。"),
                    "fields": {}}}, status=403)
        elif request.user.is_authenticated and legal_documents_pending(user=request.user):
            return redirect(f"/legal/accept/?next={quote(request.get_full_path(), safe='/')}")
        return self.get_response(request)
