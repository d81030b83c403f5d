"""Benchmark of the operations figures (issue 18, ANA-1, ANA-2): rollup of one day, a year's
backfill, and every dashboard request's p95.

Run from the repository root; on a shared machine pass the benchmark lock, taken only around
the timed steps (the data generation needs no quiet machine)::

    python bench/analytics.py --backend sqlite|postgres [--data-dir var/bench-analytics] \
        [--pg-name bench_analytics_1m] --lock /work/wt/bench.lock [--no-write]

The data set (1,000,000 postings and 2,000,000 applications by default, seed 2026) is made
once and kept: ``<data-dir>/<backend>/`` holds the SQLite file, the field key and
``dataset.json``; on PostgreSQL the database ``--pg-name`` is created when missing and never
dropped. A second run finds ``dataset.json`` (and as many generated postings in the database)
and skips the generation; ``--generate-only`` makes the data set and times nothing.

Generation writes rows with ids assigned here (nothing is read back), ``COPY … FROM STDIN``
on PostgreSQL and one ``executemany`` per 50,000 rows on SQLite: an organisation per 200
postings across the 40 cities of ``seed_postings`` (weighted as there) and every GB/T 4754
sub-industry; each posting published at a random minute of the last 365 days with its
``published`` event, expired when its validity (30–90 days) has passed (with the ``expired``
event), 3 % removed (with a ``removed`` event); a seeker with a résumé per hundred
applications; two applications per posting within 72 hours of its publication, at a stage
drawn with fixed weights; a ``hired`` event for the 2 % hired. Then, once per data set and
recorded as ``activity`` in ``dataset.json`` (so a data set kept from before gets it without
being regenerated): interviews, offers, conversations and complaints (``add_activity``).
Then, timed:

* the rollup of the busiest day (``rollup_day``), three times: wall-clock and CPU seconds;
  and ``rollup_hours`` (today's hours so far);
* the backfill of the whole year (``manage.py rollup --from … --to …``, progress bar on
  standard error; each day also recomputes its month's ``MonthlyFigure`` rows), wall-clock;
* every dashboard request (pages, API, export, drill-down, today's hours, live feed) as a
  signed-in operator past the second factor, in process through Django's test client
  (middleware, view, template, audit entry): p50 and p95 of ``--runs`` runs after two
  warm-up runs, and the p95 of the CPU time per request (the process's, plus on PostgreSQL
  its server backend's from ``/proc/<pid>/schedstat``); the year-long pages and the
  all-charts API again with the cache emptied before each request (``(cold)``: the first
  request after a rollup).

The figures, the data size, the machine and the load average before and after are written to
the "## Operations figures" section of ``docs/benchmarks.md`` (a row per backend).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from search import (  # noqa: E402 - bench/search.py: database, machine, load, percentiles
    PG_SERVER,
    analyse_database,
    load_average,
    machine,
    percentile,
)

REPORT = ROOT / "docs" / "benchmarks.md"
SECTION = "## Operations figures"
SEED = 2026
DAYS = 365
BATCH = 50_000


class Loader:
    """Bulk ``INSERT`` into one model's table: ``COPY … FROM STDIN`` on PostgreSQL, one
    ``executemany`` per batch on SQLite. Rows are tuples in the order of ``keys`` (``id``
    included: the ids are assigned here, so nothing is read back); every other column takes
    its field's default, prepared once."""

    def __init__(self, model: Any, keys: list[str]) -> None:
        from django.db import connection

        self.model, self.keys = model, keys
        self.postgres = connection.vendor == "postgresql"
        quote = connection.ops.quote_name
        fields = [f for f in model._meta.concrete_fields
                  if f.attname in keys or not f.primary_key]
        self.columns = [quote(f.column) for f in fields]
        position = {key: n for n, key in enumerate(keys)}
        self.plan: list[tuple[int, Any]] = []  # (index into the row, or -1 with a constant)
        self.datetimes = {position[f.attname] for f in fields
                          if f.attname in position and f.get_internal_type() == "DateTimeField"}
        for f in fields:
            if f.attname in position:
                self.plan.append((position[f.attname], None))
            else:
                default = f.get_default()
                if f.get_internal_type() == "JSONField":
                    default = json.dumps(default)
                elif not self.postgres:
                    default = f.get_db_prep_save(default, connection)
                self.plan.append((-1, default))
        self.table = quote(model._meta.db_table)
        self.sql = (f"INSERT INTO {self.table} ({', '.join(self.columns)}) "
                    f"VALUES ({', '.join(['%s'] * len(self.columns))})")

    def __call__(self, rows: list[tuple]) -> int:
        from django.db import connection, transaction

        if not rows:
            return 0
        plan = self.plan
        if not self.postgres:  # SQLite stores naive UTC text, as Django's adapter writes it
            rows = [tuple(_utc_text(v) if n in self.datetimes and v is not None else v
                          for n, v in enumerate(row)) for row in rows]
        full = [tuple(row[i] if i >= 0 else const for i, const in plan) for row in rows]
        with transaction.atomic(), connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(
                        f"COPY {self.table} ({', '.join(self.columns)}) FROM STDIN") as copy:
                    for row in full:
                        copy.write_row(row)
            else:
                cursor.executemany(self.sql, full)
        return len(rows)



