"""The learned screening model beside the rules (issue 16, fifth session).

One linear model per category (one-vs-rest logistic regression) over the *presence* of
character n-grams (one to three characters) of the compact normalised view
(:func:`.normalize.views`: NFKC, lower case, Traditional → Simplified, zero-width characters,
pictographs and whitespace removed). It is
trained offline (``python manage.py train_screening_model``, scikit-learn, a development
dependency only) on every labelled set in the repository (:data:`TRAINING_FILES`); the weights
are exported to ``model/weights.json``, and inference here is pure Python over the automaton
library the rules already use (``pyahocorasick``). Where the text is shown is not a feature
(see :mod:`.training`).

How it is combined with the rules (:meth:`LearnedModel.hits`, called by
:meth:`.engine.Screener.screen`): a category the rules found keeps the rules' evidence; a
category only the model finds is added when its score reaches the category's ``review``
threshold, and it leads to ``review`` (a person decides), except above the category's
``reject`` threshold, where no text outside the category scored in the cross-validation the
thresholds were chosen with. The evidence of a model-only hit is the passages around the
n-grams that contributed most, in original offsets, with the rule id ``model.<category>``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick

from .normalize import NormalizedText, utf16_units

MODERATION = Path(__file__).resolve().parent
WEIGHTS_PATH = MODERATION / "model" / "weights.json"

#: The labelled sets the model is trained on, as (writer group, path relative to this
#: package). A group is one set written by one person at one time; the thresholds are chosen
#: by leaving one group out at a time. The fifth set's held-back half is never read.
TRAINING_FILES: tuple[tuple[str, str], ...] = (
    ("dev", "eval/dev.jsonl"),
    ("labelled", "tests/labelled/*.jsonl"),
    ("first", "eval/fresh.jsonl"),
    ("second", "eval/second/heldback.jsonl"),
    ("third", "eval/third/fresh.jsonl"),
    ("fourth", "eval/fourth/fresh.jsonl"),
    ("pool", "eval/pool/*.jsonl"),
    ("fifth", "eval/fifth/tuning.jsonl"),
)

#: The contexts the model screens in. Not in the others, where the rules' context limits say
#: why a word is lawful there and the model (which does not read the context) cannot know it:
#: a résumé describes its own writer (已婚已育, 汉族), a staff guide quotes the requirements it
#: warns against, a fee statement names fees charged to employers, a brand field is a name or
#: a website.
MODEL_CONTEXTS: frozenset[str] = frozenset(
    {"posting", "brochure", "profile", "chat", "interview", "note", "live_comment", "video_title"}
)
#: The lengths of the character n-grams the model reads.
NGRAM_SIZES: tuple[int, ...] = (1, 2, 3)
#: At most this many passages are shown as the evidence of one model-only category.
EVIDENCE_PASSAGES = 3
#: An n-gram contributing less than this share of the best one is not shown as evidence.
EVIDENCE_SHARE = 0.25


def training_paths(root: Path = MODERATION) -> list[tuple[str, Path]]:
    """The training files that exist, in a fixed order, with their writer group."""
    paths: list[tuple[str, Path]] = []
    for group, pattern in TRAINING_FILES:
        paths.extend((group, path) for path in sorted(root.glob(pattern)))
    return paths


def training_items(root: Path = MODERATION) -> list[dict]:
    """Every labelled item of the training files, each text once (first occurrence wins),
    with its ``group``."""
    items: list[dict] = []
    seen: set[tuple[str, str]] = set()
    for group, path in training_paths(root):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            context = item.get("context", "posting")
            if (item["text"], context) in seen:
                continue
            seen.add((item["text"], context))
            items.append({**item, "context": context, "group": group})
    return items


def training_digest(root: Path = MODERATION) -> str:
    """SHA-256 over the training files (relative path and bytes), the weights' provenance."""
    digest = hashlib.sha256()
    for _group, path in training_paths(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def ngrams(text: str) -> set[str]:
    """The distinct character n-grams of a compact view (training side of the features) made of
    letters, digits and ideographs only: an n-gram across punctuation ("。招聘") joins two
    sentences, which a training item (mostly one or two sentences) rarely does and a long
    posting does all the time."""
    grams = {text[i : i + n] for n in NGRAM_SIZES for i in range(len(text) - n + 1)}
    return {gram for gram in grams if gram.isalnum()}


@dataclass(frozen=True, slots=True)
class ModelHit:
    """A category the model found: its decision and the passages (original offsets) behind it."""

    category: str
    decision: str
    score: float
    spans: tuple[tuple[int, int], ...]


class LearnedModel:
    """Compiled weights (see ``model/weights.json``); immutable and shared between threads."""

    def __init__(self, data: dict) -> None:
        """Compile the exported weights."""
        scale = float(data["scale"])
        self.version: str = data["version"]
        self.digest: str = data["training_sha256"]
        self.categories: tuple[str, ...] = tuple(data["categories"])
        self._bias = tuple(b / scale for b in data["bias"])
        self._review = tuple(t / scale for t in data["review"])
        self._reject = tuple(t / scale for t in data["reject"])
        self._grams = tuple(data["features"])
        count = len(self.categories)
        self._weights = tuple(
            tuple((cat, w / scale) for cat, w in pairs) for pairs in data["features"].values()
        )
        # The same weights as one row per feature, every category in it, for summing in C.
        self._rows = tuple(_dense(pairs, count) for pairs in self._weights)
        self._sizes = tuple(map(len, self._grams))
        self._automaton = ahocorasick.Automaton()
        for number, gram in enumerate(self._grams):
            self._automaton.add_word(utf16_units(gram), number)
        self._automaton.make_automaton()

    @property
    def grams(self) -> tuple[str, ...]:
        """The n-grams the model reads, by feature number (the screener's automaton holds them
        beside the rules' words, so that one scan of the text finds both)."""
        return self._grams

    def find(self, text: str) -> list[tuple[int, int]]:
        """(end offset, feature number) of every feature n-gram in the compact view ``text``."""
        # Over UTF-16 code units, like the rules' automaton (see normalize.utf16_units): a
        # match ending inside a character is not an n-gram of the text.
        return [
            ((end + 1) >> 1, number)
            for end, number in self._automaton.iter(utf16_units(text))
            if end & 1
        ]

    def scores(self, found: Iterable[tuple[int, int]]) -> list[float]:
        """The margin (log-odds) of each category given the features ``found`` in a text."""
        rows = self._rows
        present = {number for _end, number in found}
        columns = zip(self._bias, *[rows[number] for number in sorted(present)], strict=True)
        return list(map(sum, columns))

    def hits(
        self,
        found: Sequence[tuple[int, int]],
        compact: NormalizedText,
        categories: Iterable[str],
        decisions: Mapping[str, str],
    ) -> list[ModelHit]:
        """The categories the model finds, given the features ``found`` in the compact view
        ``compact``, that are not among the rules' ``categories``; each with its decision
        (``review`` unless above the ``reject`` threshold of a ``reject`` category) and its
        evidence."""
        scores = self.scores(found)
        ruled = set(categories)
        out = []
        for index, category in enumerate(self.categories):
            score = scores[index]
            if score < self._review[index] or category in ruled:
                continue
            decision = "review"
            if score >= self._reject[index] and decisions[category] == "reject":
                decision = "reject"
            out.append(ModelHit(category, decision, score, self._evidence(found, compact, index)))
        return out

    def _evidence(
        self, found: Sequence[tuple[int, int]], compact: NormalizedText, category: int
    ) -> tuple[tuple[int, int], ...]:
        """The passages of the original text around the n-grams that pushed ``category`` most:
        those weighing at least :data:`EVIDENCE_SHARE` of the heaviest, overlapping ones merged,
        the :data:`EVIDENCE_PASSAGES` heaviest passages kept."""
        weights, sizes = self._weights, self._sizes
        contributions: dict[tuple[int, int], float] = {}
        for stop, number in found:
            for cat, weight in weights[number]:
                if cat == category and weight > 0:
                    contributions[(stop - sizes[number], stop)] = weight
        if not contributions:
            return ()
        floor = max(contributions.values()) * EVIDENCE_SHARE
        passages: list[list] = []  # [start, end, heaviest weight inside]
        for (start, end), weight in sorted(contributions.items()):
            if weight < floor:
                continue
            if passages and start <= passages[-1][1]:
                passages[-1][1] = max(passages[-1][1], end)
                passages[-1][2] = max(passages[-1][2], weight)
            else:
                passages.append([start, end, weight])
        heaviest = sorted(passages, key=lambda p: (-p[2], p[0]))[:EVIDENCE_PASSAGES]
        return tuple(sorted(compact.to_original(start, end) for start, end, _w in heaviest))


def _dense(pairs: Iterable[tuple[int, float]], count: int) -> tuple[float, ...]:
    row = [0.0] * count
    for category, weight in pairs:
        row[category] = weight
    return tuple(row)


def export(
    *,
    version: str,
    digest: str,
    categories: Sequence[str],
    scale: int,
    bias: Sequence[int],
    review: Sequence[int],
    reject: Sequence[int],
    features: dict[str, Sequence[tuple[int, int]]],
) -> str:
    """The weights file's text: sorted keys, one feature a line, so that it diffs and is the same
    bytes for the same weights."""
    head = {
        "version": version,
        "training_sha256": digest,
        "categories": list(categories),
        "scale": scale,
        "bias": list(bias),
        "review": list(review),
        "reject": list(reject),
    }
    lines = [json.dumps(head, ensure_ascii=False, sort_keys=True)[:-1] + ', "features": {']
    items = sorted(features.items())
    for position, (gram, pairs) in enumerate(items):
        comma = "," if position + 1 < len(items) else ""
        weights = json.dumps([list(p) for p in pairs])
        lines.append(f"{json.dumps(gram, ensure_ascii=False)}: {weights}{comma}")
    lines.append("}}")
    return "\n".join(lines) + "\n"


@lru_cache(maxsize=1)
def default_model() -> LearnedModel | None:
    """The committed model, or None when no weights file is there."""
    if not WEIGHTS_PATH.exists():
        return None
    return LearnedModel(json.loads(WEIGHTS_PATH.read_text(encoding="utf-8")))
