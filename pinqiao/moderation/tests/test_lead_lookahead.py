"""The look-ahead each regex rule starts with (issue 16, third session: speed) lists the
characters a match can start with; it must never change what a rule finds (MOD-1, MOD-6)."""

from __future__ import annotations

import re

import pytest

from pinqiao.moderation.engine import Screener, _first_characters, default_screener
from pinqiao.moderation.normalize import normalize

PATTERNS = [
    r"(?<![男女])(?:男|女)(?:性|士)?\s*优先",
    r"(?:^|(?<=[，,]))(?:限|仅限)?\s*(?:男|女)(?=[，,]|$)",
    r"\d{2}\s*岁\s*以下",
    r"(?:加|\+)\s*(?:我)?\s*(?:v|vx|微)(?![a-z])",
    r"[a-z0-9._-]+@[a-z0-9-]+\.[a-z]{2,}",
    r"(?:需|须)?\s*(?:缴纳|交)\s*\d+\s*元",
]
TEXTS = [
    "招聘文员，男性优先，加 我 vx 详聊，邮箱 hr.li@example.cn",
    "限女，25岁以下，入职需缴纳 300 元，女性优先",
    "女，男士优先，+微，交500元",
    "",
    "没有要找的东西",
]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"(?:男|女)性", "女男"),
        (r"(?<!a)\s*x", "\\sx"),
        (r"(?:ab)?c", "ac"),
        (r"x*", None),
        (r".y", None),
        (r"(?i:a)b", None),
        (r"[^a]b", None),
    ],
)
def test_it_computes_the_first_characters_or_gives_up(pattern: str, expected: str | None) -> None:
    lead = _first_characters(re._parser.parse(pattern))
    assert (set(lead.replace("\\s", "\0")) if lead else None) == (
        set(expected.replace("\\s", "\0")) if expected else None
    )


def test_a_rule_finds_exactly_what_its_patterns_find() -> None:
    screener = Screener.from_rules({
        "version": "t",
        "rules": [{"id": "r", "category": "discrimination.gender", "type": "regex",
                   "patterns": PATTERNS, "note": "test"}],
    })
    rule = screener._rules[0]
    assert rule.regex.pattern.startswith("(?=[")
    plain = re.compile("|".join(f"(?:{p})" for p in PATTERNS))
    for text in TEXTS:
        view = normalize(text, keep_spaces=True).text
        assert [m.span() for m in rule.regex.finditer(view)] == [
            m.span() for m in plain.finditer(view)
        ]


def test_every_bundled_regex_rule_starts_with_a_lookahead_or_none_is_possible() -> None:
    """The bundled rules all get one (a rule that could start anywhere would scan every
    position of its windows at full cost)."""
    rules = [r for r in default_screener()._rules if r.regex is not None]
    assert rules and all(r.regex.pattern.startswith("(?=[") for r in rules)
