"""Benchmark of chat delivery (MSG-1, MSG-2): send → the recipient's socket.

Run from the repository root::

    python bench/chat.py --clients N --rate R --seconds S [--backend sqlite|postgres]
                         [--processes P] [--port 8130] [--pg-db h12_bench]
                         [--redis redis://127.0.0.1:6379/2] [--uvicorn=--OPTION=VALUE]

Starts P uvicorn processes (ports ``--port``, ``--port`` + 1 …) serving ``pinqiao.asgi`` with
DEBUG off and without per-message deflate (as ``make run`` serves it), on a fresh SQLite file in
WAL mode (``sqlite``) or the PostgreSQL database ``--pg-db`` (``postgres``; dropped and
re-created from a migrated template); with P > 1 the channel layer and the cache are Redis
(``--redis``) and each pair's two sockets sit on different processes, so every message crosses
processes. The defaults of ``--port``, ``--pg-db`` and ``--redis`` can also be set by
``PINQIAO_CHAT_BENCH_PORT``, ``PINQIAO_CHAT_BENCH_PG_DB`` and ``PINQIAO_CHAT_BENCH_REDIS``. N
clients connect (N/2 seekers, N/2 recruiters, one organisation and one conversation per pair,
session cookies made in the database). Seekers send R messages per second in total for S seconds
over their sockets; every message goes through the full service path — participant, block and
ban checks, rate limit, screening with ``context="chat"`` (kept as a ``ScreeningRecord``), the
sequence number, the write — and is pushed after the commit. Latency is the time from the send
to the recipient's socket, measured on one clock (the load generator). ``lost`` counts messages
not delivered within ``--grace`` seconds (10) after the last send; ``reordered`` counts
deliveries whose sequence number was not the previous one plus one.
``server_cpu_ms_per_message`` is the servers' CPU time over the load phase (from ``/proc``)
divided by the messages handled, ``server_loop_cpu_ms_per_message`` the part of it in the
servers' main threads (the event loop: frames, sockets, the channel layer; the rest is the
database thread): on a shared machine they say what a message costs where the wall-clock latency
says how busy the machine was; the load average before and after is printed with them, and
``server_rss_mb`` the servers' memory at the end. ``client_cpu_ms_per_message`` is this load
generator's own CPU time per message (its 1,000 sockets share the machine's cores with the
servers). The migrated empty database is kept as a template per set of migrations and the data
is inserted in bulk, so a run starts in seconds (connecting 1,000 sockets takes longer). The
last line printed is a JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Defaults of ``--port``, ``--redis`` and ``--pg-db`` (the chat engineer's resources); the
#: environment variables let a test or another engineer move them without editing the file.
PORT0 = int(os.environ.get("PINQIAO_CHAT_BENCH_PORT", "8130"))
REDIS = os.environ.get("PINQIAO_CHAT_BENCH_REDIS", "redis://127.0.0.1:6379/2")
PG_DB = os.environ.get("PINQIAO_CHAT_BENCH_PG_DB", "h12_bench")
PG_SERVER = "postgres://postgres@127.0.0.1:5432"


def _env(args: argparse.Namespace, var: str) -> dict[str, str]:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="chat_settings", PINQIAO_VAR_DIR=var,
               PYTHONPATH=f"{ROOT}:{ROOT / 'bench'}", DJANGO_ALLOW_ASYNC_UNSAFE="")
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    if args.backend == "postgres":
        env["DATABASE_URL"] = f"{PG_SERVER}/{args.pg_db}"
    if args.processes > 1:
        env["REDIS_URL"] = args.redis
    return env


def _schema_digest() -> str:
    """A digest of every migration: the migrated empty schema is kept per digest."""
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("pinqiao/*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _psql(*commands: str) -> None:
    argv = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-v", "ON_ERROR_STOP=1"]
    for command in commands:
        argv += ["-c", command]
    subprocess.run(argv, check=True, capture_output=True)


def _migrated(args: argparse.Namespace, env: dict[str, str]) -> None:
    """A fresh database with the migrated schema. Migrating takes minutes on a loaded machine,
    so the first run keeps the empty migrated database as a template (a file copy for SQLite,
    ``CREATE DATABASE … TEMPLATE`` for PostgreSQL) and later runs with the same migrations
    start from it."""
    digest = _schema_digest()
    migrate = [sys.executable, str(ROOT / "manage.py"), "migrate", "-v", "0"]
    if args.backend == "postgres":
        template = f"{args.pg_db}_tpl_{digest}"
        found = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tA", "-c",
             f"SELECT 1 FROM pg_database WHERE datname = '{template}'"],
            check=True, capture_output=True, text=True).stdout.strip()
        if not found:
            _psql(f"CREATE DATABASE {template}")
            subprocess.run(migrate, env={**env, "DATABASE_URL": f"{PG_SERVER}/{template}"},
                           check=True)
        _psql(f"DROP DATABASE IF EXISTS {args.pg_db}",
              f"CREATE DATABASE {args.pg_db} TEMPLATE {template}")
        return
    template = Path(tempfile.gettempdir(), f"pinqiao-chat-bench-{digest}.sqlite3")
    database = Path(env["PINQIAO_VAR_DIR"], "pinqiao.sqlite3")
    if not template.exists():
        subprocess.run(migrate, env=env, check=True)
        _sqlite_copy(database, template)
    else:
        _sqlite_copy(template, database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """A consistent copy through SQLite's backup API (the WAL included)."""
    partial = target.with_suffix(".partial")
    src, dst = sqlite3.connect(source), sqlite3.connect(partial)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    partial.replace(target)


