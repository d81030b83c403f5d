"""Ask again for acceptance when a legal document in force changed (DISC-5)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from pinqiao.disclosure.selectors import legal_documents_pending

_EXEMPT_PREFIXES = ("/legal/", "/accounts/logout", "/static/", "/healthz", "/api/v1/auth/",
                    "/api/v1/legal/", "/api/v1/openapi.json", "/api/v1/docs", "/admin/",
                    "/staff/otp/", "/disclosure/", "/services/", "/safety/")


class LegalAcceptanceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (user.is_authenticated and not request.path.startswith(_EXEMPT_PREFIXES)
                and request.path != "/" and legal_documents_pending(user=user)):
            if request.path.startswith("/api/"):
                return JsonResponse({"error": {
                    "code": "legal_acceptance_required",
                    "message": _("协议已更新，请先阅读并同意新版本。"),
                    "fields": {}}}, status=403)
            return redirect(f"/legal/accept/?next={request.get_full_path()}")
        return self.get_response(request)
