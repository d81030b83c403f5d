"""Score the screening engine on every labelled set (issue 16, MOD-6): decision accuracy,
recall per category and false positives on clean texts.

Run from the repository root::

    python bench/screening_eval.py [--errors SET]

Sets: the shared ``dev.jsonl``, the engine's labelled set (``tests/labelled/*.jsonl``) and the
fresh set's two halves (``pinqiao/moderation/eval/tuning.jsonl`` and ``heldback.jsonl``), the
third and fourth sets' tuning halves (``eval/third/tuning.jsonl``, ``eval/fourth/tuning.jsonl``),
the fifth set's tuning half and the blind training pool (``eval/fifth/tuning.jsonl``,
``eval/pool/fresh.jsonl``) and, only when named (``--sets second-heldback third-heldback
fourth-heldback fifth-heldback``), the second held-back set (``eval/second/``) and the third,
fourth and fifth sets' held-back halves, which are scored once before and once after a
session's tuning. The mismatches of a held-back set are
never printed.
An item may name the ``context`` it is shown in; a context the engine does not know is
screened as ``posting`` (and counted in the "context fallbacks" column).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pinqiao.moderation.engine import CONTEXTS, default_screener  # noqa: E402
from pinqiao.moderation.scoring import format_report, score  # noqa: E402

MODERATION = ROOT / "pinqiao" / "moderation"
SETS = {
    "dev": [ROOT.parent.parent / "shared" / "moderation" / "dev.jsonl"],
    "labelled": sorted((MODERATION / "tests" / "labelled").glob("*.jsonl")),
    "fresh-tuning": [MODERATION / "eval" / "tuning.jsonl"],
    "fresh-heldback": [MODERATION / "eval" / "heldback.jsonl"],
    "second-heldback": [MODERATION / "eval" / "second" / "heldback.jsonl"],
    "third-tuning": [MODERATION / "eval" / "third" / "tuning.jsonl"],
    "third-heldback": [MODERATION / "eval" / "third" / "heldback.jsonl"],
    "fourth-tuning": [MODERATION / "eval" / "fourth" / "tuning.jsonl"],
    "fourth-heldback": [MODERATION / "eval" / "fourth" / "heldback.jsonl"],
    "pool": [MODERATION / "eval" / "pool" / "fresh.jsonl"],
    "fifth-tuning": [MODERATION / "eval" / "fifth" / "tuning.jsonl"],
    "fifth-heldback": [MODERATION / "eval" / "fifth" / "heldback.jsonl"],
}
#: Sets whose mismatches are never printed (nobody writes a rule from a held-back miss).
HELD_BACK = {
    "fresh-heldback", "second-heldback", "third-heldback", "fourth-heldback", "fifth-heldback"
}
#: Scored only when named in ``--sets``: the later held-back sets are measured once before and
#: once after a session's tuning, never in between (the first one's figures are pinned in tests).
DEFAULT_SETS = [name for name in SETS if name == "fresh-heldback" or name not in HELD_BACK]


def load(paths: list[Path]) -> list[dict]:
    """Read the items of one set."""
    return [
        json.loads(line)
        for path in paths
        if path.exists()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def evaluate(items: list[dict]) -> tuple[dict, int]:
    """Screen every item in its context and score the predictions."""
    screener = default_screener()
    fallbacks = 0
    predicted = []
    for item in items:
        context = item.get("context", "posting")
        if context not in CONTEXTS:
            fallbacks += 1
            context = "posting"
        result = screener.screen(item["text"], context=context).to_dict()
        predicted.append({"id": item["id"], **result})
    return score(items, predicted), fallbacks


def main() -> None:
    """Print one summary row per set, then the per-category recall of each set."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", choices=sorted(set(SETS) - HELD_BACK),
                        help="print the mismatches of a set (never of a held-back one)")
    parser.add_argument("--sets", nargs="+", choices=sorted(SETS), default=DEFAULT_SETS,
                        help="score only these sets (tuning without looking at the held-back half)")
    args = parser.parse_args()
    print("| set | items | decision accuracy | FP on clean | lowest recall | context fallbacks |")
    print("|---|---|---|---|---|---|")
    reports = {}
    for name, paths in SETS.items():
        if name not in args.sets:
            continue
        items = load(paths)
        if not items:
            continue
        report, fallbacks = evaluate(items)
        reports[name] = report
        rows = [(c, r) for c, r in report["categories"].items() if r["support"]]
        low = min(rows, key=lambda cr: cr[1]["recall"])
        print(
            f"| {name} | {report['items']} | {report['decision_accuracy']:.3f} |"
            f" {report['clean_false_positive_rate']:.3f} (of {report['clean_items']}) |"
            f" {low[1]['recall']:.2f} ({low[0]}) | {fallbacks} |"
        )
    print()
    names = list(reports)
    categories = sorted({c for r in reports.values() for c in r["categories"]})
    print("| category | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for category in categories:
        cells = []
        for name in names:
            row = reports[name]["categories"].get(category)
            cells.append(
                f"{row['recall']:.2f} ({row['support']})" if row and row["support"] else "–"
            )
        print(f"| {category} | " + " | ".join(cells) + " |")
    if args.errors:
        print()
        print(format_report(reports[args.errors]))


if __name__ == "__main__":
    main()
