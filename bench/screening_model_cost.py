"""What the learned model costs the screening (issue 16, fifth session): CPU time per posting
of the rules alone and of the rules with the model, alternating in one process.

Run from the repository root::

    python bench/screening_model_cost.py [--postings N] [--rounds R]

The corpus is ``bench/screening.py``'s (seed 2026, 300-800 characters a posting). Each round
screens every posting with both screeners, which go first in turn; the least CPU time of the
rounds counts for each (other load can only slow a round down). Prints µs of CPU a posting,
postings a second on one core, and how many postings the model changes.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.screening import postings  # noqa: E402
from bench.screening_same import cpu_per_text  # noqa: E402
from pinqiao.moderation.engine import DEFAULT_RULES_PATH, Screener  # noqa: E402
from pinqiao.moderation.learned import default_model  # noqa: E402


def main() -> None:
    """Time both screeners, alternating, and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    rules = json.loads(DEFAULT_RULES_PATH.read_text(encoding="utf-8"))
    screeners = {"rules": Screener.from_rules(rules),
                 "rules + model": Screener.from_rules(rules, model=default_model())}
    texts = postings(args.postings, 2026)
    changed = sum(
        screeners["rules"].screen(t).to_dict() != screeners["rules + model"].screen(t).to_dict()
        for t in texts
    )
    best = dict.fromkeys(screeners, float("inf"))
    order = list(screeners)
    for _round in range(args.rounds):
        for name in order:
            best[name] = min(best[name], cpu_per_text(screeners[name], texts))
        order.reverse()
    print(f"{len(texts)} postings, {sum(map(len, texts)):,} characters, {args.rounds} rounds, "
          f"load {os.getloadavg()[0]:.1f}; {changed} screenings changed by the model")
    for name, seconds in best.items():
        per = seconds / len(texts)
        print(f"{name}: {per * 1e6:.1f} µs of CPU a posting, {1 / per:,.0f} postings/s on one core")


if __name__ == "__main__":
    main()
