"""Stepped measures against organisations (RISK-2, DB4401 7.1.2, 7.2.2): imposed at once and
entered in the credit record, or, for an account closure or a blacklisting, proposed by one
reviewer and approved by another (MOD-5); what a measure in force forbids."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.core.audit import log_action
from pinqiao.core.errors import NotPermitted, ServiceError
from pinqiao.core.permissions import require_perm
from pinqiao.moderation.models import ReviewItem, Sanction
from pinqiao.moderation.services.reviews import review_item_open

SanctionHook = Callable[..., None]
_sanction_hooks: list[SanctionHook] = []


def register_sanction_hook(hook: SanctionHook) -> None:
    """``hook(*, sanction, actor)`` runs when a sanction takes effect (e.g. take postings down)."""
    _sanction_hooks.append(hook)


def active_sanctions(organisation: Any) -> list[Sanction]:
    return [s for s in Sanction.objects.filter(organisation=organisation,
                                               status=Sanction.Status.ACTIVE) if s.in_force]


def _record_violation(*, actor: Any, sanction: Sanction) -> None:
    from pinqiao.orgs.services import violation_record

    severity = {"warning": "minor", "risk_label": "minor", "volume_limit": "serious",
                "feature_limit": "serious", "posting_suspension": "serious",
                "content_hidden": "serious", "account_closure": "grave",
                "blacklist": "grave"}[sanction.kind]
    violation = violation_record(actor=actor, organisation=sanction.organisation,
                                 rule=sanction.rule, what=sanction.reason,
                                 sanction=str(sanction.get_kind_display()), severity=severity)
    sanction.violation_id = getattr(violation, "pk", None)
    sanction.save(update_fields=["violation_id"])


def _activate(*, actor: Any, sanction: Sanction) -> None:
    _record_violation(actor=actor, sanction=sanction)
    if sanction.kind == Sanction.Kind.ACCOUNT_CLOSURE:
        from pinqiao.orgs import services as org_services

        org_services.organisation_close(actor=actor, organisation=sanction.organisation,
                                        reason=sanction.reason)
    elif sanction.kind == Sanction.Kind.BLACKLIST:
        from pinqiao.orgs import services as org_services

        org_services.organisation_blacklist(actor=actor, organisation=sanction.organisation,
                                            reason=sanction.reason)
    elif sanction.kind == Sanction.Kind.POSTING_SUSPENSION:
        from pinqiao.orgs import services as org_services

        org_services.organisation_suspend(actor=actor, organisation=sanction.organisation,
                                          reason=sanction.reason)
    for hook in _sanction_hooks:
        hook(sanction=sanction, actor=actor)


#: Measures proposed by one reviewer that take effect only when a second one approves (MOD-5).
TWO_PERSON_KINDS = (Sanction.Kind.ACCOUNT_CLOSURE, Sanction.Kind.BLACKLIST)


def _hidden_target(kind: str, organisation: Any, target: models.Model | None,
                   fields: dict[str, list[str]]) -> models.Model | None:
    """The content a 「隐藏违规内容」 measure hides: the organisation itself (its public
    profile) or one of its postings."""
    if kind != Sanction.Kind.CONTENT_HIDDEN:
        return None
    target = target if target is not None else organisation
    owner = target if target._meta.label_lower == "orgs.organisation" else getattr(
        target, "organisation", None)
    if target._meta.label_lower not in ("orgs.organisation", "jobs.posting") or \
            getattr(owner, "pk", None) != organisation.pk:
        fields["kind"] = [_("只能隐藏该单位的主页介绍或其发布的职位。")]
    return target


@transaction.atomic
def sanction_impose(*, actor: Any, organisation: Any, kind: str, rule: str, reason: str,
                    daily_limit: int | None = None, days: int | None = None,
                    features: Iterable[str] = (), target: models.Model | None = None
                    ) -> Sanction:
    """Impose a stepped measure (DB4401 7.1.2, 7.2.2, RISK-2). A warning, a risk label, a
    volume or feature limit, a posting suspension and hidden content take effect at once and
    are recorded in the credit record; an account closure or a blacklisting is only proposed
    and waits for a second reviewer (:func:`sanction_approve`). ``target`` names the content
    a 「隐藏违规内容」 measure hides (default: the organisation's public profile)."""
    require_perm(actor, "review.content")
    if kind not in Sanction.Kind.values:
        raise ServiceError("invalid_kind", _("未知的处置措施。"))
    fields: dict[str, list[str]] = {}
    if not rule.strip():
        fields["rule"] = [_("请填写处置依据。")]
    if not reason.strip():
        fields["reason"] = [_("请填写事由。")]
    if kind == Sanction.Kind.VOLUME_LIMIT and not daily_limit:
        fields["daily_limit"] = [_("限制发布数量时必须填写每日上限。")]
    features = sorted(set(features or ()))
    if kind == Sanction.Kind.FEATURE_LIMIT and (
            not features or not set(features) <= set(Sanction.Feature.values)):
        fields["features"] = [_("限制功能时请选择要限制的功能。")]
    hidden = _hidden_target(kind, organisation, target, fields)
    if fields:
        raise ServiceError("invalid_sanction", next(iter(fields.values()))[0], fields=fields)
    closure = kind in TWO_PERSON_KINDS
    sanction = Sanction.objects.create(
        organisation=organisation, kind=kind, rule=rule.strip()[:200], reason=reason.strip(),
        daily_limit=daily_limit if kind == Sanction.Kind.VOLUME_LIMIT else None,
        features=features if kind == Sanction.Kind.FEATURE_LIMIT else [],
        content_type=ContentType.objects.get_for_model(hidden) if hidden is not None else None,
        object_id=str(hidden.pk) if hidden is not None else "",
        ends_at=timezone.now() + timedelta(days=days) if days else None, created_by=actor,
        status=Sanction.Status.PROPOSED if closure else Sanction.Status.ACTIVE)
    log_action(actor, "sanction.propose" if closure else "sanction.impose", sanction,
               {"kind": kind, "organisation": organisation.pk, "features": features,
                "hidden": f"{hidden._meta.label_lower}:{hidden.pk}" if hidden else ""})
    if closure:
        review_item_open(
            kind=ReviewItem.Kind.ACCOUNT_CLOSURE, target=organisation,
            title=(_("封号复核：%(org)s") if kind == Sanction.Kind.ACCOUNT_CLOSURE
                   else _("列入黑名单复核：%(org)s")) % {"org": organisation},
            text=sanction.reason, risk=95,
            reasons=[{"code": f"sanction.{kind}", "message": sanction.rule}])
        ReviewItem.objects.filter(
            kind=ReviewItem.Kind.ACCOUNT_CLOSURE, object_id=str(organisation.pk),
            status=ReviewItem.Status.OPEN, sanction__isnull=True).update(sanction=sanction)
    else:
        _activate(actor=actor, sanction=sanction)
    return sanction


def closure_decide(*, actor: Any, item: ReviewItem, action: str, note: str) -> ReviewItem:
    """Decide a proposed account closure or blacklisting from the review queue (called by
    ``review_decide``): approval is the second reviewer's (MOD-5); a refusal declines it."""
    sanction = item.sanction
    if sanction is None:
        raise ServiceError("no_sanction", _("该复核项没有关联的处置。"))
    if action == "approve":
        sanction_approve(actor=actor, sanction=sanction)
        item.status = ReviewItem.Status.APPROVED
    else:
        if sanction.created_by_id == actor.pk:
            raise NotPermitted(_("封号须由另一名审核员复核。"), code="two_person_rule")
        sanction.status = Sanction.Status.DECLINED
        sanction.approved_by, sanction.approved_at = actor, timezone.now()
        sanction.save(update_fields=["status", "approved_by", "approved_at"])
        item.status = ReviewItem.Status.REJECTED
        log_action(actor, "sanction.decline", sanction, {"note": note[:200]})
    item.decided_by, item.decided_at, item.note = actor, timezone.now(), note[:2000]
    item.save()
    return item


@transaction.atomic
def sanction_approve(*, actor: Any, sanction: Sanction) -> Sanction:
    """The second reviewer confirms an account closure or a blacklisting (two-person rule,
    MOD-5)."""
    require_perm(actor, "review.content")
    sanction = Sanction.objects.select_for_update().get(pk=sanction.pk)
    if sanction.status != Sanction.Status.PROPOSED:
        raise ServiceError("not_proposed", _("该处置不在待复核状态。"))
    if sanction.created_by_id == actor.pk:
        raise NotPermitted(_("封号须由另一名审核员复核。"), code="two_person_rule")
    sanction.status = Sanction.Status.ACTIVE
    sanction.approved_by, sanction.approved_at = actor, timezone.now()
    sanction.save(update_fields=["status", "approved_by", "approved_at"])
    log_action(actor, "sanction.approve", sanction, {"kind": sanction.kind})
    _activate(actor=actor, sanction=sanction)
    return sanction


@transaction.atomic
def sanction_lift(*, actor: Any, sanction: Sanction, reason: str) -> Sanction:
    require_perm(actor, "review.content")
    if sanction.status != Sanction.Status.ACTIVE:
        raise ServiceError("not_active", _("该处置未生效。"))
    sanction.status = Sanction.Status.LIFTED
    sanction.save(update_fields=["status"])
    log_action(actor, "sanction.lift", sanction, {"reason": reason[:200]})
    return sanction


def posting_blocked_reason(organisation: Any,
                           sanctions: list[Sanction] | None = None) -> str | None:
    """Why ``organisation`` may not post now (suspension or closure in force), or None.
    ``sanctions``: its ``active_sanctions`` when the caller has them already."""
    for sanction in active_sanctions(organisation) if sanctions is None else sanctions:
        if sanction.kind in (Sanction.Kind.POSTING_SUSPENSION, Sanction.Kind.ACCOUNT_CLOSURE,
                             Sanction.Kind.BLACKLIST):
            return _("贵单位已被暂停发布招聘信息（%(rule)s）。") % {"rule": sanction.rule}
    return None


def daily_posting_limit(organisation: Any,
                        sanctions: list[Sanction] | None = None) -> int | None:
    in_force = active_sanctions(organisation) if sanctions is None else sanctions
    limits = [s.daily_limit for s in in_force
              if s.kind == Sanction.Kind.VOLUME_LIMIT and s.daily_limit]
    return min(limits) if limits else None
