"""Spec of the scoring functions used to replay a labelled set (MOD-6) against the engine."""

from __future__ import annotations

import pytest

from pinqiao.moderation.scoring import format_report, score

LABELLED = [
    {"id": "a", "decision": "reject", "categories": ["discrimination.gender"]},
    {"id": "b", "decision": "review", "categories": ["contact_info"]},
    {"id": "c", "decision": "pass", "categories": []},
    {"id": "d", "decision": "pass", "categories": []},
]


def _predicted(**overrides: tuple[str, list[str]]) -> list[dict]:
    rows = {i["id"]: (i["decision"], i["categories"]) for i in LABELLED}
    rows.update(overrides)
    return [{"id": k, "decision": d, "categories": c} for k, (d, c) in rows.items()]


def test_it_scores_a_perfect_run() -> None:
    report = score(LABELLED, _predicted())
    assert report["decision_accuracy"] == 1.0
    assert report["clean_false_positive_rate"] == 0.0
    assert report["errors"] == []
    assert report["categories"]["contact_info"]["recall"] == 1.0


def test_it_measures_decision_accuracy() -> None:
    report = score(LABELLED, _predicted(b=("pass", [])))
    assert report["decision_accuracy"] == 0.75


def test_it_computes_precision_and_recall_per_category() -> None:
    report = score(LABELLED, _predicted(b=("pass", []), c=("review", ["contact_info"])))
    contact = report["categories"]["contact_info"]
    assert (contact["support"], contact["predicted"], contact["true_positives"]) == (1, 1, 0)
    assert contact["precision"] == 0.0
    assert contact["recall"] == 0.0
    untouched = report["categories"]["fraud"]
    assert (untouched["precision"], untouched["recall"], untouched["support"]) == (1.0, 1.0, 0)


def test_it_counts_false_positives_on_clean_items_only() -> None:
    report = score(LABELLED, _predicted(c=("review", ["contact_info"]), a=("review", [])))
    assert report["clean_items"] == 2
    assert report["clean_false_positive_rate"] == 0.5


def test_it_lists_each_mismatch_with_both_sides() -> None:
    report = score(LABELLED, _predicted(a=("reject", ["discrimination.region"])))
    assert report["errors"] == [
        {
            "id": "a",
            "expected": {"decision": "reject", "categories": ["discrimination.gender"]},
            "got": {"decision": "reject", "categories": ["discrimination.region"]},
        }
    ]


def test_it_refuses_missing_or_duplicate_ids() -> None:
    with pytest.raises(ValueError, match="no prediction"):
        score(LABELLED, _predicted()[1:])
    with pytest.raises(ValueError, match="duplicate prediction"):
        score(LABELLED, _predicted() + _predicted()[:1])
    with pytest.raises(ValueError, match="duplicate labelled"):
        score(LABELLED + LABELLED[:1], _predicted())


def test_it_formats_a_readable_report() -> None:
    text = format_report(score(LABELLED, _predicted(b=("pass", []))))
    assert "decision accuracy: 0.750" in text
    assert "contact_info" in text
    assert "b: expected review ['contact_info'], got pass []" in text