def _prepare(args: argparse.Namespace, env: dict[str, str]) -> None:
    _migrated(args, env)
    seed = subprocess.run([sys.executable, __file__, "--seed-only", str(args.clients // 2)],
                          env=env, check=False, capture_output=True, text=True)
    if seed.returncode:
        raise SystemExit(seed.stderr)
    Path(env["PINQIAO_VAR_DIR"], "pairs.json").write_text(seed.stdout.strip().splitlines()[-1])


def seed(pairs: int) -> None:
    """Inside the Django settings of the servers: pairs of a seeker and a recruiter of their own
    organisation, one published posting per organisation, one conversation per pair, a session
    per user. Rows are inserted in bulk in one transaction (the data is the benchmark's, not a
    user's actions, so no audit entries); 500 pairs take seconds instead of minutes."""
    import django

    django.setup()
    from datetime import timedelta

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import transaction
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from pinqiao.accounts.models import User
    from pinqiao.jobs.models import Posting
    from pinqiao.messaging.models import Conversation, Side
    from pinqiao.orgs.models import Membership, Organisation

    now = timezone.now()
    until = timezone.localdate() + timedelta(days=30)
    store = SessionStore()
    backend = "pinqiao.accounts.backends.IdentifierBackend"

    def user(role: str, name: str, email: str) -> User:
        made = User(role=role, display_name=name, email=email)
        made.set_unusable_password()
        return made

    def session(made: User) -> Session:
        return Session(session_key=get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789"),
                       expire_date=now + timedelta(hours=6), session_data=store.encode({
                           SESSION_KEY: str(made.pk), BACKEND_SESSION_KEY: backend,
                           HASH_SESSION_KEY: made.get_session_auth_hash(),
                           "last_seen": now.timestamp() + 3600}))

    with transaction.atomic():
        seekers = User.objects.bulk_create(
            [user("seeker", f"求职者{n}", f"seeker{n}@bench.example") for n in range(pairs)])
        recruiters = User.objects.bulk_create(
            [user("recruiter", f"招聘者{n}", f"recruiter{n}@bench.example")
             for n in range(pairs)])
        # bulk_create sets primary keys on PostgreSQL and SQLite ≥ 3.35 (RETURNING).
        orgs = Organisation.objects.bulk_create([Organisation(
            name=f"压测单位{n}", credit_code=f"91{n:016d}", kind="employer", status="verified",
            industry="software", address="天河路100号", contact_name="李经理",
            created_by=recruiters[n]) for n in range(pairs)])
        Membership.objects.bulk_create([Membership(organisation=orgs[n], user=recruiters[n],
                                                   role="owner") for n in range(pairs)])
        postings = Posting.objects.bulk_create([Posting(
            organisation=orgs[n], title=f"仓库管理员{n}", status="published", valid_until=until,
            created_by=recruiters[n]) for n in range(pairs)])
        conversations = Conversation.objects.bulk_create([Conversation(
            seeker=seekers[n], organisation=orgs[n], posting=postings[n],
            started_by=seekers[n], started_side=Side.SEEKER) for n in range(pairs)])
        sessions = Session.objects.bulk_create(
            [session(made) for pair in zip(seekers, recruiters, strict=True) for made in pair])
    name = settings.SESSION_COOKIE_NAME
    print(json.dumps([{"conversation": conversations[n].pk,
                       "seeker": f"{name}={sessions[2 * n].session_key}",
                       "recruiter": f"{name}={sessions[2 * n + 1].session_key}"}
                      for n in range(pairs)]))


def _start_servers(args: argparse.Namespace, env: dict[str, str]) -> list[subprocess.Popen]:
    servers = []
    for i in range(args.processes):
        servers.append(subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "pinqiao.asgi:application", "--host",
             "127.0.0.1", "--port", str(args.port + i), "--log-level", "warning",
             "--ws-max-queue", "256", "--ws-per-message-deflate", "false", *args.uvicorn],
            env=env, cwd=ROOT))
    return servers


