"""Template tags other apps' pages use: the apply box on a posting page (APP-1), an
organisation's responsiveness (no black hole) and a candidate card (the talent search)."""

from __future__ import annotations

from typing import Any

from django import template

from pinqiao.applications import selectors
from pinqiao.applications.cards import card_text, render_card

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


@register.simple_tag
def candidate_card(card: Any) -> str:
    """A candidate card as the applicant list shows it (``applications.cards.render_card``)."""
    return render_card(card, card_text())
