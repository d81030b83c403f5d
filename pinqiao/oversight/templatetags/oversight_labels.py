"""``{{ category|category_label }}``: a screening category by its Chinese label (no raw codes)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from pinqiao.moderation.services import CATEGORY_LABELS

register = template.Library()


@register.filter
def category_label(code: str) -> str:
    return str(CATEGORY_LABELS.get(code) or _("其他"))
