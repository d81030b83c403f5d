"""Benchmark of concurrent writers over HTTP (SEC-3, RET-3; issue 11 finding 3).

Run from the repository root::

    python bench/writers.py --writers 50 --seconds 60 [--backend sqlite|postgres] [--write LABEL]
        [--data DIR] [--port 8120] [--pg-name NAME]

Starts the platform the way ``make run`` does (uvicorn serving the ASGI application, with the
``db_worker`` task worker beside it) on 127.0.0.1:8120, on a fresh database: SQLite in WAL mode
in a temporary directory, or a fresh PostgreSQL database ``h11b_bench_writers``. Demo data and
its 2,000 generated postings are loaded, then ``--writers`` clients write for ``--seconds``:
half are job seekers, each with an approved résumé and an API token, applying to published
postings one after another (``POST /api/v1/applications``); the other half are the demo
employer's recruiters creating a posting draft and submitting it for screening
(``POST /api/v1/my/jobs`` then ``POST /api/v1/my/jobs/{id}/submit``). Each client waits for its
answer before sending the next request (a closed loop, keep-alive connection).

A request fails when it does not end in 2xx: a 5xx, a 503 "busy" or a connection error. The
last line printed is one JSON object: ``writers``, ``requests``, ``errors``, ``p50_ms``,
``p95_ms``, ``p99_ms``, ``max_ms``, ``rps``, the status counts, and ``server_cpu_ms`` /
``worker_cpu_ms``: the CPU time the web process and the task worker spent per answered write.
``--data DIR`` keeps the prepared dataset in ``DIR`` (the SQLite database and the var
directory; on PostgreSQL a template database ``NAME_prepared_W``) and starts the next run with
the same ``--writers`` from a copy of it instead of preparing it again (a run writes into its
copy only). ``--write LABEL`` adds the row to the table of the "## Concurrent writers" section of
``docs/benchmarks.md``.

Wall-clock latency depends on what else the machine runs; ``bench/writers_cpu.py`` measures
the CPU time of the same two writes, which does not.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REPORT = ROOT / "docs" / "benchmarks.md"
SECTION = "## Concurrent writers"
HOST = "127.0.0.1"
PORT = 8120
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_NAME = "h11b_bench_writers"  # --pg-name
PYTHON = sys.executable


# --- preparing the database (in this process) -----------------------------------------------

def _pg(statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(statement)


def environment(backend: str, workdir: Path, template: str = "") -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "PINQIAO_VAR_DIR": str(workdir),
        "PINQIAO_SEARCH_INDEX_DIR": str(workdir / "search"),
        "DJANGO_SETTINGS_MODULE": "pinqiao.settings.dev",
        "PINQIAO_LOG_LEVEL": "WARNING",
    })
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    if backend == "postgres":
        _pg(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')
        _pg(f'CREATE DATABASE "{PG_NAME}"' + (f' TEMPLATE "{template}"' if template else ""))
        env["DATABASE_URL"] = f"{PG_SERVER}/{PG_NAME}"
    return env


def drop_database(backend: str) -> None:
    if backend == "postgres":
        _pg(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')


def prepared(backend: str, data: str, writers: int, workdir: Path) -> tuple[dict[str, str],
                                                                          dict[str, Any]]:
    """The environment and the writers' context: prepared afresh, or (``--data``) copied from
    the dataset kept by an earlier run with as many writers, which is kept on first use."""
    kept = Path(data) / f"{backend}-{writers}" if data else None
    template = f"{PG_NAME}_prepared_{writers}"
    if kept is not None and (kept / "ctx.json").exists():
        shutil.rmtree(workdir)
        shutil.copytree(kept, workdir, symlinks=True)  # the index's `current` link
        print(f"starting from the dataset kept in {kept}", file=sys.stderr)
        env = environment(backend, workdir, template if backend == "postgres" else "")
        return env, json.loads((workdir / "ctx.json").read_text())
    print(f"preparing {backend} in {workdir} …", file=sys.stderr)
    env = environment(backend, workdir)
    ctx = prepare(env, writers)
    if kept is not None:
        (workdir / "ctx.json").write_text(json.dumps(ctx))
        if backend == "postgres":
            _pg(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
            _pg(f'CREATE DATABASE "{template}" TEMPLATE "{PG_NAME}"')
        shutil.rmtree(kept, ignore_errors=True)
        shutil.copytree(workdir, kept, symlinks=True)
    return env, ctx


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


SETUP = r"""
import json, sys
import django
django.setup()
from pinqiao.accounts.identity import encrypt_phone, phone_index
from pinqiao.accounts.models import User
from pinqiao.accounts.services import api_token_issue
from pinqiao.core.permissions import Role
from pinqiao.disclosure.services import legal_accept_current
from pinqiao.jobs.models import Posting, PostingStatus
from pinqiao.orgs.selectors import organisations_for_user
from pinqiao.resumes.testing import approved_resume

