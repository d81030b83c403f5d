"""Corrections (PRIV-5; PIPL Art. 46): a change the person makes to their own data through the
normal edit pages is also a rights record — which fields, when, by whom — shown on their
「我的个人信息权利」 page. Values are kept masked only: the record proves the correction without
becoming another copy of the data."""

from __future__ import annotations

from datetime import date
from typing import Any

from pinqiao.core.audit import log_action
from pinqiao.core.masking import mask_email, mask_name, mask_phone
from pinqiao.rights.models import Correction

EMPTY = "（空）"


def mask_value(field: str, value: Any) -> str:
    """A masked form of ``value`` that says a value was there and roughly which, no more."""
    if value in (None, "", [], {}):
        return EMPTY
    if isinstance(value, date):
        return f"{value.year}-**-**"
    text = str(value)
    if "phone" in field:
        return mask_phone(text)
    if "email" in field:
        return mask_email(text)
    if "name" in field:
        return mask_name(text)
    return text[:1] + "*" * min(max(len(text) - 1, 1), 6)


def correction_record(*, user: Any, actor: Any, source: str, model: Any,
                      before: dict[str, Any], after: dict[str, Any]) -> Correction | None:
    """Record the fields of ``model`` whose value went from ``before`` to ``after`` (inside the
    edit's transaction); nothing when nothing changed."""
    changes = []
    for field, new in after.items():
        old = before.get(field)
        if old == new:
            continue
        try:
            label = str(model._meta.get_field(field).verbose_name)
        except Exception:  # noqa: BLE001 - a derived field without a model field
            label = field
        changes.append({"field": field, "label": label, "before": mask_value(field, old),
                        "after": mask_value(field, new)})
    if not changes:
        return None
    correction = Correction.objects.create(user=user, actor=actor, source=source,
                                           changes=changes)
    log_action(actor, "rights.correction_recorded", correction,
               {"source": source, "fields": [c["field"] for c in changes]})
    return correction


def corrections_for_user(*, user: Any) -> list[Correction]:
    return list(Correction.objects.filter(user=user)[:50])
