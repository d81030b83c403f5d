"""Screening with the live rule set (MOD-1): a text is screened before the write transaction that
records it, and every screening is kept with the rule version that produced it; what was found
is explained per category with the clause and the words (MOD-2)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import router
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from pinqiao.core.errors import ServiceError
from pinqiao.core.plain_insert import insert
from pinqiao.moderation.engine import CATEGORY_DECISIONS, Screening
from pinqiao.moderation.models import RuleSet, ScreeningRecord
from pinqiao.moderation.services.categories import (
    CATEGORY_CLAUSES,
    CATEGORY_LABELS,
    CATEGORY_RISK,
)
from pinqiao.moderation.services.rule_sets import _screener, live_rule_set

#: The note of a category found by the learned model alone (``model.<category>``).
MODEL_NOTE = _lazy(
    "由筛查模型根据已标注的违规文本判断（不是规则命中）；标出的是对判断影响最大的字词。"
)

#: The longest text the engine is asked to screen; callers bound their fields below this.
MAX_SCREEN_CHARS = 20_000


def _target_ref(target: Any) -> tuple[ContentType | None, str]:
    if target is None:
        return None, ""
    return ContentType.objects.get_for_model(target), str(target.pk)


@dataclass(frozen=True)
class Prescreened:
    """The outcome of screening a text, not yet recorded (:func:`screen_prepare`)."""

    rule_set: RuleSet
    text: str
    context: str
    waived: tuple[str, ...]
    result: Screening

    def matches(self, text: str, context: str, waived: Iterable[str]) -> bool:
        return (self.text, self.context, self.waived) == (text, context, tuple(waived))


def screen_prepare(*, text: str, context: str = "posting", waived: Iterable[str] = (),
                   rule_set: RuleSet | None = None) -> Prescreened:
    """Screen ``text`` with the live rule set without recording it: the work a service does
    before its write transaction, which then records it with ``screen_text(prepared=…)``
    (SEC-3: writers wait for each other on SQLite, so no CPU-heavy work inside).
    ``rule_set``: the live rule set as the caller just read it (:func:`live_rule_set`) for
    several texts screened together (a batch of chat messages); read here if not given."""
    if len(text) > MAX_SCREEN_CHARS:
        raise ServiceError("text_too_long",
                           _("文本过长（最多 %(n)s 个字符）。") % {"n": MAX_SCREEN_CHARS})
    rule_set = rule_set or live_rule_set()
    waived = tuple(waived)
    return Prescreened(rule_set=rule_set, text=text, context=context, waived=waived,
                       result=_screener(rule_set).screen(text, context, waived=waived))


def screen_text(*, text: str, context: str = "posting", target: Any = None,
                waived: Iterable[str] = (), prepared: Prescreened | None = None
                ) -> ScreeningRecord:
    """Screen ``text`` with the live rule set and keep the record (MOD-1).

    Evidence offsets index ``text`` as given. ``waived`` names categories the poster holds a
    licence for (``overseas`` for a verified 对外劳务合作 operator, ORG-12). Raises
    ``ServiceError`` for text longer than :data:`MAX_SCREEN_CHARS` (callers bound their fields
    first). ``prepared``: the outcome of :func:`screen_prepare` for this very text, context and
    waivers, recorded as it is (the record names the rule set that produced it); anything else
    is screened again here.
    """
    if prepared is None or not prepared.matches(text, context, waived):
        prepared = screen_prepare(text=text, context=context, waived=waived)
    rule_set = prepared.rule_set
    content_type, object_id = _target_ref(target)
    data = prepared.result.to_dict()
    return insert(ScreeningRecord(
        rule_set=rule_set, rule_version=rule_set.version, context=context,
        content_type=content_type, object_id=object_id, text=text,
        decision=data["decision"], categories=data["categories"], evidence=data["evidence"],
        rule_ids=data["rule_ids"]), router.db_for_write(ScreeningRecord))


_notes: dict[tuple[int, str], dict[str, str]] = {}


def rule_notes(rule_set: RuleSet | None = None) -> dict[str, str]:
    """Rule id → its note (the clause it enforces), for telling posters which rule fired;
    kept per process per version. The learned model's ids (``model.<category>``) have a note
    that says the words were found by the model, not by a rule."""
    rule_set = rule_set or live_rule_set()
    key = (rule_set.pk, rule_set.version)
    if key not in _notes:
        data = RuleSet.objects.values_list("data", flat=True).get(pk=rule_set.pk)
        if len(_notes) > 8:
            _notes.clear()
        notes = {f"model.{category}": str(MODEL_NOTE) for category in CATEGORY_DECISIONS}
        notes.update({rule["id"]: rule.get("note", "") for rule in data.get("rules", [])})
        _notes[key] = notes
    return _notes[key]


def explain(record: ScreeningRecord) -> list[dict[str, Any]]:
    """Per category: label, clause, words and rule ids, for the poster and the reviewer."""
    notes = {}
    if record.rule_set_id:
        rule_set = (record.rule_set if ScreeningRecord.rule_set.is_cached(record)
                    else RuleSet.objects.only("id", "version").get(pk=record.rule_set_id))
        notes = rule_notes(rule_set)
    out: dict[str, dict[str, Any]] = {}
    for ev in record.evidence:
        row = out.setdefault(ev["category"], {
            "category": ev["category"], "label": str(CATEGORY_LABELS.get(ev["category"], "")),
            "clause": str(CATEGORY_CLAUSES.get(ev["category"], "")), "words": [],
            "rules": []})
        if ev["text"] not in row["words"]:
            row["words"].append(ev["text"])
        if ev["rule_id"] not in row["rules"]:
            row["rules"].append(ev["rule_id"])
            if notes.get(ev["rule_id"]) and not row["clause"]:
                row["clause"] = notes[ev["rule_id"]]
    return list(out.values())


def deciding_category(record: ScreeningRecord) -> str:
    """The category whose decision is the record's decision (the rule that actually refused),
    not merely the first one found: an age hit sent for review must not be named when a gender
    hit refused the text (issue 15)."""
    decisions = dict(CATEGORY_DECISIONS)
    if record.rule_set_id:
        data = RuleSet.objects.values_list("data", flat=True).get(pk=record.rule_set_id)
        decisions.update(data.get("category_decisions", {}))
    return next((c for c in record.categories if decisions.get(c) == record.decision),
                record.categories[0] if record.categories else "")


def screening_risk(record: ScreeningRecord) -> int:
    return max((CATEGORY_RISK.get(c, 30) for c in record.categories), default=0)