async def _wait_ready(port: int) -> None:
    for _ in range(600):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.1)
    raise SystemExit(f"server on {port} did not start")


def _ticks(stat: Path) -> int:
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def _cpu_seconds(pids: list[int]) -> tuple[float, float]:
    """User + system CPU time of the server processes so far (Linux ``/proc``): on a shared
    machine this, not the wall clock, is what a message costs. Also the part of it spent in
    the processes' main threads (the event loop: sockets, frames, the channel layer); the
    rest is the worker threads (the database work of the chat socket)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = main = 0
    for pid in pids:
        total += _ticks(Path(f"/proc/{pid}/stat"))
        main += _ticks(Path(f"/proc/{pid}/task/{pid}/stat"))
    return total / ticks, main / ticks


async def _run(args: argparse.Namespace, pairs: list[dict], pids: list[int]) -> dict:
    import websockets

    for i in range(args.processes):
        await _wait_ready(args.port + i)
    sent_at: dict[str, float] = {}
    latencies: list[float] = []
    delivered: set[str] = set()
    acked: set[str] = set()
    last_seq: dict[int, int] = {}
    reordered = 0
    errors: list[str] = []

    async def open_socket(cookie: str, port: int) -> object:
        return await websockets.connect(
            f"ws://127.0.0.1:{port}/ws/chat/", max_size=2**20, open_timeout=120,
            ping_interval=None,
            additional_headers={"Cookie": cookie, "Origin": f"http://127.0.0.1:{port}"})

    async def reader(ws: object, conversation: int, recipient: bool) -> None:
        nonlocal reordered
        async for raw in ws:
            now = time.perf_counter()
            frame = json.loads(raw)
            kind = frame.get("type")
            if kind == "ack":
                acked.add(frame["client_id"])
            elif kind == "error":
                errors.append(frame.get("code", ""))
            elif kind == "message" and recipient:
                key = frame["client_id"]
                if key in sent_at and key not in delivered:
                    delivered.add(key)
                    latencies.append((now - sent_at[key]) * 1000)
                    if frame["seq"] != last_seq.get(conversation, 0) + 1:
                        reordered += 1
                    last_seq[conversation] = frame["seq"]

    sockets = []
    tasks = []
    semaphore = asyncio.Semaphore(50)

    async def connect_pair(i: int, pair: dict) -> tuple:
        async with semaphore:
            s = await open_socket(pair["seeker"], args.port + i % args.processes)
            r = await open_socket(pair["recruiter"], args.port + (i + 1) % args.processes)
            await s.recv()
            await r.recv()
            return s, r

    connected = await asyncio.gather(*(connect_pair(i, p) for i, p in enumerate(pairs)))
    for pair, (s, r) in zip(pairs, connected, strict=True):
        sockets += [s, r]
        tasks.append(asyncio.create_task(reader(s, pair["conversation"], False)))
        tasks.append(asyncio.create_task(reader(r, pair["conversation"], True)))
    # Warm-up (not measured): each process compiles the live rule set on its first message.
    for i in range(min(len(pairs), 2 * args.processes)):
        await connected[i][0].send(json.dumps({
            "type": "send", "conversation": pairs[i]["conversation"], "client_id": f"w{i}",
            "text": "您好"}))
    while len(acked) < min(len(pairs), 2 * args.processes):
        await asyncio.sleep(0.1)
    await asyncio.sleep(1)
    last_seq.clear()
    for i in range(min(len(pairs), 2 * args.processes)):
        last_seq[pairs[i]["conversation"]] = 1
    acked.clear()
    total = int(args.rate * args.seconds)
    cpu_before, load_before = _cpu_seconds(pids), os.getloadavg()
    client_cpu_before = time.process_time()
    print(f"load phase: {total} messages over {args.seconds} s, servers {pids}",
          file=sys.stderr, flush=True)
    start = time.perf_counter()
    for n in range(total):
        due = start + n / args.rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        i = n % len(pairs)
        key = f"m{n}"
        sent_at[key] = time.perf_counter()
        await connected[i][0].send(json.dumps({
            "type": "send", "conversation": pairs[i]["conversation"], "client_id": key,
            "text": f"您好，我想了解一下这个职位的工作时间和加班安排，谢谢。第{n}条"}))
    send_seconds = time.perf_counter() - start
    deadline = time.perf_counter() + args.grace
    while time.perf_counter() < deadline and len(delivered) < total:
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.5)
    cpu_after = _cpu_seconds(pids)
    client_cpu = time.process_time() - client_cpu_before
    rss_mb = sum(int(line.split()[1]) for pid in pids
                 for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                 if line.startswith("VmRSS:")) // 1024
    server_cpu, loop_cpu = (after - before for after, before in zip(cpu_after, cpu_before,
                                                                      strict=True))
    load_after = os.getloadavg()
    for task in tasks:
        task.cancel()
    for ws in sockets:
        await ws.close()
    latencies.sort()

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1) \
            if latencies else 0.0

    return {"clients": len(sockets), "processes": args.processes, "backend": args.backend,
            "rate_per_s": args.rate, "achieved_rate_per_s": round(total / send_seconds, 1),
            "seconds": args.seconds, "messages": total, "delivered": len(delivered),
            "acked": len(acked), "p50_ms": pct(0.50), "p99_ms": pct(0.99),
            "max_ms": round(latencies[-1], 1) if latencies else 0.0,
            "mean_ms": round(statistics.fmean(latencies), 1) if latencies else 0.0,
            "lost": total - len(delivered), "reordered": reordered,
            "server_cpu_s": round(server_cpu, 1),
            "server_cpu_ms_per_message": round(1000 * server_cpu / max(1, len(acked)), 1),
            "server_loop_cpu_ms_per_message": round(1000 * loop_cpu / max(1, len(acked)), 1),
            "client_cpu_ms_per_message": round(1000 * client_cpu / max(1, total), 1),
            "server_rss_mb": rss_mb,
            "load_before": [round(x, 1) for x in load_before],
            "load_after": [round(x, 1) for x in load_after],
            "errors": {code: errors.count(code) for code in set(errors)}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--port", type=int, default=PORT0,
                        help="the first server's port; process i listens on port + i")
    parser.add_argument("--pg-db", default=PG_DB,
                        help="PostgreSQL database (dropped and re-created from a template)")
    parser.add_argument("--redis", default=REDIS,
                        help="Redis URL of the channel layer and cache with --processes > 1")
    parser.add_argument("--uvicorn", action="append", default=[],
                        help="one more uvicorn option for the servers (repeatable), e.g. "
                             "--uvicorn=--ws-per-message-deflate=true (off by default, as in "
                             "`make run`)")
    parser.add_argument("--grace", type=float, default=10,
                        help="seconds to wait after the last send before counting a loss")
    parser.add_argument("--seed-only", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed_only:
        seed(args.seed_only)
        return
    with tempfile.TemporaryDirectory(prefix="pinqiao-chat-bench-") as var:
        env = _env(args, var)
        _prepare(args, env)
        pairs = json.loads(Path(var, "pairs.json").read_text())
        servers = _start_servers(args, env)
        try:
            result = asyncio.run(_run(args, pairs, [server.pid for server in servers]))
        finally:
            for server in servers:
                server.terminate()
            for server in servers:
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
