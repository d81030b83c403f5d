"""ACC-3 (finding 13): passwords are hashed with Argon2id under the production hasher settings
(the other tests use a fast hasher), verified through the real log-in, and older PBKDF2 hashes
are upgraded to Argon2 at the next log-in."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.test import Client

from pinqiao.settings import base

pytestmark = pytest.mark.django_db

PASSWORD = "Pinqiao2026safe"


@pytest.fixture
def production_hashers(settings: object) -> None:
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS


def test_a_password_is_hashed_and_verified_with_argon2id(production_hashers: None) -> None:
    encoded = make_password(PASSWORD)
    assert encoded.startswith("argon2$argon2id$")
    assert identify_hasher(encoded).algorithm == "argon2"
    assert check_password(PASSWORD, encoded)
    assert not check_password(PASSWORD + "x", encoded)
    assert make_password(PASSWORD) != encoded  # salted


def test_a_user_logs_in_with_an_argon2_hash(production_hashers: None, make_user: object) -> None:
    user = make_user(password=PASSWORD)
    assert user.password.startswith("argon2$argon2id$")
    response = Client().post("/api/v1/auth/login", json.dumps(
        {"identifier": user.test_phone, "password": PASSWORD}), content_type="application/json")
    assert response.status_code == 200


def test_an_older_pbkdf2_hash_is_upgraded_at_log_in(production_hashers: None,
                                                    make_user: object) -> None:
    user = make_user(password=PASSWORD)
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    response = Client().post("/api/v1/auth/login", json.dumps(
        {"identifier": user.test_phone, "password": PASSWORD}), content_type="application/json")
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
