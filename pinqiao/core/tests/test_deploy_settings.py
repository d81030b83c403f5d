"""SEC-3: the production settings pass Django's deployment checks (``check --deploy``, every
warning an error) and carry CSP, HSTS and secure cookies; a page served over HTTPS with them
has the headers."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

ROOT = Path(settings.BASE_DIR)


def _prod_env(tmp_path: Path) -> dict[str, str]:
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {**inherited, "DJANGO_SETTINGS_MODULE": "pinqiao.settings.prod",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "pinqiao.example", "PINQIAO_VAR_DIR": str(tmp_path),
            "PINQIAO_FIELD_KEY": "dGVzdC1vbmx5LWZpZWxkLWtleS0zMi1ieXRlcy0wMDA=",
            "DATABASE_URL": ""}


def test_check_deploy_passes_with_the_production_settings(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy",
                             "--fail-level", "WARNING"], cwd=ROOT, env=_prod_env(tmp_path),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_settings_are_secure(tmp_path: Path) -> None:
    names = ["DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
             "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
             "SECURE_CONTENT_TYPE_NOSNIFF", "X_FRAME_OPTIONS", "CONTENT_SECURITY_POLICY"]
    code = ("import django, json; django.setup(); from django.conf import settings as s; "
            f"print(json.dumps({{n: getattr(s, n) for n in {names!r}}}))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_prod_env(tmp_path),
                            capture_output=True, text=True, timeout=120)
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"] and values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000 and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["X_FRAME_OPTIONS"] == "DENY" and values["SECURE_CONTENT_TYPE_NOSNIFF"]
    csp = values["CONTENT_SECURITY_POLICY"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp


def test_the_production_settings_refuse_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = {**_prod_env(tmp_path), "DJANGO_SECRET_KEY": ""}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_an_https_page_carries_hsts_csp_and_secure_cookies(settings: object) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.CSRF_COOKIE_SECURE = True
    response = Client().get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response.cookies["csrftoken"]["secure"]
