"""Helpers for the encrypted identifiers on ``User``: one place that encrypts and indexes."""

from __future__ import annotations

from pinqiao.core.crypto import blind_index, encrypt


def phone_index(phone: str) -> str:
    return blind_index(phone, purpose="phone")


def encrypt_phone(phone: str) -> str:
    return encrypt(phone, context="phone")


def identifier_index(identifier: str) -> str:
    """The lockout key for a login identifier (phone or e-mail), never the identifier itself."""
    return blind_index(identifier.strip().lower(), purpose="login_identifier")
