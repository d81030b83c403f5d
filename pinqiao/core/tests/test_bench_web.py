"""``bench/web.py`` serves exactly as ``make run`` does: its commands are read from the Makefile's
``run`` recipe (the figures themselves come from running the script, never from tests)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[3]


def _bench() -> ModuleType:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        spec = importlib.util.spec_from_file_location("bench_web", ROOT / "bench" / "web.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(ROOT / "bench"))


def test_the_bench_starts_what_make_run_starts_on_its_own_port() -> None:
    commands = _bench().server_commands(8151, 3)
    assert [words[1:3] for _env, words in commands[:2]] == [
        ["manage.py", "db_worker"], ["manage.py", "run_scheduler"]]
    env, web = commands[2]
    assert env == {"DJANGO_DEBUG": "0"}
    assert Path(web[0]).name == "uvicorn" and web[1] == "pinqiao.asgi:application"
    assert web[web.index("--port") + 1] == "8151"
    assert web[web.index("--workers") + 1] == "3"
    recipe = (ROOT / "Makefile").read_text()
    assert "PORT ?= 8000" in recipe and "--port $(PORT)" in recipe
    assert "--workers $(WEB_WORKERS)" in recipe


def test_the_report_rows_go_under_the_web_tier_heading(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    bench = _bench()
    report = tmp_path / "benchmarks.md"
    report.write_text("# Benchmarks\n\n## Job search\n\ntext\n")
    monkeypatch.setattr(bench, "REPORT", report)
    figures = {"rps": 1234.5, "p50_ms": 1.0, "p95_ms": 2.0, "p99_ms": 3.0, "errors": 0}
    rows = bench.table_rows({"date": "2026-12-07", "label": "after", "postings": 100_000,
                             "backend": "sqlite", "connections": 64, "load_before": 1.0,
                             "load_after": 2.0, "kinds": {"healthz": figures}})
    bench.write_rows(rows)
    bench.write_rows(rows)
    text = report.read_text()
    assert text.index("## Job search") < text.index("## Web tier")
    assert text.count("| 2026-12-07 | after | 100,000 | sqlite | 64 | healthz | 1,234 |") == 2
    assert text.count(bench.TABLE_HEADER) == 1
