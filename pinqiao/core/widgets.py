"""Widgets for pages on the hot path (RET-3): long option lists rendered once, not per request."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

_OPTIONS: dict[tuple[str, str], str] = {}


def _option(value: Any, label: Any) -> SafeString:
    return format_html('<option value="{}">{}</option>', value, label)


def options_html(choices: Iterable[tuple[Any, Any]]) -> str:
    """``<option>``s and ``<optgroup>``s for Django-style choices, by plain string building."""
    parts = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            parts.append(format_html('<optgroup label="{}">{}</optgroup>', value,
                                     format_html_join("", '<option value="{}">{}</option>',
                                                      label)))
        else:
            parts.append(_option(value, label))
    return "".join(parts)


class CachedOptionsSelect(forms.Select):
    """A ``<select>`` whose options are built once per ``options_key`` and language (the same
    markup Django's templates would give, without one template render per option); only the
    ``selected`` mark differs between requests. Give every distinct list its own key."""

    options_key = ""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None,
               renderer: Any = None) -> SafeString:
        key = (self.options_key or name, get_language() or "")
        options = _OPTIONS.get(key)
        if options is None:
            options = _OPTIONS[key] = options_html(self.choices)
        return select_html(self.build_attrs(self.attrs, attrs), name, value, options)


def select_html(attrs: dict[str, Any], name: str, value: Any, options: str) -> SafeString:
    """``<select>`` with ``options`` (``options_html``), the one of ``value`` selected."""
    chosen = value[0] if isinstance(value, list | tuple) and value else value
    marker = str(_option(chosen if chosen is not None else "", ""))[:-len("</option>")]
    options = options.replace(marker, marker[:-1] + " selected>", 1)
    return mark_safe(format_html("<select{}>", flatatt({**attrs, "name": name})) + options
                     + "</select>")


class PlainSelect(forms.Select):
    """A ``<select>`` built by plain string building (the markup of Django's templates) for
    choices that differ between requests, such as an organisation's postings and tags."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None,
               renderer: Any = None) -> SafeString:
        return select_html(self.build_attrs(self.attrs, attrs), name, value,
                           options_html(self.choices))
