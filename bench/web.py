"""Benchmark of the web tier (RET-3, DB4401 4.5.2): requests per second and latency of the main
pages and APIs under a real load generator (wrk) on loopback, or their CPU time per request.

Run from the repository root::

    python bench/web.py --postings N --backend sqlite|postgres --connections C --seconds S
                        [--data-dir DIR] [--pg-name NAME] [--label TEXT] [--no-write]
    python bench/web.py --postings N --backend sqlite|postgres --data-dir DIR --cpu

Steps:

1. storage: SQLite (``pinqiao.sqlite3``) and the search indexes in the data directory; on
   PostgreSQL the database ``--pg-name`` (default ``bench_web_100k``, ``bench_web_1m``, …) on
   127.0.0.1. With ``--data-dir`` the directory is kept, and a later run with the same postings,
   backend, seekers and database finds its ``ready.json`` and skips steps 1-2 (it only applies
   migrations that are new since); without it a temporary directory (and database) is used and
   removed;
2. ``seed_postings`` with N postings (``COPY`` on PostgreSQL, one ``executemany`` per 5,000
   rows on SQLite), ``load_demo`` (the demo accounts, their postings, résumé and applications;
   both search indexes rebuilt from the database in one pass each), ``SEEKERS`` more seekers
   with an approved résumé who apply to the demo employer's postings (the recruiter's
   applicant list), ``ANALYZE`` (PostgreSQL: ``VACUUM ANALYZE``); then, every run, the
   scheduler's catch-up on data prepared earlier (``CATCH_UP``: postings past their date
   expired, the search indexes brought up to date) before any load;
3. ``collectstatic``, and the server started exactly as ``make run`` starts it (the command
   lines of the Makefile's ``run`` recipe: the task worker, the scheduler and the web server)
   on 127.0.0.1:8150 with this directory as its ``var/``;
4. a seeker and a recruiter signed in (their session cookies go to wrk as a header);
5. for each kind of request, ``wrk`` with ``--connections`` connections and 2 threads for
   ``--seconds`` seconds (a Lua script cycles through the fixed searches of
   ``pinqiao/search/queries.py`` and through 500 visible postings); a kind whose first
   request does not answer 200 stops the run. wrk corrects its latencies for coordinated
   omission (a response n mean intervals late is counted with n − 1 more samples below it), so
   p95/p99 weigh stalls of many connections heavily; on PostgreSQL the most connections the
   server held to the database during the load is printed too.

``--cpu`` replaces steps 3-5: each kind's requests go through the whole ASGI application
(static files, the health check's and visitors' held answers, the bounded queue, Django's
handler and its thread, every middleware) in this process, one after another, and the CPU
time of the process per request is reported: after 5 warm-up requests, ``--requests``
addresses of the kind visited once ("first": what a held answer cannot save) and then the same
again ("again"); median and mean. Only uvicorn's HTTP parsing is missing.

``wrk`` comes from Debian: ``apt-get install wrk`` (a benchmark tool, not a test dependency).
The last line printed is one JSON object; the load figures are also written as rows of the
"## Web tier" table of ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search import (  # noqa: E402
    PG_SERVER,
    drop_database,
    load_average,
    machine,
    prepare_database,
)

REPORT = ROOT / "docs" / "benchmarks.md"
MAKEFILE = ROOT / "Makefile"
SECTION = "## Web tier"
TABLE_HEADER = (
    "| date | label | postings | database | connections | kind | req/s | p50 ms | p95 ms "
    "| p99 ms | errors | load |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|")
PORT = 8150
SEED = 2026
SEEKERS = 200
POSTING_SAMPLE = 500
KINDS = ("healthz", "home", "posting", "search_api", "search_page", "seeker_home",
         "seeker_applications", "recruiter_applicants", "static")

LUA = """
local paths = {%(paths)s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p95_us": %%d, ' ..
    '"p99_us": %%d, "connect": %%d, "read": %%d, "write": %%d, "status": %%d, ' ..
    '"timeout": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def server_commands(port: int, workers: int | None) -> list[tuple[dict[str, str], list[str]]]:
    """The commands ``make run`` starts in the background and in the foreground (the task
    worker, the scheduler, the web server), read from the Makefile's ``run`` recipe so the
    benchmark serves exactly as ``make run`` does; only the port (and, when asked, the number
    of web processes) differ. Each: extra environment variables, the command line."""
    recipe = MAKEFILE.read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    recipe = recipe.replace("\\\n", " ")
    values = {"$(PY)": str(ROOT / ".venv" / "bin" / "python"), "$(VENV)": str(ROOT / ".venv"),
              "$(WEB_WORKERS)": str(workers or os.cpu_count() or 1)}
    commands = []
    for part in re.findall(r"setsid (.+?) &", recipe):
        # ``VAR=$${VAR:-default}`` in the recipe: the bench takes the default.
        words = [re.sub(r"^([A-Z_]+)=\$\$\{\1:-(.*)\}$", r"\1=\2", w)
                 for w in part.split() if w != "env"]
        env = dict(w.split("=", 1) for w in words if re.fullmatch(r"[A-Z_]+=\S*", w))
        words = [values.get(w, w) for w in words if not re.fullmatch(r"[A-Z_]+=\S*", w)]
        words = [w.replace("$(VENV)", values["$(VENV)"]) for w in words]
        if "--port" in words:
            words[words.index("--port") + 1] = str(port)
        commands.append((env, words))
    return commands


def layout(commands: list[tuple[dict[str, str], list[str]]]) -> str:
    return " & ".join(" ".join([*(f"{k}={v}" for k, v in env.items()),
                                *(Path(w).name if w.startswith(str(ROOT)) else w
                                  for w in words)])
                      for env, words in commands)


# --- data (Django set up in this process) ---------------------------------------------------

def seed_data(count: int, seekers: int, say: Any) -> dict[str, Any]:
    """N generated postings, the demo data, ``seekers`` applicants, static files."""
    from django.core.management import call_command

    from pinqiao.search.seeding import seed_postings

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    say(f"migrated; seeding {count:,} postings …")
    seed_postings(count=count, seed=SEED)
    say(f"seeded in {time.perf_counter() - started:.0f} s; demo data and indexes …")
    applicants = complete_data(seekers)
    say(f"data ready in {time.perf_counter() - started:.0f} s ({applicants} applications)")
    return {"applications": applicants}


def complete_data(seekers: int) -> int:
    """The demo data, ``seekers`` applicants, ``ANALYZE``: the preparation after the postings."""
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    applicants = seed_applicants(seekers)
    analyse()
    return applicants


def demo_missing() -> bool:
    """A data set marked ready whose demo accounts are missing (two preparations once ran in
    one directory at the same time: the postings of one, the marker of the other)."""
    from pinqiao.accounts.models import User

    return User.objects.filter(username__in=("demo_seeker", "demo_employer")).count() != 2


def seed_applicants(count: int) -> int:
    """``count`` seekers with an approved résumé, each applying to two of the demo employer's
    postings, through the application service."""
    from pinqiao.accounts.identity import encrypt_phone, phone_index
    from pinqiao.accounts.models import User
    from pinqiao.applications.testing import applied
    from pinqiao.core.permissions import Role
    from pinqiao.jobs.models import Posting, PostingStatus

    employer = User.objects.get(username="demo_employer")
    postings = list(Posting.objects.filter(created_by=employer, status=PostingStatus.PUBLISHED,
                                           screening_questions__isnull=True)
                    .order_by("pk")[:5])
    made = 0
    for n in range(count):
        phone = f"137{n:08d}"
        seeker = User.objects.create_user(
            username=f"bench_seeker_{n}", role=Role.SEEKER, display_name=f"压测求职者{n}",
            password="Pinqiao2026", phone_ciphertext=encrypt_phone(phone),
            phone_index=phone_index(phone))
        for posting in dict.fromkeys((postings[n % len(postings)],
                                      postings[(n + 1) % len(postings)])):
            applied(seeker, posting)
            made += 1
    return made


def analyse() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


#: What the scheduler's first round does to data prepared days before (postings past their
#: date expired one by one, each queuing a search-index update for the worker): done here,
#: before the server starts, so that the load meets the steady state and not that backlog
#: (at a million postings it kept the worker and the scheduler busy through every kind).
CATCH_UP = ("expire_postings", "search_index")


def catch_up(say: Any) -> None:
    from django.core.management import call_command

    for command in CATCH_UP:
        started = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            call_command(command, verbosity=0, stdout=quiet)
        say(f"{command}: {time.perf_counter() - started:.0f} s before the load")


def sessions() -> dict[str, str]:
    """Session cookies of the demo seeker and the demo employer, as a browser would hold them
    after signing in (the idle-timeout stamp included)."""
    from django.test import Client
    from django.utils import timezone

    from pinqiao.accounts.models import User

    cookies = {}
    for role, username in (("seeker", "demo_seeker"), ("recruiter", "demo_employer")):
        client = Client()
        client.force_login(User.objects.get(username=username))
        session = client.session
        session["last_seen"] = timezone.now().timestamp() + 3600
        session.save()
        cookies[role] = f"sessionid={client.cookies['sessionid'].value}"
    return cookies


def posting_paths() -> list[str]:
    from pinqiao.jobs.models import Posting, PostingStatus

    ids = (Posting.objects.filter(status=PostingStatus.PUBLISHED,
                                  valid_until__gte=date.today())
           .order_by("?").values_list("pk", flat=True)[:POSTING_SAMPLE])
    return [f"/jobs/{pk}/" for pk in ids]


def search_paths(prefix: str) -> list[str]:
    from urllib.parse import urlencode

    from pinqiao.search.queries import FIXED_QUERIES

    return [f"{prefix}?{urlencode(fixed.params)}" for fixed in FIXED_QUERIES]


# --- the server and the load ----------------------------------------------------------------

def start_server(env: dict[str, str], commands: list[tuple[dict[str, str], list[str]]],
                 port: int, log: Path) -> list[subprocess.Popen]:
    out = log.open("ab")
    processes = [subprocess.Popen(command, cwd=ROOT, env={**env, **extra}, stdout=out,
                                  stderr=out, start_new_session=True)
                 for extra, command in commands]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):
                return processes
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    stop_server(processes)
    raise RuntimeError(f"the server did not answer /healthz within 120 s; see {log}")


