"""Leave one writer out: train the learned screening model without one writer's set and score
the rules alone and the rules with that model on it (issue 16, fifth session).

Run from the repository root with the development dependencies (scikit-learn)::

    python bench/screening_lowo.py fourth
    python bench/screening_lowo.py pool

The named group (see ``pinqiao.moderation.learned.TRAINING_FILES``) is left out of training
and of the thresholds' cross-validation, then scored whole and, when the group has them, its
halves. Only figures are printed, never items.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pinqiao.moderation.engine import DEFAULT_RULES_PATH, Screener  # noqa: E402
from pinqiao.moderation.learned import (  # noqa: E402
    MODERATION,
    LearnedModel,
    training_digest,
    training_items,
)
from pinqiao.moderation.scoring import score  # noqa: E402
from pinqiao.moderation.training import train  # noqa: E402

#: Parts of a group scored on their own as well (spent halves).
PARTS = {
    "fourth": {"fourth-tuning": "eval/fourth/tuning.jsonl",
               "fourth-heldback": "eval/fourth/heldback.jsonl"},
}


def _ids(relative: str) -> set[str]:
    lines = (MODERATION / relative).read_text(encoding="utf-8").splitlines()
    return {json.loads(line)["id"] for line in lines if line.strip()}


def _report(items: list[dict], screener: Screener) -> dict:
    predicted = [{"id": i["id"], **screener.screen(i["text"], i["context"]).to_dict()}
                 for i in items]
    return score(items, predicted)


def _row(name: str, label: str, report: dict) -> str:
    recalls = {c: r["recall"] for c, r in report["categories"].items() if r["support"]}
    low = min(recalls, key=recalls.__getitem__)
    under = sum(r < 0.9 for r in recalls.values())
    flagged = round(report["clean_false_positive_rate"] * report["clean_items"])
    return (f"| {name} | {label} | {report['items']} | {report['decision_accuracy']:.3f} |"
            f" {report['clean_false_positive_rate']:.1%} ({flagged} of {report['clean_items']}) |"
            f" {recalls[low]:.2f} ({low}) | {under} |")


def main() -> None:
    """Train without one group and print one row per screener and part."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("group", help="the writer group left out (fourth, pool, …)")
    args = parser.parse_args()
    items = training_items()
    held = [i for i in items if i["group"] == args.group]
    if not held or args.group == "fifth":
        parser.error(f"no group {args.group!r} to leave out")
    model = LearnedModel(json.loads(train([i for i in items if i["group"] != args.group],
                                          training_digest())))
    rules = json.loads(DEFAULT_RULES_PATH.read_text(encoding="utf-8"))
    screeners = {"rules": Screener.from_rules(rules),
                 "rules + model": Screener.from_rules(rules, model=model)}
    parts = {args.group: held}
    for name, relative in PARTS.get(args.group, {}).items():
        ids = _ids(relative)
        parts[name] = [i for i in held if i["id"] in ids]
    print("| set | screening | items | decision accuracy | FP on clean | lowest recall |"
          " categories under 0.90 |")
    print("|---|---|---|---|---|---|---|")
    reports = {(name, label): _report(part, screener)
               for name, part in parts.items() for label, screener in screeners.items()}
    for (name, label), report in reports.items():
        print(_row(name, label, report))
    print()
    print("| category | " + " | ".join(f"{n} ({label})" for n, label in reports) + " |")
    print("|---|" + "---|" * len(reports))
    categories = sorted({c for r in reports.values() for c, row in r["categories"].items()
                         if row["support"]})
    for category in categories:
        cells = []
        for report in reports.values():
            row = report["categories"].get(category)
            cells.append(f"{row['recall']:.2f} ({row['support']})"
                         if row and row["support"] else "–")
        print(f"| {category} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
