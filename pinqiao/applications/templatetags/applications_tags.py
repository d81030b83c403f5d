"""Template tags other apps' pages use: the apply box on a posting page (APP-1) and an
organisation's responsiveness (no black hole)."""

from __future__ import annotations

from typing import Any

from django import template

from pinqiao.applications import selectors
from pinqiao.core.masking import mask_name

register = template.Library()


@register.inclusion_tag("applications/_apply_panel.html", takes_context=True)
def apply_panel(context: dict[str, Any], posting: Any) -> dict[str, Any]:
    user = context["request"].user
    return {"posting": posting, "user": user, "request": context["request"],
            "application": selectors.application_for_posting(seeker=user, posting=posting)}


@register.inclusion_tag("applications/_responsiveness.html")
def responsiveness(organisation: Any) -> dict[str, Any]:
    return {"stats": selectors.organisation_responsiveness(organisation=organisation),
            "organisation": organisation}


@register.filter
def masked_name(name: str) -> str:
    """张* in lists: the full name is on the résumé page, behind consent (PRIV-2)."""
    return mask_name(name or "")


@register.filter
def get_card(cards: dict, pk: int) -> object:
    """The candidate card of one application (``applications.cards``)."""
    return cards.get(pk)
