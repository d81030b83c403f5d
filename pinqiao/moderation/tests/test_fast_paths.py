"""The shortcuts the screening engine takes for speed (issue 16, fourth session: throughput)
must give exactly what the general code gives (MOD-1): the views of a text without special
characters, the check for runs of digits, and windows mapped from the compact to the spaced
view through the runs between whitespace."""

from __future__ import annotations

import random
from dataclasses import astuple

import pytest

from pinqiao.moderation.engine import Screener, _merge, default_screener
from pinqiao.moderation.normalize import (
    CHINESE_DIGITS,
    may_hold_number_run,
    normalize,
    number_runs,
    views,
)

TEXTS = [
    "",
    " ",
    "招聘文员，限男性，加微信 vx12345678",
    "招聘 文员  限 男 性\t加\n微信",
    "Java 开发工程师 3-5 年经验 欢迎 投递",
    "僅限女性，工作地點在臺北",
    "Ａ　Ｂ 全角 ＶＸ：１２３",
    "加🌹微🌹信 ❤️ 联系",
    "限\u200b男\u200d性 零宽字符",
    "㈠ 招聘 ﬁ 司机",
    "İstanbul ofisi 招聘",
    "\x1c a\u3000b\u00a0c",
]


def _random_texts(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    pool = "限男性女微信招聘加\u200b🌹㈠ﬁＡ　\t\n❤️僅İ \x1c\u3000\u00a0abcVX0123一二三，。、-"
    return ["".join(rng.choice(pool) for _ in range(rng.randint(0, 60))) for _ in range(count)]


@pytest.mark.parametrize("text", TEXTS + _random_texts(300, 16))
def test_the_views_are_those_the_general_path_builds(text: str) -> None:
    compact, spaced = views(text)
    assert astuple(spaced) == astuple(normalize(text, keep_spaces=True))
    assert astuple(compact) == astuple(normalize(text, keep_spaces=False))


def test_the_run_check_never_misses_a_run_of_digits() -> None:
    rng = random.Random(20261207)
    pool = "0123456789" + "".join(CHINESE_DIGITS) + " -._·*/,，、|~()（）x×#?招聘电话薪"
    texts = ["".join(rng.choice(pool) for _ in range(rng.randint(5, 40))) for _ in range(5000)]
    texts += ["电话 138-1234-5678", "一三八 一二三四 五六七八", "138****5678", "020-8888 6666"]
    found = 0
    for text in texts:
        _, spaced = views(text)
        if number_runs(spaced.with_digits().text):
            found += 1
            assert may_hold_number_run(spaced.text), text
    assert found > 500  # the property was exercised


@pytest.mark.parametrize("text", ["月薪8000-12000元，双休", "2026年12月7日入职", "工作地点：北京"])
def test_the_run_check_lets_salaries_and_dates_skip_the_digits_view(text: str) -> None:
    assert not may_hold_number_run(views(text)[1].text)


@pytest.mark.parametrize("text", [t for t in TEXTS if " " in t] + _random_texts(200, 7))
def test_windows_map_to_the_spaced_view_as_through_the_original_text(text: str) -> None:
    screener = Screener.from_rules(
        {
            "version": "t",
            "rules": [
                {"id": "a", "category": "contact_info", "type": "regex", "patterns": ["微信"],
                 "triggers": ["微"], "radius": 3, "note": "test"},
                {"id": "b", "category": "contact_info", "type": "regex", "patterns": ["x"],
                 "triggers": ["性"], "radius": 1, "note": "test"},
            ],
        }
    )
    compact, spaced = views(text)
    if compact is spaced or not compact.text:  # nothing to map
        return
    # A trigger at every character for both rules, some of them overlapping.
    triggers = [(i, i + 1, (0, 1)) for i in range(len(compact.text))]
    triggers += [(i, min(i + 2, len(compact.text)), (0,)) for i in range(0, len(compact.text), 3)]
    nothing = {-1: []}
    empty = {-1: set()}
    in_compact = screener._windows(triggers, nothing, empty, compact, compact)
    end = len(compact.text)
    expected = {
        index: _merge(spaced.to_view(*compact.to_original(s, min(e, end))) for s, e in spans)
        for index, spans in in_compact.items()
    }
    assert screener._windows(triggers, nothing, empty, compact, spaced) == expected


def test_the_default_rules_screen_spaced_and_evasive_texts_alike() -> None:
    screener = default_screener()
    for text in ("本岗位 限 男 性，加 微 信 vx12345678", "本岗位限男性，加微信vx12345678"):
        assert screener.screen(text).decision == "reject"
