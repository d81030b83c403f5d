"""``{% highlight text evidence %}``: the text with each evidence span in ``<mark>`` (MOD-5).

Every piece of the text is escaped; only the ``<mark>`` tags (and ``<br>`` for line breaks) are
markup, so a posting holding HTML cannot inject anything into the reviewer's page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from pinqiao.moderation.services import CATEGORY_LABELS

register = template.Library()


def merge_spans(text: str, evidence: Iterable[Mapping[str, Any]]) -> list[tuple[int, int, str]]:
    """Sorted, non-overlapping ``(start, end, categories)`` spans inside ``text``."""
    spans = sorted(
        (max(0, int(e["start"])), min(len(text), int(e["end"])), str(e.get("category", "")))
        for e in evidence
        if int(e["end"]) > int(e["start"])
    )
    merged: list[list[Any]] = []
    for start, end, category in spans:
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            if category not in merged[-1][2]:
                merged[-1][2].append(category)
        else:
            merged.append([start, end, [category]])
    return [(s, e, " ".join(c)) for s, e, c in merged]


@register.simple_tag
def highlight(text: str, evidence: Iterable[Mapping[str, Any]] | None) -> SafeString:
    text = text or ""
    out: list[str] = []
    position = 0
    for start, end, categories in merge_spans(text, evidence or ()):
        out.append(escape(text[position:start]))
        labels = "、".join(str(CATEGORY_LABELS.get(c, c)) for c in categories.split())
        out.append(format_html('<mark class="hit" data-category="{}" title="{}">{}</mark>',
                               categories, labels, text[start:end]))
        position = end
    out.append(escape(text[position:]))
    html = "".join(str(part) for part in out).replace("\n", "<br>")
    return mark_safe(html)  # noqa: S308 — every part escaped; only <mark> and <br> added
