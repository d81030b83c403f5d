"""Test settings: a fixed key, fast hashing, immediate tasks, local-memory mail."""

from pinqiao.settings.base import *  # noqa: F403
from pinqiao.settings.base import DATABASE_URL, sqlite_database

SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789"
FIELD_ENCRYPTION_KEY = "dGVzdC1vbmx5LWZpZWxkLWtleS0zMi1ieXRlcy0wMDA="
FIELD_KEY_AUTOCREATE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
if not DATABASE_URL:
    DATABASES = {"default": sqlite_database(":memory:")}
    DATABASES["default"]["TEST"] = {"NAME": ""}