def stop_server(processes: list[subprocess.Popen]) -> None:
    for process in reversed(processes):
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def fetch(port: int, path: str, cookie: str = "") -> tuple[int, str]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}",
                                     headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def static_path(port: int) -> str:
    """The address of htmx as the home page links it (hashed once the storage hashes)."""
    _status, html = fetch(port, "/")
    found = re.search(r'src="(/static/vendor/htmx[^"]+)"', html)
    if not found:
        raise RuntimeError("the home page links no htmx script")
    return found.group(1)


def run_wrk(port: int, paths: list[str], *, connections: int, seconds: int, cookie: str,
            workdir: Path, kind: str) -> dict[str, Any]:
    script = workdir / f"{kind}.lua"
    script.write_text(LUA % {"paths": ", ".join(json.dumps(p) for p in paths)})
    command = ["wrk", "--threads", "2", "--connections", str(connections),
               "--duration", f"{seconds}s", "--timeout", "10s", "--script", str(script),
               "--header", "Accept-Encoding: gzip, br"]
    if cookie:
        command += ["--header", f"Cookie: {cookie}"]
    output = subprocess.run([*command, f"http://127.0.0.1:{port}"], capture_output=True,
                            text=True, check=True, timeout=seconds + 60).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRKJSON "))
    raw = json.loads(line.removeprefix("WRKJSON "))
    errors = sum(raw[k] for k in ("connect", "read", "write", "status", "timeout"))
    return {"rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
            "p50_ms": round(raw["p50_us"] / 1000, 1), "p95_ms": round(raw["p95_us"] / 1000, 1),
            "p99_ms": round(raw["p99_us"] / 1000, 1), "requests": raw["requests"],
            "errors": errors, "timeouts": raw["timeout"], "non_2xx_3xx": raw["status"]}


