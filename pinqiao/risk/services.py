"""Risk scores (RISK-1, RISK-4), sanctions that cite their evidence and carry an appeal
(RISK-2), and the appeal's outcome in the credit record (RISK-3).

Scores are recomputed when a signal arrives (a report, an upheld case, a sanction) and nightly
(``manage.py risk_recompute``); each keeps its contributing signals and the formula version.
"""

from __future__ import annotations

import math
import random
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.core.audit import log_action
from pinqiao.core.errors import NotPermitted, ServiceError
from pinqiao.core.validators import normalize_text
from pinqiao.moderation import services as moderation
from pinqiao.moderation.models import Decision, Report, Sanction, ScreeningRecord
from pinqiao.notifications.services import notify
from pinqiao.orgs.models import MemberRole, Membership, Organisation
from pinqiao.risk import formula
from pinqiao.risk.models import AppealOutcome, EvidenceSource, RiskScore, SanctionNotice, Subject
from pinqiao.tickets.clock import china_today

#: Calendar days in which a sanctioned organisation may appeal (RISK-2).
APPEAL_DAYS = 15
#: Share of an ordinary account's clean postings sampled into human review, and of a
#: high-volume or high-risk one's (RISK-4).
SAMPLE_RATE_NORMAL = 0.02
SAMPLE_RATE_HIGH = 0.25
HIGH_VOLUME_POSTINGS_30D = 100


# --- signals and scores (RISK-1) -------------------------------------------------------------

def _since(days: int) -> Any:
    return timezone.now() - timedelta(days=days)


def _posting_ct() -> ContentType:
    from pinqiao.jobs.models import Posting

    return ContentType.objects.get_for_model(Posting)


def organisation_signals(organisation: Organisation) -> dict[str, float]:
    from pinqiao.jobs.models import Posting
    from pinqiao.privacy.models import AccessKind, ResumeAccess
    from pinqiao.tickets.models import Case

    posting_ids = [str(pk) for pk in Posting.objects.filter(
        organisation=organisation).values_list("pk", flat=True)]
    org_ct = ContentType.objects.get_for_model(Organisation)
    about_org = Q(content_type=org_ct, object_id=str(organisation.pk)) | Q(
        content_type=_posting_ct(), object_id__in=posting_ids)
    verified = organisation.verified_at
    return {
        "unverified": 0 if verified else 1,
        "new_account": 1 if verified and verified > _since(90) else 0,
        "upheld_cases": Case.objects.filter(organisation=organisation, upheld=True,
                                            kind__in=["report", "complaint"],
                                            resolved_at__gte=_since(365)).count(),
        "reports": Report.objects.filter(about_org, created_at__gte=_since(90)).count(),
        "screening_hits": ScreeningRecord.objects.filter(
            content_type=_posting_ct(), object_id__in=posting_ids,
            created_at__gte=_since(90)).exclude(decision=Decision.PASS).count(),
        "sanctions": Sanction.objects.filter(
            organisation=organisation, created_at__gte=_since(365),
            status__in=[Sanction.Status.ACTIVE, Sanction.Status.PROPOSED]).count(),
        "high_volume": 1 if Posting.objects.filter(
            organisation=organisation,
            created_at__gte=_since(30)).count() > HIGH_VOLUME_POSTINGS_30D else 0,
        "resume_downloads": ResumeAccess.objects.filter(
            organisation=organisation, kind=AccessKind.DOWNLOAD,
            at__gte=_since(30)).count() / 100,
        **chat_signals_for_organisation(organisation),
    }


# --- chat abuse (RISK-1, risk-2026.2) ---------------------------------------------------------
# Read from the chat app's own records: a counted violation is a message the chat screening
# masked or blocked (``ChatViolation``), a chat sanction a ``ChatRestriction`` not overturned on
# appeal; an upheld chat report is a desk case about a conversation found true.

def _chat_models() -> tuple[Any, Any, Any]:
    from pinqiao.messaging.models import AppealStatus, ChatRestriction, ChatViolation

    return AppealStatus, ChatRestriction, ChatViolation


