"""Writes of the regulator's view (ANA-3, Shandong notice 三(三)): each checks the permission,
runs in one transaction and writes an audit entry.

* ``access_record`` — the regulator's reads audited like staff reads (issue 18 item 6);
* ``reveal_refuse`` — a request for unmasked personal data: refused and audited;
* ``export_build`` — a masked CSV/XLSX of a data set, only with a stated reason, audited;
* ``draw_create`` / ``inspectors_assign`` / ``finding_record`` / ``draw_publish`` — 双随机、
  一公开: a seeded, reproducible draw, inspectors dealt at random, a finding per object, the
  results published.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.core.audit import log_action
from pinqiao.core.errors import NotPermitted, ServiceError
from pinqiao.core.permissions import require_perm
from pinqiao.jobs.models import Posting, PostingStatus
from pinqiao.moderation.public_texts import screen_public_texts
from pinqiao.notifications.services import notify
from pinqiao.orgs.models import Organisation, OrgStatus, Violation
from pinqiao.orgs.selectors import credit_score_for
from pinqiao.oversight import exports, sampling, selectors
from pinqiao.oversight.models import (
    DrawStatus,
    Outcome,
    SampledItem,
    SampleKind,
    SamplingDraw,
    Weighting,
)
from pinqiao.risk.models import RiskScore, Subject

PERM_VIEW = "view.oversight"
PERM_INSPECT = "oversight.inspect"
REASON_MIN = 4
REASON_MAX = 500
FINDING_MAX = 2000
#: A draw larger than this is refused (a 双随机 inspection is a sample, not a census).
SIZE_MAX = 500


def access_record(*, viewer: Any, page: str, target: Any = None,
                  detail: dict[str, Any] | None = None) -> None:
    """One audit entry per regulator read (the page, the object, the filter)."""
    require_perm(viewer, PERM_VIEW)
    log_action(viewer, "oversight.viewed", target, {"page": page, **(detail or {})})


def reveal_refuse(*, viewer: Any, target: Any, what: str) -> None:
    """A regulator asked for personal data in clear: record the attempt, then refuse. The
    regulator's view is masked by design; clear data goes only through a formal request for
    assistance (协查函) handled by the platform."""
    log_action(viewer, "oversight.unmasked_refused", target, {"what": what})
    raise NotPermitted(_("监管查看仅提供脱敏数据，不能查看完整个人信息。如确需完整信息，请依法出具"
                         "协查函，由平台按程序提供。本次请求已记录。"), code="unmasked_refused")


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content: bytes
    content_type: str
    rows: int


def _reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if len(reason) < REASON_MIN:
        raise ServiceError("reason_required",
                           _("请填写导出事由（至少 %(n)s 个字），例如“2026年第三季度双随机检查”。")
                           % {"n": REASON_MIN},
                           fields={"reason": [_("请填写导出事由。")]})
    if len(reason) > REASON_MAX:
        raise ServiceError("reason_too_long",
                           _("导出事由不能超过 %(n)s 个字。") % {"n": REASON_MAX},
                           fields={"reason": [_("导出事由过长。")]})
    return reason


def export_build(*, actor: Any, dataset: str, fmt: str, reason: str,
                 filters: selectors.Filters | None = None, year: int | None = None
                 ) -> ExportFile:
    """A masked export of ``dataset`` (or the annual report for ``year``) as CSV or XLSX;
    refused without a reason; audited with the reason, the filter and the row count."""
    require_perm(actor, PERM_VIEW)
    reason = _reason(reason)
    if fmt not in exports.FORMATS:
        raise ServiceError("unknown_format", _("导出格式只能是 CSV 或 Excel 表格。"),
                           fields={"fmt": [_("请选择导出格式。")]})
    filters = filters or selectors.Filters()
    if dataset == "annual":
        if year is None:
            raise ServiceError("invalid_year", _("请选择年度。"),
                               fields={"year": [_("请选择年度。")]})
        header, rows = exports.annual_rows(selectors.annual_report(viewer=actor, year=year))
        name = f"annual-{year}"
    elif dataset in exports.DATASETS:
        header, rows = exports.DATASETS[dataset][1](actor, filters)
        name = dataset
    else:
        raise ServiceError("unknown_dataset", _("没有这个数据集。"),
                           fields={"dataset": [_("请选择数据集。")]})
    content, count = exports.file_bytes(header, rows, fmt)
    with transaction.atomic():
        log_action(actor, "oversight.exported", None, {
            "dataset": dataset, "format": fmt, "rows": count, "reason": reason,
            "year": year, **filters.as_dict()})
    stamp = timezone.localdate().isoformat()
    return ExportFile(filename=f"pinqiao-{name}-{stamp}.{fmt}", content=content,
                      content_type=exports.CONTENT_TYPES[fmt], rows=count)


# --- 双随机 ---------------------------------------------------------------------------------------

def _organisation_population(min_risk: int, weighted: bool) -> list[tuple[int, float]]:
    risk = dict(RiskScore.objects.filter(subject=Subject.ORGANISATION)
                .values_list("subject_id", "score"))
    rows = []
    orgs = Organisation.objects.filter(status=OrgStatus.VERIFIED).prefetch_related(
        Prefetch("violations", queryset=Violation.objects.only("id", "organisation_id",
                                                               "occurred_at", "severity")))
    for org in orgs.order_by("id"):
        score = risk.get(org.pk, 0)
        if score < min_risk:
            continue
        credit = credit_score_for(list(org.violations.all()))
        weight = sampling.risk_weight(risk_score=score, credit_score=credit) if weighted else 1.0
        rows.append((org.pk, weight))
    return rows


def _posting_population(min_risk: int, weighted: bool) -> list[tuple[int, float]]:
    risk = dict(RiskScore.objects.filter(subject=Subject.POSTING)
                .values_list("subject_id", "score"))
    org_risk = dict(RiskScore.objects.filter(subject=Subject.ORGANISATION)
                    .values_list("subject_id", "score"))
    rows = []
    for pk, org_id in (Posting.objects.filter(status=PostingStatus.PUBLISHED)
                       .order_by("id").values_list("id", "organisation_id")):
        score = max(risk.get(pk, 0), org_risk.get(org_id, 0))
        if score < min_risk:
            continue
        weight = sampling.risk_weight(risk_score=score, credit_score=100) if weighted else 1.0
        rows.append((pk, weight))
    return rows


def _title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise ServiceError("title_required", _("请填写抽查任务名称。"),
                           fields={"title": [_("请填写抽查任务名称。")]})
    if len(title) > 100:
        raise ServiceError("title_too_long", _("抽查任务名称不能超过 100 个字。"),
                           fields={"title": [_("名称过长。")]})
    return title


@transaction.atomic
def draw_create(*, actor: Any, title: str, kind: str, size: int, weighting: str,
                min_risk_score: int = 0, seed: int | None = None) -> SamplingDraw:
    """Draw ``size`` organisations or postings (双随机): the population (verified organisations
    or published postings, at or above ``min_risk_score``) and its weights are stored with
    the seed, so ``draw_reproduce`` gives the same sample. A sample larger than the population
    is refused and nothing is written."""
    require_perm(actor, PERM_INSPECT)
    title = _title(title)
    screen_public_texts(model="oversight.SamplingDraw", values={"title": title},
                        labels={"title": _("抽查任务名称")})
    if kind not in SampleKind.values:
        raise ServiceError("unknown_kind", _("抽查对象只能是单位或职位。"),
                           fields={"kind": [_("请选择抽查对象。")]})
    if weighting not in Weighting.values:
        raise ServiceError("unknown_weighting", _("请选择抽取方式。"),
                           fields={"weighting": [_("请选择抽取方式。")]})
    if not 0 <= min_risk_score <= 100:
        raise ServiceError("invalid_risk", _("最低风险分应在 0 至 100 之间。"),
                           fields={"min_risk_score": [_("应在 0 至 100 之间。")]})
    if not 1 <= size <= SIZE_MAX:
        raise ServiceError("invalid_size", _("抽取数量应在 1 至 %(n)s 之间。") % {"n": SIZE_MAX},
                           fields={"size": [_("应在 1 至 %(n)s 之间。") % {"n": SIZE_MAX}]})
    if seed is not None and not 0 <= seed <= sampling.SEED_MAX:
        raise ServiceError("invalid_seed", _("随机种子应为 0 至 9223372036854775807 之间的整数。"),
                           fields={"seed": [_("随机种子超出范围。")]})
    weighted = weighting == Weighting.RISK
    population = (_organisation_population if kind == SampleKind.ORGANISATION
                  else _posting_population)(min_risk_score, weighted)
    if size > len(population):
        message = _("抽取数量（%(size)s）大于符合条件的对象数量（%(n)s），请减少抽取数量或放宽"
                    "条件。") % {"size": size, "n": len(population)}
        raise ServiceError("sample_larger_than_population", message,
                           fields={"size": [message]})
    seed = sampling.new_seed() if seed is None else seed
    chosen = sampling.draw_sample(population, size, seed)
    weights = dict(population)
    draw = SamplingDraw.objects.create(
        title=title, kind=kind, weighting=weighting, min_risk_score=min_risk_score, size=size,
        seed=seed, population=[[pk, w] for pk, w in population],
        population_size=len(population), created_by=actor)
    if kind == SampleKind.ORGANISATION:
        owners = {pk: (pk, None) for pk in chosen}
    else:
        owners = {pk: (org, pk) for pk, org in Posting.objects.filter(pk__in=chosen)
                  .values_list("id", "organisation_id")}
    SampledItem.objects.bulk_create([
        SampledItem(draw=draw, position=i, subject_id=pk, organisation_id=owners[pk][0],
                    posting_id=owners[pk][1], weight=weights[pk])
        for i, pk in enumerate(chosen, start=1)])
    log_action(actor, "oversight.sample_drawn", draw, {
        "kind": kind, "size": size, "population": len(population), "seed": str(seed),
        "weighting": weighting, "min_risk_score": min_risk_score, "chosen": chosen})
    return draw


def draw_reproduce(draw: SamplingDraw) -> list[int]:
    """The sample the stored seed and population give (for checking a draw)."""
    population = [(int(pk), float(w)) for pk, w in draw.population]
    return sampling.draw_sample(population, draw.size, draw.seed)


def _open(draw: SamplingDraw) -> None:
    if draw.status != DrawStatus.OPEN:
        raise ServiceError("draw_published", _("该抽查任务已公示，不能再修改。"))


@transaction.atomic
def inspectors_assign(*, actor: Any, draw: SamplingDraw, inspector_ids: list[int]) -> int:
    """The second 随机: deal the sampled objects to the chosen inspectors (active regulator
    accounts) in an order shuffled by the draw's seed; each inspector is notified. Objects that
    already have a finding keep their inspector. Returns the number of objects dealt."""
    require_perm(actor, PERM_INSPECT)
    draw = SamplingDraw.objects.select_for_update().get(pk=draw.pk)
    _open(draw)
    pool = {u.pk: u for u in selectors.inspectors().filter(pk__in=inspector_ids)}
    if not inspector_ids or len(pool) != len(set(inspector_ids)):
        raise ServiceError("unknown_inspector", _("请从监管人员名单中选择检查人员。"),
                           fields={"inspectors": [_("请选择检查人员。")]})
    items = {item.pk: item for item in draw.items.filter(outcome=Outcome.PENDING)}
    if not items:
        raise ServiceError("nothing_to_assign", _("所有抽中对象都已记录检查结果。"))
    deal = sampling.deal_inspectors(list(items), list(pool), draw.seed)
    for item_id, inspector_id in deal.items():
        items[item_id].inspector_id = inspector_id
    SampledItem.objects.bulk_update(items.values(), ["inspector"])
    log_action(actor, "oversight.inspectors_assigned", draw,
               {"inspectors": sorted(pool), "items": len(items)})
    for inspector_id in sorted(pool):
        count = sum(1 for v in deal.values() if v == inspector_id)
        notify(pool[inspector_id], "oversight_inspection_assigned",
               {"draw": draw, "count": count}, link=f"/oversight/samples/{draw.pk}/")
    return len(items)


@transaction.atomic
def finding_record(*, actor: Any, item: SampledItem, outcome: str, finding: str
                   ) -> SampledItem:
    """The finding of one sampled object, by the inspector it was dealt to."""
    require_perm(actor, PERM_INSPECT)
    item = SampledItem.objects.select_for_update().select_related("draw").get(pk=item.pk)
    _open(item.draw)
    if item.inspector_id is None:
        raise ServiceError("inspector_missing", _("请先分配检查人员，再记录检查结果。"))
    if item.inspector_id != actor.pk:
        raise NotPermitted(_("只有分配到该对象的检查人员可以记录检查结果。"),
                           code="not_your_inspection")
    if outcome not in Outcome.values or outcome == Outcome.PENDING:
        raise ServiceError("invalid_outcome", _("请选择检查结果。"),
                           fields={"outcome": [_("请选择检查结果。")]})
    finding = (finding or "").strip()
    if not finding:
        raise ServiceError("finding_required", _("请填写检查情况。"),
                           fields={"finding": [_("请填写检查情况。")]})
    if len(finding) > FINDING_MAX:
        raise ServiceError("finding_too_long",
                           _("检查情况不能超过 %(n)s 个字。") % {"n": FINDING_MAX},
                           fields={"finding": [_("检查情况过长。")]})
    item.outcome, item.finding = outcome, finding
    item.recorded_by, item.recorded_at = actor, timezone.now()
    item.save(update_fields=["outcome", "finding", "recorded_by", "recorded_at"])
    log_action(actor, "oversight.finding_recorded", item,
               {"draw": item.draw_id, "subject": item.subject_id, "outcome": outcome})
    return item


@transaction.atomic
def draw_publish(*, actor: Any, draw: SamplingDraw) -> SamplingDraw:
    """一公开: publish the results once every sampled object has a finding."""
    require_perm(actor, PERM_INSPECT)
    draw = SamplingDraw.objects.select_for_update().get(pk=draw.pk)
    _open(draw)
    pending = draw.items.filter(outcome=Outcome.PENDING).count()
    if pending:
        raise ServiceError("findings_missing",
                           _("还有 %(n)s 个抽中对象未记录检查结果，全部记录后才能公示。")
                           % {"n": pending})
    draw.status, draw.published_by, draw.published_at = (DrawStatus.PUBLISHED, actor,
                                                         timezone.now())
    draw.save(update_fields=["status", "published_by", "published_at"])
    log_action(actor, "oversight.results_published", draw, {"items": draw.size})
    return draw
