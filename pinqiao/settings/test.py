"""Test settings: a fixed key, fast hashing, immediate tasks, local-memory mail; a warning
raised from the project's own code is an error, so none can pile up (pytest's
``filterwarnings`` in pyproject.toml says the same for each test)."""

import atexit
import shutil
import tempfile
import warnings
from pathlib import Path

from pinqiao.settings.base import *  # noqa: F403
from pinqiao.settings.base import DATABASE_URL, sqlite_database

SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789"
FIELD_ENCRYPTION_KEY = "dGVzdC1vbmx5LWZpZWxkLWtleS0zMi1ieXRlcy0wMDA="
FIELD_KEY_AUTOCREATE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# One search index directory per test process; tests that search use a fresh one per test.
SEARCH_INDEX_DIR = Path(tempfile.mkdtemp(prefix="pinqiao-search-"))
atexit.register(shutil.rmtree, SEARCH_INDEX_DIR, True)
# An empty static root of its own: no "No directory at var/static" warning on a fresh clone.
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="pinqiao-static-"))
atexit.register(shutil.rmtree, STATIC_ROOT, True)
warnings.filterwarnings("error", module=r"pinqiao(\.|$)")
# Tests render pages without collectstatic: plain names, no manifest.
STORAGES = {**STORAGES, "staticfiles": {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
if not DATABASE_URL:
    DATABASES = {"default": sqlite_database(":memory:")}
    # Django's own engine name: pytest-xdist keeps in-memory test databases in memory only
    # for it (another name becomes a shared file per worker). The write queue of
    # ``pinqiao.core.sqlite`` leaves in-memory databases alone anyway.
    DATABASES["default"]["ENGINE"] = "django.db.backends.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": ""}