def chat_signals_for_organisation(organisation: Organisation) -> dict[str, float]:
    from pinqiao.messaging.models import Conversation
    from pinqiao.tickets.models import Case

    appeal_status, restriction, violation = _chat_models()
    members = Membership.objects.filter(organisation=organisation).values("user_id")
    return {
        # The organisation's side only: a seeker's abuse in its chats is not its risk.
        "chat_screening_hits": violation.objects.filter(
            conversation__organisation=organisation, user_id__in=members,
            created_at__gte=_since(90)).count(),
        "chat_reports_upheld": Case.objects.filter(
            organisation=organisation, upheld=True, kind__in=["report", "complaint"],
            content_type=ContentType.objects.get_for_model(Conversation),
            resolved_at__gte=_since(365)).count(),
        "chat_sanctions": restriction.objects.filter(
            user_id__in=members, created_at__gte=_since(365)).exclude(
            appeal_status=appeal_status.UPHELD).count(),
    }


def chat_signals_for_recruiter(user: Any) -> dict[str, float]:
    appeal_status, restriction, violation = _chat_models()
    return {
        "chat_screening_hits": violation.objects.filter(
            user=user, created_at__gte=_since(90)).count(),
        "chat_sanctions": restriction.objects.filter(
            user=user, created_at__gte=_since(365)).exclude(
            appeal_status=appeal_status.UPHELD).count(),
    }


def scores_recompute_for_chat(*, user_id: int) -> None:
    """A chat signal about ``user_id`` (a screening hit or a chat sanction): the recruiter's
    score and their organisations' scores are recomputed."""
    from pinqiao.accounts.models import User

    user = User.objects.filter(pk=user_id, role="recruiter").first()
    if user is None:
        return
    for membership in Membership.objects.filter(user=user).select_related("organisation"):
        score_organisation(organisation=membership.organisation)
    score_recruiter(user=user)


def _score_of(subject: str, subject_id: int) -> int:
    return RiskScore.objects.filter(subject=subject, subject_id=subject_id).values_list(
        "score", flat=True).first() or 0


def recruiter_signals(user: Any) -> dict[str, float]:
    from pinqiao.jobs.models import Posting
    from pinqiao.privacy.models import AccessKind, ResumeAccess
    from pinqiao.tickets.models import Case

    org_ids = list(Membership.objects.filter(user=user).values_list("organisation_id",
                                                                      flat=True))
    accesses = ResumeAccess.objects.filter(viewer=user, at__gte=_since(30))
    return {
        "organisation_risk": max((_score_of(Subject.ORGANISATION, pk) for pk in org_ids),
                                 default=0) / 10,
        "upheld_cases": Case.objects.filter(accused_user=user, upheld=True,
                                            resolved_at__gte=_since(365)).count(),
        "high_volume": 1 if Posting.objects.filter(created_by=user,
                                                   created_at__gte=_since(30)).count() > 50
        else 0,
        "resume_views": accesses.filter(kind=AccessKind.VIEW).count() / 100,
        "resume_downloads": accesses.filter(kind=AccessKind.DOWNLOAD).count() / 50,
        **chat_signals_for_recruiter(user),
    }


def posting_signals(posting: Any) -> dict[str, float]:
    from pinqiao.tickets.models import Case

    here = {"content_type": _posting_ct(), "object_id": str(posting.pk)}
    screenings = ScreeningRecord.objects.filter(**here)
    return {
        "organisation_risk": _score_of(Subject.ORGANISATION, posting.organisation_id) / 10,
        "upheld_cases": Case.objects.filter(upheld=True, kind__in=["report", "complaint"],
                                            **here).count(),
        "reports": Report.objects.filter(**here).count(),
        "screening_review": 1 if screenings.filter(decision=Decision.REVIEW).exists() else 0,
        "screening_reject": 1 if screenings.filter(decision=Decision.REJECT).exists() else 0,
    }


