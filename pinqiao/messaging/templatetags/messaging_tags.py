"""The header's chat link with the unread count: one aggregate query for seekers and
recruiters, nothing for anyone else, never a write. The postings a recruiter may start a chat
about from a talent-search card."""

from typing import Any

from django import template

from pinqiao.messaging.selectors import chat_postings_for, unread_total

register = template.Library()


@register.inclusion_tag("messaging/_header_link.html", takes_context=True)
def chat_header_link(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    return {"unread": unread_total(viewer=user)}


@register.simple_tag(takes_context=True)
def chat_postings(context: dict[str, Any], organisation: Any) -> list[Any]:
    """The organisation's published postings if the viewer may chat for it, else none (the
    talent cards then show no 「立即沟通」)."""
    return chat_postings_for(viewer=context["request"].user, organisation=organisation)
