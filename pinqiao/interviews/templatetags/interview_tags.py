"""Template helpers: a time in the interview's zone, with the zone shown."""

from datetime import datetime

from django import template

from pinqiao.interviews.models import Interview
from pinqiao.interviews.services import format_when
from pinqiao.interviews.zones import zone_label

register = template.Library()


@register.simple_tag
def when(interview: Interview, value: datetime | None) -> str:
    return format_when(interview, value)


@register.filter
def get_item(mapping: dict, key: str) -> object:
    return mapping.get(key) if mapping else None


@register.filter
def split(value: str) -> list[str]:
    return value.split()


@register.filter
def field(form: object, name: str) -> object:
    return form[name]  # type: ignore[index]


@register.filter(name="zone_label")
def zone_label_filter(name: str) -> str:
    """``北京时间（UTC+08:00）`` for ``Asia/Shanghai`` (issue 15: no IANA names on pages)."""
    return zone_label(name) if name else ""
