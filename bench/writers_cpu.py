"""CPU time per write request, in-process (SEC-3, RET-3; issue 11 finding 3).

Run from the repository root::

    python bench/writers_cpu.py [--requests 60] [--backend sqlite|postgres] [--profile N]

The companion of ``bench/writers.py``: the same fresh database (demo data, 2,000 postings, job
seekers with an approved résumé and API tokens), then the two write operations of that
benchmark sent through Django's whole middleware stack in this process (Django's test client,
the bearer token in ``Authorization``), one after another: ``POST /api/v1/applications`` and
``POST /api/v1/my/jobs`` followed by ``POST /api/v1/my/jobs/{id}/submit``. For each operation
it prints the CPU time this process spent per request (``time.process_time``: robust to other
work on a shared machine, unlike wall-clock latency), the wall time per request, the number of
database queries, and on SQLite the time the write lock was held (the part of a request that
other writers queue behind). ``--profile N`` prints cProfile's N most expensive functions per
operation. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import pstats
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import writers  # noqa: E402
from writers import drop_database, environment, posting_payload, prepare  # noqa: E402

writers.PG_NAME = "h11_bench_writers_cpu"  # its own database beside bench/writers.py's


def _lock_timer() -> tuple[dict[str, float], Callable[[], None]]:
    """Time spent between taking and releasing the SQLite write lock of this process."""
    from pinqiao.core.sqlite import base

    held = {"seconds": 0.0, "transactions": 0}
    start = base.DatabaseWrapper._start_transaction_under_autocommit
    release = base.DatabaseWrapper._release_write_lock

    def timed_start(self: Any) -> None:
        self._held_since = time.perf_counter()
        start(self)

    def timed_release(self: Any) -> None:
        since = getattr(self, "_held_since", None)
        if since is not None and self._write_lock is not None:
            held["seconds"] += time.perf_counter() - since
            held["transactions"] += 1
            self._held_since = None
        release(self)

    base.DatabaseWrapper._start_transaction_under_autocommit = timed_start
    base.DatabaseWrapper._release_write_lock = timed_release

    def undo() -> None:
        base.DatabaseWrapper._start_transaction_under_autocommit = start
        base.DatabaseWrapper._release_write_lock = release

    return held, undo


def measure(name: str, calls: list[Callable[[], int]], *, profile: int, sql: bool,
            locked: dict[str, float] | None) -> dict[str, Any]:
    from django.db import connection, connections, reset_queries

    profiler = cProfile.Profile(time.process_time) if profile else None
    queries = 0
    if locked is not None:
        locked.update(seconds=0.0, transactions=0)
    requests = 0
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for call in calls:
        reset_queries()
        if profiler:
            profiler.enable()
        requests += call()
        queries += len(connection.queries)
        # As under ASGI: every request's connection is closed at its end (the test client
        # leaves it open).
        connections.close_all()
        if profiler:
            profiler.disable()
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    row: dict[str, Any] = {
        "operation": name, "requests": requests,
        "cpu_ms_per_request": round(1000 * cpu / requests, 1),
        "wall_ms_per_request": round(1000 * wall / requests, 1),
        "queries_per_request": round(queries / requests, 1),
    }
    if locked is not None:
        row["write_lock_ms_per_request"] = round(1000 * locked["seconds"] / requests, 1)
        row["write_transactions_per_request"] = round(locked["transactions"] / requests, 2)
    if sql:
        print(f"--- {name}: the queries of the last request", file=sys.stderr)
        for query in connection.queries:
            print(query["sql"][:300], file=sys.stderr)
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(profile)
        print(f"--- {name}\n{out.getvalue()}", file=sys.stderr)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=60,
                        help="applications, and postings created and submitted, each")
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    parser.add_argument("--sql", action="store_true", help="print the queries of the last call")
    parser.add_argument("--data", default="", metavar="DIR",
                        help="SQLite: keep the prepared database in DIR and start from a copy "
                             "of it next time")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="pinqiao-writers-cpu-"))
    env = environment(args.backend, workdir)
    kept = Path(args.data) / f"prepared-{args.requests}" if args.data else None
    try:
        if kept is not None and args.backend == "sqlite" and (kept / "ctx.json").exists():
            shutil.rmtree(workdir)
            shutil.copytree(kept, workdir, symlinks=True)
            ctx = json.loads((workdir / "ctx.json").read_text())
        else:
            print(f"preparing {args.backend} in {workdir} …", file=sys.stderr)
            ctx = prepare(env, 2 * args.requests)
            if kept is not None and args.backend == "sqlite":
                (workdir / "ctx.json").write_text(json.dumps(ctx))
                shutil.rmtree(kept, ignore_errors=True)
                shutil.copytree(workdir, kept, symlinks=True)
        os.environ.update(env)
        if args.backend == "sqlite":
            os.environ.pop("DATABASE_URL", None)
        import django

        django.setup()
        from django.conf import settings
        from django.db import connections
        from django.test import Client

        settings.DEBUG = True  # connection.queries
        settings.ALLOWED_HOSTS = ["*"]
        locked, undo = (_lock_timer() if args.backend == "sqlite" else (None, lambda: None))
        seekers = ctx["seekers"]
        recruiters = ctx["recruiters"]
        postings = ctx["postings"]

        def client(token: str) -> Client:
            return Client(HTTP_AUTHORIZATION=f"Bearer {token}")

        def apply(n: int, k: int = 0) -> Callable[[], int]:
            web = client(seekers[n])

            def call() -> int:
                response = web.post("/api/v1/applications", {
                    "posting_id": postings[(n * 997 + k) % len(postings)], "consent_resume": True,
                    "consent_contact": False}, content_type="application/json")
                assert response.status_code == 201, response.content[:300]
                return 1
            return call

        def post(n: int) -> Callable[[], int]:
            web = client(recruiters[n % len(recruiters)])

            def call() -> int:
                response = web.post("/api/v1/my/jobs", posting_payload(
                    ctx["organisation_id"], n, n), content_type="application/json")
                assert response.status_code == 201, response.content[:300]
                connections.close_all()
                submitted = web.post(f"/api/v1/my/jobs/{response.json()['id']}/submit", {},
                                     content_type="application/json")
                assert submitted.status_code == 200, submitted.content[:300]
                return 2
            return call

        # Tokens stamped as in a running benchmark (at most once a minute, not per request).
        from django.utils import timezone

        from pinqiao.accounts.models import ApiToken

        ApiToken.objects.update(last_used_at=timezone.now())
        # warm-up: the first request of a process fills its caches (rule set, legal documents)
        apply(len(seekers) - 1, 1)()
        post(len(recruiters) - 1)()
        gc.freeze()  # as the ASGI entry point does (pinqiao/asgi.py)
        rows = [
            measure("application", [apply(n) for n in range(args.requests)],
                    profile=args.profile, sql=args.sql, locked=locked),
            measure("posting", [post(n) for n in range(args.requests)],
                    profile=args.profile, sql=args.sql, locked=locked),
        ]
        undo()
        connections.close_all()
    finally:
        drop_database(args.backend)
        shutil.rmtree(workdir, ignore_errors=True)
    for row in rows:
        print(row, file=sys.stderr)
    print(json.dumps({"backend": args.backend, "operations": rows}, ensure_ascii=False))


if __name__ == "__main__":
    main()