def _save_score(subject: str, subject_id: int, values: dict[str, float]) -> RiskScore:
    score, rows = formula.compute(subject, values)
    risk, _created = RiskScore.objects.update_or_create(
        subject=subject, subject_id=subject_id, defaults={
            "score": score, "level": formula.level_for(score),
            "formula_version": formula.VERSION, "contributions": rows,
            "computed_at": timezone.now()})
    return risk


@transaction.atomic
def score_organisation(*, organisation: Organisation) -> RiskScore:
    """RISK-1: the organisation's score from its signals, with the explanation."""
    return _save_score(Subject.ORGANISATION, organisation.pk, organisation_signals(organisation))


@transaction.atomic
def score_recruiter(*, user: Any) -> RiskScore:
    return _save_score(Subject.RECRUITER, user.pk, recruiter_signals(user))


@transaction.atomic
def score_posting(*, posting: Any) -> RiskScore:
    return _save_score(Subject.POSTING, posting.pk, posting_signals(posting))


def scores_recompute_for_organisation(*, organisation: Organisation) -> None:
    """A signal about an organisation: its score first, then its recruiters' and its live
    postings' (which include it)."""
    from pinqiao.jobs.models import Posting, PostingStatus

    score_organisation(organisation=organisation)
    for membership in Membership.objects.filter(organisation=organisation).select_related(
            "user"):
        score_recruiter(user=membership.user)
    for posting in Posting.objects.filter(organisation=organisation,
                                          status=PostingStatus.PUBLISHED):
        score_posting(posting=posting)


def scores_recompute_for_case(*, case_id: int) -> None:
    from pinqiao.tickets.models import Case

    case = Case.objects.select_related("organisation", "accused_user").get(pk=case_id)
    if case.organisation is not None:
        scores_recompute_for_organisation(organisation=case.organisation)
    if case.accused_user is not None and case.accused_user.role == "recruiter":
        score_recruiter(user=case.accused_user)


@dataclass
class Recompute:
    organisations: int = 0
    recruiters: int = 0
    postings: int = 0


def scores_recompute_all(*, dry_run: bool = False) -> Recompute:
    """The nightly pass over every verified organisation, recruiter and live posting."""
    from pinqiao.accounts.models import User
    from pinqiao.jobs.models import Posting, PostingStatus

    run = Recompute()
    for organisation in Organisation.objects.exclude(verified_at=None).iterator():
        run.organisations += 1
        if not dry_run:
            score_organisation(organisation=organisation)
    for user in User.objects.filter(role="recruiter", is_active=True).iterator():
        run.recruiters += 1
        if not dry_run:
            score_recruiter(user=user)
    for posting in Posting.objects.filter(status=PostingStatus.PUBLISHED).iterator():
        run.postings += 1
        if not dry_run:
            score_posting(posting=posting)
    return run


def review_sample_rate(organisation: Organisation) -> float:
    """RISK-4: the share of an organisation's postings sampled into human review; high volume
    or high risk means more scrutiny."""
    risk = RiskScore.objects.filter(subject=Subject.ORGANISATION,
                                    subject_id=organisation.pk).first()
    if risk is None:
        return SAMPLE_RATE_NORMAL
    high_volume = any(r["signal"] == "high_volume" and r["points"] for r in risk.contributions)
    return SAMPLE_RATE_HIGH if high_volume or risk.level == "high" else SAMPLE_RATE_NORMAL


