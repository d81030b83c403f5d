"""Benchmark of the operations figures (issue 18, ANA-1, ANA-2): rollup of one day, a year's
backfill, and every dashboard request's p95.

Run from the repository root; on a shared machine pass the benchmark lock, taken only around
the timed steps (the data generation needs no quiet machine)::

    python bench/analytics.py --postings 1000000 --applications 2000000 \\
        --backend sqlite|postgres --lock /work/wt/bench.lock [--no-write]

Each run: a fresh database (SQLite in WAL mode in a temporary directory, or the PostgreSQL
database ``--pg-name`` on 127.0.0.1, dropped and created), ``migrate``, ``seed_postings``
(N postings of 40 cities, as ``make run`` loads), then raw rows written in bulk with one
``executemany`` per batch: a lifecycle event per posting (published, and expired or removed
where the posting is), spread over the last 365 days; seekers with a résumé each; A
applications (two per posting, a few hours after its publication); a hire event for one
application in a hundred. Then, timed:

* the rollup of the busiest day (``rollup_day``), three times: wall-clock and CPU seconds;
* the backfill of the whole year (``manage.py rollup --from … --to …``, progress bar on
  standard error), wall-clock;
* every dashboard request (pages, API, export, drill-down, live feed) as a signed-in operator
  past the second factor, in process through Django's test client (middleware, view,
  template, audit entry): p50 and p95 of ``--runs`` runs after two warm-up runs.

The figures, the data size, the machine and the load average before and after are written to
the "## Operations figures" section of ``docs/benchmarks.md`` (a row per backend).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from search import (  # noqa: E402 - bench/search.py: database, machine, load, percentiles
    analyse_database,
    drop_database,
    load_average,
    machine,
    percentile,
    prepare_database,
)

REPORT = ROOT / "docs" / "benchmarks.md"
SECTION = "## Operations figures"
SEED = 2026
DAYS = 365
BATCH = 10_000


class RowInsert:
    """``INSERT`` of dicts into a model's table with ``executemany``: the named columns, every
    other column its field's default (prepared once), as ``seed_postings`` does."""

    def __init__(self, model: Any, keys: list[str]) -> None:
        from django.db import connection

        quote = connection.ops.quote_name
        self.keys = keys
        columns, self.plan = [], []
        for f in model._meta.concrete_fields:
            if f.primary_key:
                continue
            columns.append(quote(f.column))
            if f.attname in keys:
                self.plan.append((f.attname, f))
            else:
                self.plan.append(("", f.get_db_prep_save(f.get_default(), connection)))
        self.sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(columns)}) "
                    f"VALUES ({', '.join(['%s'] * len(columns))})")

    def __call__(self, rows: list[dict[str, Any]]) -> int:
        from django.db import connection, transaction

        params = [tuple(f.get_db_prep_save(row[key], connection) if key else f
                        for key, f in self.plan) for row in rows]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(self.sql, params)
        return len(rows)