class ServerConnections:
    """The most connections PostgreSQL held to the benchmark's database, sampled twice a second
    while the load runs (persistent connections must stay bounded: the web processes' threads,
    the worker, the scheduler)."""

    def __init__(self, pg_name: str) -> None:
        import threading

        self.pg_name = pg_name
        self.most = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            while not self._stop.wait(0.5):
                row = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s",
                                   (self.pg_name,)).fetchone()
                self.most = max(self.most, row[0] if row else 0)

    def __enter__(self) -> ServerConnections:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


def plan(port: int | None, cookies: dict[str, str]) -> dict[str, tuple[list[str], str]]:
    return {
        "healthz": (["/healthz"], ""),
        "home": (["/"], ""),
        "posting": (posting_paths(), ""),
        "search_api": (search_paths("/api/v1/jobs/search"), ""),
        "search_page": (search_paths("/jobs/"), ""),
        "seeker_home": (["/"], cookies["seeker"]),
        "seeker_applications": (["/me/applications/"], cookies["seeker"]),
        "recruiter_applicants": (["/recruiter/applications/"], cookies["recruiter"]),
        **({"static": ([static_path(port)], "")} if port else {}),
    }


# --- the report -----------------------------------------------------------------------------

def table_rows(report: dict[str, Any]) -> list[str]:
    rows = []
    for kind, figures in report["kinds"].items():
        rows.append(
            f"| {report['date']} | {report['label']} | {report['postings']:,} "
            f"| {report['backend']} | {report['connections']} | {kind} | {figures['rps']:,.0f} "
            f"| {figures['p50_ms']} | {figures['p95_ms']} | {figures['p99_ms']} "
            f"| {figures['errors']} | {report['load_before']:.1f}–{report['load_after']:.1f} |")
    return rows


