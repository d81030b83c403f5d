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
* Issue 16: Traditional Chinese is screened like Simplified (see :mod:`.normalize`); the
  contract's ``non_recruitment`` (招生, 招商/代理/加盟), ``overseas`` (jobs abroad without a
  对外劳务合作 licence on file, waived for licensed operators through ``waived``) and
  ``harassment`` (insults, threats, sexual remarks in chat) have their own rules, and
  ``fee_statement`` texts are judged by who pays (DISC-4).

The engine is pure Python (no Django). A :class:`Screener` is immutable after construction
and safe to share between threads: screening only reads the compiled automaton and regexes.

Rule-set schema (a JSON object; ``rules/default.json`` is the bundled one)::

    {
      "version": "2026.11.1",                      # required, names the version (MOD-6)
      "description": "...",                        # optional, free text
      "category_decisions": {"fraud": "reject"},   # optional overrides of CATEGORY_DECISIONS
      "clause_delimiters": "，,。；;！!？?\n",      # where a negation stops reaching
      "negations": {
        "window": 16,                              # characters looked at around a hit
        "before": ["不收取", "免", "严禁", ...],    # cue before a hit in the same clause
        "after": ["由公司承担", "全免", ...],       # cue after a hit in the same clause
        "blockers": ["需", "交", ...]              # between cue and hit, these cancel the cue
      },
      "lists": {"place": ["北京", "本地", ...]},  # phrase lists, used in regexes as {{place}}
      "neutral_phrases": ["性别不限", ...],        # a hit of any rule overlapping one is dropped
      "rules": [
        {
          "id": "fee.charge_phrase",               # stable, unique
          "category": "fee_charging",              # one of CATEGORIES
          "type": "term",                          # "term": literal phrases (Aho-Corasick),
                                                   # "regex": regular expressions
          "patterns": ["押金", "培训费", ...],
          "view": "spaced",                        # regex only: compact | spaced | digits
          "triggers": ["缴", "自费", ...],          # regex only: tried within "radius"
          "radius": 24,                            #   characters of a trigger (default 30)
          "exceptions": ["投标保证金", ...],        # hits overlapping these are dropped
          "negatable": true,                       # negation cues apply (default false)
          "contexts": ["posting", "chat"],         # where the rule applies (default: all)
          "note": "劳动合同法 §9 ..."                # required: the legal basis
        }
      ]
    }

