"""Benchmark of job search (SRCH-1): indexing rate and end-to-end query latency, beside SQLite
FTS5 ``bm25()`` as the baseline.

Run from the repository root::

    python bench/search.py --postings N --backend sqlite|postgres [--seed S] [--runs R]
                           [--no-fts5] [--keep] [--no-write]

Steps, each on fresh storage:

1. a fresh database (sqlite: a new file in a temporary directory; postgres: ``bench_search`` on
   127.0.0.1:5432, dropped and created again), migrated;
2. ``seed_postings`` with N postings (deterministic for the seed), then ``ANALYZE``
   (PostgreSQL: ``VACUUM ANALYZE``, which autovacuum would otherwise run beside the searches);
3. ``index_rebuild`` (what ``manage.py search_rebuild`` does): read every visible posting,
   segment it (rjieba, dictionary, synonyms), add it to a new Tantivy generation, commit;
   ``index_per_s`` is visible postings over that wall-clock time, segmentation included;
4. the fixed searches of ``pinqiao/search/queries.py`` (common and rare words, synonyms,
   places, filters, filters without words) through the real selector ``job_search``: query
   parsing, Tantivy, the relevance re-score, the database re-check of the page and the
   highlighting; no template is rendered. Two warm-up passes, then ``--runs`` passes; every
   pass runs every query once, in order. ``p50_ms``/``p95_ms`` are over all timed searches;
5. the baseline (unless ``--no-fts5``): an FTS5 table in its own SQLite file holding the same
   tokens in the same five columns (built from the same ``document()`` the index gets, so the
   segmentation is identical), a plain table with the filter values, and the same searches as
   one SQL statement each: every word required, ``ORDER BY bm25(…, 3, 2, 2, 1.5, 1)`` (the
   index's boosts), the top 500 (the index's re-score window). The baseline does no re-check,
   no count and no highlighting, so the comparison favours it.

Wall-clock times in one process. The last line printed is one JSON object; the figures are also
written as a row of the table in the "## Job search" section of ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REPORT = ROOT / "docs" / "benchmarks.md"
SECTION = "## Job search"
TABLE_HEADER = (
    "| postings | database | index/s | p50 ms | p95 ms | p95 ms, common words | CPU p95 ms "
    "| FTS5 p50 ms | FTS5 p95 ms | speed-up, common words | date | load while searching "
    "| database, index |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|")
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_NAME = "bench_search"
SEED = 2026
WARMUP_PASSES = 2
RUNS = 20
FTS5_RUNS = 3
FTS5_WINDOW = 500


# --- environment (before Django is set up) -------------------------------------------------

def prepare_database(backend: str, workdir: Path, *, pg_server: str = PG_SERVER,
                     pg_name: str = PG_NAME) -> str:
    """Point the settings at fresh storage under ``workdir`` (index, files) and a fresh
    database; returns a description of the database."""
    os.environ["PINQIAO_VAR_DIR"] = str(workdir)
    os.environ["PINQIAO_SEARCH_INDEX_DIR"] = str(workdir / "search")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pinqiao.settings.dev")
    if backend == "sqlite":
        os.environ.pop("DATABASE_URL", None)
        return str(workdir / "pinqiao.sqlite3")
    import psycopg

    with psycopg.connect(f"{pg_server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{pg_name}"')
    os.environ["DATABASE_URL"] = f"{pg_server}/{pg_name}"
    return f"{pg_server}/{pg_name}"


def drop_database(backend: str, *, pg_server: str = PG_SERVER, pg_name: str = PG_NAME) -> None:
    if backend != "postgres":
        return
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(f"{pg_server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')


def machine() -> dict[str, Any]:
    """CPU model, logical CPUs, RAM, kernel, Python."""
    model = platform.processor() or platform.machine()
    ram = 0
    try:
        model = next(line.split(":", 1)[1].strip()
                     for line in Path("/proc/cpuinfo").read_text().splitlines()
                     if line.startswith("model name"))
        ram = next(int(line.split()[1]) * 1024
                   for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))
    except (OSError, StopIteration):
        pass
    return {"cpu": model, "cpus": os.cpu_count(), "ram_gib": round(ram / 2**30, 1),
            "system": f"{platform.system()} {platform.release()}",
            "python": platform.python_version()}


def load_average() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return 0.0


# --- the steps (Django set up) --------------------------------------------------------------

def seed(count: int, seed_value: int) -> dict[str, Any]:
    """``seed_postings``: ``count`` postings; how long it took."""
    from pinqiao.search.seeding import seed_postings

    started = time.perf_counter()
    organisations, postings = seed_postings(count=count, seed=seed_value)
    elapsed = time.perf_counter() - started
    return {"postings": postings, "organisations": organisations, "seed_s": elapsed,
            "seed_per_s": postings / elapsed if elapsed else 0.0}


def analyse_database() -> None:
    """Refresh the planner's statistics; on PostgreSQL also vacuum, as autovacuum would soon
    after a bulk insert (done now, so that it does not run beside the timed searches)."""
    from django.db import connection

    with connection.cursor() as cursor:
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


def build_index() -> dict[str, Any]:
    """``index_rebuild`` from the database; the rate counts segmentation and the commit."""
    from pinqiao.search.services import index_rebuild

    started = time.perf_counter()
    documents = index_rebuild()
    elapsed = time.perf_counter() - started
    return {"documents": documents, "index_s": elapsed,
            "index_per_s": documents / elapsed if elapsed else 0.0}


@dataclass
class QueryTimes:
    """The timed runs of one fixed search."""

    label: str
    kind: str
    total: int = 0
    shown: int = 0
    samples: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    index_ms: list[float] = field(default_factory=list)
    recheck_ms: list[float] = field(default_factory=list)


def label(params: dict[str, Any]) -> str:
    """「Java 广州」, or the filters when there are no words."""
    rest = " ".join(f"{k}={v}" for k, v in params.items() if k != "q")
    return " ".join(p for p in (params.get("q", ""), rest and f"[{rest}]") if p)


def run_queries(*, runs: int = RUNS, warmup: int = WARMUP_PASSES) -> list[QueryTimes]:
    """Every fixed search ``warmup`` times untimed, then ``runs`` times timed, end to end
    through ``job_search`` (the page's selector without the template)."""
    from pinqiao.search.params import parse_job_query
    from pinqiao.search.queries import FIXED_QUERIES
    from pinqiao.search.selectors import job_search

    timings = [QueryTimes(label(f.params), f.kind) for f in FIXED_QUERIES]
    for n in range(warmup + runs):
        for fixed, times in zip(FIXED_QUERIES, timings, strict=True):
            started, cpu = time.perf_counter(), time.thread_time()
            results = job_search(parse_job_query(fixed.params, strict=True))
            elapsed = (time.perf_counter() - started) * 1000
            cpu = (time.thread_time() - cpu) * 1000
            if results.degraded:
                raise RuntimeError(f"the index is unavailable: {results.notices}")
            if n >= warmup:
                times.samples.append(elapsed)
                times.cpu_ms.append(cpu)
                times.index_ms.append(results.timings["index_ms"])
                times.recheck_ms.append(results.timings["recheck_ms"])
            times.total, times.shown = results.total, len(results.hits)
    return timings


# --- the FTS5 baseline ----------------------------------------------------------------------

_FILTER_COLUMNS = ("province", "city", "district", "industry1", "industry2", "function1",
                   "function2", "experience", "education", "employment_type", "pay_min",
                   "pay_max", "valid_until", "quality", "published", "sort_key", "rank_key")


def build_fts5(path: Path, *, batch: int = 5000) -> dict[str, Any]:
    """An FTS5 table over the same tokens as the index (``postings.document``), and a table
    with the filter values, in a new SQLite file at ``path``."""
    from pinqiao.search import postings

    started = time.perf_counter()
    conn = sqlite3.connect(path)
    conn.executescript(f"""
        PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
        CREATE VIRTUAL TABLE docs USING fts5(title, skills, company, place, body,
            tokenize="unicode61 remove_diacritics 0 tokenchars '+#.-_&/'");
        CREATE TABLE meta (id INTEGER PRIMARY KEY, {", ".join(_FILTER_COLUMNS)});
    """)
    texts, metas, count = [], [], 0

    def flush() -> None:
        conn.executemany("INSERT INTO docs (rowid, title, skills, company, place, body) "
                         "VALUES (?, ?, ?, ?, ?, ?)", texts)
        conn.executemany(f"INSERT INTO meta VALUES ({', '.join('?' * (len(_FILTER_COLUMNS) + 1))})",
                         metas)
        texts.clear()
        metas.clear()

    for row in postings.rows():
        doc = postings.document(row)
        texts.append((doc["id"], doc["title"], doc["skills"], doc["company"], doc["place"],
                      doc["body"]))
        industries = [*doc["industry"], "", ""]
        functions = [*doc["function"], "", ""]
        metas.append((doc["id"], doc["province"], doc["city"], doc["district"], industries[0],
                      industries[1], functions[0], functions[1], doc["experience"],
                      doc["education"], doc["employment_type"], doc["pay_min"], doc["pay_max"],
                      doc["valid_until"], doc["quality"], doc["published"], doc["sort_key"],
                      doc["rank_key"]))
        count += 1
        if len(texts) >= batch:
            flush()
    flush()
    conn.executescript("""
        INSERT INTO docs(docs) VALUES ('optimize');
        CREATE INDEX meta_sort ON meta (sort_key); CREATE INDEX meta_rank ON meta (rank_key);
        ANALYZE;
    """)
    conn.commit()
    conn.close()
    elapsed = time.perf_counter() - started
    return {"fts5_documents": count, "fts5_build_s": elapsed,
            "fts5_index_per_s": count / elapsed if elapsed else 0.0,
            "fts5_bytes": path.stat().st_size}


def fts5_statement(params: dict[str, Any]) -> tuple[str, list[Any]] | None:
    """The FTS5 statement for one fixed search (None when it has no words: no full-text
    search to compare)."""
    from django.utils import timezone

    from pinqiao.search import analysis
    from pinqiao.search.params import parse_job_query

    query = parse_job_query(params, strict=True)
    tokens = analysis.query_tokens(query.q)
    if not tokens:
        return None
    places = analysis.place_tokens()
    match = " AND ".join(
        ("{place title} : " if token in places else "") + '"' + token.replace('"', '""') + '"'
        for token in tokens)
    where, args = ["docs MATCH ?", "m.valid_until >= ?"], [match, int(
        timezone.localdate().strftime("%Y%m%d"))]
    location = query.location
    if location is not None:
        where.append(f"m.{location.level} = ?")
        args.append(int(location.code))
    for name, value in (("industry", query.industry), ("function", query.function)):
        if value:
            where.append(f"(m.{name}1 = ? OR m.{name}2 = ?)")
            args += [value, value]
    for name in ("experience", "education", "employment_type"):
        if getattr(query, name):
            where.append(f"m.{name} = ?")
            args.append(getattr(query, name))
    if query.pay_min is not None:
        where.append("m.pay_max >= ?")
        args.append(max(query.pay_min, 1))
    if query.pay_max is not None:
        where.append("m.pay_min BETWEEN 1 AND ?")
        args.append(query.pay_max)
    if query.posted_within:
        where.append("m.published >= ?")
        args.append(int(timezone.now().timestamp()) - query.posted_within * 86400)
    if query.effective_sort(True) == "time":
        order, limit = "m.sort_key DESC", query.per_page
    else:
        order, limit = "bm25(docs, 3.0, 2.0, 2.0, 1.5, 1.0)", FTS5_WINDOW
    sql = (f"SELECT docs.rowid FROM docs JOIN meta m ON m.id = docs.rowid "
           f"WHERE {' AND '.join(where)} ORDER BY {order} LIMIT {limit}")
    return sql, args


def run_fts5(path: Path, *, runs: int = FTS5_RUNS, warmup: int = 1) -> list[QueryTimes]:
    """The fixed searches that have words, as FTS5 statements."""
    from pinqiao.search.queries import FIXED_QUERIES

    conn = sqlite3.connect(path)
    planned = [(f, fts5_statement(f.params)) for f in FIXED_QUERIES]
    timings = [QueryTimes(label(f.params), f.kind) for f, statement in planned if statement]
    statements = [statement for _f, statement in planned if statement]
    for n in range(warmup + runs):
        for (sql, args), times in zip(statements, timings, strict=True):
            started = time.perf_counter()
            found = conn.execute(sql, args).fetchall()
            elapsed = (time.perf_counter() - started) * 1000
            if n >= warmup:
                times.samples.append(elapsed)
            times.shown = len(found)
    conn.close()
    return timings


# --- figures --------------------------------------------------------------------------------

def percentile(values: Iterable[float], share: float) -> float:
    """Nearest-rank percentile (``share`` in 0..1)."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


#: A search "for a frequent word" matches at least this share of the visible postings.
FREQUENT_SHARE = 0.10


def speedups(per_query: list[dict[str, Any]], documents: int) -> dict[str, Any]:
    """How much faster than the baseline, from the per-query medians: for the searches marked
    "common" in ``queries.py`` and for those matching ≥ 10 % of the postings ("frequent"), the
    baseline's time to run each once over ours (sums of medians), and the least per-query
    ratio."""
    compared = [q for q in per_query if q.get("fts5_p50_ms") is not None]
    out: dict[str, Any] = {}
    for name, chosen in (
            ("common", [q for q in compared if q["kind"] == "common"]),
            ("frequent", [q for q in compared if q["matches"] >= FREQUENT_SHARE * documents])):
        ours = sum(q["p50_ms"] for q in chosen)
        out[f"speedup_{name}"] = sum(q["fts5_p50_ms"] for q in chosen) / ours if ours else None
        out[f"speedup_{name}_min"] = min((q["speedup"] for q in chosen), default=None)
        out[f"{name}_queries"] = [q["query"] for q in chosen]
    engine = sum(q["index_p50_ms"] for q in compared if q["kind"] == "common")
    out["engine_speedup_common"] = (sum(q["fts5_p50_ms"] for q in compared
                                        if q["kind"] == "common") / engine if engine else None)
    return out


def summarise(timings: list[QueryTimes], baseline: list[QueryTimes] | None, *,
              documents: int = 0) -> dict[str, Any]:
    """p50/p95 over every timed search, per kind and per query; the baseline beside."""
    every = [s for t in timings for s in t.samples]
    common = [s for t in timings if t.kind == "common" for s in t.samples]
    out: dict[str, Any] = {
        "queries": len(timings), "runs": len(timings[0].samples) if timings else 0,
        "p50_ms": percentile(every, 0.5), "p95_ms": percentile(every, 0.95),
        "max_ms": max(every, default=0.0),
        # CPU time of the searching thread: what other processes on the machine add to the
        # wall clock (waiting for a core) is left out, and so is the database server's work
        "cpu_p50_ms": percentile((s for t in timings for s in t.cpu_ms), 0.5),
        "cpu_p95_ms": percentile((s for t in timings for s in t.cpu_ms), 0.95),
        "common_p50_ms": percentile(common, 0.5), "common_p95_ms": percentile(common, 0.95),
        "index_p50_ms": percentile((s for t in timings for s in t.index_ms), 0.5),
        "recheck_p50_ms": percentile((s for t in timings for s in t.recheck_ms), 0.5),
    }
    fts = {t.label: t for t in baseline or []}
    per_query = []
    for t in timings:
        item = {"query": t.label, "kind": t.kind, "matches": t.total, "shown": t.shown,
                "p50_ms": percentile(t.samples, 0.5), "p95_ms": percentile(t.samples, 0.95),
                "cpu_p50_ms": percentile(t.cpu_ms, 0.5),
                "index_p50_ms": percentile(t.index_ms, 0.5),
                "recheck_p50_ms": percentile(t.recheck_ms, 0.5)}
        if t.label in fts:
            item["fts5_p50_ms"] = percentile(fts[t.label].samples, 0.5)
            item["fts5_shown"] = fts[t.label].shown
            item["speedup"] = item["fts5_p50_ms"] / item["p50_ms"]
        per_query.append(item)
    out["per_query"] = per_query
    if baseline:
        base_every = [s for t in baseline for s in t.samples]
        base_common = [s for t in baseline if t.kind == "common" for s in t.samples]
        out |= {
            "fts5_queries": len(baseline),
            "fts5_p50_ms": percentile(base_every, 0.5), "fts5_p95_ms": percentile(base_every, 0.95),
            "fts5_common_p50_ms": percentile(base_common, 0.5),
            "fts5_common_p95_ms": percentile(base_common, 0.95),
            **speedups(per_query, documents),
        }
    return out


def size_of(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def database_bytes(backend: str, sqlite_path: Path | None) -> int:
    from django.db import connection

    if backend == "postgres":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return int(cursor.fetchone()[0])
    if sqlite_path is None:
        return 0
    return sum(size_of(p) for p in sqlite_path.parent.glob(sqlite_path.name + "*"))


def run(*, count: int, backend: str, seed_value: int = SEED, runs: int = RUNS,
        warmup: int = WARMUP_PASSES, fts5: Path | None = None, fts5_runs: int = FTS5_RUNS,
        sqlite_path: Path | None = None, say: Callable[[str], None] = print) -> dict[str, Any]:
    """Seed, index, search, and (with an ``fts5`` path) the baseline, in the current
    database and index directory; returns the figures."""
    from django.conf import settings

    load_before = load_average()
    say(f"seeding {count:,} postings …")
    report: dict[str, Any] = {"postings": count, "backend": backend, "seed": seed_value}
    report |= seed(count, seed_value)
    analyse_database()
    say(f"seeded in {report['seed_s']:.1f} s ({report['seed_per_s']:,.0f}/s); indexing …")
    report |= build_index()
    say(f"indexed {report['documents']:,} visible postings in {report['index_s']:.1f} s "
        f"({report['index_per_s']:,.0f}/s); searching …")
    gc.collect()
    timings = run_queries(runs=runs, warmup=warmup)
    load_search = load_average()  # the 1-minute average, over the searches just timed
    baseline = None
    if fts5 is not None:
        say("building the FTS5 baseline …")
        report |= build_fts5(fts5)
        say(f"FTS5 built in {report['fts5_build_s']:.1f} s; searching …")
        baseline = run_fts5(fts5, runs=fts5_runs)
    report |= summarise(timings, baseline, documents=report["documents"])
    report |= {
        "database_bytes": database_bytes(backend, sqlite_path),
        "index_bytes": size_of(Path(settings.SEARCH_INDEX_DIR)),
        "date": date.today().isoformat(), "load_before": load_before,
        "load_search": load_search, "load_after": load_average(), "machine": machine()}
    return report


# --- output ---------------------------------------------------------------------------------

def _mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MB" if n < 2**30 else f"{n / 2**30:,.1f} GB"


def _times(ratio: float | None) -> str:
    if ratio is None:
        return "–"
    return f"{ratio:.1f}×"


def table_row(r: dict[str, Any]) -> str:
    def ms(key: str) -> str:
        return f"{r[key]:.1f}" if r.get(key) is not None else "–"

    speedup = "–"
    if r.get("speedup_common"):
        speedup = (f"{_times(r['speedup_common'])} (least {_times(r['speedup_common_min'])}); "
                   f"frequent words {_times(r['speedup_frequent'])} "
                   f"(least {_times(r['speedup_frequent_min'])})")
    return (f"| {r['postings']:,} | {r['backend']} | {r['index_per_s']:,.0f} | {ms('p50_ms')} "
            f"| {ms('p95_ms')} | {ms('common_p95_ms')} | {ms('cpu_p95_ms')} | {ms('fts5_p50_ms')} "
            f"| {ms('fts5_p95_ms')} | {speedup} | {r['date']} "
            f"| {r['load_search']:.1f} "
            f"| {_mb(r['database_bytes'])}, {_mb(r['index_bytes'])} |")


def describe(r: dict[str, Any]) -> str:
    """Human-readable lines: the figures, per query."""
    lines = [
        f"{r['postings']:,} postings on {r['backend']} ({r['documents']:,} visible), "
        f"seed {r['seed']}: seeded at {r['seed_per_s']:,.0f}/s, indexed at "
        f"{r['index_per_s']:,.0f}/s",
        f"end to end: p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms, max {r['max_ms']:.1f} ms "
        f"({r['queries']} searches × {r['runs']} runs); CPU p50 {r['cpu_p50_ms']:.1f} ms, "
        f"p95 {r['cpu_p95_ms']:.1f} ms; common words p95 "
        f"{r['common_p95_ms']:.1f} ms; index p50 {r['index_p50_ms']:.1f} ms, re-check p50 "
        f"{r['recheck_p50_ms']:.1f} ms",
    ]
    if "fts5_p50_ms" in r:
        lines.append(
            f"FTS5 bm25(): p50 {r['fts5_p50_ms']:.1f} ms, p95 {r['fts5_p95_ms']:.1f} ms; faster "
            f"here: common words {_times(r['speedup_common'])} (least "
            f"{_times(r['speedup_common_min'])}), frequent words "
            f"{_times(r['speedup_frequent'])} (least {_times(r['speedup_frequent_min'])}; "
            f"{', '.join(r['frequent_queries'])}), index alone on common words "
            f"{_times(r['engine_speedup_common'])}")
    lines.append(f"{'query':<48} {'kind':<11} {'matches':>8} {'p50':>7} {'p95':>7} {'CPU':>7} "
                 f"{'index':>7} {'recheck':>7} {'FTS5':>8} {'×':>6}")
    for q in r["per_query"]:
        fts5 = (f"{q['fts5_p50_ms']:>8.1f} {_times(q['speedup']):>6}"
                if q.get("fts5_p50_ms") is not None else "")
        lines.append(f"{q['query']:<48} {q['kind']:<11} {q['matches']:>8,} {q['p50_ms']:>7.2f} "
                     f"{q['p95_ms']:>7.2f} {q['cpu_p50_ms']:>7.2f} {q['index_p50_ms']:>7.2f} "
                     f"{q['recheck_p50_ms']:>7.2f} {fts5}")
    lines.append(table_row(r))
    return "\n".join(lines)


def write_row(row: str, *, postings: int, backend: str, report: Path = REPORT) -> None:
    """Put ``row`` in the table of the "## Job search" section (replacing the row of the same
    size and database; rows sorted by size, then database), adding the table or the section
    when missing; the prose around the table is kept."""
    text = report.read_text(encoding="utf-8") if report.exists() else "# Benchmarks\n"
    head = TABLE_HEADER.split("\n")
    if f"{SECTION}\n" not in text:
        text = text.rstrip("\n") + f"\n\n{SECTION}\n"
    start = text.index(f"{SECTION}\n")
    following = re.search(r"^## ", text[start + len(SECTION):], re.M)
    end = start + len(SECTION) + following.start() if following else len(text)
    lines = text[start:end].rstrip("\n").split("\n")
    if head[0] in lines:
        first = last = lines.index(head[0]) + 2
        while last < len(lines) and lines[last].startswith("|"):
            last += 1
    else:
        lines += ["", *head]
        first = last = len(lines)
    key = f"| {postings:,} | {backend} |"
    rows = [line for line in lines[first:last] if not line.startswith(key)] + [row]
    rows.sort(key=lambda line: (int(line.split("|")[1].strip().replace(",", "")),
                                line.split("|")[2]))
    lines[first:last] = rows
    section = "\n".join(lines) + ("\n\n" if following else "\n")
    report.write_text(text[:start] + section + text[end:], encoding="utf-8")


def emit(report: dict[str, Any]) -> None:
    """Print the figures for people, then, as the last line, the JSON object."""
    print(describe(report))
    print(json.dumps(report, ensure_ascii=False), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=100_000)
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--fts5-runs", type=int, default=FTS5_RUNS)
    parser.add_argument("--no-fts5", action="store_true", help="skip the FTS5 baseline")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where the temporary directory goes (default: the system's)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the database, index and FTS5 file afterwards")
    parser.add_argument("--no-write", action="store_true", help="do not touch docs/benchmarks.md")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="pinqiao-bench-search-", dir=args.workdir))
    database = prepare_database(args.backend, workdir)
    import django
    from django.conf import settings

    settings.DEBUG = False  # DEBUG keeps every query in memory
    django.setup()
    from django.core.management import call_command

    try:
        print(f"database {database}, files in {workdir}; migrating …", flush=True)
        call_command("migrate", verbosity=0)
        report = run(count=args.postings, backend=args.backend, seed_value=args.seed,
                     runs=args.runs, fts5=None if args.no_fts5 else workdir / "fts5.sqlite3",
                     fts5_runs=args.fts5_runs,
                     sqlite_path=Path(database) if args.backend == "sqlite" else None,
                     say=lambda line: print(line, flush=True))
    finally:
        if not args.keep:
            drop_database(args.backend)
            shutil.rmtree(workdir, ignore_errors=True)
    if not args.no_write:
        write_row(table_row(report), postings=args.postings, backend=args.backend)
    emit(report)


if __name__ == "__main__":
    main()