def reset_sequences() -> None:
    """Move PostgreSQL's id sequences past the ids assigned here (a later ``create`` would
    collide otherwise); nothing to do on SQLite."""
    from django.contrib.auth import get_user_model
    from django.core.management.color import no_style
    from django.db import connection

    from pinqiao.applications.models import Application, ApplicationEvent, Offer
    from pinqiao.interviews.models import Interview
    from pinqiao.jobs.models import Posting, PostingEvent
    from pinqiao.messaging.models import Conversation
    from pinqiao.orgs.models import Organisation
    from pinqiao.resumes.models import Resume
    from pinqiao.tickets.models import Case

    models = [get_user_model(), Organisation, Posting, PostingEvent, Resume, Application,
              ApplicationEvent, Interview, Offer, Conversation, Case]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


def _utc_text(value: datetime) -> str:
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")


def _progress(label: str, done: int, total: int) -> None:
    sys.stderr.write(f"\r{label}: {done:,}/{total:,}")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def _places() -> tuple[list[tuple[str, ...]], list[int], list[str]]:
    """The 40 cities of ``seed_postings`` (their districts and weights) and every
    sub-industry of the 20 GB/T 4754 门类."""
    from pinqiao.reference import divisions, taxonomy
    from pinqiao.search.seeding import CITIES

    districts = [tuple(d.code for d in divisions.children(code)) or (code,)
                 for code, _weight, _pay in CITIES]
    weights = [weight for _code, weight, _pay in CITIES]
    industries = [child.code for top in taxonomy.industries()
                  for child in (taxonomy.industry_children(top.code) or [top])]
    return districts, weights, industries


