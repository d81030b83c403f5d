"""Build the fresh evaluation set (issue 16) from ``items.txt`` and split it ONCE at random.

Run from the repository root::

    python pinqiao/moderation/eval/build.py

``items.txt`` holds one item a line: ``codes|source|context|text`` (see its header). This
script turns it into ``fresh.jsonl`` (the contract's JSON Lines format plus ``context`` and
``source``), shuffles it with the recorded seed ``SEED`` and writes the first half to
``tuning.jsonl`` and the second to ``heldback.jsonl``. The split was made once, before any
rule was changed; re-running it reproduces the same files byte for byte. Rules may be tuned
against ``tuning.jsonl`` only (see ``README.md``).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20261207
#: The second held-back set (issue 16, second session): written before that session changed any
#: rule, never split, never tuned on (``second/README.md``).
SECOND = HERE / "second"
#: The third set (issue 16, third session): written before that session changed any rule for it,
#: split once with its own seed into a tuning and a held-back half (``third/README.md``).
THIRD = HERE / "third"
THIRD_SEED = 202612073
#: The fourth set (issue 16, fourth session): written blind (by a writer who read neither the
#: rules nor the earlier sets) before any rule change for it, split once with its own seed
#: (``fourth/README.md``).
FOURTH = HERE / "fourth"
FOURTH_SEED = 202612074
#: The fifth set (issue 16, fifth session): two halves written blind by two writers who read
#: neither the rules, the engine, the older sets nor each other's items, merged and split once
#: with its own seed (``fifth/README.md``).
FIFTH = HERE / "fifth"
FIFTH_SEED = 202612075
#: The pool (issue 16, fifth session): written blind by a third writer for training only, never
#: split and never used to report a held-back figure (``pool/README.md``).
POOL = HERE / "pool"

CODES = {
    "g": "discrimination.gender",
    "m": "discrimination.marital",
    "e": "discrimination.ethnicity",
    "r": "discrimination.religion",
    "rg": "discrimination.region",
    "h": "discrimination.health",
    "a": "discrimination.age",
    "c": "contact_info",
    "f": "fee_charging",
    "fr": "fraud",
    "i": "illegal_content",
    "n": "non_recruitment",
    "o": "overseas",
    "hs": "harassment",
}
DECISIONS = {
    "discrimination.age": "review",
    "contact_info": "review",
    "non_recruitment": "review",
    "overseas": "review",
}
ORDER = ("pass", "review", "reject")


def items(source: Path = HERE / "items.txt", prefix: str = "f") -> list[dict[str, object]]:
    """Parse ``source`` (``items.txt``) into labelled items with ids ``f001``…"""
    result = []
    lines = source.read_text(encoding="utf-8").splitlines()
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        codes, source, context, text = line.split("|", 3)
        categories = sorted(CODES[c] for c in codes.split(",")) if codes != "-" else []
        decision = max(
            (DECISIONS.get(c, "reject") for c in categories), key=ORDER.index, default="pass"
        )
        result.append(
            {
                "id": f"{prefix}{len(result) + 1:03d}",
                "text": text,
                "decision": decision,
                "categories": categories,
                "context": "posting" if context == "-" else context,
                "source": source,
            }
        )
    return result


def fifth_items() -> list[dict[str, object]]:
    """The fifth set: writer A's items (ids ``va001``…) followed by writer B's (``vb001``…)."""
    return items(FIFTH / "items-a.txt", prefix="va") + items(FIFTH / "items-b.txt", prefix="vb")


def write(path: Path, rows: list[dict[str, object]]) -> None:
    """Write ``rows`` as JSON Lines."""
    path.write_text(
        "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8"
    )


def split(
    rows: list[dict[str, object]], seed: int
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Shuffle ``rows`` with ``seed`` and return the first half (tuning) and the second (held
    back), each in id order."""
    shuffled = rows[:]
    random.Random(seed).shuffle(shuffled)
    half = len(shuffled) // 2
    return (
        sorted(shuffled[:half], key=lambda r: str(r["id"])),
        sorted(shuffled[half:], key=lambda r: str(r["id"])),
    )


def main() -> None:
    """Write ``fresh.jsonl``, ``tuning.jsonl``, ``heldback.jsonl``, the second held-back set,
    the third, fourth and fifth sets' two halves and the pool."""
    rows = items()
    tuning, held = split(rows, SEED)
    write(HERE / "fresh.jsonl", rows)
    write(HERE / "tuning.jsonl", tuning)
    write(HERE / "heldback.jsonl", held)
    print(f"{len(rows)} items: {len(tuning)} tuning, {len(held)} held back (seed {SEED})")
    second = items(SECOND / "items.txt", prefix="s")
    write(SECOND / "heldback.jsonl", second)
    print(f"second held-back set: {len(second)} items, all held back")
    for name, directory, rows, seed in (
        ("third", THIRD, items(THIRD / "items.txt", prefix="t"), THIRD_SEED),
        ("fourth", FOURTH, items(FOURTH / "items.txt", prefix="q"), FOURTH_SEED),
        ("fifth", FIFTH, fifth_items(), FIFTH_SEED),
    ):
        tuning, held = split(rows, seed)
        write(directory / "fresh.jsonl", rows)
        write(directory / "tuning.jsonl", tuning)
        write(directory / "heldback.jsonl", held)
        print(f"{name} set: {len(rows)} items: {len(tuning)} tuning, {len(held)} held back"
              f" (seed {seed})")
    pool = items(POOL / "items.txt", prefix="w")
    write(POOL / "fresh.jsonl", pool)
    print(f"pool: {len(pool)} items, all for training")


if __name__ == "__main__":
    main()
