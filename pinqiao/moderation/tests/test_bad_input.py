"""Bad input from issue 16 (MOD-1, MOD-3): texts mixing Traditional and Simplified inside one
word, full-width and zero-width characters, emoji between the characters of a contact handle,
and 50,000-character texts built to make a rule work hard are screened correctly, with the
evidence as written, in bounded time."""

from __future__ import annotations

import time

import pytest

from pinqiao.moderation.engine import Screener, default_screener

#: CPU seconds one screening may take at most on this shared two-core machine (about 0.4 s is
#: the worst case measured, for 25,000 repetitions of "男 " in the chat context).
BOUND = 2.0


@pytest.fixture(scope="module")
def screener() -> Screener:
    return default_screener()


@pytest.mark.parametrize(
    ("text", "context", "category", "words"),
    [
        ("加微信：h😀r😀_😀w😀a😀n😀g😀0😀1 详聊", "posting", "contact_info",
         "微信：h😀r😀_😀w😀a😀n😀g😀0😀1"),
        ("电话：1😀3😀9😀1😀2😀3😀4😀5😀6😀7😀8", "chat", "contact_info",
         "1😀3😀9😀1😀2😀3😀4😀5😀6😀7😀8"),
        ("v\u200bx\u200b：\u200bhr\u200bzhang\u200b2026", "chat", "contact_info",
         "v\u200bx\u200b：\u200bhr\u200bzhang\u200b2026"),
        ("ＱＱ：１２３４５６７８９", "posting", "contact_info", "ＱＱ：１２３４５６７８９"),
        ("招聘文员，乙肝攜带者勿扰。", "posting", "discrimination.health", "乙肝攜带者勿扰"),
        ("招聘文员，已婚已育優先。", "posting", "discrimination.marital", "已婚已育優先"),
        ("招聘司機，限男\u200b性，月薪８０００元", "posting", "discrimination.gender",
         "限男\u200b性"),
        ("把你穿泳装的照片發過來", "chat", "harassment", "穿泳装的照片"),
    ],
)
def test_it_screens_mixed_and_disguised_text_with_the_words_as_written(
    screener: Screener, text: str, context: str, category: str, words: str
) -> None:
    result = screener.screen(text, context)
    assert category in result.categories
    assert words in {e.text for e in result.evidence if e.category == category}
    assert all(text[e.start : e.end] == e.text for e in result.evidence)


@pytest.mark.parametrize(
    "text",
    [
        "1" * 50_000,
        "138-" * 12_500,
        " " * 50_000,
        "\u200b" * 50_000,
        "😀" * 50_000,
        "男" * 50_000,
        "男 " * 25_000,
        "女、" * 25_000,
        "任务" * 25_000,
        "日本" * 25_000,
        "v" * 50_000,
        "q" * 50_000,
        "加我" * 25_000,
        "１" * 50_000,
        "35岁" * 16_000,
        "僅限男性乙肝攜帶者勿擾" * 4_600,
        "微信：" + "a😀" * 25_000,
    ],
    ids=lambda text: f"{text[:4]!r}x{len(text)}",
)
@pytest.mark.parametrize("context", ["posting", "chat"])
def test_it_stays_bounded_on_50000_characters_built_to_make_a_rule_work(
    screener: Screener, text: str, context: str
) -> None:
    started = time.process_time()
    result = screener.screen(text, context)
    assert time.process_time() - started < BOUND
    assert all(text[e.start : e.end] == e.text for e in result.evidence)


def test_it_finds_one_bad_clause_at_the_end_of_50000_clean_characters(screener: Screener) -> None:
    clean = "誠聘客服專員，负责线上咨询，ＡＢＣ\u200b团队，月薪８０００元😊，五险一金。"
    text = (clean * (50_000 // len(clean) + 1))[:49_970] + "入職前先交押金500元，加V：hr_8😀8😀8😀8"
    started = time.process_time()
    result = screener.screen(text)
    assert time.process_time() - started < BOUND
    assert {"fee_charging", "contact_info"} <= set(result.categories)
    assert min(e.start for e in result.evidence) >= 49_970
