"""Settings of the ASGI server that the chat browser tests start (``live_asgi.py``): the test
settings on the SQLite file the test copied its database into (``PINQIAO_CHAT_TEST_DB``)."""

import os
import tempfile
from pathlib import Path

from pinqiao.settings.base import sqlite_database
from pinqiao.settings.test import *  # noqa: F403

DATABASES = {"default": sqlite_database(os.environ["PINQIAO_CHAT_TEST_DB"])}
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
AUDIT_CHECKPOINT_FILE = Path(tempfile.mkdtemp(prefix="pinqiao-audit-")) / "checkpoints.jsonl"