def postings_sample_for_review(*, since: Any, dry_run: bool = False,
                               seed: str = "") -> int:
    """The random spot check (双随机, RISK-4): of each organisation's postings published since
    ``since``, a share by :func:`review_sample_rate` (at least one for a high-risk or
    high-volume account) is put in the review queue with the organisation's risk."""
    from pinqiao.jobs.models import Posting, PostingStatus
    from pinqiao.moderation.models import ReviewItem

    published = Posting.objects.filter(status=PostingStatus.PUBLISHED, published_at__gte=since)
    sampled = 0
    for organisation in Organisation.objects.filter(pk__in=published.values("organisation_id")):
        rate = review_sample_rate(organisation)
        ids = sorted(published.filter(organisation=organisation).values_list("pk", flat=True))
        count = math.floor(len(ids) * rate + 0.5)
        if rate == SAMPLE_RATE_HIGH:
            count = max(count, 1)
        chosen = random.Random(f"{seed}:{organisation.pk}").sample(ids, min(count, len(ids)))
        org_score = _score_of(Subject.ORGANISATION, organisation.pk)
        for posting in Posting.objects.filter(pk__in=chosen):
            sampled += 1
            if not dry_run:
                moderation.review_item_open(
                    kind=ReviewItem.Kind.SCREENING, target=posting, title=posting.title,
                    risk=org_score, reasons=[{"code": "risk.sample", "message": _(
                        "风险抽查：单位抽查比例 %(p)s%%") % {"p": round(rate * 100)}}])
    return sampled


# --- sanctions with evidence and appeal (RISK-2) -----------------------------------------

@dataclass(frozen=True)
class _Evidence:
    source: str
    quote: str
    case: Any = None
    screening: Any = None


_pending: ContextVar[_Evidence | None] = ContextVar("risk_pending_evidence", default=None)


def _owner(organisation: Organisation) -> Any:
    membership = Membership.objects.filter(organisation=organisation, role=MemberRole.OWNER
                                           ).select_related("user").first()
    return membership.user if membership and membership.user.is_active else None


def _on_sanction(*, sanction: Sanction, actor: Any) -> None:
    """Every sanction in force gets its notice: the rule, the evidence quoted and the appeal
    deadline; the owner is told (without anything about who complained, TKT-5)."""
    evidence = _pending.get() or _Evidence(EvidenceSource.STAFF, sanction.reason)
    notice, _created = SanctionNotice.objects.get_or_create(sanction=sanction, defaults={
        "source": evidence.source, "case": evidence.case, "screening": evidence.screening,
        "evidence": evidence.quote[:5000],
        "appeal_until": china_today(timezone.now()) + timedelta(days=APPEAL_DAYS)})
    owner = _owner(sanction.organisation)
    if owner is not None:
        notify(owner, "sanction_notice", {
            "organisation": sanction.organisation.name, "kind": sanction.get_kind_display(),
            "rule": sanction.rule, "evidence": notice.evidence,
            "case": notice.case.reference if notice.case else "",
            "appeal_until": notice.appeal_until.isoformat()},
            link=f"/sanctions/{sanction.pk}/")
    transaction.on_commit(lambda: scores_recompute_for_organisation(
        organisation=sanction.organisation))


def sanction_for_case(*, actor: Any, case: Any, kind: str, rule: str = "",
                      daily_limit: int | None = None, features: tuple[str, ...] = (),
                      days: int | None = None) -> Sanction:
    """Impose a stepped measure on the organisation of an upheld case; the notice quotes the
    handler's finding and cites the case, never the complainant (RISK-2, TKT-5). Hidden
    content is what the case is about (a posting, or the organisation's public profile)."""
    rule = normalize_text(rule or "") or str(case.get_reason_code_display())
    quote = _("案件 %(r)s 查明：%(f)s") % {"r": case.reference, "f": case.finding}
    target = case.target if kind == Sanction.Kind.CONTENT_HIDDEN else None
    token = _pending.set(_Evidence(EvidenceSource.CASE, quote, case=case))
    try:
        return moderation.sanction_impose(actor=actor, organisation=case.organisation,
                                          kind=kind, rule=rule, reason=quote,
                                          daily_limit=daily_limit, features=features,
                                          days=days, target=target)
    finally:
        _pending.reset(token)


