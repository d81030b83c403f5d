"""Single-machine development: SQLite under var/, local providers, a generated key file."""

from pinqiao.settings.base import *  # noqa: F403
from pinqiao.settings.base import VAR_DIR
from pinqiao.settings.env import env, env_bool

# Off by default, so `make run` shows the real Chinese error pages; `make dev` (or
# DJANGO_DEBUG=1) turns Django's debug pages on for development.
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env("DJANGO_SECRET_KEY", "dev-only-insecure-secret-key-change-me-in-production")
FIELD_KEY_AUTOCREATE = True
MEDIA_ROOT = VAR_DIR / "media"
