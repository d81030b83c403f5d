"""Reads for organisations: memberships, the posting permission check (ORG-4, ORG-5, ORG-8,
ORG-12), the agency's 「许可及监管」 panel (DISC-3), the credit record (RISK-3), the review queue
(ORG-2, ORG-3) and the files behind the audited download view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.core.audit import log_action
from pinqiao.core.crypto import decrypt_bytes
from pinqiao.core.errors import NotFound, NotPermitted
from pinqiao.core.memo import KnownTrue, VersionedMemo
from pinqiao.core.permissions import has_perm
from pinqiao.disclosure.selectors import LicencePanel, operator_profile_shown
from pinqiao.orgs.models import (
    DOCUMENT_CONTEXT,
    ClientAuthorisation,
    Document,
    DocumentKind,
    LicenceKind,
    MemberRole,
    Membership,
    Organisation,
    OrgKind,
    OrgStatus,
    ReviewStatus,
    ServiceAgreement,
    Severity,
    SpecialPermitRule,
    Violation,
)
from pinqiao.reference import taxonomy

POSTING_MODES = ("own", "agency", "dispatch")
PERMIT_EQUIVALENTS = {"hr_services": LicenceKind.HR_SERVICE,
                      "labour_dispatch": LicenceKind.LABOUR_DISPATCH}
# An HR-service licence lets an agency post for clients only if its scope covers online
# recruitment (O44 Art. 25; 渝 一(二)).
ONLINE_RECRUITMENT_WORDS = ("网络招聘", "互联网招聘", "互联网人力资源信息服务",
                            "online recruitment")


def organisations_for_user(*, user: Any) -> QuerySet[Organisation]:
    """The organisations the user is a member of, any status."""
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).order_by("-created_at")


def membership_get(*, user: Any, organisation: Organisation) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(user=user, organisation=organisation).first()


def organisation_for_owner(*, user: Any, organisation_id: int) -> Organisation:
    """The organisation if ``user`` owns it; NotFound otherwise (also for others' ids)."""
    org = Organisation.objects.filter(
        pk=organisation_id, memberships__user=user,
        memberships__role=MemberRole.OWNER).first() if getattr(
        user, "is_authenticated", False) else None
    if org is None:
        raise NotFound(_("单位不存在，或您不是该单位的管理员。"))
    return org


def organisation_for_member(*, user: Any, organisation_id: int) -> tuple[Organisation, Membership]:
    membership = Membership.objects.select_related("organisation").filter(
        organisation_id=organisation_id, user=user).first() if getattr(
        user, "is_authenticated", False) else None
    if membership is None:
        raise NotFound(_("单位不存在，或您不是该单位的成员。"))
    return membership.organisation, membership


def scope_covers_online_recruitment(scope: str) -> bool:
    lowered = scope.lower()
    if "不含网络招聘" in scope or "不含互联网" in scope:
        return False
    return any(word in lowered for word in ONLINE_RECRUITMENT_WORDS)


#: The special-permit slug (ORG-12) of the 对外劳务合作经营资格 that lets an organisation post
#: jobs abroad (对外劳务合作管理条例 §5).
OVERSEAS_LABOUR_PERMIT = "overseas_labour"


def screening_waivers(organisation: Organisation | None) -> tuple[str, ...]:
    """Screening categories the organisation is licensed for: ``overseas`` when it holds a
    verified, unexpired 对外劳务合作 licence of its own on file (ORG-12, issue 16)."""
    if organisation is None or organisation.pk is None:
        return ()
    today = timezone.localdate()
    licensed = organisation.licences.filter(
        kind="special_permit", permit=OVERSEAS_LABOUR_PERMIT, status="verified",
        client__isnull=True).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    return ("overseas",) if licensed.exists() else ()


#: Read by every posting submission (SEC-3: kept in memory by version, like the legal
#: documents; a save or delete of a rule or agreement reloads them, ``pinqiao.orgs.apps``).
SPECIAL_PERMIT_RULES = VersionedMemo(
    "special-permit-rules", lambda: list(SpecialPermitRule.objects.filter(is_active=True)))
SERVICE_AGREEMENTS = VersionedMemo(
    "service-agreements",
    lambda: list(ServiceAgreement.objects.filter(published_at__isnull=False)
                 .order_by("-published_at")))
#: ``(organisation id, agreement id)`` of acceptances seen: an acceptance is never withdrawn.
AGREEMENT_ACCEPTED = KnownTrue(size=20_000)


def special_permit_rules_for_industry(code: str) -> list[SpecialPermitRule]:
    """Active staff-edited rules that apply to an industry code (a sub-industry slug or a 门类
    letter, which covers its sub-industries) (ORG-12)."""
    if not code:
        return []
    codes = {code} | {child.code for child in taxonomy.industry_children(code)}
    return [rule for rule in SPECIAL_PERMIT_RULES.get() if codes.intersection(rule.industries)]


def service_agreement_current() -> ServiceAgreement | None:
    """The service agreement version in force (ORG-10): the newest one already published."""
    now = timezone.now()
    return next((a for a in SERVICE_AGREEMENTS.get() if a.published_at <= now), None)


def agreement_pending(organisation: Organisation) -> ServiceAgreement | None:
    """The version in force when the organisation has not accepted it yet (ORG-10)."""
    current = service_agreement_current()
    if current is None or (organisation.pk, current.pk) in AGREEMENT_ACCEPTED:
        return None
    if organisation.agreement_acceptances.filter(agreement=current).exists():
        AGREEMENT_ACCEPTED.add((organisation.pk, current.pk))
        return None
    return current


def _refuse(user: Any, organisation: Organisation, mode: str, reason: str,
            message: str) -> NotPermitted:
    log_action(user, "orgs.posting_refused", organisation, {"mode": mode, "reason": reason})
    return NotPermitted(message, code=f"posting_{reason}")


def posting_permission_check(*, user: Any, organisation: Organisation, mode: str,
                             client: ClientAuthorisation | None = None,
                             industry_code: str = "",
                             membership: Membership | None = None) -> None:
    """Raise ``NotPermitted`` unless ``user`` may post for ``organisation`` in ``mode``.

    ORG-8: only verified organisations publish. ORG-4: business licence → own jobs ("own");
    HR-service licence covering online recruitment → 代招 for a verified, unexpired client
    authorisation of this agency ("agency", ORG-5); labour-dispatch licence → "dispatch".
    ORG-12: a special-permit industry needs its verified permit. ORG-10: the service agreement
    in force must have been accepted. Each refusal is audited. ``membership``: the user's
    membership of ``organisation`` when the caller has just read it.
    """
    if mode not in POSTING_MODES:
        raise _refuse(user, organisation, mode, "mode", _("未知的发布方式。"))
    if membership is None or membership.organisation_id != organisation.pk \
            or membership.user_id != getattr(user, "pk", None):
        membership = membership_get(user=user, organisation=organisation)
    if membership is None or not membership.can_post_jobs:
        raise _refuse(user, organisation, mode, "member",
                      _("您没有以该单位名义发布职位的权限，请联系单位管理员开通。"))
    if organisation.status != OrgStatus.VERIFIED:
        messages = {
            OrgStatus.SUSPENDED: _("该单位已被暂停发布：%(reason)s") % {
                "reason": organisation.status_reason or _("请联系平台客服。")},
            OrgStatus.CLOSED: _("该单位已关闭，不能发布职位。"),
        }
        raise _refuse(user, organisation, mode, "not_verified", messages.get(
            organisation.status, _("单位尚未通过平台认证，认证通过后才能发布职位。")))
    pending_agreement = agreement_pending(organisation)
    if pending_agreement is not None:
        raise _refuse(user, organisation, mode, "agreement", _(
            "平台服务协议已更新为 %(v)s 版，请单位管理员阅读并同意后再发布职位。") % {
            "v": pending_agreement.version})
    today = timezone.localdate()
    licences = list(organisation.licences.all())

    def usable(kind: str, permit: str = "", for_client: ClientAuthorisation | None = None
               ) -> list:
        client_id = for_client.pk if for_client is not None else None
        return [lic for lic in licences if lic.kind == kind and lic.is_usable(today)
                and (not permit or lic.permit == permit) and lic.client_id == client_id]

    business = usable(LicenceKind.BUSINESS)
    if not business and organisation.kind != OrgKind.PUBLIC_SERVICE:
        raise _refuse(user, organisation, mode, "business_licence",
                      _("营业执照未核验或已过期，暂不能发布职位。"))
    if mode == "agency":
        if organisation.kind != OrgKind.AGENCY:
            raise _refuse(user, organisation, mode, "not_agency",
                          _("只有人力资源服务机构可以代招。"))
        if not [lic for lic in usable(LicenceKind.HR_SERVICE)
                if scope_covers_online_recruitment(lic.scope)]:
            raise _refuse(user, organisation, mode, "hr_licence", _(
                "人力资源服务许可证未核验、已过期或许可范围不含网络招聘，不能代招。"))
        if client is None or client.agency_id != organisation.pk:
            raise _refuse(user, organisation, mode, "client", _(
                "代招职位必须对应本机构已上传的委托证明。"))
        if not client.is_usable(today):
            raise _refuse(user, organisation, mode, "client", _(
                "委托证明（%(client)s）未核验或不在有效期内，不能代招。") % {
                "client": client.client_name})
    if mode == "dispatch" and not usable(LicenceKind.LABOUR_DISPATCH):
        raise _refuse(user, organisation, mode, "dispatch_licence",
                      _("劳务派遣经营许可证未核验或已过期，不能发布派遣职位。"))
    # 代招 hires for the client, so the client's permit counts (filed by the agency against
    # the client authorisation); own and dispatch postings need the organisation's own.
    permit_holder = client if mode == "agency" else None
    for rule in special_permit_rules_for_industry(industry_code):
        # The HR-service and labour-dispatch licences are themselves the permits of their
        # industries; any other permit is a special-permit licence with the rule's slug.
        equivalent = PERMIT_EQUIVALENTS.get(rule.slug)
        if equivalent and permit_holder is None and usable(equivalent):
            continue
        if not usable(LicenceKind.SPECIAL_PERMIT, rule.slug, permit_holder):
            whose = _("委托单位（%(c)s）的") % {"c": client.client_name} if permit_holder else ""
            raise _refuse(user, organisation, mode, "special_permit", _(
                "该行业（%(industry)s）须先上传并通过核验%(whose)s《%(permit)s》才能发布职位。") % {
                "industry": rule.industry_label, "permit": rule.permit_name, "whose": whose})


# --- Credit record (RISK-3) and the agency panel (DISC-3) -------------------------------------

#: Points deducted per violation by severity. Score = max(0, 100 − Σ deductions of violations in
#: the last 36 months); violations older than 36 months no longer count (credit repair).
DEDUCTIONS = {Severity.MINOR: 5, Severity.SERIOUS: 15, Severity.GRAVE: 40}
CREDIT_WINDOW = timedelta(days=365 * 3)
#: Grades: A ≥ 90, B ≥ 75, C ≥ 60, D below.
GRADES = ((90, "A"), (75, "B"), (60, "C"), (0, "D"))


@dataclass(frozen=True)
class CreditRecord:
    score: int
    grade: str
    violations: list[Violation]

    @property
    def summary(self) -> str:
        if not self.violations:
            return ""
        return "；".join(
            f"{v.occurred_at:%Y-%m-%d} {v.rule}（{v.sanction}）" for v in self.violations[:5])


def credit_score_for(violations: list[Violation], *, now: Any = None) -> int:
    """The documented formula: 100 minus the deduction of each violation within 36 months."""
    now = now or timezone.now()
    counted = [v for v in violations if v.occurred_at >= now - CREDIT_WINDOW]
    return max(0, 100 - sum(DEDUCTIONS.get(v.severity, 5) for v in counted))


def credit_grade(score: int) -> str:
    return next(grade for floor, grade in GRADES if score >= floor)


def credit_record(organisation: Organisation) -> CreditRecord:
    violations = list(organisation.violations.all())
    score = credit_score_for(violations)
    return CreditRecord(score=score, grade=credit_grade(score), violations=violations)


def licence_panel_for_organisation(organisation: Organisation) -> LicencePanel:
    """The agency's 「许可及监管」 panel (DISC-3): its HR-service licence, credit score, violation
    record, and the complaint hotline (the platform's, which takes complaints about agencies)."""
    hr = (organisation.licences.filter(kind=LicenceKind.HR_SERVICE)
          .exclude(status__in=[ReviewStatus.REFUSED, ReviewStatus.REVOKED])
          .order_by("-status", "-valid_until").first())
    record = credit_record(organisation)
    operator = operator_profile_shown()
    return LicencePanel(
        subject=organisation.name, credit_code=organisation.credit_code,
        licence_no=hr.number if hr else _("未持有"),
        licence_authority=(hr.authority + ("" if hr.status == ReviewStatus.VERIFIED
                                           else f"，{hr.get_status_display()}"))
        if hr else "—",
        licence_valid_until=hr.valid_until if hr else None,
        credit_score=record.score, credit_grade=record.grade, violations=record.summary,
        complaint_hotline=operator.complaint_hotline if operator else "12333",
        regulator_name=operator.regulator_name if operator else _("人力资源社会保障部门"),
        regulator_url=operator.regulator_url if operator else "https://www.mohrss.gov.cn/",
    )


def public_organisation_get(*, organisation_id: int) -> Organisation:
    """A verified (or suspended, shown as such) organisation for its public page (ORG-11)."""
    org = Organisation.objects.filter(
        pk=organisation_id, status__in=[OrgStatus.VERIFIED, OrgStatus.SUSPENDED]).first()
    if org is None:
        raise NotFound(_("单位不存在或尚未通过认证。"))
    return org


# --- Review queue (ORG-2, ORG-3) -------------------------------------------------------------

def review_queue(*, viewer: Any) -> list[Organisation]:
    """Pending applications and requested re-checks, highest risk first, then oldest first."""
    if not has_perm(viewer, "review.organisations"):
        raise NotPermitted(_("您没有审核单位的权限。"))
    rows = Organisation.objects.filter(
        Q(status=OrgStatus.PENDING) | Q(reverify_requested_at__isnull=False)
    ).exclude(status=OrgStatus.CLOSED).prefetch_related("anomalies")
    waiting_since = Coalesce("reverify_requested_at", "submitted_at", "created_at")
    return list(rows.order_by("-risk_score", waiting_since.asc(), "pk"))


def organisation_for_reviewer(*, viewer: Any, organisation_id: int) -> Organisation:
    if not has_perm(viewer, "review.organisations"):
        raise NotPermitted(_("您没有审核单位的权限。"))
    org = Organisation.objects.filter(pk=organisation_id).exclude(status=OrgStatus.DRAFT).first()
    if org is None:
        raise NotFound(_("单位不存在。"))
    return org


def document_get_for_viewer(*, viewer: Any, document_id: int) -> Document:
    """A stored file, for the owner and members of its organisation, reviewers, and anyone for
    a verified organisation's logo. Every read is audited (SEC-1)."""
    document = Document.objects.select_related("organisation").filter(pk=document_id).first()
    if document is None:
        raise NotFound(_("文件不存在。"))
    org = document.organisation
    allowed = (
        (document.kind == DocumentKind.LOGO and org.status == OrgStatus.VERIFIED)
        or has_perm(viewer, "review.organisations")
        or (getattr(viewer, "is_authenticated", False) and Membership.objects.filter(
            organisation=org, user=viewer, role=MemberRole.OWNER).exists())
    )
    if not allowed:
        raise NotFound(_("文件不存在。"))
    if document.kind != DocumentKind.LOGO:
        log_action(viewer, "orgs.document_viewed", document,
                   {"organisation": org.pk, "kind": document.kind})
    return document


def document_bytes_for_viewer(*, viewer: Any, document_id: int) -> tuple[Document, bytes]:
    """The decrypted file, after the permission check and audit of ``document_get_for_viewer``
    (files are stored AES-GCM encrypted: PRIV-1, PRIV-10)."""
    document = document_get_for_viewer(viewer=viewer, document_id=document_id)
    with document.file.open("rb") as handle:
        return document, decrypt_bytes(handle.read(), context=DOCUMENT_CONTEXT)


def credit_export_rows(*, viewer: Any) -> list[dict[str, Any]]:
    """Credit-sharing export (RISK-3): one row per organisation that has been verified."""
    if not (has_perm(viewer, "view.oversight") or has_perm(viewer, "review.organisations")):
        raise NotPermitted(_("您没有导出信用记录的权限。"))
    from pinqiao.rights.destinations import CREDIT_SHARING, destination_check
    from pinqiao.rights.models import DestinationKind

    destination_check(kind=DestinationKind.REGULATOR, target=CREDIT_SHARING,
                      what="credit_export", actor=viewer)
    rows = []
    orgs = Organisation.objects.filter(verified_at__isnull=False).prefetch_related("violations")
    for org in orgs.order_by("credit_code"):
        record = credit_record(org)
        rows.append({
            "credit_code": org.credit_code, "name": org.name, "kind": org.kind,
            "status": org.status, "credit_score": record.score, "credit_grade": record.grade,
            "violations": len(record.violations),
            "last_violation": record.violations[0].occurred_at.date().isoformat()
            if record.violations else "",
            "violation_summary": record.summary,
        })
    log_action(viewer, "orgs.credit_exported", None, {"rows": len(rows)})
    return rows
