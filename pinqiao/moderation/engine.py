"""The screening engine: rules as data, one decision per text, evidence in original offsets.

Requirements met here:

* MOD-1: every public text (postings, profiles, résumés, chat, live-room comments, video
  titles) is screened to ``pass`` / ``review`` / ``reject`` with the contract's categories
  (``/shared/moderation/README.md``); the strongest decision wins.
* MOD-2: discrimination (gender, marital/childbearing, ethnicity, religion, region/hukou,
  health incl. hepatitis B and disability) is refused, age limits go to review; every hit
  carries its rule id (whose note cites the clause) and the exact words, so the poster can
  be told what to change.
* MOD-3: contact details in free text, overseas-job lures, illegal trade and franchising
  pitches are caught, including obfuscated forms (full-width, Chinese numerals, "V信").
* MOD-4: charging job seekers, drawing users off the platform (导流), 招转培 / 培训贷 and
  pyramid schemes map into ``fee_charging``, ``contact_info`` and ``illegal_content``.
* MOD-6: the word lists and patterns live in a JSON rule set (``rules/default.json``) that
  staff can edit and version; :meth:`Screener.from_rules` validates and compiles it once.
* JOB-8: "日赚千元, no experience" pay patterns are caught as ``fraud``.

The engine is pure Python (no Django). A :class:`Screener` is immutable after construction
and safe to share between threads: screening only reads the compiled automaton and regexes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import ahocorasick

from .normalize import NormalizedText, normalize, views

#: Decisions from weakest to strongest; the strongest one found wins.
DECISION_ORDER: tuple[str, ...] = ("pass", "review", "reject")

#: The contract's fixed vocabulary and the decision each category leads to.
CATEGORY_DECISIONS: Mapping[str, str] = MappingProxyType(
    {
        "discrimination.gender": "reject",
        "discrimination.marital": "reject",
        "discrimination.ethnicity": "reject",
        "discrimination.religion": "reject",
        "discrimination.region": "reject",
        "discrimination.health": "reject",
        "discrimination.age": "review",
        "contact_info": "review",
        "fee_charging": "reject",
        "fraud": "reject",
        "illegal_content": "reject",
    }
)

#: The categories of the contract, in the contract's order.
CATEGORIES: tuple[str, ...] = tuple(CATEGORY_DECISIONS)

#: Where text is screened (MOD-1); a rule may be limited to some of them.
CONTEXTS: tuple[str, ...] = ("posting", "profile", "resume", "chat", "live_comment", "video_title")

#: The normalised views a regex rule may run on (see :mod:`.normalize`).
VIEWS: tuple[str, ...] = ("compact", "spaced", "digits")

DEFAULT_RULES_PATH = Path(__file__).with_name("rules") / "default.json"

_HIT, _EXCEPTION, _NEUTRAL = 0, 1, 2


class RuleSetError(ValueError):
    """A rule set is malformed; the message names the offending rule or field."""


@dataclass(frozen=True, slots=True)
class Evidence:
    """One matched passage: ``text == original[start:end]``, found by rule ``rule_id``."""

    start: int
    end: int
    text: str
    category: str
    rule_id: str


@dataclass(frozen=True, slots=True)
class Screening:
    """The outcome of screening one text."""

    decision: str
    categories: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    rule_ids: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (the contract's ``decision`` / ``categories`` plus detail)."""
        return {
            "decision": self.decision,
            "categories": list(self.categories),
            "rule_ids": list(self.rule_ids),
            "evidence": [
                {
                    "start": e.start,
                    "end": e.end,
                    "text": e.text,
                    "category": e.category,
                    "rule_id": e.rule_id,
                }
                for e in self.evidence
            ],
        }


@dataclass(frozen=True, slots=True)
class _Rule:
    """A compiled rule."""

    id: str
    category: str
    kind: str
    view: str
    regexes: tuple[re.Pattern[str], ...]
    triggers: tuple[str, ...]
    radius: int
    negatable: bool
    contexts: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Hit:
    """A raw match of a rule in one view, before exceptions and negations are applied."""

    rule: int
    view: NormalizedText
    start: int
    end: int


