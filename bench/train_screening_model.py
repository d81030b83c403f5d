"""Train the learned screening model and write ``pinqiao/moderation/model/weights.json``
(issue 16, fifth session; :mod:`pinqiao.moderation.training`).

Run from the repository root with the development dependencies (scikit-learn)::

    python bench/train_screening_model.py          # write the weights file
    python bench/train_screening_model.py --check  # exit 1 unless the file is what training makes

The same training files give the same bytes (fixed seed, weights rounded to 1/1000).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pinqiao.moderation.learned import WEIGHTS_PATH, training_digest, training_items  # noqa: E402
from pinqiao.moderation.training import train  # noqa: E402


def main() -> None:
    """Train on every labelled set and write (or check) the weights file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="compare with the committed file instead of writing it")
    args = parser.parse_args()
    items = training_items()
    started = time.process_time()
    text = train(items, training_digest(), progress=lambda m: print(m, file=sys.stderr))
    print(f"{len(items)} items, {time.process_time() - started:.1f} s of CPU, "
          f"{len(text.encode())} bytes", file=sys.stderr)
    if args.check:
        same = WEIGHTS_PATH.exists() and WEIGHTS_PATH.read_text(encoding="utf-8") == text
        print("weights file matches" if same else "weights file differs", file=sys.stderr)
        sys.exit(0 if same else 1)
    WEIGHTS_PATH.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
