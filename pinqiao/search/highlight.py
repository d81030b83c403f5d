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
    """About ``width`` characters of ``text`` around the most distinct matches, marked; the
    start of the text when nothing matches. The window starts after a sentence or clause mark
    (。！？；，…) or a space when one is near and never cuts a Latin word in half (issue 15:
    「…afka」); it ends after such a mark when one is near, else before the cut word."""
    text = " ".join(text.split())
    regex = pattern(tokens)
    matches = list(regex.finditer(text)) if regex else []
    start, first_end = 0, 0
    if matches:
        best = -1
        for first in matches:
            inside = {m.group().lower() for m in matches
                      if first.start() <= m.start() and m.end() <= first.start() + width}
            if len(inside) > best:
                best, start, first_end = len(inside), max(0, first.start() - 10), first.end()
    start = _start_at_boundary(text, start, limit=first_end - 1 if matches else start)
    end = _end_at_boundary(text, start, min(len(text), start + width), keep=first_end)
    window = text[start:end].strip()
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(f"{escape(prefix)}{mark(window, tokens)}{escape(suffix)}")  # noqa: S308


#: Where a snippet may start or end: sentence and clause marks, Chinese and Latin.
_STOPS = "。！？；，、：.!?;,:"
_WORD = re.compile(r"[0-9A-Za-z_\-+#.]")
_LOOK = 20


def _inside_word(text: str, at: int) -> bool:
    """Whether a cut before ``text[at]`` splits a Latin word or number."""
    return (0 < at < len(text) and bool(_WORD.match(text[at - 1]))
            and bool(_WORD.match(text[at])))


def _start_at_boundary(text: str, start: int, *, limit: int) -> int:
    if start == 0:
        return 0
    base = max(0, start - _LOOK)
    head = text[base:start]
    stop = max(head.rfind(c) for c in _STOPS)
    if stop < 0:
        stop = head.rfind(" ")
    if stop >= 0:
        start = base + stop + 1
    while start < limit and (_inside_word(text, start) or text[start] == " "):
        start += 1
    return start


def _end_at_boundary(text: str, start: int, end: int, *, keep: int) -> int:
    if end >= len(text):
        return len(text)
    floor = max(start + 1, keep, end - _LOOK)
    tail = text[floor:end]
    stop = max(tail.rfind(c) for c in _STOPS)
    if stop >= 0:
        return floor + stop + 1
    while end > max(start + 1, keep) and _inside_word(text, end):
        end -= 1
    return end