def _progress(label: str, done: int, total: int) -> None:
    sys.stderr.write(f"\r{label}: {done:,}/{total:,}")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def generate(*, postings: int, applications: int) -> dict[str, Any]:
    """The data set; returns counts and seconds per step."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from pinqiao.applications.models import Application, ApplicationEvent
    from pinqiao.jobs.models import Posting, PostingEvent
    from pinqiao.resumes.models import Resume
    from pinqiao.search.seeding import seed_postings

    out: dict[str, Any] = {}
    started = time.perf_counter()
    seed_postings(count=postings, seed=SEED,
                  progress=lambda d, t: _progress("postings", d, t))
    out["seed_s"] = time.perf_counter() - started

    now = timezone.now()
    rng = random.Random(SEED)
    started = time.perf_counter()
    insert = RowInsert(PostingEvent, ["posting_id", "from_status", "to_status", "at"])
    batch: list[dict[str, Any]] = []
    published: list[tuple[int, int, datetime]] = []  # posting, organisation, published at
    events = 0
    for pk, org, status in Posting.objects.order_by("pk").values_list(
            "pk", "organisation_id", "status").iterator(chunk_size=BATCH):
        at = now - timedelta(minutes=rng.randrange(DAYS * 1440))
        published.append((pk, org, at))
        batch.append({"posting_id": pk, "from_status": "pending_review",
                      "to_status": "published", "at": at})
        if status in ("expired", "removed"):
            batch.append({"posting_id": pk, "from_status": "published", "to_status": status,
                          "at": min(now, at + timedelta(days=rng.randint(1, 60)))})
        if len(batch) >= BATCH:
            events += insert(batch)
            batch = []
            _progress("posting events", len(published), postings)
    events += insert(batch) if batch else 0
    _progress("posting events", postings, postings)
    out.update(events=events, events_s=time.perf_counter() - started)

    started = time.perf_counter()
    user_model = get_user_model()
    seekers = max(1000, applications // 1000)
    user_model.objects.bulk_create([
        user_model(username=f"bench_seeker_{n}", role="seeker", display_name=f"求职者{n}",
                   email=f"seeker{n}@bench.example", is_active=False)
        for n in range(seekers)], batch_size=2000)
    owners = list(user_model.objects.filter(username__startswith="bench_seeker_")
                  .order_by("pk").values_list("pk", flat=True))
    Resume.objects.bulk_create([Resume(owner_id=pk) for pk in owners], batch_size=2000)
    resume_of = dict(Resume.objects.filter(owner_id__in=owners).values_list("owner_id", "pk"))
    insert = RowInsert(Application, ["seeker_id", "posting_id", "organisation_id", "resume_id",
                                     "stage", "created_at", "updated_at"])
    stages = ("new", "viewed", "shortlisted", "interview", "offer", "hired", "rejected",
              "withdrawn")
    weights = (30, 20, 10, 8, 3, 2, 22, 5)
    per_posting = max(1, applications // max(1, len(published)))
    done, batch = 0, []
    for index, (pk, org, at) in enumerate(published):
        for k in range(per_posting):
            if done + len(batch) >= applications:
                break
            seeker = owners[(index * per_posting + k) % len(owners)]
            created = min(now, at + timedelta(minutes=rng.randrange(72 * 60)))
            batch.append({"seeker_id": seeker, "posting_id": pk, "organisation_id": org,
                          "resume_id": resume_of[seeker],
                          "stage": rng.choices(stages, weights)[0],
                          "created_at": created, "updated_at": created})
        if len(batch) >= BATCH:
            done += insert(batch)
            batch = []
            _progress("applications", done, applications)
    done += insert(batch) if batch else 0
    _progress("applications", done, applications)
    hires = RowInsert(ApplicationEvent, ["application_id", "from_stage", "to_stage",
                                         "created_at"])
    hired = [{"application_id": pk, "from_stage": "offer", "to_stage": "hired",
              "created_at": min(now, created + timedelta(days=7))}
             for pk, created in Application.objects.filter(stage="hired").values_list(
                 "pk", "created_at").iterator(chunk_size=BATCH)]
    for start in range(0, len(hired), BATCH):
        hires(hired[start:start + BATCH])
    out.update(applications=done, seekers=seekers, hires=len(hired),
               applications_s=time.perf_counter() - started)
    return out


def time_rollup_day() -> dict[str, Any]:
    """``rollup_day`` of the day with the most applications, three times."""
    from django.db.models import Count
    from django.db.models.functions import TruncDate

    from pinqiao.analytics.rollup import rollup_day
    from pinqiao.applications.models import Application

    busiest = (Application.objects.annotate(day=TruncDate("created_at")).values("day")
               .annotate(n=Count("id")).order_by("-n").first())
    day: date = busiest["day"]
    walls, cpus, rows = [], [], 0
    for _run in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        rows = rollup_day(day).rows
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return {"day": day.isoformat(), "day_applications": busiest["n"], "day_rows": rows,
            "day_wall_s": sorted(walls)[1], "day_wall_max_s": max(walls),
            "day_cpu_s": sorted(cpus)[1]}


def time_backfill() -> dict[str, Any]:
    from django.core.management import call_command
    from django.utils import timezone

    from pinqiao.analytics.models import DailyFigure

    today = timezone.localdate()
    started = time.perf_counter()
    call_command("rollup", "--from", (today - timedelta(days=DAYS - 1)).isoformat(),
                 "--to", today.isoformat())
    return {"backfill_s": time.perf_counter() - started,
            "figure_rows": DailyFigure.objects.count()}


def time_requests(runs: int) -> list[dict[str, Any]]:
    """Every dashboard request as an operator past the second factor: p50/p95 ms."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user_model = get_user_model()
    operator = user_model.objects.create_user(username="bench_operator", role="operator",
                                              email="operator@bench.example",
                                              password="Pinqiao2026x")
    device = TOTPDevice.objects.create(user=operator, name="bench", confirmed=True)
    client = Client()
    client.force_login(operator)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()

    today = timezone.localdate()
    year = {"start": (today - timedelta(days=DAYS - 1)).isoformat(), "end": today.isoformat()}
    yesterday = (today - timedelta(days=1)).isoformat()
    gets = [
        ("dashboard, 30 days", "/staff/analytics/", {}),
        ("dashboard, a year", "/staff/analytics/", year),
        ("dashboard, a year, 广州", "/staff/analytics/", {**year, "city": "440100"}),
        ("dashboard, a year, 门类 I", "/staff/analytics/", {**year, "industry": "I"}),
        ("API all charts, a year", "/api/v1/analytics/charts", year),
        *((f"API {name}, a year", f"/api/v1/analytics/charts/{name}", year)
          for name in ("trend", "funnel", "city", "industry", "moderation", "categories",
                       "complaints")),
        ("drill-down, one day", "/staff/analytics/drilldown/",
         {"metric": "postings_published", "start": yesterday, "end": yesterday}),
        ("live feed", "/staff/analytics/live/feed.json", {}),
        ("live page", "/staff/analytics/live/", {}),
    ]
    results = []
    for label, path, params in gets:
        results.append(_timed(label, runs, lambda p=path, q=params: client.get(p, q)))
    results.append(_timed("export city XLSX, a year", runs, lambda: client.post(
        "/staff/analytics/export/", {"chart": "city", **year, "format": "xlsx",
                                     "reason": "基准测试导出"})))
    return results