def write_rows(rows: list[str]) -> None:
    text = REPORT.read_text()
    if SECTION not in text:
        text = text.rstrip("\n") + f"\n\n{SECTION}\n\n{TABLE_HEADER}\n"
    head, _sep, rest = text.partition(SECTION)
    following = rest.find("\n## ")
    body, tail = (rest, "") if following < 0 else (rest[:following], rest[following:])
    if TABLE_HEADER not in body:
        body = body.rstrip("\n") + f"\n\n{TABLE_HEADER}\n"
    lines = body.rstrip("\n").split("\n")
    last = max(i for i, line in enumerate(lines) if line.startswith("|"))
    lines[last + 1:last + 1] = rows
    REPORT.write_text(head + SECTION + "\n".join(lines) + "\n" + tail)


def pg_default_name(postings: int) -> str:
    """``bench_web_1m`` for 1,000,000 postings, ``bench_web_100k`` for 100,000."""
    if postings % 1_000_000 == 0:
        return f"bench_web_{postings // 1_000_000}m"
    if postings % 1000 == 0:
        return f"bench_web_{postings // 1000}k"
    return f"bench_web_{postings}"


def use_storage(backend: str, workdir: Path, pg_name: str, *, fresh: bool) -> None:
    """Point the settings at the data directory and database; ``fresh`` empties them first."""
    if fresh:
        if backend == "postgres":
            prepare_database(backend, workdir, pg_name=pg_name)
            return
        for name in ("pinqiao.sqlite3", "pinqiao.sqlite3-wal", "pinqiao.sqlite3-shm"):
            (workdir / name).unlink(missing_ok=True)
        shutil.rmtree(workdir / "search", ignore_errors=True)
    os.environ["PINQIAO_VAR_DIR"] = str(workdir)
    os.environ["PINQIAO_SEARCH_INDEX_DIR"] = str(workdir / "search")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pinqiao.settings.dev")
    if backend == "postgres":
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{pg_name}"
    else:
        os.environ.pop("DATABASE_URL", None)


