"""Reads for the review console, the rule editor and sanctions; each takes the viewer and
checks the permission once (MOD-5, MOD-6)."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.core.errors import NotFound
from pinqiao.core.permissions import require_perm
from pinqiao.moderation.models import CaseFile, Report, ReviewItem, RuleSet, Sanction


def review_queue(*, viewer: Any, status: str = ReviewItem.Status.OPEN,
                 kind: str = "") -> QuerySet[ReviewItem]:
    """Open items ordered by risk, then age (oldest first) (MOD-5)."""
    require_perm(viewer, "review.content")
    items = ReviewItem.objects.filter(status=status).select_related(
        "content_type", "screening", "decided_by")
    if kind:
        items = items.filter(kind=kind)
    if status == ReviewItem.Status.OPEN:
        return items.order_by("-risk", "created_at", "id")
    return items.order_by("-decided_at", "-id")


def review_item_get(*, viewer: Any, item_id: int) -> ReviewItem:
    require_perm(viewer, "review.content")
    item = (ReviewItem.objects.select_related("content_type", "screening", "sanction",
                                              "decided_by").filter(pk=item_id).first())
    if item is None:
        raise NotFound(_("审核项不存在。"))
    return item


def reports_for_item(*, viewer: Any, item: ReviewItem) -> QuerySet[Report]:
    """Reports behind a queue item; the reporter is shown to staff only (TKT-5)."""
    require_perm(viewer, "review.content")
    return item.reports.select_related("reporter").order_by("created_at")


def rule_sets(*, viewer: Any) -> QuerySet[RuleSet]:
    require_perm(viewer, "manage.rules")
    return RuleSet.objects.select_related("created_by", "published_by").defer("data")


def rule_set_get(*, viewer: Any, rule_set_id: int) -> RuleSet:
    require_perm(viewer, "manage.rules")
    rule_set = RuleSet.objects.filter(pk=rule_set_id).first()
    if rule_set is None:
        raise NotFound(_("规则版本不存在。"))
    return rule_set


def sanctions_for_organisation(*, viewer: Any, organisation: Any) -> QuerySet[Sanction]:
    require_perm(viewer, "review.content")
    return Sanction.objects.filter(organisation=organisation).select_related(
        "created_by", "approved_by")


def case_files(*, viewer: Any) -> QuerySet[CaseFile]:
    require_perm(viewer, "review.content")
    return CaseFile.objects.select_related("organisation", "prepared_by")


def case_file_get(*, viewer: Any, case_id: int) -> CaseFile:
    require_perm(viewer, "review.content")
    case = CaseFile.objects.select_related("organisation", "prepared_by").filter(
        pk=case_id).first()
    if case is None:
        raise NotFound(_("案卷不存在。"))
    return case


def queue_summary(*, viewer: Any) -> dict[str, int]:
    """Open and overdue counts for the console header (MOD-5 SLA)."""
    require_perm(viewer, "review.content")
    open_items = ReviewItem.objects.filter(status=ReviewItem.Status.OPEN)
    return {"open": open_items.count(),
            "overdue": open_items.filter(due_at__lt=timezone.now()).count()}


# --- where the stepped measures are enforced (RISK-2) ---------------------------------------
# Public reads: no permission, no write; each is one query.

def _in_force(kind: str) -> QuerySet[Sanction]:
    return Sanction.objects.filter(kind=kind, status=Sanction.Status.ACTIVE).filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=timezone.now()))


def risk_label_for(organisation: Any) -> Sanction | None:
    """The visible risk label in force on ``organisation`` (shown on its public page and its
    postings while it lasts), or None."""
    if organisation is None:
        return None
    return _in_force(Sanction.Kind.RISK_LABEL).filter(
        organisation_id=organisation.pk).order_by("-created_at").first()


def feature_blocked_reason(organisation: Any, feature: str) -> str | None:
    """Why ``organisation`` may not use ``feature`` now (a feature limit in force), or None."""
    for sanction in _in_force(Sanction.Kind.FEATURE_LIMIT).filter(
            organisation_id=organisation.pk):
        if feature in sanction.features:
            return _("贵单位的「%(f)s」功能已被平台限制（%(rule)s），可在「处置与申诉」中查看依据"
                     "并申诉。") % {"f": Sanction.Feature(feature).label, "rule": sanction.rule}
    return None


def hidden_ids(model_label: str) -> QuerySet[Any]:
    """The primary keys of ``model_label`` objects hidden from the public by a
    「隐藏违规内容」 measure in force, as a subquery (``.exclude(pk__in=...)``). The rows
    themselves stay, for evidence and for their owner and staff."""
    app_label, model = model_label.split(".")
    content_type = ContentType.objects.get_by_natural_key(app_label, model)
    return _in_force(Sanction.Kind.CONTENT_HIDDEN).filter(
        content_type=content_type).annotate(
        target_pk=Cast("object_id", BigIntegerField())).values("target_pk")


def is_hidden(target: Any) -> bool:
    return _in_force(Sanction.Kind.CONTENT_HIDDEN).filter(
        content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk)).exists()