def _timed(label: str, runs: int, request: Any) -> dict[str, Any]:
    """p50 and p95 wall-clock ms of ``runs`` requests after two warm-ups, and the p95 of the
    CPU time the process spent on each."""
    walls, cpus = [], []
    for n in range(runs + 2):
        wall, cpu = time.perf_counter(), time.process_time()
        response = request()
        elapsed, used = (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000
        assert response.status_code == 200, (label, response.status_code)
        if n >= 2:
            walls.append(elapsed)
            cpus.append(used)
    return {"request": label, "p50": percentile(walls, 0.5), "p95": percentile(walls, 0.95),
            "cpu95": percentile(cpus, 0.95)}


def _lock(path: str) -> Any:
    """An exclusive ``flock`` on ``path`` (waits for other benchmarks), or None."""
    if not path:
        return None
    import fcntl

    handle = open(path, "a")  # noqa: SIM115 - held until the timed steps end
    sys.stderr.write(f"waiting for {path}\n")
    fcntl.flock(handle, fcntl.LOCK_EX)
    return handle


def database_size(backend: str, path: str) -> str:
    from django.db import connection

    if backend == "sqlite":
        size = sum(p.stat().st_size for p in Path(path).parent.glob("pinqiao.sqlite3*"))
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            size = cursor.fetchone()[0]
    return f"{size / 2**30:.1f} GB" if size >= 2**30 else f"{size / 2**20:.0f} MB"


def write(row: str, *, backend: str) -> None:
    header = (f"{SECTION}\n\n"
              "`python bench/analytics.py --postings N --applications A --backend "
              "sqlite|postgres --lock /work/wt/bench.lock` (seed 2026; see the script's "
              "docstring for the data set). Wall-clock on a shared 2-core machine (up to 8 "
              "engineers' tests and servers): the load average before and after each run is "
              "given, and CPU seconds beside the wall-clock where they differ.\n\n"
              "| postings | applications | database | rollup of the busiest day (wall, CPU) "
              "| year's backfill | slowest dashboard p95 (wall; CPU) "
              "| every request p50 / p95 ms (CPU p95) "
              "| data | date | load before → after | machine |\n"
              "|---|---|---|---|---|---|---|---|---|---|---|\n")
    text = REPORT.read_text(encoding="utf-8")
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    found = pattern.search(text)
    rows = []
    if found:
        rows = [line for line in found.group(0).splitlines()
                if line.startswith("| ") and not line.startswith("| postings")
                and f"| {backend} |" not in line]
    section = header + "\n".join([*rows, row]) + "\n\n"
    text = pattern.sub(section, text) if found else text.rstrip() + "\n\n" + section
    REPORT.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=1_000_000)
    parser.add_argument("--applications", type=int, default=2_000_000)
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--pg-name", default="h18a_bench")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--lock", default="",
                        help="take this lock file (flock) only around the timed steps; the "
                             "data generation runs without it")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="pinqiao-bench-analytics-"))
    where = prepare_database(args.backend, workdir, pg_name=args.pg_name)
    import django
    from django.conf import settings

    # In process, without collectstatic: plain static names (the manifest lookup a deployment
    # does is a dictionary read).
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    django.setup()
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.AUDIT_CHECKPOINT_FILE = workdir / "checkpoints.jsonl"
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    data = generate(postings=args.postings, applications=args.applications)
    analyse_database()
    lock = _lock(args.lock)
    load_before = load_average()
    day = time_rollup_day()
    backfill = time_backfill()
    analyse_database()
    requests = time_requests(args.runs)
    load_after = load_average()
    if lock is not None:
        lock.close()
    size = database_size(args.backend, where)
    box = machine()

    slowest = max(requests, key=lambda r: r["p95"])
    every = "; ".join(f"{r['request']} {r['p50']:.0f} / {r['p95']:.0f} ({r['cpu95']:.0f})"
                      for r in requests)
    slowest_cpu = max(requests, key=lambda r: r["cpu95"])
    generated = (data["seed_s"] + data["events_s"] + data["applications_s"]) / 60
    row = (f"| {args.postings:,} | {data['applications']:,} | {args.backend} "
           f"| {day['day_wall_s']:.2f} s, {day['day_cpu_s']:.2f} s CPU "
           f"(max {day['day_wall_max_s']:.2f} s; {day['day_applications']:,} applications "
           f"that day) | {backfill['backfill_s'] / 60:.1f} min for {DAYS} days "
           f"({backfill['backfill_s'] / DAYS:.2f} s a day, {backfill['figure_rows']:,} rollup "
           f"rows) | {slowest['p95']:.0f} ms ({slowest['request']}); CPU "
           f"{slowest_cpu['cpu95']:.0f} ms ({slowest_cpu['request']}) | {every} "
           f"| {size}; {data['events']:,} posting events, {data['seekers']:,} seekers, "
           f"{data['hires']:,} hires; generated in {generated:.1f} min "
           f"| {date.today().isoformat()} | {load_before:.1f} → {load_after:.1f} "
           f"| {box['cpu']}, {box['cpus']} CPUs, {box['ram_gib']} GiB, "
           f"Python {box['python']} |")
    print(row)
    print({**data, **day, **backfill})
    drop_database(args.backend, pg_name=args.pg_name)
    if not args.no_write:
        write(row, backend=args.backend)


if __name__ == "__main__":
    main()