def generate(*, postings: int, applications: int) -> dict[str, Any]:
    """The data set (see the docstring); returns counts and seconds per step."""
    from django.contrib.auth import get_user_model
    from django.db.models import Max
    from django.utils import timezone

    from pinqiao.applications.models import Application, ApplicationEvent
    from pinqiao.jobs.models import Posting, PostingEvent
    from pinqiao.orgs.models import Organisation
    from pinqiao.reference import taxonomy
    from pinqiao.reference.validators import make_uscc
    from pinqiao.resumes.models import Resume

    began = time.perf_counter()
    rng = random.Random(SEED)
    now = timezone.now()
    today = timezone.localdate()
    districts, city_weights, industries = _places()
    functions = [f.slug for f in taxonomy.job_functions()]
    user_model = get_user_model()
    recruiter, _created = user_model.objects.get_or_create(
        username="bench_recruiter", defaults={"role": "recruiter", "is_active": False,
                                              "display_name": "基准招聘者"})
    orgs = max(50, postings // 200)
    first_org = (Organisation.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    org_city, org_rows = [], []
    for n in range(orgs):
        city = rng.choices(range(len(districts)), city_weights)[0]
        org_city.append(city)
        org_rows.append(Organisation(
            id=first_org + n, name=f"基准测试单位{n:06d}有限公司",
            credit_code=make_uscc(f"91{districts[city][0][:4]}00{n:09d}"), kind="employer",
            status="verified", industry=rng.choice(industries), address="基准路 1 号",
            contact_name="人事部", created_by=recruiter, created_at=now, verified_at=now,
            pledge_signed_at=now))
    Organisation.objects.bulk_create(org_rows, batch_size=5000)
    org_industry = [o.industry for o in org_rows]

    first_posting = (Posting.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    first_event = (PostingEvent.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    posting_load = Loader(Posting, ["id", "organisation_id", "title", "headcount",
                                    "division_code", "pay_min", "pay_max", "pay_unit",
                                    "job_function", "industry", "valid_until", "status",
                                    "created_by_id", "created_at", "updated_at",
                                    "submitted_at", "published_at"])
    event_load = Loader(PostingEvent, ["id", "posting_id", "from_status", "to_status",
                                       "reason_code", "at"])
    published: list[tuple[int, datetime]] = []  # (organisation, published at) per posting
    batch, events = [], []
    event_id = first_event
    for n in range(postings):
        org = rng.randrange(orgs)
        city = org_city[org] if rng.random() < 0.8 else rng.choices(
            range(len(districts)), city_weights)[0]
        at = now - timedelta(minutes=rng.randrange(DAYS * 1440))
        valid_until = at.date() + timedelta(days=rng.choice((30, 45, 60, 90)))
        status = "expired" if valid_until < today else (
            "removed" if rng.random() < 0.03 else "published")
        pay = rng.randrange(4, 40) * 500
        pk = first_posting + n
        batch.append((pk, first_org + org, f"基准职位{n}", rng.randint(1, 20),
                      rng.choice(districts[city]), pay, pay + 2000, "month",
                      rng.choice(functions),
                      org_industry[org] if rng.random() < 0.7 else rng.choice(industries),
                      valid_until.isoformat(), status, recruiter.pk, at, at, at, at))
        events.append((event_id, pk, "pending_review", "published", "", at))
        event_id += 1
        if status != "published":
            ended = min(now, at + timedelta(days=rng.randint(1, 20)) if status == "removed"
                        else datetime.combine(valid_until + timedelta(days=1), datetime.min.time(),
                                              tzinfo=at.tzinfo))
            events.append((event_id, pk, "published", status,
                           "violation" if status == "removed" else "", ended))
            event_id += 1
        published.append((first_org + org, at))
        if len(batch) >= BATCH:
            posting_load(batch)
            event_load(events)
            batch, events = [], []
            _progress("postings", n + 1, postings)
    posting_load(batch)
    event_load(events)
    _progress("postings", postings, postings)

    seekers = max(1000, applications // 100)
    first_user = (user_model.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    user_model.objects.bulk_create([
        user_model(id=first_user + n, username=f"bench_seeker_{n}", role="seeker",
                   display_name=f"求职者{n}", is_active=False) for n in range(seekers)],
        batch_size=5000)
    first_resume = (Resume.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    Resume.objects.bulk_create([Resume(id=first_resume + n, owner_id=first_user + n)
                                for n in range(seekers)], batch_size=5000)
    first_application = (Application.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    first_hire = (ApplicationEvent.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    application_load = Loader(Application, ["id", "seeker_id", "posting_id", "organisation_id",
                                            "resume_id", "stage", "created_at", "updated_at"])
    hire_load = Loader(ApplicationEvent, ["id", "application_id", "from_stage", "to_stage",
                                          "created_at"])
    stages = ("new", "viewed", "shortlisted", "interview", "offer", "hired", "rejected",
              "withdrawn")
    weights = (30, 20, 10, 8, 3, 2, 22, 5)
    per_posting = max(1, -(-applications // max(1, postings)))
    done, hires, batch, hired = 0, 0, [], []
    for index, (org, at) in enumerate(published):
        for k in range(per_posting):
            if done >= applications:
                break
            seeker = (index * per_posting + k) % seekers
            created = min(now, at + timedelta(minutes=rng.randrange(72 * 60)))
            stage = rng.choices(stages, weights)[0]
            pk = first_application + done
            batch.append((pk, first_user + seeker, first_posting + index, org,
                          first_resume + seeker, stage, created, created))
            if stage == "hired":
                hired.append((first_hire + hires, pk, "offer", "hired",
                              min(now, created + timedelta(days=7))))
                hires += 1
            done += 1
        if len(batch) >= BATCH:
            application_load(batch)
            hire_load(hired)
            batch, hired = [], []
            _progress("applications", done, applications)
    application_load(batch)
    hire_load(hired)
    _progress("applications", done, applications)
    reset_sequences()
    return {"postings": postings, "events": event_id - first_event, "applications": done,
            "seekers": seekers, "organisations": orgs, "hires": hires,
            "generated_s": round(time.perf_counter() - began, 1),
            "generated_on": today.isoformat()}


def add_activity() -> dict[str, Any]:
    """What happens after an application, added to a data set already made (additive: run
    once per data set, recorded in ``dataset.json`` as ``activity``): an interview for every
    application that reached the interview stage or beyond (1–5 days after it), an offer for
    those at ``offer`` or ``hired`` (1–3 days after the interview, accepted when hired), a
    conversation about the posting for one application in ten (within a day), and a complaint
    or report about the posting for one in a hundred (within ten days; nineteen in twenty
    handled, 1–12 days after receipt, so some miss the 7-working-day deadline). Ids are
    assigned here; one pass over the applications by id in one transaction (an interrupted
    run leaves nothing behind); seeded, so two runs on the same data set add the same rows."""
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.db.models import Max
    from django.utils import timezone

    from pinqiao.applications.models import Application, Offer
    from pinqiao.interviews.models import Interview
    from pinqiao.jobs.models import Posting
    from pinqiao.messaging.models import Conversation
    from pinqiao.moderation.models import ReportReason
    from pinqiao.tickets.clock import clock_for
    from pinqiao.tickets.models import Case

    began = time.perf_counter()
    rng = random.Random(SEED + 1)
    now = timezone.now()
    recruiter = get_user_model().objects.get(username="bench_recruiter").pk
    posting_type = ContentType.objects.get_for_model(Posting).pk
    reasons = list(ReportReason.values)
    models = {"interview": Interview, "offer": Offer, "conversation": Conversation,
              "case": Case}
    loads = {
        "interview": Loader(Interview, ["id", "uid", "application_id", "organiser_id", "mode",
                                        "status", "starts_at", "created_at", "updated_at"]),
        "offer": Loader(Offer, ["id", "application_id", "position", "pay_amount", "pay_unit",
                                "start_date", "reply_by", "status", "created_by_id",
                                "created_at", "responded_at"]),
        "conversation": Loader(Conversation, ["id", "seeker_id", "organisation_id",
                                              "posting_id", "started_by_id", "started_side",
                                              "created_at"]),
        "case": Loader(Case, ["id", "reference", "kind", "reason_code", "complainant_id",
                              "content", "content_type_id", "object_id", "target_label",
                              "organisation_id", "dedupe_key", "received_at", "escalate_on",
                              "deadline", "status", "resolved_at", "closed_at"]),
    }
    ids = {name: (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1
           for name, model in models.items()}
    counts = dict.fromkeys(loads, 0)
    rows: dict[str, list[tuple]] = {name: [] for name in loads}

    def add(name: str, *row: Any) -> None:
        rows[name].append((ids[name], *row))
        ids[name] += 1
        counts[name] += 1

    def after(pk: int, seeker: int, posting: int, org: int, stage: str,
              created: datetime) -> None:
        if stage in ("interview", "offer", "hired"):
            invited = min(now, created + timedelta(days=rng.randint(1, 5)))
            starts = invited + timedelta(days=2)
            add("interview", uuid.UUID(int=rng.getrandbits(128), version=4).hex, pk, recruiter,
                rng.choice(("onsite", "video", "phone")),
                "completed" if starts < now else "booked", starts, invited, invited)
            if stage != "interview":
                offered = min(now, invited + timedelta(days=rng.randint(1, 3)))
                hired = stage == "hired"
                add("offer", pk, "基准岗位", Decimal("8000.00"), "month",
                    (offered.date() + timedelta(days=14)).isoformat(),
                    (offered.date() + timedelta(days=7)).isoformat(),
                    "accepted" if hired else "sent", recruiter, offered,
                    offered if hired else None)
        if pk % 10 == 0:
            add("conversation", seeker, org, posting, seeker, "seeker",
                min(now, created + timedelta(minutes=rng.randrange(1440))))
        if rng.random() < 0.01:
            received = min(now, created + timedelta(minutes=rng.randrange(10 * 1440)))
            clock = clock_for(received)
            handled = received + timedelta(days=rng.randint(1, 12), hours=rng.randrange(24))
            done = handled < now and rng.random() < 0.95
            add("case", f"JZ{ids['case']:010d}",
                "complaint" if rng.random() < 0.8 else "report", rng.choice(reasons), seeker,
                "基准测试投诉内容", posting_type, str(posting), f"基准职位 #{posting}", org,
                f"bench-case-{ids['case']}", received, clock.escalate_on.isoformat(),
                clock.deadline.isoformat(), "resolved" if done else "received",
                handled if done else None, handled if done else None)

    def flush() -> None:
        for name, load in loads.items():
            load(rows[name])
            rows[name] = []

    total = Application.objects.count()
    applications = Application.objects.order_by("id").values_list(
        "id", "seeker_id", "posting_id", "organisation_id", "stage", "created_at")
    with transaction.atomic():
        for n, application in enumerate(applications.iterator(chunk_size=BATCH), start=1):
            after(*application)
            if n % BATCH == 0:
                flush()
                _progress("activity", n, total)
        flush()
    _progress("activity", total, total)
    reset_sequences()
    return {"interviews": counts["interview"], "offers": counts["offer"],
            "conversations": counts["conversation"], "cases": counts["case"],
            "added_s": round(time.perf_counter() - began, 1), "added_on": now.date().isoformat()}


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


def time_rollup_hours() -> dict[str, Any]:
    """``rollup_hours``: every hour of today so far, as the periodic task does."""
    from pinqiao.analytics.rollup import rollup_hours

    wall, cpu = time.perf_counter(), time.process_time()
    rows = rollup_hours()
    return {"hours_wall_s": time.perf_counter() - wall, "hours_cpu_s": time.process_time() - cpu,
            "hour_rows": rows}


def time_backfill() -> dict[str, Any]:
    from django.core.management import call_command
    from django.utils import timezone

    today = timezone.localdate()
    started = time.perf_counter()
    call_command("rollup", "--from", (today - timedelta(days=DAYS - 1)).isoformat(),
                 "--to", today.isoformat())
    return {"backfill_s": time.perf_counter() - started, **rollup_rows()}


def rollup_rows() -> dict[str, int]:
    from pinqiao.analytics.models import DailyFigure, MonthlyFigure

    return {"figure_rows": DailyFigure.objects.count(),
            "month_rows": MonthlyFigure.objects.count()}


def time_requests(runs: int) -> list[dict[str, Any]]:
    """Every dashboard request as an operator past the second factor: p50/p95 ms."""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import Client
    from django.utils import timezone
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user_model = get_user_model()
    operator = user_model.objects.filter(username="bench_operator").first() or \
        user_model.objects.create_user(username="bench_operator", role="operator",
                                       email="operator@bench.example", password="Pinqiao2026x")
    device = TOTPDevice.objects.filter(user=operator).first() or TOTPDevice.objects.create(
        user=operator, name="bench", confirmed=True)
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
        ("API today (hourly)", "/api/v1/analytics/charts/today", {}),
        ("live feed", "/staff/analytics/live/feed.json", {}),
        ("live page", "/staff/analytics/live/", {}),
    ]
    results = []
    for label, path, params in gets:
        results.append(_timed(label, runs, lambda p=path, q=params: client.get(p, q)))
    # The same year-long requests with an empty cache: the first request after a rollup.
    for label, path, params in gets[1:5]:
        results.append(_timed(f"{label} (cold)", runs, lambda p=path, q=params: client.get(p, q),
                              before=cache.clear))
    results.append(_timed("export city XLSX, a year", runs, lambda: client.post(
        "/staff/analytics/export/", {"chart": "city", **year, "format": "xlsx",
                                     "reason": "基准测试导出"})))
    return results


def _server_ms() -> float:
    """CPU milliseconds the PostgreSQL backend serving this process has used so far, read from
    ``/proc/<pid>/schedstat`` (the server runs on this machine; the test client keeps one
    connection for every request); 0 on SQLite (its work is in the process's own CPU time)
    or when the server's processes are not visible."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    connection.ensure_connection()
    try:
        with open(f"/proc/{connection.connection.info.backend_pid}/schedstat") as stat:
            return int(stat.read().split()[0]) / 1e6
    except OSError:
        return 0.0


def _timed(label: str, runs: int, request: Any, before: Any = None) -> dict[str, Any]:
    """p50 and p95 wall-clock ms of ``runs`` requests after two warm-ups, and the p95 of the
    CPU time spent on each: this process's, plus on PostgreSQL its server backend's (the
    figures that hardly depend on the machine's load); ``before`` runs untimed ahead of each
    request."""
    walls, cpus = [], []
    for n in range(runs + 2):
        if before is not None:
            before()
        server = _server_ms()
        wall, cpu = time.perf_counter(), time.process_time()
        response = request()
        elapsed, used = (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000
        used += _server_ms() - server
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


def database_size(backend: str, home: Path) -> str:
    from django.db import connection

    if backend == "sqlite":
        size = sum(p.stat().st_size for p in home.glob("pinqiao.sqlite3*"))
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            size = cursor.fetchone()[0]
    return f"{size / 2**30:.1f} GB" if size >= 2**30 else f"{size / 2**20:.0f} MB"


def write(row: str, *, backend: str) -> None:
    """Put ``row`` into the first table of the "Operations figures" section: in place of the
    row of the same data size and backend, or first; the notes around it stay."""
    text = REPORT.read_text(encoding="utf-8")
    begin = text.find(SECTION)
    if begin < 0:
        text = (text.rstrip() + f"\n\n{SECTION}\n\n| postings | applications | database | "
                "rollup of the busiest day (wall, CPU); today's hours | year's backfill | "
                "slowest dashboard p95 (wall; CPU) | every request p50 / p95 ms (CPU p95) | "
                "data | date | load before → after | machine |\n"
                + "|---" * 11 + "|\n")
        begin = text.find(SECTION)
    lines = text[begin:].splitlines(keepends=True)
    key = "| ".join(row.split("| ")[:4])  # "| postings | applications | backend "
    for n, line in enumerate(lines):
        if line.startswith(key):
            lines[n] = row + "\n"
            break
    else:
        separator = next(n for n, line in enumerate(lines) if line.startswith("|---"))
        lines.insert(separator + 1, row + "\n")
    REPORT.write_text(text[:begin] + "".join(lines), encoding="utf-8")


def setup(backend: str, data_dir: Path, pg_name: str) -> Path:
    """Point the settings at ``data_dir/<backend>`` (keys, audit checkpoints, the SQLite file)
    and, on PostgreSQL, at the database ``pg_name`` (created when missing, never dropped)."""
    home = (data_dir / backend).resolve()
    home.mkdir(parents=True, exist_ok=True)
    os.environ["PINQIAO_VAR_DIR"] = str(home)
    os.environ["PINQIAO_SEARCH_INDEX_DIR"] = str(home / "search")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pinqiao.settings.dev")
    if backend == "sqlite":
        os.environ.pop("DATABASE_URL", None)
        return home
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                             (pg_name,)).fetchone()
        if found is None:
            conn.execute(f'CREATE DATABASE "{pg_name}"')
    os.environ["DATABASE_URL"] = f"{PG_SERVER}/{pg_name}"
    return home


def dataset(home: Path, *, postings: int, applications: int, regenerate: bool) -> dict[str, Any]:
    """The generated data set: reused when ``home/dataset.json`` says it is there with these
    sizes (and the database agrees), generated otherwise."""
    from django.core.management import call_command

    from pinqiao.jobs.models import Posting

    call_command("migrate", verbosity=0)
    marker = home / "dataset.json"
    if marker.exists() and not regenerate:
        data = json.loads(marker.read_text())
        if (data["postings"], data["applications"]) == (postings, applications) and \
                Posting.objects.filter(title__startswith="基准职位").count() == postings:
            sys.stderr.write(f"reusing the data set of {data['generated_on']} in {home}\n")
            reset_sequences()
            return with_activity(data, marker)
        raise SystemExit(f"{home} holds another data set ({data['postings']:,} postings); "
                         "pass --regenerate after removing it, or another --data-dir")
    if Posting.objects.exists() and not regenerate:
        raise SystemExit(f"{home}: the database is not empty; use an empty --data-dir / "
                         "--pg-name")
    data = generate(postings=postings, applications=applications)
    marker.write_text(json.dumps(data, indent=1))
    return with_activity(data, marker)


def with_activity(data: dict[str, Any], marker: Path) -> dict[str, Any]:
    """``data`` with its interviews, offers, conversations and complaints: added (and
    recorded in ``marker``) when the data set was made without them, once."""
    if "activity" not in data:
        data["activity"] = add_activity()
        marker.write_text(json.dumps(data, indent=1))
    analyse_database()
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=1_000_000)
    parser.add_argument("--applications", type=int, default=2_000_000)
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--data-dir", type=Path, default=ROOT / "var" / "bench-analytics",
                        help="kept between runs: <dir>/<backend>/ holds the SQLite file, keys "
                             "and dataset.json; a second run reuses the data set")
    parser.add_argument("--pg-name", default="bench_analytics_1m",
                        help="PostgreSQL database (kept between runs)")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--generate-only", action="store_true",
                        help="make (or check) the data set, time nothing")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--skip-backfill", action="store_true",
                        help="time the requests over the year already rolled up (the row "
                             "then gives no backfill time)")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--lock", default="",
                        help="take this lock file (flock) only around the timed steps; the "
                             "data generation runs without it")
    args = parser.parse_args()

    home = setup(args.backend, args.data_dir, args.pg_name)
    import django
    from django.conf import settings

    # In process, without collectstatic: plain static names (the manifest lookup a deployment
    # does is a dictionary read).
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    django.setup()
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    data = dataset(home, postings=args.postings, applications=args.applications,
                   regenerate=args.regenerate)
    if args.generate_only:
        print(data)
        return
    lock = _lock(args.lock)
    load_before = load_average()
    day = time_rollup_day()
    hours = time_rollup_hours()
    sys.stderr.write(f"{day}\n{hours}\n")
    if args.skip_backfill:
        from pinqiao.analytics.models import RollupRun

        if RollupRun.objects.count() < DAYS:
            raise SystemExit("--skip-backfill: the year is not rolled up yet")
        backfill = {"backfill_s": float("nan"), **rollup_rows()}
    else:
        backfill = time_backfill()
    sys.stderr.write(f"{backfill}\n")
    analyse_database()
    # As the ASGI entry point does (pinqiao/asgi.py): what is loaded by now is kept out of
    # every full collection, which otherwise stopped one request in ~20 for 100–180 ms.
    gc.collect()
    gc.freeze()
    requests = time_requests(args.runs)
    load_after = load_average()
    if lock is not None:
        lock.close()
    size = database_size(args.backend, home)
    box = machine()

    activity = data["activity"]
    slowest = max(requests, key=lambda r: r["p95"])
    every = "; ".join(f"{r['request']} {r['p50']:.0f} / {r['p95']:.0f} ({r['cpu95']:.0f})"
                      for r in requests)
    slowest_cpu = max(requests, key=lambda r: r["cpu95"])
    seconds = backfill["backfill_s"]
    filled = ("not re-timed (--skip-backfill)" if seconds != seconds else
              f"{seconds / 60:.1f} min for {DAYS} days ({seconds / DAYS:.2f} s a day)")
    row = (f"| {data['postings']:,} | {data['applications']:,} | {args.backend} "
           f"| {day['day_wall_s']:.2f} s, {day['day_cpu_s']:.2f} s CPU "
           f"(max {day['day_wall_max_s']:.2f} s; {day['day_applications']:,} applications "
           f"that day); today's hours {hours['hours_wall_s']:.2f} s "
           f"| {filled} ({backfill['figure_rows']:,} daily and {backfill['month_rows']:,} "
           "monthly rollup rows) "
           f"| {slowest['p95']:.0f} ms ({slowest['request']}); CPU "
           f"{slowest_cpu['cpu95']:.0f} ms ({slowest_cpu['request']}) | {every} "
           f"| {size}; {data['events']:,} posting events, {data['seekers']:,} seekers, "
           f"{data['hires']:,} hires, {activity['interviews']:,} interviews, "
           f"{activity['offers']:,} offers, {activity['conversations']:,} conversations, "
           f"{activity['cases']:,} complaints; generated in {data['generated_s'] / 60:.1f} min "
           f"(+ {activity['added_s'] / 60:.1f} min for the activity) "
           f"| {date.today().isoformat()} | {load_before:.1f} → {load_after:.1f} "
           f"| {box['cpu']}, {box['cpus']} CPUs, {box['ram_gib']} GiB, "
           f"Python {box['python']} |")
    print(row)
    print({**data, **day, **hours, **backfill})
    if not args.no_write:
        write(row, backend=args.backend)


if __name__ == "__main__":
    main()
