"""Check that a change to the screening engine is a pure-speed change (issue 16, MOD-1).

Run from the repository root::

    python bench/screening_same.py [REVISION] [--postings N]

The engine, the normaliser and the rule set of ``REVISION`` (default ``HEAD``) are copied out
of git into a temporary package and loaded beside the working tree's. Both screen every text
of every labelled set the repository holds (the engine's labelled set, the older sets' tuning
and held-back halves, the shared dev set) in its own context, in ``posting`` and in ``chat``,
and the benchmark corpus of ``bench/screening.py`` (N postings, seed 2026); each screening is
compared whole (decision, categories, rule ids and every piece of evidence with its offsets).
Only the screenings are compared: nothing of a held-back set is printed but a count. The
script prints how many texts differ and exits with status 1 if any does, so a change that
claims to keep results can show it. Then it times both engines on the same corpus in the same
process (CPU time per posting, least of the rounds, alternating which goes first), which
hardly depends on the machine's other load.
"""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.screening import postings  # noqa: E402
from pinqiao.moderation.engine import CONTEXTS, Screener, default_screener  # noqa: E402

MODERATION = ROOT / "pinqiao" / "moderation"
#: What an engine revision is made of (copied out of git for the old side); the learned model's
#: files only from the revision that added them on.
ENGINE_FILES = ("engine.py", "normalize.py", "rules/default.json")
MODEL_FILES = ("learned.py", "model/weights.json")
#: Contexts every text is also screened in, beside its own.
ALSO = ("posting", "chat")


def labelled_items() -> list[tuple[str, str, str]]:
    """(key, text, context) for every item of every labelled set in the repository."""
    paths = sorted((MODERATION / "tests" / "labelled").glob("*.jsonl"))
    paths += sorted((MODERATION / "eval").glob("**/*.jsonl"))
    paths.append(ROOT.parent.parent / "shared" / "moderation" / "dev.jsonl")
    items: list[tuple[str, str, str]] = []
    for path in paths:
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                own = item.get("context", "posting")
                own = own if own in CONTEXTS else "posting"
                for context in dict.fromkeys((own, *ALSO)):
                    items.append((f"{path.name}:{item['id']}:{context}", item["text"], context))
    return items


def old_screener(revision: str, workdir: Path) -> Screener:
    """Load the engine of ``revision`` from git into a package under ``workdir``."""
    package = workdir / "old_moderation"
    (package / "rules").mkdir(parents=True)
    (package / "model").mkdir()
    (package / "__init__.py").write_text("")
    for name in ENGINE_FILES + MODEL_FILES:
        shown = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{revision}:pinqiao/moderation/{name}"],
            check=name in ENGINE_FILES,
            capture_output=True,
        )
        if shown.returncode == 0:
            (package / name).write_bytes(shown.stdout)
    sys.path.insert(0, str(workdir))
    module = importlib.import_module("old_moderation.engine")
    return module.default_screener.__wrapped__()


def cpu_per_text(screener: Screener, texts: list[str]) -> float:
    """CPU seconds to screen ``texts`` once."""
    start = time.thread_time()
    for text in texts:
        screener.screen(text)
    return time.thread_time() - start


def main() -> None:
    """Compare the screenings of ``REVISION`` and the working tree, then time both."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revision", nargs="?", default="HEAD")
    parser.add_argument("--postings", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    new = default_screener()
    corpus = postings(args.postings, 2026)
    with tempfile.TemporaryDirectory() as workdir:
        old = old_screener(args.revision, Path(workdir))
        items = labelled_items()
        items += [(f"bench:{n}", text, "posting") for n, text in enumerate(corpus)]
        differing = sum(
            old.screen(text, context).to_dict() != new.screen(text, context).to_dict()
            for _, text, context in items
        )
        print(f"{len(items)} screenings ({len(corpus)} benchmark postings), {differing} differ")
        sample = corpus[:3000]
        best = {"old": float("inf"), "new": float("inf")}
        for round_ in range(args.rounds):
            pair = [("old", old), ("new", new)]
            for name, screener in pair if round_ % 2 else reversed(pair):
                best[name] = min(best[name], cpu_per_text(screener, sample))
        for name in ("old", "new"):
            per = best[name] / len(sample)
            print(f"{name}: {per * 1e6:.1f} µs of CPU a posting ({1 / per:,.0f} postings/s)")
        print(f"new/old speed: {best['old'] / best['new']:.3f}")
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