Term patterns, exceptions, neutral phrases, triggers and list phrases are normalised like
the text (NFKC, lower case, no zero-width characters); regexes see the normalised view in
lower case. A regex rule without triggers scans the whole view, except on the digits view,
where it is tried around runs of ten or more digits (:func:`.normalize.number_runs`).
"""

from __future__ import annotations

import json
import re
import re._constants as re_constants
import re._parser as re_parser
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from operator import itemgetter
from pathlib import Path
from types import MappingProxyType
from typing import Any

import ahocorasick

from .learned import MODEL_CONTEXTS, LearnedModel, ModelHit, default_model
from .normalize import (
    NormalizedText,
    may_hold_number_run,
    normalize,
    number_runs,
    utf16_units,
    views,
)

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
        "non_recruitment": "review",
        "overseas": "review",
        "harassment": "reject",
    }
)

#: The categories of the contract, in the contract's order.
CATEGORIES: tuple[str, ...] = tuple(CATEGORY_DECISIONS)

#: Where text is screened (MOD-1); a rule may be limited to some of them. ``brochure`` is a
#: 招聘简章 (ORG-13), screened like a posting; ``brand`` a brand name or website (ORG-15);
#: ``fee_statement`` an agency's fee schedule (DISC-4), where charging employers is lawful and
#: charging seekers is not; ``interview`` an interview invitation and ``note`` a note the job
#: seeker can read, both addressed to one person like a chat message; ``guide`` a job-search
#: guide written by staff (ANA-4), which warns about deposits and fees by naming them, so the
#: rules limited to recruiting texts (``fee.*``) do not apply there and the rules for every
#: context (discrimination, contact diversion, illegal content) do.
CONTEXTS: tuple[str, ...] = (
    "posting",
    "profile",
    "resume",
    "chat",
    "live_comment",
    "video_title",
    "brochure",
    "brand",
    "fee_statement",
    "interview",
    "note",
    "guide",
)

#: The normalised views a regex rule may run on (see :mod:`.normalize`).
VIEWS: tuple[str, ...] = ("compact", "spaced", "digits")

DEFAULT_RULES_PATH = Path(__file__).with_name("rules") / "default.json"

_HIT, _EXCEPTION, _NEUTRAL, _TRIGGER, _FEATURE = 0, 1, 2, 3, 4
#: How far before a run of digits a digits-view pattern may start ("联系电话：", "QQ号码：").
_NUMBER_LEAD = 16
_SPACE = re.compile(r"\s")
#: The sort key of located hits: rule, then span (hits themselves do not compare).
_RULE_AND_SPAN = itemgetter(0, 1)
#: ``waived`` when nothing is: the one empty frozenset, so plans are cached under one key.
_NOTHING_WAIVED: frozenset[str] = frozenset()
_LIST_REFERENCE = re.compile(r"\{\{([a-z_][a-z0-9_]*)\}\}")


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


#: The screening of a text in which nothing was found (immutable, so it can be shared).
_PASS = Screening(decision="pass", categories=(), evidence=(), rule_ids=())


@dataclass(frozen=True, slots=True)
class _Rule:
    """A compiled rule."""

    id: str
    category: str
    kind: str
    view: str
    regex: re.Pattern[str] | None
    triggers: tuple[str, ...]
    radius: int
    negatable: bool
    contexts: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Plan:
    """A rule set read for one context: per automaton key, (is a neutral phrase, rules it is a
    hit of, rules it is an exception of, rules it triggers, the learned model's feature number
    or -1), or None when it means nothing there; and the regex rules without triggers that run
    there."""

    matches: tuple[tuple[bool, tuple[int, ...], tuple[int, ...], tuple[int, ...], int] | None, ...]
    untriggered: tuple[int, ...]


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
        keys: Sequence[tuple[tuple[int, int], ...]],
        decisions: Mapping[str, str],
        window: int,
        delimiters: re.Pattern[str],
        before: re.Pattern[str] | None,
        after: re.Pattern[str] | None,
        blockers: re.Pattern[str] | None,
        model: LearnedModel | None = None,
    ) -> None:
        """Store compiled parts; use :meth:`from_rules`, which validates them."""
        self.version = version
        self.model = model
        self._rules = tuple(rules)
        self._regex_rules = tuple(i for i, r in enumerate(self._rules) if r.kind == "regex")
        self._radii = tuple(r.radius for r in self._rules)
        self._automaton = automaton
        self._keys = tuple(keys)
        self._plans: dict[tuple[str, frozenset[str]], _Plan] = {}
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
    def from_rules(cls, data: Mapping[str, Any], *, model: LearnedModel | None = None) -> Screener:
        """Validate and compile a rule set (the schema of ``rules/default.json``); ``model``,
        if given, screens beside the rules (:mod:`.learned`).

        Raises :class:`RuleSetError` when the rule set does not follow the schema, uses a
        category outside the contract's vocabulary, or holds a regex that does not compile.
        """
        if not isinstance(data, Mapping):
            raise RuleSetError("a rule set must be a JSON object")
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
        lists = _lists(data)
        for raw in raw_rules:
            rule = _compile_rule(raw, seen, lists)
            index = len(rules)
            rules.append(rule)
            if rule.kind == "term":
                for pattern in _strings(raw, "patterns", required=True):
                    add_word(pattern, _HIT, index)
            for phrase in _strings(raw, "exceptions"):
                add_word(phrase, _EXCEPTION, index)

        for index, rule in enumerate(rules):
            for trigger in rule.triggers:
                add_word(trigger, _TRIGGER, index)
        if model is not None:
            # The model's n-grams are already in the compact view's form.
            for number, gram in enumerate(model.grams):
                words.setdefault(gram, []).append((_FEATURE, number))
        keys = [tuple(entries) for entries in words.values()]
        automaton = _automaton({key: number for number, key in enumerate(words)})

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
            keys=keys,
            decisions=decisions,
            window=window,
            delimiters=re.compile("[" + re.escape(delimiters) + "]"),
            before=_alternation(_strings(negations, "before")),
            after=_alternation(_strings(negations, "after")),
            blockers=_alternation(_strings(negations, "blockers")),
            model=model,
        )

    def screen(
        self, text: str, context: str = "posting", *, waived: Iterable[str] = ()
    ) -> Screening:
        """Screen ``text`` shown in ``context`` (one of :data:`CONTEXTS`).

        ``waived`` names categories the poster is licensed for, whose hits are dropped: an
        organisation with a verified 对外劳务合作 licence (ORG-12) may post jobs abroad, so
        ``overseas`` is waived for it (its ``fraud`` lures are not).
        """
        if not isinstance(text, str):
            raise TypeError("text must be a str")
        if context not in CONTEXTS:
            raise ValueError(f"unknown context {context!r}; expected one of {CONTEXTS}")
        if waived:
            waived = frozenset(waived)
            if not waived <= CATEGORY_DECISIONS.keys():
                unknown = sorted(waived - CATEGORY_DECISIONS.keys())
                raise ValueError(f"unknown categories {unknown}")
        else:
            waived = _NOTHING_WAIVED
        compact, spaced = views(text)
        plan = self._plan(context, waived)
        matches = plan.matches
        hits: list[_Hit] = []
        # Trigger phrases found: (start, end, the rules they trigger), one entry a phrase.
        triggers: list[tuple[int, int, tuple[int, ...]]] = []
        # The learned model's n-grams found: (end, feature number).
        grams: list[tuple[int, int]] = []
        # Spans (compact view) of neutral phrases (key -1) and of each rule's exceptions.
        quiet: dict[int, list[tuple[int, int]]] = {-1: []}
        neutral = quiet[-1]
        # One pass of the automaton over the compact view finds word-list hits, exceptions,
        # neutral phrases and the triggers that open windows for the regex rules.
        for end, (key, length) in self._automaton.iter(utf16_units(compact.text)):
            if not end & 1:  # keys end on a character boundary (utf16_units)
                continue
            match = matches[key]
            if match is None:
                continue
            stop = (end + 1) >> 1
            start = stop - length
            is_neutral, found, excepted, triggered, feature = match
            if feature >= 0:
                grams.append((stop, feature))
            if is_neutral:
                neutral.append((start, stop))
            if found:
                for index in found:
                    hits.append(_Hit(index, compact, start, stop))
            if excepted:
                for index in excepted:
                    quiet.setdefault(index, []).append((start, stop))
            if triggered:
                triggers.append((start, stop, triggered))
        # A word-list hit or a trigger inside a neutral phrase or one of its rule's exceptions
        # would be dropped later anyway (see _decide): skip it now, in compact-view offsets.
        covered = _Covered(quiet)
        if hits and (neutral or len(quiet) > 1):
            hits = [h for h in hits if not _touches(quiet, covered, h.rule, h.start, h.end)]
        rules = self._rules
        digits: NormalizedText | None = None
        # The regex rules a trigger opened a window for...
        for index, spans in self._windows(triggers, quiet, covered, compact, spaced).items():
            rule = rules[index]
            if rule.view == "digits":
                digits = digits or spaced.with_digits()
                view = digits
            else:
                view = compact if rule.view == "compact" else spaced
            _scan(rule.regex, index, view, spans, hits)
        # ...and those without triggers: over the runs of digits or the whole view.
        runs: list[tuple[int, int]] | None = None
        for index in plan.untriggered:
            rule = rules[index]
            if rule.view == "digits":
                if runs is None:
                    # Nearly every text has no run of ten digits: one scan of the spaced view
                    # tells, before the numerals are turned into digits.
                    runs = []
                    if may_hold_number_run(spaced.text):
                        digits = digits or spaced.with_digits()
                        runs = _merge(
                            (max(0, s - _NUMBER_LEAD), e) for s, e in number_runs(digits.text)
                        )
                if runs:
                    digits = digits or spaced.with_digits()
                    _scan(rule.regex, index, digits, runs, hits)
            else:
                view = compact if rule.view == "compact" else spaced
                _scan(rule.regex, index, view, [(0, len(view.text))], hits)
        result = self._decide(text, hits, compact, quiet) if hits else _PASS
        if self.model is None or context not in MODEL_CONTEXTS:
            return result
        found = self.model.hits(grams, compact, result.categories, self._decisions)
        found = [hit for hit in found if hit.category not in waived]
        return _with_model(text, result, found) if found else result

    def _plan(self, context: str, waived: frozenset[str]) -> _Plan:
        """What each automaton key means in ``context`` with ``waived`` categories, split by
        kind once per (context, waived) instead of once per match."""
        cached = self._plans.get((context, waived))
        if cached is not None:
            return cached
        rules = self._rules

        def live(index: int) -> bool:
            return context in rules[index].contexts and rules[index].category not in waived

        modelled = context in MODEL_CONTEXTS

        matches: list[
            tuple[bool, tuple[int, ...], tuple[int, ...], tuple[int, ...], int] | None
        ] = []
        for entries in self._keys:
            neutral = any(kind == _NEUTRAL for kind, _ in entries)
            split = tuple(
                tuple(i for k, i in entries if k == kind and live(i))
                for kind in (_HIT, _EXCEPTION, _TRIGGER)
            )
            feature = next((i for k, i in entries if k == _FEATURE and modelled), -1)
            useful = neutral or any(split) or feature >= 0
            matches.append((neutral, *split, feature) if useful else None)
        plan = _Plan(
            matches=tuple(matches),
            untriggered=tuple(
                i for i in self._regex_rules if not rules[i].triggers and live(i)
            ),
        )
        self._plans[(context, waived)] = plan
        return plan

    def _windows(
        self,
        triggers: list[tuple[int, int, tuple[int, ...]]],
        quiet: Mapping[int, list[tuple[int, int]]],
        covered: Mapping[int, set[int]],
        compact: NormalizedText,
        spaced: NormalizedText,
    ) -> dict[int, list[tuple[int, int]]]:
        """Open a window of ``radius`` around each trigger (``(start, end, rules)`` in compact
        offsets) for each rule it triggers, in spaced-view offsets.

        A trigger whose first and last characters lie in neutral phrases opens no window, nor
        for a rule one whose first and last characters lie in that rule's exceptions (``quiet``
        holds their spans, ``covered`` their positions, key -1 for neutral phrases). Triggers
        arrive in the order the automaton found them (by end), so a rule's windows are merged
        as they come; only a rule whose windows arrive out of order (a longer trigger that
        starts earlier) is sorted and merged again.
        """
        windows: dict[int, list[tuple[int, int]]] = {}
        unordered: set[int] = set()
        radii = self._radii
        neutral_at = covered[-1]
        for start, stop, rules in triggers:
            last = stop - 1
            if start in neutral_at and last in neutral_at:
                continue
            for index in rules:
                if index in quiet:
                    excepted = covered[index]
                    if start in excepted and last in excepted:
                        continue
                radius = radii[index]
                low = start - radius if start > radius else 0
                high = stop + radius
                spans = windows.get(index)
                if spans is None:
                    windows[index] = [(low, high)]
                    continue
                first, reach = spans[-1]
                if low > reach:
                    spans.append((low, high))
                elif low >= first:
                    if high > reach:
                        spans[-1] = (first, high)
                else:
                    unordered.add(index)
                    spans.append((low, high))
        for index in unordered:
            windows[index] = _merge(windows[index])
        if compact is spaced:
            return windows
        end = len(compact.text)
        if spaced.piece_sources == (0,) and spaced.piece_linear == (True,):
            # The spaced view is the text itself, lower-cased, and the compact view is made of
            # the runs between whitespace, each copied from ``source`` on: a compact offset maps
            # to the text through its run. Spans stay in order and can only come to touch,
            # which merges them.
            starts, sources = compact.piece_starts, compact.piece_sources
            mapped: dict[int, list[tuple[int, int]]] = {}
            for index, spans in windows.items():
                out = mapped[index] = []
                for s, e in spans:
                    e = min(e, end) - 1
                    k = bisect_right(starts, s) - 1
                    low = sources[k] + s - starts[k]
                    k = bisect_right(starts, e) - 1
                    high = sources[k] + e - starts[k] + 1
                    if out and low <= out[-1][1]:
                        out[-1] = (out[-1][0], max(high, out[-1][1]))
                    else:
                        out.append((low, high))
            return mapped
        if all(compact.piece_linear) and all(spaced.piece_linear):
            # Both views copy the text character for character (nothing expanded), so they
            # differ only by the whitespace the compact view leaves out: a compact offset moves
            # right by the number of spaces before it (``gaps`` holds where each space was
            # taken out, in compact offsets). Same spans as mapping through the original.
            text = spaced.text
            gaps = [m.start() - n for n, m in enumerate(_SPACE.finditer(text))]
            return {
                index: _merge(
                    (s + bisect_right(gaps, s), min(e, end) + bisect_right(gaps, min(e, end) - 1))
                    for s, e in spans
                )
                for index, spans in windows.items()
            }
        return {
            index: _merge(spaced.to_view(*compact.to_original(s, min(e, end))) for s, e in spans)
            for index, spans in windows.items()
        }

    def _decide(
        self,
        text: str,
        hits: Iterable[_Hit],
        compact: NormalizedText,
        quiet: Mapping[int, list[tuple[int, int]]],
    ) -> Screening:
        """Drop neutralised and negated hits, then build the screening from what is left."""
        quieted: dict[int, _Spans] = {}

        def silenced(key: int, span: tuple[int, int]) -> bool:
            if key not in quiet:
                return False
            if key not in quieted:
                quieted[key] = _Spans(compact.to_original(s, e) for s, e in quiet[key])
            return quieted[key].overlaps(span)

        kept: dict[int, list[tuple[int, int]]] = {}
        reach: dict[int, int] = {}  # per rule, the furthest end of a kept span
        located = sorted(
            [(h.rule, h.view.to_original(h.start, h.end), h) for h in hits], key=_RULE_AND_SPAN
        )
        rules = self._rules
        for rule, span, hit in located:
            # Sorted by start, then end: a span is inside a kept one exactly when it ends
            # no later than the furthest kept end, and it can only swallow kept spans that
            # share its start.
            if span[1] <= reach.get(rule, -1):
                continue
            if silenced(-1, span) or silenced(rule, span):
                continue
            if rules[rule].negatable and self._negated(hit):
                continue
            spans = kept.setdefault(rule, [])
            while spans and spans[-1][0] == span[0]:
                spans.pop()
            spans.append(span)
            reach[rule] = span[1]
        if not kept:
            return _PASS
        evidence = sorted(
            (
                Evidence(s, e, text[s:e], rules[i].category, rules[i].id)
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


def _with_model(text: str, result: Screening, found: Sequence[ModelHit]) -> Screening:
    """Add the model-only categories to the rules' screening; their evidence carries the rule
    id ``model.<category>``."""
    evidence = sorted(
        (
            *result.evidence,
            *(
                Evidence(s, e, text[s:e], hit.category, f"model.{hit.category}")
                for hit in found
                for s, e in hit.spans
            ),
        ),
        key=lambda ev: (ev.start, ev.end, ev.rule_id),
    )
    decision = max(
        (result.decision, *(hit.decision for hit in found)), key=DECISION_ORDER.index
    )
    return Screening(
        decision=decision,
        categories=tuple(sorted({*result.categories, *(hit.category for hit in found)})),
        evidence=tuple(evidence),
        rule_ids=tuple(sorted({*result.rule_ids, *(f"model.{hit.category}" for hit in found)})),
    )


def _scan(
    regex: re.Pattern[str],
    index: int,
    view: NormalizedText,
    spans: Iterable[tuple[int, int]],
    hits: list[_Hit],
) -> None:
    """Add to ``hits`` the matches of rule ``index``'s ``regex`` that start in ``spans`` of
    ``view``."""
    text = view.text
    for low, high in spans:
        for found in regex.finditer(text, low, high):
            # Re-match on the whole text: a window's edge must not fake an end.
            full = regex.match(text, found.start())
            if full is not None and full.end() > full.start():
                hits.append(_Hit(index, view, full.start(), full.end()))


@lru_cache(maxsize=1)
def default_screener() -> Screener:
    """Return the shared :class:`Screener` for the bundled ``rules/default.json`` with the
    committed learned model beside it (:func:`.learned.default_model`)."""
    with open(DEFAULT_RULES_PATH, encoding="utf-8") as handle:
        return Screener.from_rules(json.load(handle), model=default_model())


def _compile_rule(raw: Any, seen: set[str], lists: Mapping[str, str]) -> _Rule:
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
    radius = raw.get("radius", 30)
    if not isinstance(radius, int) or radius < 1:
        raise RuleSetError(f"{rule_id}: 'radius' must be a positive integer")
    patterns = _strings(raw, "patterns", required=True)
    regex = None
    if kind == "regex":
        expanded = [_expand(pattern, lists, rule_id) for pattern in patterns]
        for pattern in expanded:
            try:
                re.compile(pattern)
            except re.error as error:
                raise RuleSetError(f"{rule_id}: bad regex {pattern!r}: {error}") from error
        combined = "|".join(f"(?:{p})" for p in expanded)
        try:
            parsed = re_parser.parse(combined)
            lead = None if parsed.state.flags & re.IGNORECASE else _first_characters(parsed)
            # A look-ahead on the characters a match can start with lets the regex engine
            # leave most positions after one set test instead of trying every pattern there.
            regex = re.compile(f"(?=[{lead}])(?:{combined})" if lead else combined)
        except re.error as error:  # e.g. a group name used in two patterns of the rule
            raise RuleSetError(f"{rule_id}: patterns do not combine: {error}") from error
    return _Rule(
        id=rule_id,
        category=category,
        kind=kind,
        view=view,
        regex=regex,
        triggers=triggers,
        radius=radius,
        negatable=negatable,
        contexts=contexts,
    )


#: Character classes a regex may start with that are written back as class escapes.
_CLASS_ESCAPES = {
    re_constants.CATEGORY_DIGIT: r"\d",
    re_constants.CATEGORY_SPACE: r"\s",
    re_constants.CATEGORY_WORD: r"\w",
}
_REPEATS = (re_constants.MAX_REPEAT, re_constants.MIN_REPEAT, re_constants.POSSESSIVE_REPEAT)
_ZERO_WIDTH_OPS = (re_constants.ASSERT, re_constants.ASSERT_NOT, re_constants.AT)


def _first_characters(pattern: Any) -> str | None:
    """The body of a character class holding every character a match of the parsed
    ``pattern`` can start with, or None when that cannot be told (it may start with any
    character, or match the empty string)."""
    found = _first_of(list(pattern))
    if found is None or found[1] or not found[0]:
        return None
    return "".join(sorted(found[0]))


def _first_of(items: list[tuple[Any, Any]]) -> tuple[set[str], bool] | None:
    """(class members a match of the parsed sequence ``items`` can start with, whether it can
    match the empty string), or None when any character may start it."""
    members: set[str] = set()
    for op, value in items:
        if op is re_constants.LITERAL:
            members.add(re.escape(chr(value)))
            return members, False
        if op is re_constants.IN:
            for kind, item in value:
                if kind is re_constants.LITERAL:
                    members.add(re.escape(chr(item)))
                elif kind is re_constants.RANGE:
                    members.add(f"{re.escape(chr(item[0]))}-{re.escape(chr(item[1]))}")
                elif kind is re_constants.CATEGORY and item in _CLASS_ESCAPES:
                    members.add(_CLASS_ESCAPES[item])
                else:
                    return None
            return members, False
        if op in _ZERO_WIDTH_OPS:
            continue
        if op is re_constants.SUBPATTERN:
            if value[1] or value[2]:  # inline flags such as (?i:...) change what matches
                return None
            branches = [value[3]]
        elif op is re_constants.ATOMIC_GROUP:
            branches = [value]
        elif op is re_constants.BRANCH:
            branches = value[1]
        elif op in _REPEATS:
            branches = [value[2]]
        else:
            return None
        empty = op in _REPEATS and value[0] == 0
        for branch in branches:
            found = _first_of(list(branch))
            if found is None:
                return None
            members |= found[0]
            empty = empty or found[1]
        if not empty:
            return members, False
    return members, True


def _lists(data: Mapping[str, Any]) -> dict[str, str]:
    """Compile the rule set's named phrase lists into regex alternations, longest first."""
    lists: dict[str, str] = {}
    raw = _mapping(data, "lists")
    for name in raw:
        if not _LIST_REFERENCE.fullmatch("{{" + str(name) + "}}"):
            raise RuleSetError(f"lists: bad list name {name!r}")
        values = _strings(raw, name, required=True)
        keys = sorted({normalize(v, keep_spaces=True).text for v in values}, key=len, reverse=True)
        # The look-ahead on the first characters lets the regex engine give up on a position
        # with one set test instead of trying every phrase of the list there.
        first = "".join(sorted({re.escape(k[0]) for k in keys}))
        lists[name] = f"(?:(?=[{first}])(?:" + "|".join(re.escape(k) for k in keys) + "))"
    return lists


