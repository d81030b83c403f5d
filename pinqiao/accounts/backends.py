"""Authentication by phone or e-mail plus password (ACC-1), and the key axes locks out on."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from pinqiao.accounts.identity import identifier_index, phone_index
from pinqiao.accounts.models import User
from pinqiao.core.validators import normalize_phone, normalize_text


def canonical_identifier(identifier: str) -> str:
    """A phone number in its 11-digit form, an e-mail lower-cased; otherwise the text itself."""
    text = normalize_text(identifier)
    if "@" in text:
        return text.lower()
    try:
        return normalize_phone(text)
    except ValidationError:
        return text


def find_user_by_identifier(identifier: str) -> User | None:
    canonical = canonical_identifier(identifier)
    if "@" in canonical:
        return User.objects.filter(email=canonical).first()
    return User.objects.filter(phone_index=phone_index(canonical)).first()


def axes_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """Axes keys failed attempts on a blind index of the identifier, so no phone is stored."""
    identifier = (credentials or {}).get("identifier")
    if not identifier:
        return None
    return identifier_index(canonical_identifier(identifier))


class IdentifierBackend(ModelBackend):
    def authenticate(  # type: ignore[override]
        self, request: HttpRequest | None, identifier: str | None = None,
        password: str | None = None, **kwargs: Any,
    ) -> User | None:
        if not identifier or not password:
            return None
        user = find_user_by_identifier(identifier)
        if user is None:
            User().set_password(password)  # equalise timing with the existing-user path
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