class Screener:
    """A compiled rule set. Build it with :meth:`from_rules` or :meth:`from_file`."""

    def __init__(
        self,
        *,
        version: str,
        rules: Sequence[_Rule],
        automaton: ahocorasick.Automaton,
        triggers: ahocorasick.Automaton | None,
        decisions: Mapping[str, str],
        window: int,
        delimiters: re.Pattern[str],
        before: re.Pattern[str] | None,
        after: re.Pattern[str] | None,
        blockers: re.Pattern[str] | None,
    ) -> None:
        """Store compiled parts; use :meth:`from_rules`, which validates them."""
        self.version = version
        self._rules = tuple(rules)
        self._regex_rules = tuple(i for i, r in enumerate(self._rules) if r.kind == "regex")
        self._automaton = automaton
        self._triggers = triggers
        self._decisions = MappingProxyType(dict(decisions))
        self._window = window
        self._delimiters = delimiters
        self._before = before
        self._after = after
        self._blockers = blockers

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """The ids of all rules, in rule-set order."""
        return tuple(r.id for r in self._rules)

    @classmethod
    def from_file(cls, path: str | Path) -> Screener:
        """Load and compile a JSON rule set from ``path``."""
        with open(path, encoding="utf-8") as handle:
            return cls.from_rules(json.load(handle))

    @classmethod
    def from_rules(cls, data: Mapping[str, Any]) -> Screener:
        """Validate and compile a rule set (the schema of ``rules/default.json``).

        Raises :class:`RuleSetError` when the rule set does not follow the schema, uses a
        category outside the contract's vocabulary, or holds a regex that does not compile.
        """
        version = data.get("version")
        if not isinstance(version, str) or not version:
            raise RuleSetError("'version' must be a non-empty string")
        decisions = dict(CATEGORY_DECISIONS)
        for category, decision in _mapping(data, "category_decisions").items():
            if category not in CATEGORY_DECISIONS:
                raise RuleSetError(f"category_decisions: unknown category {category!r}")
            if decision not in DECISION_ORDER:
                raise RuleSetError(f"category_decisions: unknown decision {decision!r}")
            decisions[category] = decision

        words: dict[str, list[tuple[int, int]]] = {}

        def add_word(phrase: str, kind: int, rule: int) -> None:
            key = normalize(phrase, keep_spaces=False).text
            if not key:
                raise RuleSetError(f"empty phrase {phrase!r}")
            words.setdefault(key, []).append((kind, rule))

        for phrase in _strings(data, "neutral_phrases"):
            add_word(phrase, _NEUTRAL, -1)

        rules: list[_Rule] = []
        seen: set[str] = set()
        raw_rules = data.get("rules")
        if not isinstance(raw_rules, list) or not raw_rules:
            raise RuleSetError("'rules' must be a non-empty list")
        for raw in raw_rules:
            rule = _compile_rule(raw, seen)
            index = len(rules)
            rules.append(rule)
            if rule.kind == "term":
                for pattern in _strings(raw, "patterns", required=True):
                    add_word(pattern, _HIT, index)
            for phrase in _strings(raw, "exceptions"):
                add_word(phrase, _EXCEPTION, index)

        automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
        for key, entries in words.items():
            automaton.add_word(key, (len(key), tuple(entries)))
        automaton.make_automaton()
        anchors: dict[str, list[int]] = {}
        for index, rule in enumerate(rules):
            for trigger in rule.triggers:
                anchors.setdefault(trigger, []).append(index)
        triggers = None
        if anchors:
            triggers = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
            for key, indices in anchors.items():
                triggers.add_word(key, (len(key), tuple(indices)))
            triggers.make_automaton()

        negations = _mapping(data, "negations")
        window = negations.get("window", 8)
        if not isinstance(window, int) or window < 0:
            raise RuleSetError("negations.window must be a non-negative integer")
        delimiters = data.get("clause_delimiters", "，,。；;！!？?\n")
        if not isinstance(delimiters, str) or not delimiters:
            raise RuleSetError("'clause_delimiters' must be a non-empty string")
        return cls(
            version=version,
            rules=rules,
            automaton=automaton,
            triggers=triggers,
            decisions=decisions,
            window=window,
            delimiters=re.compile("[" + re.escape(delimiters) + "]"),
            before=_alternation(_strings(negations, "before")),
            after=_alternation(_strings(negations, "after")),
            blockers=_alternation(_strings(negations, "blockers")),
        )

    def screen(self, text: str, context: str = "posting") -> Screening:
        """Screen ``text`` shown in ``context`` (one of :data:`CONTEXTS`)."""
        if not isinstance(text, str):
            raise TypeError("text must be a str")
        if context not in CONTEXTS:
            raise ValueError(f"unknown context {context!r}; expected one of {CONTEXTS}")
        compact, spaced = views(text)
        hits: list[_Hit] = []
        neutral: list[tuple[int, int]] = []
        excepted: dict[int, list[tuple[int, int]]] = {}
        for end, (length, entries) in self._automaton.iter(compact.text):
            start = end + 1 - length
            for kind, index in entries:
                if kind == _HIT:
                    if context in self._rules[index].contexts:
                        hits.append(_Hit(index, compact, start, end + 1))
                elif kind == _NEUTRAL:
                    neutral.append(compact.to_original(start, end + 1))
                else:
                    excepted.setdefault(index, []).append(compact.to_original(start, end + 1))
        windows = self._windows(spaced.text)
        digits: NormalizedText | None = None
        for index in self._regex_rules:
            rule = self._rules[index]
            if context not in rule.contexts:
                continue
            if rule.view == "compact":
                view = compact
            elif rule.view == "spaced":
                view = spaced
            else:
                digits = digits or spaced.with_digits()
                view = digits
            spans = windows.get(index, ()) if rule.triggers else ((0, len(view.text)),)
            for regex in rule.regexes:
                for low, high in spans:
                    for match in regex.finditer(view.text, low, high):
                        # Re-match on the whole text: a window's edge must not fake an end.
                        full = regex.match(view.text, match.start())
                        if full is not None and full.end() > full.start():
                            hits.append(_Hit(index, view, full.start(), full.end()))
        return self._decide(text, hits, neutral, excepted)

    def _windows(self, text: str) -> dict[int, list[tuple[int, int]]]:
        """Find where each triggered regex rule may match: ``radius`` around its triggers.

        ``text`` is the spaced view, whose offsets the digits view shares.
        """
        windows: dict[int, list[tuple[int, int]]] = {}
        if self._triggers is None:
            return windows
        for end, (length, indices) in self._triggers.iter(text):
            for index in indices:
                radius = self._rules[index].radius
                low, high = max(0, end + 1 - length - radius), end + 1 + radius
                spans = windows.setdefault(index, [])
                if spans and low <= spans[-1][1]:
                    spans[-1] = (min(low, spans[-1][0]), max(high, spans[-1][1]))
                else:
                    spans.append((low, high))
        return windows

    def _decide(
        self,
        text: str,
        hits: Iterable[_Hit],
        neutral: list[tuple[int, int]],
        excepted: Mapping[int, list[tuple[int, int]]],
    ) -> Screening:
        """Drop neutralised and negated hits, then build the screening from what is left."""
        kept: dict[int, list[tuple[int, int]]] = {}
        for hit in sorted(hits, key=lambda h: (h.rule, h.view.to_original(h.start, h.end))):
            span = hit.view.to_original(hit.start, hit.end)
            spans = kept.setdefault(hit.rule, [])
            if any(s <= span[0] and span[1] <= e for s, e in spans):
                continue
            if _overlaps(span, neutral) or _overlaps(span, excepted.get(hit.rule, ())):
                continue
            if self._rules[hit.rule].negatable and self._negated(hit):
                continue
            spans[:] = [(s, e) for s, e in spans if not (span[0] <= s and e <= span[1])]
            spans.append(span)
        evidence = sorted(
            (
                Evidence(s, e, text[s:e], self._rules[i].category, self._rules[i].id)
                for i, spans in kept.items()
                for s, e in spans
            ),
            key=lambda ev: (ev.start, ev.end, ev.rule_id),
        )
        categories = tuple(sorted({e.category for e in evidence}))
        decision = max(
            (self._decisions[c] for c in categories), key=DECISION_ORDER.index, default="pass"
        )
        return Screening(
            decision=decision,
            categories=categories,
            evidence=tuple(evidence),
            rule_ids=tuple(sorted({e.rule_id for e in evidence})),
        )

    def _negated(self, hit: _Hit) -> bool:
        """Whether a negation cue in the same clause neutralises ``hit`` ("不收取押金")."""
        text = hit.view.text
        if self._before is not None:
            # The clause up to the hit's end: a cue may start before the hit and run into it
            # ("不收取押金" against the phrase "收取押金").
            before = self._delimiters.split(text[max(0, hit.start - self._window) : hit.start])[-1]
            window = before + text[hit.start : hit.end]
            offset = len(before)
            cues = [m for m in self._before.finditer(window) if m.start() < offset]
            if cues:
                between = window[cues[-1].end() : offset]
                if self._blockers is None or not self._blockers.search(between):
                    return True
        if self._after is None:
            return False
        after = self._delimiters.split(text[hit.end : hit.end + self._window])[0]
        return self._after.search(after) is not None