def _expand(pattern: str, lists: Mapping[str, str], rule_id: str) -> str:
    """Replace each ``{{name}}`` in a regex pattern with the alternation of list ``name``."""

    def replace(match: re.Match[str]) -> str:
        if match.group(1) not in lists:
            raise RuleSetError(f"{rule_id}: unknown list {match.group(1)!r}")
        return lists[match.group(1)]

    return _LIST_REFERENCE.sub(replace, pattern)


def _automaton(entries: Mapping[str, int]) -> ahocorasick.Automaton:
    """Build an automaton over UTF-16 code units (see :func:`.normalize.utf16_units`); a key's
    value is its number (an index into the screener's keys) and its length in characters."""
    automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
    for key, values in entries.items():
        automaton.add_word(utf16_units(key), (values, len(key)))
    automaton.make_automaton()
    return automaton


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


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge overlapping or touching ``[start, end)`` spans."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _positions(spans: Iterable[tuple[int, int]]) -> set[int]:
    """The characters covered by ``spans`` (compact-view offsets)."""
    covered: set[int] = set()
    for start, end in spans:
        covered.update(range(start, end))
    return covered


def _touches(
    quiet: Mapping[int, list[tuple[int, int]]],
    covered: Mapping[int, set[int]],
    rule: int,
    start: int,
    end: int,
) -> bool:
    """Whether ``[start, end)`` shares a character with a neutral phrase or with one of
    ``rule``'s exceptions (``quiet`` holds their spans, ``covered`` their positions, per key,
    -1 for neutral phrases)."""
    neutral = covered[-1]
    if rule not in quiet:
        return any(i in neutral for i in range(start, end))
    excepted = covered[rule]
    return any(i in neutral or i in excepted for i in range(start, end))


class _Covered(dict[int, set[int]]):
    """The positions (compact view) that each key's spans cover, computed when first asked
    for: most texts hold exceptions of several rules, and only those of the rules that found
    something there are looked at."""

    def __init__(self, spans: Mapping[int, list[tuple[int, int]]]) -> None:
        super().__init__()
        self._spans = spans

    def __missing__(self, key: int) -> set[int]:
        covered = self[key] = _positions(self._spans.get(key, ()))
        return covered


class _Spans:
    """A set of ``[start, end)`` spans that answers "does this span overlap any?" quickly."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        self._reach = list(accumulate((e for _, e in ordered), max))

    def overlaps(self, span: tuple[int, int]) -> bool:
        """Whether ``span`` shares at least one character with any of the spans."""
        last = bisect_left(self._starts, span[1]) - 1
        return last >= 0 and self._reach[last] > span[0]
