"""Settings for ``bench/chat.py``'s server processes: development settings with DEBUG off."""

from pinqiao.settings.dev import *  # noqa: F403

DEBUG = False
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
