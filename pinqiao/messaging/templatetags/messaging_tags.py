"""The header's chat link with the unread count: one aggregate query for seekers and
recruiters, nothing for anyone else, never a write."""

from typing import Any

from django import template

from pinqiao.messaging.selectors import unread_total

register = template.Library()


@register.inclusion_tag("messaging/_header_link.html", takes_context=True)
def chat_header_link(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    return {"unread": unread_total(viewer=user)}