# --- CPU time per request, in process -------------------------------------------------------

async def _asgi_get(app: Any, path: str, cookie: str) -> int:
    """One GET through the ASGI application as uvicorn would hand it over; the status."""
    target, _sep, query = path.partition("?")
    headers = [(b"host", b"127.0.0.1"), (b"accept-encoding", b"gzip, br")]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "GET", "scheme": "http", "path": target, "raw_path": target.encode(),
             "query_string": query.encode(), "root_path": "", "headers": headers,
             "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", PORT)}
    status = 0
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


def cpu_per_request(requests: dict[str, tuple[list[str], str]], kinds: list[str], count: int,
                    say: Any) -> dict[str, Any]:
    """CPU ms of this process per request of each kind through ``pinqiao.asgi.application``."""
    from pinqiao.asgi import application

    async def measure() -> dict[str, Any]:
        figures: dict[str, Any] = {}
        for kind in kinds:
            paths, cookie = requests[kind]
            for n in range(5):
                status = await _asgi_get(application, paths[n % len(paths)], cookie)
                if status != 200:
                    raise RuntimeError(f"{kind}: {paths[n % len(paths)]} answered {status}")
            chosen = [paths[(n + 5) % len(paths)] for n in range(count)]
            figures[kind] = {}
            for visit in ("first", "again"):  # each address once, then the same again
                times = []
                for path in chosen:
                    started = time.process_time()
                    await _asgi_get(application, path, cookie)
                    times.append((time.process_time() - started) * 1000)
                times.sort()
                figures[kind][f"{visit}_ms"] = round(times[len(times) // 2], 2)
                figures[kind][f"{visit}_mean_ms"] = round(sum(times) / len(times), 2)
            f = figures[kind]
            say(f"{kind:22} CPU ms median, first visit {f['first_ms']:7.2f}  "
                f"again {f['again_ms']:7.2f}   (means {f['first_mean_ms']:.2f}, "
                f"{f['again_mean_ms']:.2f})")
        return figures

    return asyncio.run(measure())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=100_000)
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--seekers", type=int, default=SEEKERS)
    parser.add_argument("--kinds", default=",".join(KINDS),
                        help="comma-separated kinds of request (default: all)")
    parser.add_argument("--data-dir", "--data", dest="data_dir", type=Path, default=None,
                        help="keep the data in this directory and use it again next time")
    parser.add_argument("--pg-name", default=None,
                        help="PostgreSQL database (default bench_web_100k, bench_web_1m, …)")
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--workers", type=int, default=None,
                        help="web processes (default: make run's WEB_WORKERS, one per core)")
    parser.add_argument("--cpu", action="store_true",
                        help="CPU time per request in this process instead of the load test")
    parser.add_argument("--requests", type=int, default=40,
                        help="timed requests per kind with --cpu")
    parser.add_argument("--prepare-only", action="store_true",
                        help="prepare (or check) the data directory and stop")
    parser.add_argument("--label", default="", help="a word for the table, e.g. before/after")
    parser.add_argument("--no-write", action="store_true", help="do not touch docs/benchmarks.md")
    args = parser.parse_args()
    if shutil.which("wrk") is None and not (args.cpu or args.prepare_only):
        sys.exit("wrk is missing: install it with `apt-get install wrk` (Debian package).")

    pg_name = args.pg_name or pg_default_name(args.postings)
    keep = args.data_dir is not None
    workdir = (args.data_dir or Path(tempfile.mkdtemp(prefix="pinqiao-bench-web-"))).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    marker = workdir / "ready.json"
    wanted = {"postings": args.postings, "backend": args.backend, "seekers": args.seekers,
              **({"database": pg_name} if args.backend == "postgres" else {})}
    reuse = marker.exists() and json.loads(marker.read_text()) == wanted
    use_storage(args.backend, workdir, pg_name, fresh=not reuse)
    import django
    from django.conf import settings

    settings.DEBUG = False  # DEBUG keeps every query in memory
    django.setup()

    def say(line: str) -> None:
        print(line, flush=True)

    processes: list[subprocess.Popen] = []
    commands = server_commands(args.port, args.workers)
    load_before = load_after = load_average()
    figures: dict[str, Any] = {}
    try:
        from django.core.management import call_command

        if reuse:
            say(f"reusing the data in {workdir} ({wanted})")
            call_command("migrate", verbosity=0)  # only what is new since it was prepared
            if demo_missing():
                say("the demo accounts are missing: completing the preparation …")
                say(f"{complete_data(args.seekers)} applications")
        else:
            marker.unlink(missing_ok=True)
            seed_data(args.postings, args.seekers, say)
            marker.write_text(json.dumps(wanted))
        catch_up(say)
        if args.prepare_only:
            return
        call_command("collectstatic", "--noinput", verbosity=0)  # as make run does each time
        cookies = sessions()
        wanted_kinds = [k for k in args.kinds.split(",") if k]
        if args.cpu:
            requests = plan(None, cookies)
            load_before = load_average()
            figures = cpu_per_request(requests, [k for k in wanted_kinds if k != "static"],
                                      args.requests, say)
            load_after = load_average()
            print(json.dumps({"postings": args.postings, "backend": args.backend,
                              "load": [load_before, load_after], "cpu": figures}))
            return
        from django.db import connections

        connections.close_all()
        env = {**os.environ}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        # All of wrk's load comes from one client: lift the per-client search API limit,
        # which would otherwise answer most of it with 429 (tested in pinqiao/search/tests).
        env["PINQIAO_SEARCH_API_RATE"] = str(10**9)
        say(f"starting {layout(commands)} …")
        processes = start_server(env, commands, args.port, workdir / "server.log")
        requests = plan(args.port, cookies)
        load_before = load_average()
        with contextlib.ExitStack() as stack:
            counted = (stack.enter_context(ServerConnections(pg_name))
                       if args.backend == "postgres" else None)
            for kind in wanted_kinds:
                paths, cookie = requests[kind]
                status, _body = fetch(args.port, paths[0], cookie)
                if status != 200:
                    raise RuntimeError(f"{kind}: {paths[0]} answered {status}, not 200")
                figures[kind] = run_wrk(args.port, paths, connections=args.connections,
                                        seconds=args.seconds, cookie=cookie, workdir=workdir,
                                        kind=kind)
                f = figures[kind]
                say(f"{kind:22} {f['rps']:8.1f} req/s  p50 {f['p50_ms']:7.1f} ms  "
                    f"p95 {f['p95_ms']:7.1f} ms  p99 {f['p99_ms']:7.1f} ms  errors {f['errors']}")
        if counted is not None:
            say(f"PostgreSQL connections to {pg_name} during the load: at most {counted.most}")
        load_after = load_average()
    finally:
        stop_server(processes)
        if not keep:
            drop_database(args.backend, pg_name=pg_name)
            shutil.rmtree(workdir, ignore_errors=True)
    if args.cpu or args.prepare_only:
        return
    report = {"date": date.today().isoformat(), "label": args.label or "-",
              "postings": args.postings, "backend": args.backend,
              "connections": args.connections, "seconds": args.seconds,
              "layout": layout(commands), "machine": machine(),
              "load_before": load_before, "load_after": load_after,
              "errors": sum(f["errors"] for f in figures.values()), "kinds": figures}
    if not args.no_write:
        write_rows(table_rows(report))
    print(json.dumps({key: report[key] for key in
                      ("postings", "backend", "connections", "errors", "kinds")},
                     ensure_ascii=False))


if __name__ == "__main__":
    main()
