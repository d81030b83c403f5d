"""Highlighted titles and snippets: the original text, HTML-escaped, query words in ``<mark>``.

Matching is on the stored text, not on index tokens, so what is marked is exactly what the
user sees; every spelling of a synonym group is marked (搜「驾驶员」 marks 「司机」 too).
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from pinqiao.search import analysis

SNIPPET_CHARS = 90


@lru_cache(maxsize=256)
def pattern(tokens: tuple[str, ...]) -> re.Pattern[str] | None:
    """One case-insensitive alternation of every surface form of ``tokens``, longest first."""
    forms = sorted({form for token in tokens for form in analysis.surface_forms(token)},
                   key=len, reverse=True)
    if not forms:
        return None
    return re.compile("|".join(re.escape(form) for form in forms), re.IGNORECASE)


def mark(text: str, tokens: tuple[str, ...]) -> SafeString:
    """``text`` escaped, with every match of ``tokens`` wrapped in ``<mark>``."""
    regex = pattern(tokens)
    if regex is None:
        return escape(text)
    out: list[str] = []
    last = 0
    for match in regex.finditer(text):
        out.append(escape(text[last:match.start()]))
        out.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped


def snippet(text: str, tokens: tuple[str, ...], width: int = SNIPPET_CHARS) -> SafeString:
    """The ``width``-character window of ``text`` with the most distinct matches, marked;
    the start of the text when nothing matches."""
    text = " ".join(text.split())
    regex = pattern(tokens)
    matches = list(regex.finditer(text)) if regex else []
    start = 0
    if matches:
        best = -1
        for first in matches:
            inside = {m.group().lower() for m in matches
                      if first.start() <= m.start() and m.end() <= first.start() + width}
            if len(inside) > best:
                best, start = len(inside), max(0, first.start() - 10)
    window = text[start:start + width]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(text) else ""
    return mark_safe(f"{escape(prefix)}{mark(window, tokens)}{escape(suffix)}")  # noqa: S308
