"""The human review queue (MOD-5): items opened by screening, reports and proposed sanctions,
ordered by risk with an SLA clock, decided by a reviewer; the app that owns the target applies
the decision through the handler it registered."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.core.audit import log_action
from pinqiao.core.errors import ServiceError
from pinqiao.core.permissions import require_perm
from pinqiao.moderation.models import ReviewItem, ScreeningRecord

#: Hours a reviewer has to decide an item, by risk (MOD-5 SLA clock).
SLA_HOURS_HIGH = 2
SLA_HOURS_NORMAL = 24
HIGH_RISK = 70


ReviewHandler = Callable[..., None]
_handlers: dict[str, ReviewHandler] = {}


def register_review_handler(model_label: str, handler: ReviewHandler) -> None:
    """Let an app apply queue decisions to its objects: ``handler(*, item, action, actor)``
    where ``action`` is ``approve``, ``reject`` or ``request_edit``."""
    _handlers[model_label] = handler


def _sla(risk: int) -> timedelta:
    return timedelta(hours=SLA_HOURS_HIGH if risk >= HIGH_RISK else SLA_HOURS_NORMAL)


@transaction.atomic
def review_item_open(*, kind: str, target: models.Model, title: str, text: str = "",
                     screening: ScreeningRecord | None = None,
                     reasons: Iterable[dict[str, Any]] = (), risk: int = 0) -> ReviewItem:
    """Put ``target`` in the review queue (MOD-5); an open item of the same kind is refreshed
    rather than duplicated. The SLA clock starts now (2 h for high risk, 24 h otherwise)."""
    content_type = ContentType.objects.get_for_model(target)
    now = timezone.now()
    item = ReviewItem.objects.filter(kind=kind, content_type=content_type,
                                     object_id=str(target.pk),
                                     status=ReviewItem.Status.OPEN).first()
    reasons = list(reasons)
    if item is None:
        item = ReviewItem.objects.create(
            kind=kind, content_type=content_type, object_id=str(target.pk), title=title[:200],
            text=text, screening=screening, reasons=reasons, risk=risk, created_at=now,
            due_at=now + _sla(risk))
    else:
        item.title, item.text, item.screening = title[:200], text, screening or item.screening
        item.reasons = item.reasons + [r for r in reasons if r not in item.reasons]
        item.risk = max(item.risk, risk)
        item.due_at = min(item.due_at, item.created_at + _sla(item.risk))
        item.save()
    log_action(None, "review.open", item, {"kind": kind, "risk": item.risk})
    return item


def review_items_close_for(*, target: models.Model, actor: Any, note: str) -> int:
    """Close open items of ``target`` (it was withdrawn, edited or removed)."""
    content_type = ContentType.objects.get_for_model(target)
    return ReviewItem.objects.filter(
        content_type=content_type, object_id=str(target.pk), status=ReviewItem.Status.OPEN,
    ).exclude(kind=ReviewItem.Kind.ACCOUNT_CLOSURE).update(
        status=ReviewItem.Status.CLOSED, decided_at=timezone.now(), note=note[:500])


REVIEW_ACTIONS = {
    "approve": ReviewItem.Status.APPROVED,
    "reject": ReviewItem.Status.REJECTED,
    "request_edit": ReviewItem.Status.EDIT_REQUESTED,
}


@transaction.atomic
def review_decide(*, actor: Any, item: ReviewItem, action: str, reason_code: str = "",
                  note: str = "") -> ReviewItem:
    """A reviewer decides an open item (MOD-5): approve, reject with a reason, or ask for an
    edit. The owning app's handler applies it and tells the poster the rule and the words."""
    require_perm(actor, "review.content")
    item = ReviewItem.objects.select_for_update().get(pk=item.pk)
    if item.status != ReviewItem.Status.OPEN:
        raise ServiceError("review_closed", _("该审核项已处理。"))
    if action not in REVIEW_ACTIONS:
        raise ServiceError("review_action", _("未知的处理方式。"))
    if action in ("reject", "request_edit") and not (reason_code or note.strip()):
        raise ServiceError("reason_required", _("驳回或要求修改时必须填写理由。"),
                           fields={"reason_code": [_("请选择或填写理由。")]})
    if item.kind == ReviewItem.Kind.ACCOUNT_CLOSURE:
        from pinqiao.moderation.services.sanctions import closure_decide

        return closure_decide(actor=actor, item=item, action=action, note=note)
    item.status = REVIEW_ACTIONS[action]
    item.decided_by, item.decided_at = actor, timezone.now()
    item.reason_code, item.note = reason_code[:40], note[:2000]
    item.save()
    log_action(actor, f"review.{action}", item,
               {"kind": item.kind, "reason_code": reason_code, "target": item.object_id})
    handler = _handlers.get(item.content_type.model_class()._meta.label_lower)
    if handler is not None:
        handler(item=item, action=action, actor=actor)
    return item
