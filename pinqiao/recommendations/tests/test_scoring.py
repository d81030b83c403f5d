"""The pure parts of the scorer (REC-1): words, pay overlap, freshness, tag labels."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

from pinqiao.recommendations.profile import city_code, parse_pay, pay_value, tag_label
from pinqiao.recommendations.scoring import freshness, pay_overlap, similarity, tokens


def posting(low: str | None, high: str | None, unit: str = "month") -> SimpleNamespace:
    return SimpleNamespace(pay_min=Decimal(low) if low else None,
                           pay_max=Decimal(high) if high else None, pay_unit=unit)


def test_tokens_keep_words_and_drop_filler() -> None:
    words = tokens("熟悉Java、Spring Boot，负责ＭｙＳＱＬ优化工作")
    assert {"java", "spring", "boot", "mysql", "优化"} <= words
    assert "负责" not in words and "工作" not in words and "、" not in words


def test_similarity_is_a_set_cosine() -> None:
    assert similarity(frozenset({"a", "b"}), frozenset({"a", "b"})) == 1.0
    assert similarity(frozenset({"a"}), frozenset({"b"})) == 0.0
    assert similarity(frozenset(), frozenset({"b"})) == 0.0
    assert round(similarity(frozenset({"a", "b"}), frozenset({"a", "c", "d", "e"})), 3) == 0.354


def test_pay_overlap_needs_the_same_unit() -> None:
    wanted = (Decimal(8000), Decimal(12000), "month")
    assert pay_overlap(posting("10000", "15000"), wanted) == 0.5
    assert pay_overlap(posting("6000", "20000"), wanted) == 1.0
    assert pay_overlap(posting("3000", "5000"), wanted) == 0.0
    assert pay_overlap(posting("300", "400", "day"), wanted) == 0.0
    assert pay_overlap(posting(None, None), wanted) == 0.0
    assert pay_overlap(posting("12000", "13000"), wanted) == 0.2  # touching ranges count a little
    assert pay_overlap(posting("10000", "15000"), None) == 0.0


def test_freshness_halves_every_week() -> None:
    now = datetime(2026, 5, 1, 12, 0)
    assert freshness(now, now) == 1.0
    assert freshness(now - timedelta(days=7), now) == 0.5
    assert freshness(None, now) == 0.0


def test_pay_tags_round_trip_and_read_in_chinese() -> None:
    value = pay_value("8000", "12000", "month")
    assert value == "8000-12000-month"
    assert parse_pay(value) == (Decimal(8000), Decimal(12000), "month")
    assert tag_label("pay", value) == "8,000–12,000 元/月"
    assert parse_pay("12000-8000-month") is None and parse_pay("x") is None
    assert pay_value(None, "1", "month") == ""


def test_tag_labels() -> None:
    assert tag_label("city", "440100") == "广州市"
    assert tag_label("function", "java_dev") == "Java开发"
    assert tag_label("education", "bachelor") == "本科"
    assert city_code("440106") == "440100" and city_code("") == ""
