"""Information review services: screening with the live rule set, the review queue, reports,
sanctions, case files and the rule editor (MOD-1, MOD-5, MOD-6, MOD-7, RISK-2, TKT-1).

Other apps plug into the queue with :func:`register_review_handler`: when a reviewer decides an
item whose target is one of their models, their handler applies the decision (a posting is
published, refused or sent back for edit). The moderation app itself knows no posting internals.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from pinqiao.core.audit import log_action
from pinqiao.core.errors import NotPermitted, ServiceError
from pinqiao.core.permissions import require_perm
from pinqiao.moderation.engine import (
    CATEGORIES,
    CATEGORY_DECISIONS,
    DEFAULT_RULES_PATH,
    RuleSetError,
    Screener,
    Screening,
)
from pinqiao.moderation.models import (
    REPORT_RISK,
    CaseFile,
    Decision,
    Report,
    ReportReason,
    ReviewItem,
    RuleSet,
    Sanction,
    ScreeningRecord,
)
from pinqiao.moderation.scoring import score

#: The longest text the engine is asked to screen; callers bound their fields below this.
MAX_SCREEN_CHARS = 20_000
#: Hours a reviewer has to decide an item, by risk (MOD-5 SLA clock).
SLA_HOURS_HIGH = 2
SLA_HOURS_NORMAL = 24
HIGH_RISK = 70
REPLAY_RECENT = 1_000

#: Risk points per category, used to order the queue (MOD-5).
CATEGORY_RISK = {
    "illegal_content": 100, "fraud": 90, "fee_charging": 85, "discrimination.gender": 70,
    "discrimination.marital": 70, "discrimination.ethnicity": 70, "discrimination.religion": 70,
    "discrimination.region": 70, "discrimination.health": 70, "discrimination.age": 40,
    "contact_info": 50, "harassment": 80, "overseas": 60, "non_recruitment": 40,
}

#: Legal basis shown to the poster for each category (MOD-2: the clause and the words).
CATEGORY_CLAUSES = {
    "discrimination.gender": _l(
        "《就业促进法》第二十七条、《妇女权益保障法》第四十三条："
        "不得因性别拒绝录用或提高录用标准"),
    "discrimination.marital": _l(
        "《妇女权益保障法》第四十三条：不得限制婚姻、生育状况"),
    "discrimination.ethnicity": _l(
        "《就业促进法》第二十八条：各民族劳动者享有平等的劳动权利"),
    "discrimination.religion": _l(
        "《就业促进法》第三条：劳动者就业不因宗教信仰不同而受歧视"),
    "discrimination.region": _l(
        "《就业促进法》第三十一条、《人力资源市场暂行条例》："
        "不得设置户籍等限制人力资源流动的条件"),
    "discrimination.health": _l(
        "《就业促进法》第三十条、《残疾人保障法》第三十八条："
        "不得以传染病病原携带、残疾为由拒绝录用"),
    "discrimination.age": _l(
        "DB4401 6.2.1.9：不得设置限制人力资源流动的条件（年龄限制需人工审核）"),
    "contact_info": _l(
        "DB4401 6.2.1.8、直播带岗 5.1.3：不得在招聘信息中留联系方式引导站外交易"),
    "fee_charging": _l(
        "《劳动合同法》第九条、《网络招聘服务管理规定》：不得向求职者收取押金或其他费用"),
    "fraud": _l("DB4401 6.2.1.8：不得发布虚假、欺诈招聘信息"),
    "illegal_content": _l("DB4401 6.1.2.3：不得发布违法违规内容"),
    "non_recruitment": _l(
        "DB4401 6.2.1.8、直播带岗 5.1.3：招生、招商、代理、加盟等不是招聘信息（需人工审核）"),
    "overseas": _l(
        "《对外劳务合作管理条例》第五条：组织赴境外工作须具备对外劳务合作经营资格"
        "（未核验到该资质的需人工审核）"),
    "harassment": _l("DB4401 6.1.4.1：不得侮辱、威胁或骚扰他人"),
}

CATEGORY_LABELS = {
    "discrimination.gender": _l("性别歧视"), "discrimination.marital": _l("婚育歧视"),
    "discrimination.ethnicity": _l("民族歧视"), "discrimination.religion": _l("宗教歧视"),
    "discrimination.region": _l("地域/户籍歧视"), "discrimination.health": _l("健康/残疾歧视"),
    "discrimination.age": _l("年龄限制"), "contact_info": _l("站外联系方式"),
    "fee_charging": _l("向求职者收费"), "fraud": _l("疑似诈骗"), "illegal_content": _l("违法内容"),
    "non_recruitment": _l("非招聘信息"), "overseas": _l("境外务工"), "harassment": _l("骚扰辱骂"),
}


# --- screening -----------------------------------------------------------------------------

_cache_lock = threading.Lock()
_screeners: dict[tuple[int, str], Screener] = {}


def _screener(rule_set: RuleSet) -> Screener:
    """The compiled screener of ``rule_set``, built once per process per version."""
    key = (rule_set.pk, rule_set.version)
    screener = _screeners.get(key)
    if screener is None:
        with _cache_lock:
            screener = _screeners.get(key)
            if screener is None:
                screener = Screener.from_rules(rule_set.data)
                if len(_screeners) > 8:
                    _screeners.clear()
                _screeners[key] = screener
    return screener


@lru_cache(maxsize=4)
def _bundle(mtime_ns: int) -> tuple[dict[str, Any], str]:
    raw = Path(DEFAULT_RULES_PATH).read_bytes()
    return json.loads(raw.decode("utf-8")), hashlib.sha256(raw).hexdigest()


def bundled_rules() -> tuple[dict[str, Any], str]:
    """The rule set shipped with the code (``rules/default.json``) and its SHA-256."""
    return _bundle(Path(DEFAULT_RULES_PATH).stat().st_mtime_ns)


_installed_digests: set[str] = set()


def live_rule_set() -> RuleSet:
    """The rule set in force (MOD-6).

    A deploy is a release: the first time a process sees bundled rules whose content is not yet
    in the database, they become the live version (the previous one is retired and kept). Staff
    versions made in the rule editor stay live until the next deploy ships different rules.
    """
    data, digest = bundled_rules()
    if digest not in _installed_digests:
        if not RuleSet.objects.filter(source_digest=digest).exists():
            _install_bundle(data, digest)
        _installed_digests.add(digest)
    # The rules JSON is loaded only when this process compiles the version (see _screener).
    rule_set = RuleSet.objects.filter(status=RuleSet.Status.LIVE).defer("data", "replay").first()
    if rule_set is None:
        _installed_digests.discard(digest)
        rule_set = _install_bundle(data, digest)
    return rule_set


def _install_bundle(data: dict[str, Any], digest: str) -> RuleSet:
    version = str(data.get("version") or "bundled")
    if RuleSet.objects.filter(version=version).exclude(source_digest=digest).exists():
        version = f"{version}+{digest[:8]}"
    try:
        with transaction.atomic():
            RuleSet.objects.filter(status=RuleSet.Status.LIVE).exclude(
                source_digest=digest).update(status=RuleSet.Status.RETIRED)
            rule_set, _created = RuleSet.objects.get_or_create(
                source_digest=digest,
                defaults={"version": version, "data": {**data, "version": version},
                          "status": RuleSet.Status.LIVE, "published_at": timezone.now(),
                          "note": "随系统发布的默认规则"})
            if rule_set.status != RuleSet.Status.LIVE:
                rule_set.status = RuleSet.Status.LIVE
                rule_set.save(update_fields=["status"])
            log_action(None, "ruleset.deploy", rule_set, {"version": version})
    except IntegrityError:  # another process installed it at the same moment
        rule_set = RuleSet.objects.get(status=RuleSet.Status.LIVE)
    return rule_set


def _target_ref(target: Any) -> tuple[ContentType | None, str]:
    if target is None:
        return None, ""
    return ContentType.objects.get_for_model(target), str(target.pk)


@dataclass(frozen=True)
class Prescreened:
    """The outcome of screening a text, not yet recorded (:func:`screen_prepare`)."""

    rule_set: RuleSet
    text: str
    context: str
    waived: tuple[str, ...]
    result: Screening

    def matches(self, text: str, context: str, waived: Iterable[str]) -> bool:
        return (self.text, self.context, self.waived) == (text, context, tuple(waived))


def screen_prepare(*, text: str, context: str = "posting",
                   waived: Iterable[str] = ()) -> Prescreened:
    """Screen ``text`` with the live rule set without recording it: the work a service does
    before its write transaction, which then records it with ``screen_text(prepared=…)``
    (SEC-3: writers wait for each other on SQLite, so no CPU-heavy work inside)."""
    if len(text) > MAX_SCREEN_CHARS:
        raise ServiceError("text_too_long",
                           _("文本过长（最多 %(n)s 个字符）。") % {"n": MAX_SCREEN_CHARS})
    rule_set = live_rule_set()
    waived = tuple(waived)
    return Prescreened(rule_set=rule_set, text=text, context=context, waived=waived,
                       result=_screener(rule_set).screen(text, context, waived=waived))


def screen_text(*, text: str, context: str = "posting", target: Any = None,
                waived: Iterable[str] = (), prepared: Prescreened | None = None
                ) -> ScreeningRecord:
    """Screen ``text`` with the live rule set and keep the record (MOD-1).

    Evidence offsets index ``text`` as given. ``waived`` names categories the poster holds a
    licence for (``overseas`` for a verified 对外劳务合作 operator, ORG-12). Raises
    ``ServiceError`` for text longer than :data:`MAX_SCREEN_CHARS` (callers bound their fields
    first). ``prepared``: the outcome of :func:`screen_prepare` for this very text, context and
    waivers, recorded as it is (the record names the rule set that produced it); anything else
    is screened again here.
    """
    if prepared is None or not prepared.matches(text, context, waived):
        prepared = screen_prepare(text=text, context=context, waived=waived)
    rule_set = prepared.rule_set
    content_type, object_id = _target_ref(target)
    data = prepared.result.to_dict()
    return ScreeningRecord.objects.create(
        rule_set=rule_set, rule_version=rule_set.version, context=context,
        content_type=content_type, object_id=object_id, text=text,
        decision=data["decision"], categories=data["categories"], evidence=data["evidence"],
        rule_ids=data["rule_ids"])


_notes: dict[tuple[int, str], dict[str, str]] = {}


def rule_notes(rule_set: RuleSet | None = None) -> dict[str, str]:
    """Rule id → its note (the clause it enforces), for telling posters which rule fired;
    kept per process per version."""
    rule_set = rule_set or live_rule_set()
    key = (rule_set.pk, rule_set.version)
    if key not in _notes:
        data = RuleSet.objects.values_list("data", flat=True).get(pk=rule_set.pk)
        if len(_notes) > 8:
            _notes.clear()
        _notes[key] = {rule["id"]: rule.get("note", "") for rule in data.get("rules", [])}
    return _notes[key]


def explain(record: ScreeningRecord) -> list[dict[str, Any]]:
    """Per category: label, clause, words and rule ids, for the poster and the reviewer."""
    notes = {}
    if record.rule_set_id:
        rule_set = (record.rule_set if ScreeningRecord.rule_set.is_cached(record)
                    else RuleSet.objects.only("id", "version").get(pk=record.rule_set_id))
        notes = rule_notes(rule_set)
    out: dict[str, dict[str, Any]] = {}
    for ev in record.evidence:
        row = out.setdefault(ev["category"], {
            "category": ev["category"], "label": str(CATEGORY_LABELS.get(ev["category"], "")),
            "clause": str(CATEGORY_CLAUSES.get(ev["category"], "")), "words": [],
            "rules": []})
        if ev["text"] not in row["words"]:
            row["words"].append(ev["text"])
        if ev["rule_id"] not in row["rules"]:
            row["rules"].append(ev["rule_id"])
            if notes.get(ev["rule_id"]) and not row["clause"]:
                row["clause"] = notes[ev["rule_id"]]
    return list(out.values())


def deciding_category(record: ScreeningRecord) -> str:
    """The category whose decision is the record's decision (the rule that actually refused),
    not merely the first one found: an age hit sent for review must not be named when a gender
    hit refused the text (issue 15)."""
    decisions = dict(CATEGORY_DECISIONS)
    if record.rule_set_id:
        data = RuleSet.objects.values_list("data", flat=True).get(pk=record.rule_set_id)
        decisions.update(data.get("category_decisions", {}))
    return next((c for c in record.categories if decisions.get(c) == record.decision),
                record.categories[0] if record.categories else "")


def screening_risk(record: ScreeningRecord) -> int:
    return max((CATEGORY_RISK.get(c, 30) for c in record.categories), default=0)


# --- review queue --------------------------------------------------------------------------

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
        return _closure_decide(actor=actor, item=item, action=action, note=note)
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


# --- reports (TKT-1) -----------------------------------------------------------------------

@transaction.atomic
def report_create(*, reporter: Any, target: models.Model, reason: str, detail: str = "",
                  title: str = "", text: str = "") -> Report:
    """A user reports ``target`` with a reason code; the report lands in the review queue."""
    if not getattr(reporter, "is_authenticated", False):
        raise NotPermitted(_("请先登录后再举报。"))
    if reason not in ReportReason.values:
        raise ServiceError("invalid_reason", _("请选择举报原因。"),
                           fields={"reason": [_("请选择举报原因。")]})
    detail = (detail or "").strip()
    if len(detail) > 1000:
        raise ServiceError("too_long", _("补充说明最多 1000 字。"),
                           fields={"detail": [_("补充说明最多 1000 字。")]})
    content_type = ContentType.objects.get_for_model(target)
    if Report.objects.filter(reporter=reporter, content_type=content_type,
                             object_id=str(target.pk),
                             created_at__gte=timezone.now() - timedelta(days=1)).exists():
        raise ServiceError("already_reported", _("您已举报过该内容，平台正在核查，请勿重复举报。"),
                           status=429)
    report = Report.objects.create(reporter=reporter, content_type=content_type,
                                   object_id=str(target.pk), reason=reason, detail=detail)
    others = Report.objects.filter(content_type=content_type, object_id=str(target.pk)).count()
    risk = min(100, REPORT_RISK.get(reason, 30) + 5 * (others - 1))
    item = review_item_open(
        kind=ReviewItem.Kind.REPORT, target=target, title=title or str(target), text=text,
        reasons=[{"code": f"report.{reason}", "message": str(ReportReason(reason).label)}],
        risk=risk)
    report.review_item = item
    report.save(update_fields=["review_item"])
    log_action(reporter, "report.create", report, {"reason": reason, "target": str(target.pk)})
    return report


# --- sanctions (RISK-2, MOD-7) ---------------------------------------------------------------

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


def _closure_decide(*, actor: Any, item: ReviewItem, action: str, note: str) -> ReviewItem:
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


@transaction.atomic
def case_file_prepare(*, actor: Any, target: models.Model, organisation: Any, summary: str,
                      evidence: dict[str, Any]) -> CaseFile:
    """Prepare a case file for the authorities about removed illegal content (MOD-7)."""
    reference = timezone.now().strftime("AJ%Y%m%d-") + get_random_string(
        6, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
    case = CaseFile.objects.create(
        reference=reference, organisation=organisation,
        content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk),
        summary=summary, evidence=evidence, prepared_by=actor)
    log_action(actor, "casefile.prepare", case, {"reference": reference})
    return case


@transaction.atomic
def case_file_submit(*, actor: Any, case: CaseFile, authority: str) -> CaseFile:
    """Record that a prepared case file was handed to the authorities (MOD-7)."""
    require_perm(actor, "review.content")
    authority = (authority or "").strip()[:200]
    if not authority:
        raise ServiceError("authority_required", _("请填写接收机关。"),
                           fields={"authority": [_("请填写接收机关。")]})
    case = CaseFile.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseFile.Status.PREPARED:
        raise ServiceError("already_submitted", _("该案卷已报送。"))
    case.status, case.submitted_at = CaseFile.Status.SUBMITTED, timezone.now()
    case.evidence = {**case.evidence, "submitted_to": authority}
    case.save(update_fields=["status", "submitted_at", "evidence"])
    log_action(actor, "casefile.submit", case, {"reference": case.reference,
                                                "authority": authority})
    return case


# --- rule editor (MOD-6) -------------------------------------------------------------------

def _validate_rules(data: Any) -> Screener:
    if not isinstance(data, dict):
        raise ServiceError("invalid_rules", _("规则必须是 JSON 对象。"),
                           fields={"data": [_("规则必须是 JSON 对象。")]})
    try:
        return Screener.from_rules(data)
    except (RuleSetError, KeyError, TypeError, ValueError) as exc:
        message = _("规则有误：%(e)s") % {"e": exc}
        raise ServiceError("invalid_rules", message, fields={"data": [message]}) from exc


def add_words(data: dict[str, Any], *, category: str, words: Iterable[str]) -> dict[str, Any]:
    """A copy of ``data`` with ``words`` added as a term rule of ``category``."""
    if category not in CATEGORIES:
        raise ServiceError("invalid_category", _("未知的类别。"),
                           fields={"category": [_("未知的类别。")]})
    words = [w.strip() for w in words if w.strip()]
    data = json.loads(json.dumps(data))
    rule_id = f"staff.{category}"
    rule = next((r for r in data["rules"] if r.get("id") == rule_id), None)
    if rule is None:
        rule = {"id": rule_id, "category": category, "type": "term", "patterns": [],
                "note": str(CATEGORY_CLAUSES.get(category, ""))}
        data["rules"].append(rule)
    rule["patterns"] = list(dict.fromkeys(list(rule["patterns"]) + words))
    return data


@transaction.atomic
def rule_set_draft_create(*, actor: Any, data: dict[str, Any], note: str = "",
                          version: str = "") -> RuleSet:
    """Save a new draft rule-set version (MOD-6); validated by compiling it."""
    require_perm(actor, "manage.rules")
    base = live_rule_set()
    data = dict(data)
    version = (version or "").strip() or timezone.localtime().strftime("%Y.%m.%d-%H%M%S")
    if RuleSet.objects.filter(version=version).exists():
        raise ServiceError("version_taken", _("版本号已存在。"),
                           fields={"version": [_("版本号已存在。")]})
    data["version"] = version
    _validate_rules(data)
    rule_set = RuleSet.objects.create(version=version, data=data, note=note[:500],
                                      based_on=base, created_by=actor)
    log_action(actor, "ruleset.draft", rule_set, {"version": version, "based_on": base.version})
    return rule_set


def labelled_items() -> list[dict[str, Any]]:
    """The labelled sets replayed before a rule change goes live (MOD-6)."""
    paths = sorted((Path(__file__).parent / "tests" / "labelled").glob("*.jsonl"))
    extra = getattr(settings, "MODERATION_EXTRA_LABELLED", None)
    if extra is None:
        extra = [Path(settings.BASE_DIR).parent / "shared" / "moderation" / "dev.jsonl"]
    paths += [Path(p) for p in extra]
    items: list[dict[str, Any]] = []
    for path in paths:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError:
            continue
        for line in lines:
            if line.strip():
                row = json.loads(line)
                row["id"] = f"{path.stem}:{row['id']}"
                items.append(row)
    return items


@dataclass
class Replay:
    labelled_before: dict[str, Any]
    labelled_after: dict[str, Any]
    recent_total: int
    recent_changed: list[dict[str, Any]]
    recent_matrix: dict[str, int]


def _score_with(screener: Screener, items: list[dict[str, Any]]) -> dict[str, Any]:
    predicted = []
    for item in items:
        result = screener.screen(item["text"])
        predicted.append({"id": item["id"], "decision": result.decision,
                          "categories": list(result.categories)})
    report = score(items, predicted)
    report["errors"] = report["errors"][:50]
    return report


@transaction.atomic
def rule_set_replay(*, actor: Any, rule_set: RuleSet) -> dict[str, Any]:
    """Replay a draft on the labelled sets and the last 1,000 screenings (MOD-6) and keep the
    before/after figures on the draft."""
    require_perm(actor, "manage.rules")
    live = live_rule_set()
    draft = _validate_rules(rule_set.data)
    items = labelled_items()
    before = _score_with(_screener(live), items) if items else None
    after = _score_with(draft, items) if items else None
    recent = list(ScreeningRecord.objects.order_by("-created_at", "-id")[:REPLAY_RECENT])
    matrix: dict[str, int] = {}
    changed: list[dict[str, Any]] = []
    for record in recent:
        result = draft.screen(record.text, record.context)
        key = f"{record.decision}→{result.decision}"
        matrix[key] = matrix.get(key, 0) + 1
        if (result.decision != record.decision or set(result.categories) != set(
                record.categories)) and len(changed) < 30:
            changed.append({"id": record.pk, "text": record.text[:120],
                            "before": record.decision, "after": result.decision,
                            "before_categories": record.categories,
                            "after_categories": list(result.categories)})
    report = {"live_version": live.version, "labelled_items": len(items),
              "before": before, "after": after, "recent_total": len(recent),
              "recent_matrix": matrix, "recent_changed": changed,
              "recent_changed_count": sum(v for k, v in matrix.items()
                                          if k.split("→")[0] != k.split("→")[1])}
    rule_set.replay, rule_set.replayed_at = report, timezone.now()
    rule_set.save(update_fields=["replay", "replayed_at"])
    log_action(actor, "ruleset.replay", rule_set, {"version": rule_set.version})
    return report


@transaction.atomic
def rule_set_publish(*, actor: Any, rule_set: RuleSet) -> RuleSet:
    """Make a replayed draft the live rule set; the previous one is retired (MOD-6)."""
    require_perm(actor, "manage.rules")
    rule_set = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
    if rule_set.status != RuleSet.Status.DRAFT:
        raise ServiceError("not_draft", _("只能发布草稿版本。"))
    if rule_set.replayed_at is None:
        raise ServiceError("not_replayed", _("发布前必须先在标注集和近期记录上回放。"))
    previous = live_rule_set()
    RuleSet.objects.filter(status=RuleSet.Status.LIVE).update(status=RuleSet.Status.RETIRED)
    rule_set.status = RuleSet.Status.LIVE
    rule_set.published_by, rule_set.published_at = actor, timezone.now()
    rule_set.save(update_fields=["status", "published_by", "published_at"])
    log_action(actor, "ruleset.publish", rule_set,
               {"version": rule_set.version, "previous": previous.version})
    return rule_set


__all__ = [
    "Decision", "screen_text", "live_rule_set", "explain", "review_item_open", "review_decide",
    "report_create", "sanction_impose", "sanction_approve", "case_file_prepare",
    "rule_set_draft_create", "rule_set_replay", "rule_set_publish",
]
