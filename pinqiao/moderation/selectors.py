"""Reads for the review console, the rule editor and sanctions; each takes the viewer and
checks the permission once (MOD-5, MOD-6)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
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
