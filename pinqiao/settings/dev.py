"""Single-machine development: SQLite under var/, local providers, a generated key file."""

from pinqiao.settings.base import *  # noqa: F403
from pinqiao.settings.base import VAR_DIR
from pinqiao.settings.env import env, env_bool

# ``make run`` serves with DJANGO_DEBUG=0 (a layout to rely on, decision 0014); runserver and
# manage.py commands keep the debug pages.
DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = env("DJANGO_SECRET_KEY", "dev-only-insecure-secret-key-change-me-in-production")
FIELD_KEY_AUTOCREATE = True
MEDIA_ROOT = VAR_DIR / "media"
