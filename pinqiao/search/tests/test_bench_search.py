"""``bench/search.py`` on a tiny corpus: every step runs and the last line is the JSON object
(the figures themselves are measured by running the script, never asserted in tests)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from pinqiao.search.queries import FIXED_QUERIES

pytestmark = pytest.mark.django_db

SCRIPT = Path(__file__).resolve().parents[3] / "bench" / "search.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_search", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_runs_and_ends_with_one_json_line(tmp_path: Path, capsys: Any) -> None:
    bench = _bench()
    report = bench.run(count=200, backend="sqlite", runs=2, warmup=1,
                       fts5=tmp_path / "fts5.sqlite3", fts5_runs=1, say=lambda _line: None)
    bench.emit(report)
    last = capsys.readouterr().out.strip().splitlines()[-1]
    figures = json.loads(last)
    assert figures["postings"] == 200 and figures["backend"] == "sqlite"
    assert 0 < figures["documents"] <= 200 and figures["index_per_s"] > 0
    assert 0 < figures["p50_ms"] <= figures["p95_ms"] <= figures["max_ms"]
    assert figures["queries"] == len(FIXED_QUERIES) and figures["runs"] == 2
    with_words = [f for f in FIXED_QUERIES if f.params.get("q")]
    assert figures["fts5_queries"] == len(with_words)
    assert figures["fts5_documents"] == figures["documents"]
    assert figures["speedup_common"] > 0 and "经验" in figures["frequent_queries"]
    by_query = {q["query"]: q for q in figures["per_query"]}
    assert by_query["经验"]["matches"] > 0 and by_query["经验"]["shown"] > 0
    assert "fts5_p50_ms" in by_query["经验"] and "fts5_p50_ms" not in by_query[
        "[industry=I city=310100]"]


def test_the_fts5_baseline_finds_what_the_index_finds(tmp_path: Path) -> None:
    """The same tokens in FTS5: a word's matches are the index's matches."""
    bench = _bench()
    bench.seed(150, 5)
    bench.build_index()
    path = tmp_path / "fts5.sqlite3"
    built = bench.build_fts5(path)
    timings = {t.label: t for t in bench.run_queries(runs=1, warmup=0)}
    baseline = {t.label: t for t in bench.run_fts5(path, runs=1, warmup=0)}
    assert built["fts5_documents"] > 0
    for name in ("经验", "五险一金", "驾驶员"):
        assert baseline[name].shown == min(timings[name].total, bench.FTS5_WINDOW)


def test_a_row_of_the_table_is_replaced_not_repeated(tmp_path: Path) -> None:
    bench = _bench()
    report = tmp_path / "benchmarks.md"
    report.write_text("# Benchmarks\n\n## Job search\n\nHow it was run.\n\n## Other\n\nkept\n",
                      encoding="utf-8")
    bench.write_row("| 1,000,000 | sqlite | old |", postings=1_000_000, backend="sqlite",
                    report=report)
    bench.write_row("| 100,000 | postgres | a |", postings=100_000, backend="postgres",
                    report=report)
    bench.write_row("| 1,000,000 | sqlite | new |", postings=1_000_000, backend="sqlite",
                    report=report)
    text = report.read_text(encoding="utf-8")
    assert "old" not in text and text.count("| 1,000,000 | sqlite |") == 1
    assert text.index("| 100,000 | postgres |") < text.index("| 1,000,000 | sqlite | new |")
    assert "How it was run." in text and text.endswith("## Other\n\nkept\n")
