"""Writes: the personalisation switch (REC-2, PRIV-3), feedback (REC-3), interest-tag deletion
(REC-2), the exposure log and the bias reports (ALG-1) and changes to the algorithm register
(ALG-2)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import DatabaseError, transaction
from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.core.audit import log_action
from pinqiao.core.errors import NotFound, NotPermitted, ServiceError
from pinqiao.core.permissions import Role, require_perm
from pinqiao.jobs.selectors import posting_public_get
from pinqiao.notifications.services import notify
from pinqiao.privacy.models import ConsentPurpose, ConsentSource
from pinqiao.privacy.services import consent_grant, consent_withdraw
from pinqiao.recommendations import bias
from pinqiao.recommendations.models import (
    Algorithm,
    AlgorithmChange,
    BiasReport,
    DeletedTag,
    Exposure,
    Feedback,
    FeedbackKind,
    FilingStatus,
    Surface,
    TagKind,
)
from pinqiao.recommendations.profile import TAG_VALUE_MAX
from pinqiao.recommendations.selectors import personalisation_consent, require_seeker

log = logging.getLogger(__name__)

CONSENT_WORDING = (
    "开启个性化推荐后，聘桥会根据您简历中的期望职位、期望城市、期望薪资、技能、学历和工作经验，"
    "您的投递记录，以及您对推荐职位的「不感兴趣」「更多类似」反馈，生成兴趣标签并据此为您推荐职位，"
    "每条推荐都会说明理由。您可以随时查看和删除兴趣标签；您可以随时关闭个性化推荐，"
    "关闭后下一次访问即改为不针对您个人特征的推荐（所选城市近期热门和最新职位）。"
)


def personalisation_set(*, seeker: Any, enabled: bool) -> bool:
    """Turn personalised recommendation on (a consent record, PRIV-3) or off (the consent is
    withdrawn; the next request is non-personalised, REC-2). Returns the new state."""
    require_seeker(seeker)
    if enabled:
        consent_grant(user=seeker, purpose=ConsentPurpose.PERSONALISATION,
                      source=ConsentSource.SETTINGS, wording=CONSENT_WORDING)
        return True
    consent = personalisation_consent(seeker=seeker)
    if consent is not None:
        consent_withdraw(user=seeker, consent_id=consent.pk)
    return False


RECRUITER_CONSENT_WORDING = (
    "开启个性化人才推荐后，聘桥根据贵单位职位的岗位、城市、薪资、学历和经验要求，为您排序推荐"
    "求职者，每位都说明理由；关闭后改为不针对个人特征的排序（按简历最近更新时间），可随时重新开启。"
)


@transaction.atomic
def recruiter_personalisation_set(*, recruiter: Any, enabled: bool) -> bool:
    """REC-5: a recruiter turns personalised candidate recommendation on or off; each choice is
    recorded as a consent row (granted, or withdrawn). Off by default only after a choice: the
    first "off" records the default-on state as granted and withdraws it at once."""
    if not getattr(recruiter, "is_authenticated", False) or recruiter.role != Role.RECRUITER:
        raise NotPermitted(_("只有招聘者可以设置人才推荐。"))
    consent = consent_grant(user=recruiter, purpose=ConsentPurpose.PERSONALISATION,
                            source=ConsentSource.SETTINGS, wording=RECRUITER_CONSENT_WORDING)
    if not enabled:
        consent_withdraw(user=recruiter, consent_id=consent.pk)
    return enabled


@transaction.atomic
def feedback_record(*, seeker: Any, posting_id: int, kind: str) -> Feedback:
    """「不感兴趣」 or 「更多类似」 on a public posting (REC-3); replaces an earlier opinion on
    the same posting."""
    require_seeker(seeker)
    if kind not in FeedbackKind.values:
        raise ServiceError("invalid_feedback", _("请选择「不感兴趣」或「更多类似」。"),
                           fields={"kind": [_("无效的反馈类型。")]})
    posting = posting_public_get(posting_id=posting_id)
    feedback, _created = Feedback.objects.update_or_create(
        seeker=seeker, posting=posting,
        defaults={"kind": kind, "created_at": timezone.now()})
    log_action(seeker, "recommendations.feedback", posting, {"kind": kind})
    return feedback


@transaction.atomic
def feedback_remove(*, seeker: Any, feedback_id: int) -> None:
    """Undo one opinion (the seeker's own only; another's is not found)."""
    require_seeker(seeker)
    feedback = Feedback.objects.filter(pk=feedback_id, seeker=seeker).first()
    if feedback is None:
        raise NotFound(_("没有找到该反馈。"))
    log_action(seeker, "recommendations.feedback_removed", feedback.posting,
               {"kind": feedback.kind})
    feedback.delete()


def _tag_key(kind: str, value: str) -> tuple[str, str]:
    value = (value or "").strip()
    if kind not in TagKind.values or not value or len(value) > TAG_VALUE_MAX:
        raise ServiceError("invalid_tag", _("没有这个兴趣标签。"))
    return kind, value


@transaction.atomic
def tag_delete(*, seeker: Any, kind: str, value: str) -> DeletedTag:
    """Delete an interest tag (REC-2, ALG Art. 17): it is no longer derived or used, and stays
    deleted until restored."""
    require_seeker(seeker)
    kind, value = _tag_key(kind, value)
    deleted, created = DeletedTag.objects.get_or_create(seeker=seeker, kind=kind, value=value)
    if created:
        log_action(seeker, "recommendations.tag_deleted", seeker, {"kind": kind})
    return deleted


@transaction.atomic
def tag_restore(*, seeker: Any, kind: str, value: str) -> None:
    require_seeker(seeker)
    kind, value = _tag_key(kind, value)
    if DeletedTag.objects.filter(seeker=seeker, kind=kind, value=value).delete()[0]:
        log_action(seeker, "recommendations.tag_restored", seeker, {"kind": kind})


def exposures_log(*, surface: str, seeker: Any, postings: Iterable[Any], start_rank: int = 1,
                  personalised: bool = False) -> int:
    """Record postings shown to a seeker (ALG-1), one INSERT for the page. Anonymous views are
    not recorded (nothing to group them by). Returns the number of rows."""
    if surface not in Surface.values:
        raise ValueError(f"unknown surface {surface!r}")
    if not getattr(seeker, "is_authenticated", False):
        return 0
    now = timezone.now()
    rows = [Exposure(surface=surface, posting_id=getattr(p, "pk", p), seeker_id=seeker.pk,
                     rank=min(start_rank + i, 32767), personalised=personalised, at=now)
            for i, p in enumerate(postings)]
    Exposure.objects.bulk_create(rows)
    return len(rows)


def search_exposures_log(*, viewer: Any, postings: Iterable[Any], start_rank: int = 1) -> int:
    """Record a page of job-search results (pages and API) shown to a signed-in seeker
    (ALG-1, search surface), one INSERT for the page. Visitors, recruiters and staff are not
    recorded. A failed insert is logged and never fails the search. Returns the number of
    rows."""
    if not getattr(viewer, "is_authenticated", False) or viewer.role != Role.SEEKER:
        return 0
    try:
        with transaction.atomic():
            return exposures_log(surface=Surface.SEARCH, seeker=viewer, postings=postings,
                                 start_rank=start_rank)
    except DatabaseError:
        log.exception("recommendations: search exposures not recorded")
        return 0


def candidate_exposures_log(*, posting: Any, seekers: Iterable[Any], start_rank: int = 1) -> int:
    """Record seekers shown to a recruiter for ``posting`` (ALG-1, candidate surface), one
    INSERT for the page."""
    now = timezone.now()
    rows = [Exposure(surface=Surface.CANDIDATE, posting_id=posting.pk,
                     seeker_id=getattr(s, "pk", s), rank=min(start_rank + i, 32767), at=now)
            for i, s in enumerate(seekers)]
    Exposure.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def algorithm_change_record(*, actor: Any, algorithm: Algorithm, version: str, summary: str,
                            filing_status: str, filing_number: str = "") -> AlgorithmChange:
    """Record a new version of a registered algorithm with what changed (ALG-2)."""
    require_perm(actor, "manage.algorithms")
    version, summary = version.strip()[:20], summary.strip()[:2000]
    fields: dict[str, list[str]] = {}
    if not version:
        fields["version"] = [_("请填写版本号。")]
    elif version == algorithm.version:
        fields["version"] = [_("新版本号不能与当前版本相同。")]
    if not summary:
        fields["summary"] = [_("请说明变更内容。")]
    if filing_status not in FilingStatus.values:
        fields["filing_status"] = [_("请选择备案状态。")]
    if fields:
        raise ServiceError("invalid_change", next(iter(fields.values()))[0], fields=fields)
    now = timezone.now()
    change = AlgorithmChange.objects.create(algorithm=algorithm, version=version,
                                            summary=summary, filing_status=filing_status,
                                            actor=actor, changed_at=now)
    algorithm.version, algorithm.last_changed_at = version, now
    algorithm.filing_status = filing_status
    algorithm.filing_number = filing_number.strip()[:60] or algorithm.filing_number
    algorithm.save(update_fields=["version", "last_changed_at", "filing_status",
                                  "filing_number"])
    log_action(actor, "recommendations.algorithm_changed", algorithm,
               {"version": version, "filing_status": filing_status})
    return change


# --- bias monitor (ALG-1) ------------------------------------------------------------------

BIAS_PERIOD = timedelta(days=30)
BIAS_THRESHOLD = 0.8
BIAS_MIN_EXPOSURES = 30
EXPOSURE_RETENTION = timedelta(days=180)
#: Who is told of a flagged report.
BIAS_RECIPIENT_ROLES = (Role.OPERATOR, Role.AUDITOR)


def _surface_counts(surface: str, start: Any, end: Any) -> dict[int, bias.SeekerCounts]:
    """Per seeker: exposures, distinct postings shown, and those applied to after being shown
    (in the period), in two grouped queries."""
    from pinqiao.applications.models import Application

    exposures = Exposure.objects.filter(surface=surface, at__gte=start, at__lt=end)
    totals = exposures.values("seeker_id").annotate(n=Count("id"),
                                                    shown=Count("posting_id", distinct=True))
    followed = Application.objects.filter(seeker_id=OuterRef("seeker_id"),
                                          posting_id=OuterRef("posting_id"),
                                          created_at__gte=OuterRef("at"), created_at__lt=end)
    applied = dict(exposures.filter(Exists(followed)).values("seeker_id")
                   .annotate(n=Count("posting_id", distinct=True))
                   .values_list("seeker_id", "n"))
    return {row["seeker_id"]: bias.SeekerCounts(row["n"], row["shown"],
                                                applied.get(row["seeker_id"], 0))
            for row in totals}


def _candidate_population() -> list[int]:
    """Seekers whose résumé recruiters may be shown (approved and public): the population of
    the candidate-recommendation surface, exposed or not."""
    from pinqiao.resumes.models import Resume, ReviewStatus, Visibility

    return list(Resume.objects.filter(review_status=ReviewStatus.APPROVED,
                                      visibility=Visibility.PUBLIC, owner__is_active=True)
                .values_list("owner_id", flat=True))


def _groups(seeker_ids: Iterable[int], today: Any) -> dict[int, dict[str, str]]:
    from pinqiao.resumes.models import Resume

    rows = Resume.objects.filter(owner_id__in=list(seeker_ids)).values_list(
        "owner_id", "gender", "birth_date", "desired_city")
    return {owner: bias.groups_of(gender=gender, birth_date=born, division_code=city or "",
                                  today=today)
            for owner, gender, born, city in rows}


def bias_report_run(*, now: Any = None, period: timedelta = BIAS_PERIOD,
                    threshold: float = BIAS_THRESHOLD, min_exposures: int = BIAS_MIN_EXPOSURES,
                    dry_run: bool = False) -> BiasReport:
    """Compute exposure shares and apply rates by gender, age band and region for each
    surface over ``period`` (ALG-1), keep the report, and tell operators and auditors when a
    group falls under ``threshold`` of the best group. A dry run saves and tells nothing."""
    now = now or timezone.now()
    start = now - period
    today = timezone.localdate(now)
    data: dict[str, Any] = {}
    flags: list[dict[str, Any]] = []
    for surface in Surface:
        counts = _surface_counts(surface.value, start, now)
        if surface == Surface.CANDIDATE:
            for seeker_id in _candidate_population():
                counts.setdefault(seeker_id, bias.SeekerCounts())
        attributes = bias.analyse(counts, _groups(counts, today), threshold=threshold,
                                  min_exposures=min_exposures)
        data[surface.value] = {
            "label": str(surface.label), "seekers": len(counts),
            "exposures": sum(c.exposures for c in counts.values()),
            "attributes": {name: {"label": str(bias.ATTRIBUTES[name]), "groups": rows}
                           for name, rows in attributes.items()}}
        for name, rows in attributes.items():
            for row in rows:
                flags.extend({"surface": surface.value, "surface_label": str(surface.label),
                              "attribute": name, "attribute_label": str(bias.ATTRIBUTES[name]),
                              "group": row["group"], "metric": metric,
                              "ratio": row[f"{metric}_ratio"]} for metric in row["flags"])
    report = BiasReport(created_at=now, period_start=start, period_end=now,
                        threshold=Decimal(str(threshold)), min_exposures=min_exposures,
                        data=data, flags=flags)
    if dry_run:
        return report
    with transaction.atomic():
        report.save()
        log_action(None, "recommendations.bias_report", report, {"flags": len(flags)})
    if flags:
        _tell_staff(report)
    return report


def _tell_staff(report: BiasReport) -> None:
    from pinqiao.accounts.models import User

    summary = "；".join(
        f"{f['surface_label']}·{f['attribute_label']}·{f['group']}"
        f"（{'曝光' if f['metric'] == 'exposure' else '投递率'} {f['ratio']:.2f}）"
        for f in report.flags[:5])
    link = reverse("recommendations:staff_bias_report", args=[report.pk])
    for user in User.objects.filter(role__in=BIAS_RECIPIENT_ROLES, is_active=True):
        notify(user, "algorithm_bias_flagged",
               {"count": len(report.flags), "summary": summary,
                "period_end": timezone.localdate(report.period_end).isoformat()}, link=link)


def exposures_purge(*, now: Any = None, keep: timedelta = EXPOSURE_RETENTION,
                    dry_run: bool = False) -> int:
    """Delete exposure rows older than ``keep`` (the monitor reads 30 days; 180 are kept for
    re-runs). Returns how many were (or would be) deleted."""
    old = Exposure.objects.filter(at__lt=(now or timezone.now()) - keep)
    return old.count() if dry_run else old.delete()[0]
