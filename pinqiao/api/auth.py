"""API authentication: the browser session (with CSRF) or a bearer token."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from pinqiao.accounts.services import api_token_user_for_request


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user_for_request(request, token)
        if user is not None:
            request.user = user
        return user


class ActiveSession(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


user_auth = [BearerToken(), ActiveSession()]


def visitor(request: HttpRequest) -> Any:
    """Anyone: the last resort of ``optional_user_auth`` (``request.auth`` is anonymous)."""
    return AnonymousUser()


#: Public endpoints that behave differently for a signed-in user (token or session); pass
#: ``openapi_extra=OPTIONAL_AUTH_OPENAPI`` too, so the schema says signing in is optional.
optional_user_auth = [*user_auth, visitor]
OPTIONAL_AUTH_OPENAPI = {"security": [{}]}
