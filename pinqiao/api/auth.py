"""API authentication: the browser session (with CSRF) or a bearer token."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from pinqiao.accounts.services import api_token_user_for_request
from pinqiao.core.permissions import STAFF_ROLES


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user_for_request(request, token)
        if user is not None:
            request.user = user
        return user


class ActiveSession(SessionAuth):
    """The browser session (CSRF checked); a staff session counts only once it is past the
    second factor (ACC-3)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None or not user.is_active:
            return None
        if user.role in STAFF_ROLES and not getattr(user, "is_verified", lambda: False)():
            return None
        return user


user_auth = [BearerToken(), ActiveSession()]


def visitor(request: HttpRequest) -> Any:
    """Anyone: the last resort of ``optional_user_auth`` (``request.auth`` is anonymous)."""
    return AnonymousUser()


#: Public endpoints that behave differently for a signed-in user (token or session); pass
#: ``openapi_extra=OPTIONAL_AUTH_OPENAPI`` too, so the schema says signing in is optional.
optional_user_auth = [*user_auth, visitor]
OPTIONAL_AUTH_OPENAPI = {"security": [{}]}


def json_from_this_site(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Login CSRF (SEC-3), for ``decorate_view`` on the anonymous sign-in endpoints: with no
    session there is no CSRF token, so they take only a JSON body from this site. A plain HTML
    form on another site can send ``text/plain``, url-encoded or multipart bodies without a
    CORS preflight, never ``application/json``; a browser that names another origin
    (``Origin``) or a cross-site fetch (``Sec-Fetch-Site``) is refused too. Clients outside a
    browser send neither header and are unaffected. Checked before the body is parsed."""

    @wraps(run)
    def check(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.content_type != "application/json":
            return _refusal(415, "json_required",
                            _("请以 JSON 格式提交（Content-Type: application/json）。"))
        origin = request.headers.get("Origin")
        foreign = origin is not None and origin != f"{request.scheme}://{request.get_host()}" \
            and origin not in settings.CSRF_TRUSTED_ORIGINS
        if foreign or request.headers.get("Sec-Fetch-Site") in ("cross-site", "same-site"):
            return _refusal(403, "cross_site_refused", _("不接受来自其他网站的登录请求。"))
        return run(request, *args, **kwargs)

    return check


def _refusal(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message, "fields": {}}},
                        status=status, json_dumps_params={"ensure_ascii": False})