@lru_cache(maxsize=1)
def default_screener() -> Screener:
    """Return the shared :class:`Screener` for the bundled ``rules/default.json``."""
    return Screener.from_file(DEFAULT_RULES_PATH)


def _compile_rule(raw: Any, seen: set[str]) -> _Rule:
    """Validate one rule entry and compile it (its term patterns go to the automaton)."""
    if not isinstance(raw, Mapping):
        raise RuleSetError("each rule must be an object")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not rule_id:
        raise RuleSetError("each rule needs a non-empty string 'id'")
    if rule_id in seen:
        raise RuleSetError(f"duplicate rule id {rule_id!r}")
    seen.add(rule_id)
    category = raw.get("category")
    if category not in CATEGORY_DECISIONS:
        raise RuleSetError(f"{rule_id}: unknown category {category!r}")
    note = raw.get("note")
    if not isinstance(note, str) or not note.strip():
        raise RuleSetError(f"{rule_id}: 'note' must cite the legal basis")
    kind = raw.get("type")
    view = raw.get("view", "compact" if kind == "term" else "spaced")
    if kind not in ("term", "regex"):
        raise RuleSetError(f"{rule_id}: 'type' must be 'term' or 'regex'")
    if view not in VIEWS or (kind == "term" and view != "compact"):
        raise RuleSetError(f"{rule_id}: bad view {view!r}")
    contexts = frozenset(_strings(raw, "contexts") or CONTEXTS)
    if not contexts <= set(CONTEXTS):
        raise RuleSetError(f"{rule_id}: unknown contexts {sorted(contexts - set(CONTEXTS))}")
    negatable = raw.get("negatable", False)
    if not isinstance(negatable, bool):
        raise RuleSetError(f"{rule_id}: 'negatable' must be true or false")
    triggers = tuple(_strings(raw, "triggers"))
    if triggers and (kind != "regex" or view == "compact"):
        raise RuleSetError(f"{rule_id}: triggers apply to regex rules on the spaced or digits view")
    triggers = tuple(normalize(t, keep_spaces=True).text for t in triggers)
    radius = raw.get("radius", 40)
    if not isinstance(radius, int) or radius < 1:
        raise RuleSetError(f"{rule_id}: 'radius' must be a positive integer")
    patterns = _strings(raw, "patterns", required=True)
    regexes: list[re.Pattern[str]] = []
    if kind == "regex":
        for pattern in patterns:
            try:
                regexes.append(re.compile(pattern))
            except re.error as error:
                raise RuleSetError(f"{rule_id}: bad regex {pattern!r}: {error}") from error
    return _Rule(
        id=rule_id,
        category=category,
        kind=kind,
        view=view,
        regexes=tuple(regexes),
        triggers=triggers,
        radius=radius,
        negatable=negatable,
        contexts=contexts,
    )


def _mapping(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """Return ``data[key]`` as a mapping (empty if absent)."""
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        raise RuleSetError(f"{key!r} must be an object")
    return value


def _strings(data: Mapping[str, Any], key: str, *, required: bool = False) -> list[str]:
    """Return ``data[key]`` as a list of non-empty strings (empty if absent and optional)."""
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise RuleSetError(f"{key!r} must be a list of non-empty strings")
    if required and not value:
        raise RuleSetError(f"{key!r} must not be empty")
    return value


def _alternation(phrases: Sequence[str]) -> re.Pattern[str] | None:
    """Compile literal phrases (normalised like the text) into one alternation, longest first."""
    keys = sorted({normalize(p, keep_spaces=True).text for p in phrases}, key=len, reverse=True)
    return re.compile("|".join(re.escape(k) for k in keys)) if keys else None


def _overlaps(span: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    """Whether ``span`` shares at least one character with any of ``spans``."""
    return any(s < span[1] and span[0] < e for s, e in spans)
