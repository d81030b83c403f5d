"""Every navigation page of every role, timed in process on the demo data (issue 15, item 7:
every page under 300 ms).

Run from the repository root::

    python bench/pages.py [--data DIR] [--repeat N] [--write]

Steps:

1. a data directory of its own (``--data``, default ``var/bench-pages``) used as ``var/``:
   SQLite there, migrated, ``load_demo`` exactly as ``make run`` runs it (the 2,000 generated
   postings, the talent pool, applications, interviews, chats) and ``collectstatic``; a second
   run finds the data and skips this;
2. each demo account signed in with Django's test client (staff past the second factor, as
   after a TOTP code), DEBUG off as in ``make run``;
3. the role's pages: its home (``/``, staff ``/staff/``) and every link of the main
   navigation and of the home page's main part that stays on the site, each requested once
   to warm the caches, then ``--repeat`` times (default 5), reporting the median CPU time of
   this process (``time.process_time()``: the view, the templates and SQLite, which runs in
   process) and of the wall clock, and the status (query counts are pinned by
   ``pinqiao/core/tests/test_query_counts.py``).

The table is printed; ``--write`` puts it into the "## Pages per role" section of
``docs/benchmarks.md``. A page over ``--limit`` ms CPU (default 300) makes the exit status 1.

``--pdf`` times only the recruiter's PDF download of an applicant's résumé instead: the first
one with an empty cache (WeasyPrint renders the version) and the median of ``--repeat`` more
(the cached render, stamped per download).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
ROLES = ["demo_seeker", "demo_employer", "demo_agency", "demo_reviewer", "demo_service",
         "demo_operator", "demo_auditor", "demo_regulator"]
SECTION = "## Pages per role (issue 15)"


class _Links(HTMLParser):
    """``href`` of links inside ``<nav class="main-nav">`` and ``<main>``."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = {"nav": 0, "main": 0}
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "nav" and (self.depth["nav"] or "main-nav" in (values.get("class") or "")):
            self.depth["nav"] += 1
        if tag == "main":
            self.depth["main"] += 1
        if tag == "a" and (self.depth["nav"] or self.depth["main"]) and values.get("href"):
            self.links.append(values["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self.depth["nav"]:
            self.depth["nav"] -= 1
        if tag == "main" and self.depth["main"]:
            self.depth["main"] -= 1


def _setup(data: Path) -> None:
    os.environ["PINQIAO_VAR_DIR"] = str(data)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pinqiao.settings.dev")
    os.environ["DJANGO_DEBUG"] = "0"
    sys.path.insert(0, str(ROOT))
    data.mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    from pinqiao.accounts.models import User

    call_command("migrate", "--noinput", verbosity=0)
    if not User.objects.filter(username="demo_pool_01").exists():
        started = time.perf_counter()
        call_command("load_demo")
        print(f"load_demo: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    call_command("collectstatic", "--noinput", verbosity=0)


def _client(username: str) -> object:
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from pinqiao.accounts.models import User

    user = User.objects.get(username=username)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    if user.is_staff:
        device = TOTPDevice.objects.filter(user=user).first()
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def _pages(client: object, home: str) -> list[str]:
    parser = _Links()
    parser.feed(client.get(home).content.decode())
    pages = [home]
    for href in parser.links:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path not in pages and not path.startswith(("/static/", "/media/")):
            pages.append(path)
    return pages


def _time(client: object, path: str, repeat: int) -> dict[str, object]:
    client.get(path)  # warms the process's caches (and fills per-version ones)
    cpu, wall, statuses = [], [], set()
    for _n in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        statuses.add(client.get(path).status_code)
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
    return {"path": path, "status": max(statuses), "cpu": statistics.median(cpu),
            "wall": statistics.median(wall)}


def _pdf(repeat: int) -> str:
    from django.core.cache import cache
    from django.urls import reverse

    from pinqiao.applications.models import Application

    application = Application.objects.filter(
        posting__created_by__username="demo_employer").select_related("resume").first()
    client = _client("demo_employer")
    url = (reverse("privacy:recruiter_resume_pdf", args=[application.resume.public_id])
           + f"?organisation={application.organisation_id}")
    client.get(url)  # loads WeasyPrint and the font in this process
    cache.clear()
    timings = []
    for _n in range(repeat + 1):
        c0, w0 = time.process_time(), time.perf_counter()
        status = client.get(url).status_code
        timings.append(((time.process_time() - c0) * 1000, (time.perf_counter() - w0) * 1000,
                        status))
    cpu = statistics.median(t[0] for t in timings[1:])
    wall = statistics.median(t[1] for t in timings[1:])
    return (f"résumé PDF download (status {timings[0][2]}): first of the version "
            f"{timings[0][0]:.0f} ms CPU / {timings[0][1]:.0f} ms wall; cached, median of "
            f"{repeat}: {cpu:.0f} ms CPU / {wall:.0f} ms wall")


def _table(rows: list[tuple[str, dict[str, object]]]) -> str:
    lines = ["| role | page | status | CPU ms (median) | wall ms (median) |",
             "|---|---|---|---|---|"]
    for role, row in rows:
        lines.append(f"| {role} | `{row['path']}` | {row['status']} | {row['cpu']:.1f} | "
                     f"{row['wall']:.1f} |")
    return "\n".join(lines)


def _write(table: str, note: str) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text()
    body = f"{SECTION}\n\n{note}\n\n{table}\n"
    if SECTION in text:
        start = text.index(SECTION)
        end = text.find("\n## ", start + len(SECTION))
        text = text[:start] + body + (text[end:] if end != -1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + body
    path.write_text(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "var" / "bench-pages")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--limit", type=float, default=300.0)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--pdf", action="store_true")
    args = parser.parse_args()
    _setup(args.data.resolve())
    if args.pdf:
        load = os.getloadavg()[0]
        print(f"{_pdf(args.repeat)} (load average {load:.1f} → {os.getloadavg()[0]:.1f})")
        return 0
    load_before = os.getloadavg()
    rows: list[tuple[str, dict[str, object]]] = []
    for role in ROLES:
        client = _client(role)
        home = "/staff/" if role not in ROLES[:3] else "/"
        for path in _pages(client, home):
            row = _time(client, path, args.repeat)
            rows.append((role, row))
            print(f"{role:16} {row['status']} {row['cpu']:8.1f} ms CPU {row['wall']:8.1f} ms "
                  f"{path}", file=sys.stderr)
    load_after = os.getloadavg()
    table = _table(rows)
    print(table)
    slow = [(role, row) for role, row in rows if float(row["cpu"]) > args.limit]
    bad = [(role, row) for role, row in rows if int(row["status"]) >= 500]
    note = (f"`python bench/pages.py` on {time.strftime('%Y-%m-%d')}: {len(rows)} pages of "
            f"{len(ROLES)} roles on the `make run` demo data (SQLite, DEBUG off), median of "
            f"{args.repeat} requests after one warm-up, in process with Django's test client. "
            f"Load average before/after: {load_before[0]:.1f} / {load_after[0]:.1f} on a "
            f"shared {os.cpu_count()}-core machine. Pages over {args.limit:.0f} ms CPU: "
            f"{len(slow)}; 5xx: {len(bad)}.")
    print(note)
    if args.write:
        _write(table, note)
    return 1 if slow or bad else 0


if __name__ == "__main__":
    sys.exit(main())