@transaction.atomic
def notice_acknowledge(*, actor: Any, notice: SanctionNotice) -> SanctionNotice:
    """A member of the warned organisation has read the pop-up warning (RISK-2); it stops
    popping up on the 工作台. Audited."""
    if not Membership.objects.filter(user=actor,
                                     organisation_id=notice.sanction.organisation_id).exists():
        raise NotPermitted(_("只能确认本单位收到的警告。"), code="not_own_sanction")
    notice = SanctionNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.acknowledged_at is None:
        notice.acknowledged_at, notice.acknowledged_by = timezone.now(), actor
        notice.save(update_fields=["acknowledged_at", "acknowledged_by"])
        log_action(actor, "sanction.acknowledge", notice.sanction, {"kind": notice.sanction.kind})
    return notice


def appeal_submit(*, actor: Any, sanction: Sanction, content: str, desired_outcome: str = "",
                  files: Any = ()) -> Any:
    """A member of the sanctioned organisation appeals within the deadline; the appeal is a case
    on the same desk and clock (RISK-2)."""
    from pinqiao.tickets import services as tickets
    from pinqiao.tickets.models import CaseKind, CaseStatus

    if not Membership.objects.filter(user=actor, organisation=sanction.organisation).exists():
        raise NotPermitted(_("只能对本单位受到的处置提出申诉。"), code="not_own_sanction")
    notice = SanctionNotice.objects.filter(sanction=sanction).first()
    if notice is None or sanction.status != Sanction.Status.ACTIVE:
        raise ServiceError("not_appealable", _("该处置当前不能申诉。"))
    if china_today(timezone.now()) > notice.appeal_until:
        raise ServiceError("appeal_expired", _("申诉期限已于 %(d)s 届满。") % {
            "d": notice.appeal_until.isoformat()}, fields={"content": [
                _("申诉期限已于 %(d)s 届满。") % {"d": notice.appeal_until.isoformat()}]})
    if sanction.appeal_cases.exclude(status=CaseStatus.CLOSED).exists() or \
            notice.appeal_outcome == AppealOutcome.PENDING:
        raise ServiceError("appeal_pending", _("该处置已有申诉在处理中。"))
    with transaction.atomic():
        case = tickets.case_submit(actor=actor, kind=CaseKind.APPEAL,
                                   reason_code=tickets.APPEAL_REASON, content=content,
                                   desired_outcome=desired_outcome,
                                   target=sanction.organisation, files=files,
                                   sanction=sanction)
        notice.appeal_outcome = AppealOutcome.PENDING
        notice.save(update_fields=["appeal_outcome"])
        log_action(actor, "sanction.appeal", sanction, {"case": case.reference})
    return case


def appeal_decided(*, actor: Any, case: Any) -> None:
    """An appeal's outcome (RISK-2, RISK-3): upheld lifts the sanction and takes its violation
    off the credit record; dismissed keeps both. The appellant is told either way."""
    from pinqiao.orgs.services import violation_overturn

    sanction = Sanction.objects.select_for_update().get(pk=case.sanction_id)
    if sanction.created_by_id == actor.pk:
        raise NotPermitted(_("申诉须由作出处置者以外的人员处理。"), code="own_sanction")
    notice = SanctionNotice.objects.filter(sanction=sanction).first()
    if case.upheld:
        if sanction.status == Sanction.Status.ACTIVE:
            moderation.sanction_lift(actor=actor, sanction=sanction,
                                     reason=_("申诉 %(r)s 成立。") % {"r": case.reference})
        if sanction.violation_id:
            violation_overturn(actor=actor, violation_id=sanction.violation_id,
                               reason=_("申诉 %(r)s 成立，撤销处置。") % {"r": case.reference})
    if notice is not None:
        notice.appeal_outcome = AppealOutcome.UPHELD if case.upheld else AppealOutcome.DISMISSED
        notice.save(update_fields=["appeal_outcome"])
    log_action(actor, "sanction.appeal_decided", sanction,
               {"case": case.reference, "upheld": case.upheld})
    transaction.on_commit(lambda: scores_recompute_for_organisation(
        organisation=sanction.organisation))


def install_hooks() -> None:
    moderation.register_sanction_hook(_on_sanction)

