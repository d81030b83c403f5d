"""A live ASGI server for chat's Chromium tests: WebSockets need an ASGI server, and
pytest-django's ``live_server`` is a WSGI thread.

The test makes its data in its (in-memory) test database as usual, then ``live_asgi`` copies
that database into an SQLite file with SQLite's backup API (milliseconds, no migrations) and
starts uvicorn on it in a process of its own, serving ``pinqiao.asgi`` with the test settings
(``server_settings.py``) on a port of the chat range. The server runs the real stack — Channels'
session authentication, the in-memory channel layer, the services writing to the file — so a
message sent in one browser context reaches the other's socket as it would in production.
Everything after the copy happens through the browser; the test reads the outcome on the pages.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[4]
#: The chat engineer's port range is 8130–8139; the benchmark takes 8130 and 8131.
PORTS = range(8135, 8140)


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8135–8139 for the chat test server")


def _copy_database(target: Path) -> None:
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
    finally:
        destination.close()


@contextmanager
def live_asgi(tmp_path: Path) -> Iterator[str]:
    """Copy the test database and serve it with uvicorn; yields the server's base URL."""
    database = tmp_path / "chat.sqlite3"
    _copy_database(database)
    port = _free_port()
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="pinqiao.messaging.tests.browser.server_settings",
               PINQIAO_CHAT_TEST_DB=str(database), PINQIAO_VAR_DIR=str(tmp_path),
               PYTHONPATH=str(ROOT))
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "pinqiao.messaging.tests.browser.asgi:application",
         "--host", "127.0.0.1", "--port", str(port), "--lifespan", "off",
         "--log-level", "warning"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None:
                raise RuntimeError("the chat test server stopped: "
                                   + (tmp_path / "server.log").read_text()[-2000:])
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("the chat test server did not start in 120 s") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
