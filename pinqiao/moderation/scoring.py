"""Scoring a screening run against a labelled set (MOD-6: a test set replayed before a change).

Pure functions. Items follow the contract's JSON Lines format
(``/shared/moderation/README.md``): ``{"id", "decision", "categories"}``; the predictions are
dicts with the same keys (for example ``Screening.to_dict()`` plus the item's ``id``).

The report holds:

* ``decision_accuracy``: share of items whose decision equals the label;
* ``categories``: per category ``precision``, ``recall``, ``support`` (labelled items),
  ``predicted`` (items the engine put in the category) and ``true_positives``;
* ``clean_false_positive_rate``: among *clean* items (labelled ``pass`` with no categories),
  the share that did not get ``pass``;
* ``errors``: the ids whose decision or categories differ, with both sides, for debugging.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .engine import CATEGORIES, Screener


def score(labelled: Sequence[Mapping[str, Any]], predicted: Sequence[Mapping[str, Any]]) -> dict:
    """Compare ``predicted`` with ``labelled`` (matched by ``id``) and return the report.

    Raises ``ValueError`` if an id is missing from the predictions or appears twice.
    """
    by_id: dict[str, Mapping[str, Any]] = {}
    for item in predicted:
        if item["id"] in by_id:
            raise ValueError(f"duplicate prediction id {item['id']!r}")
        by_id[item["id"]] = item
    counts = {c: {"true_positives": 0, "support": 0, "predicted": 0} for c in CATEGORIES}
    correct = clean = clean_flagged = 0
    errors: list[dict[str, Any]] = []
    seen: set[str] = set()
    for item in labelled:
        item_id = item["id"]
        if item_id in seen:
            raise ValueError(f"duplicate labelled id {item_id!r}")
        seen.add(item_id)
        if item_id not in by_id:
            raise ValueError(f"no prediction for id {item_id!r}")
        guess = by_id[item_id]
        want, got = set(item["categories"]), set(guess["categories"])
        for category in want | got:
            row = counts.setdefault(category, {"true_positives": 0, "support": 0, "predicted": 0})
            row["support"] += category in want
            row["predicted"] += category in got
            row["true_positives"] += category in want and category in got
        correct += guess["decision"] == item["decision"]
        if item["decision"] == "pass" and not want:
            clean += 1
            clean_flagged += guess["decision"] != "pass"
        if guess["decision"] != item["decision"] or want != got:
            errors.append(
                {
                    "id": item_id,
                    "expected": {"decision": item["decision"], "categories": sorted(want)},
                    "got": {"decision": guess["decision"], "categories": sorted(got)},
                }
            )
    return {
        "items": len(labelled),
        "decision_accuracy": _ratio(correct, len(labelled)),
        "clean_items": clean,
        "clean_false_positive_rate": _ratio(clean_flagged, clean),
        "categories": {
            category: {
                **row,
                "precision": _ratio(row["true_positives"], row["predicted"]),
                "recall": _ratio(row["true_positives"], row["support"]),
            }
            for category, row in counts.items()
        },
        "errors": errors,
    }


def screen_and_score(screener: Screener, items: Sequence[Mapping[str, Any]]) -> dict:
    """Screen every labelled item in the context it names (``posting`` when it names none)
    and :func:`score` the decisions."""
    predicted = [{"id": item["id"],
                  **screener.screen(item["text"], item.get("context", "posting")).to_dict()}
                 for item in items]
    return score(items, predicted)


def format_report(report: Mapping[str, Any]) -> str:
    """Render a report from :func:`score` as a plain-text table."""
    lines = [
        f"items: {report['items']}",
        f"decision accuracy: {report['decision_accuracy']:.3f}",
        f"false positives on clean items: {report['clean_false_positive_rate']:.3f}"
        f" (of {report['clean_items']})",
        "",
        f"{'category':<26}{'precision':>10}{'recall':>8}{'support':>9}{'predicted':>11}",
    ]
    for category, row in report["categories"].items():
        lines.append(
            f"{category:<26}{row['precision']:>10.3f}{row['recall']:>8.3f}"
            f"{row['support']:>9}{row['predicted']:>11}"
        )
    if report["errors"]:
        lines += ["", f"mismatches: {len(report['errors'])}"]
        for error in report["errors"]:
            expected, got = error["expected"], error["got"]
            lines.append(
                f"  {error['id']}: expected {expected['decision']} {expected['categories']},"
                f" got {got['decision']} {got['categories']}"
            )
    return "\n".join(lines)


def _ratio(numerator: int, denominator: int) -> float:
    """``numerator / denominator``, or 1.0 when there is nothing to measure."""
    return numerator / denominator if denominator else 1.0