seekers, recruiters = int(sys.argv[1]), int(sys.argv[2])
out = {"seekers": [], "recruiters": []}
for n in range(seekers):
    phone = f"1371{n:07d}"
    user = User.objects.create_user(
        username=f"bench_seeker_{n}", password="Pinqiao2026", role=Role.SEEKER,
        display_name=f"压测求职者{n}", phone_ciphertext=encrypt_phone(phone),
        phone_index=phone_index(phone))
    legal_accept_current(user=user)
    approved_resume(user)
    out["seekers"].append(api_token_issue(user=user, name="bench"))
employer = User.objects.get(username="demo_employer")
organisation = organisations_for_user(user=employer).filter(status="verified").first()
for n in range(recruiters):
    out["recruiters"].append(api_token_issue(user=employer, name=f"bench{n}"))
out["organisation_id"] = organisation.pk
out["postings"] = list(Posting.objects.filter(status=PostingStatus.PUBLISHED,
                                              screening_questions__isnull=True)
                       .order_by("pk").values_list("pk", flat=True))
print(json.dumps(out))
"""


def prepare(env: dict[str, str], writers: int) -> dict[str, Any]:
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    seekers = (writers + 1) // 2
    done = subprocess.run([PYTHON, "-c", SETUP, str(seekers), str(writers - seekers)], cwd=ROOT,
                          env=env, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the server ------------------------------------------------------------------------------

def start_server(env: dict[str, str], workdir: Path, port: int) -> list[subprocess.Popen]:
    """uvicorn and the task worker, as ``make run`` starts them; their output goes to files."""
    log = (workdir / "server.log").open("w")
    worker = subprocess.Popen([PYTHON, "manage.py", "db_worker"], cwd=ROOT, env=env,
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "uvicorn"), "pinqiao.asgi:application", "--host", HOST,
         "--port", str(port), "--no-access-log"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/api/v1/openapi.json")
            if conn.getresponse().status == 200:
                return [server, worker]
        except OSError:
            time.sleep(0.5)
    stop([server, worker])
    raise SystemExit("the server did not start; see " + str(workdir / "server.log"))


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


# --- the writers -----------------------------------------------------------------------------

class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.statuses: Counter[str] = Counter()
        self.samples: list[str] = []

    def add(self, started: float, status: str, body: bytes = b"") -> None:
        elapsed = (time.perf_counter() - started) * 1000
        with self.lock:
            self.latencies.append(elapsed)
            self.statuses[status] += 1
            if not status.startswith("2") and len(self.samples) < 5:
                self.samples.append(f"{status}: {body[:200]!r}")


def posting_payload(organisation_id: int, writer: int, n: int) -> dict[str, Any]:
    trades = ["仓库管理员", "数据分析师", "前台接待", "销售代表", "机修技工", "平面设计师",
              "客服专员", "财务助理", "厨师", "司机"]
    return {
        "organisation_id": organisation_id,
        "title": f"{trades[(writer + n) % len(trades)]}（{writer}-{n}号岗）",
        "headcount": 1 + n % 5, "employment_type": "full_time",
        "requirements": f"大专及以上学历，{1 + n % 3}年以上相关经验，编号{writer}-{n}。",
        "work_content": f"负责第{writer}组第{n}项业务的日常工作，配合团队完成月度目标。",
        "working_hours": "做五休二，9:00-18:00", "social_insurance": "入职缴纳五险一金",
        "housing": "提供员工宿舍", "division_code": "440106", "address": f"天河路{100 + n}号",
        "pay_min": str(6000 + 100 * (n % 20)), "pay_max": str(9000 + 100 * (n % 20)),
        "pay_unit": "month", "education": "high_school", "experience": "1_3",
        "job_function": "warehouse_keeper", "industry": "software",
        "valid_until": (date.today() + timedelta(days=30)).isoformat(),
    }


def writer_loop(kind: str, token: str, index: int, stop_at: float, ctx: dict[str, Any],
                recorder: Recorder, port: int) -> None:
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    postings: list[int] = ctx["postings"]
    n = 0

    def call(method: str, path: str, body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        nonlocal conn
        started = time.perf_counter()
        try:
            conn.request(method, path, body=json.dumps(body), headers=headers)
            response = conn.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException) as exc:
            recorder.add(started, f"connection:{type(exc).__name__}")
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=60)
            return "error", {}
        recorder.add(started, str(response.status), raw)
        try:
            return str(response.status), json.loads(raw or b"{}")
        except ValueError:
            return str(response.status), {}

    while time.monotonic() < stop_at:
        if kind == "seeker":
            posting_id = postings[(index * 997 + n) % len(postings)]
            call("POST", "/api/v1/applications",
                 {"posting_id": posting_id, "consent_resume": True, "consent_contact": False})
        else:
            status, body = call("POST", "/api/v1/my/jobs",
                                posting_payload(ctx["organisation_id"], index, n))
            if status == "201" and time.monotonic() < stop_at:
                call("POST", f"/api/v1/my/jobs/{body['id']}/submit", {})
        n += 1
    conn.close()


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def drive(ctx: dict[str, Any], writers: int, seconds: float, port: int) -> dict[str, Any]:
    recorder = Recorder()
    stop_at = time.monotonic() + seconds
    threads = []
    for i in range(writers):
        kind = "seeker" if i % 2 == 0 else "recruiter"
        tokens = ctx["seekers"] if kind == "seeker" else ctx["recruiters"]
        threads.append(threading.Thread(target=writer_loop, daemon=True, args=(
            kind, tokens[i // 2], i, stop_at, ctx, recorder, port)))
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    ok = sum(c for s, c in recorder.statuses.items() if s.startswith("2"))
    total = sum(recorder.statuses.values())
    return {
        "writers": writers, "seconds": round(elapsed, 1), "requests": total,
        "errors": total - ok, "rps": round(total / elapsed, 1),
        "p50_ms": round(percentile(recorder.latencies, 0.50), 1),
        "p95_ms": round(percentile(recorder.latencies, 0.95), 1),
        "p99_ms": round(percentile(recorder.latencies, 0.99), 1),
        "max_ms": round(max(recorder.latencies, default=0.0), 1),
        "statuses": dict(sorted(recorder.statuses.items())),
        "error_samples": recorder.samples,
    }


# --- reporting -------------------------------------------------------------------------------

def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of process ``pid`` and its finished children so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def load_average() -> float:
    try:
        return round(os.getloadavg()[0], 1)
    except OSError:
        return 0.0


HEADER = ("| date | backend | code | writers | requests | errors | req/s | p50 ms | p95 ms "
          "| p99 ms | max ms | load before → after |\n"
          "|---|---|---|---|---|---|---|---|---|---|---|---|")


def write_report(result: dict[str, Any], label: str) -> None:
    """Add the row to the table of the "Concurrent writers" section (the section's text and
    earlier rows stay as they are)."""
    backend = {"sqlite": "SQLite", "postgres": "PostgreSQL"}[result["backend"]]
    row = (f"| {date.today():%Y-%m-%d} | {backend} | {label} | {result['writers']} "
           f"| {result['requests']:,} | {result['errors']} | {result['rps']} "
           f"| {result['p50_ms']:,.0f} | {result['p95_ms']:,.0f} | {result['p99_ms']:,.0f} "
           f"| {result['max_ms']:,.0f} | {result['load_before']} → {result['load_after']} |")
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    found = pattern.search(text)
    if found is None:
        text = text.rstrip() + f"\n\n{SECTION}\n\n{HEADER}\n{row}\n"
    else:
        section = found.group(0)
        if HEADER in section:
            lines = section.splitlines()
            end = lines.index(HEADER.splitlines()[1]) + 1
            while end < len(lines) and lines[end].startswith("|"):
                end += 1
            lines.insert(end, row)
            section = "\n".join(lines) + "\n"
        else:
            section = section.rstrip() + f"\n\n{HEADER}\n{row}\n\n"
        text = text[:found.start()] + section + text[found.end():]
    REPORT.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--write", metavar="LABEL", default="",
                        help="record the row in benchmarks.md, LABEL in its code column")
    parser.add_argument("--data", default="", metavar="DIR",
                        help="keep the prepared dataset in DIR and start from a copy next time")
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--pg-name", default="h11b_bench_writers", metavar="NAME",
                        help="the PostgreSQL database to create (and drop) for the run")
    args = parser.parse_args()
    global PG_NAME
    PG_NAME = args.pg_name

    workdir = Path(tempfile.mkdtemp(prefix="pinqiao-writers-"))
    processes: list[subprocess.Popen] = []
    try:
        env, ctx = prepared(args.backend, args.data, args.writers, workdir)
        processes = start_server(env, workdir, args.port)
        load_before = load_average()
        cpu_before = [cpu_seconds(p.pid) for p in processes]
        print(f"{args.writers} writers for {args.seconds:g} s …", file=sys.stderr)
        result = drive(ctx, args.writers, args.seconds, args.port)
        cpu = [cpu_seconds(p.pid) - before for p, before in zip(processes, cpu_before, strict=True)]
        ok = result["requests"] - result["errors"]
        result.update(backend=args.backend, load_before=load_before, load_after=load_average(),
                      # CPU time per answered write (2xx) of the web process, and of the task
                      # worker beside it: what one core can serve, whatever else the machine
                      # was doing (a 503 from the bounded queue costs next to nothing).
                      server_cpu_ms=round(1000 * cpu[0] / max(ok, 1), 1),
                      worker_cpu_ms=round(1000 * cpu[1] / max(ok, 1), 1))
        if result["errors"]:
            log = (workdir / "server.log").read_text(errors="replace").splitlines()
            print("\n".join(log[-40:]), file=sys.stderr)
    finally:
        stop(processes)
        drop_database(args.backend)
        shutil.rmtree(workdir, ignore_errors=True)
    if args.write:
        write_report(result, args.write)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
