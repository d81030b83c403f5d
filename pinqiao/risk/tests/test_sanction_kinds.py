"""RISK-2, the stepped measures beyond warnings and suspensions: each names the rule, quotes
the evidence, carries an appeal link with its deadline, is entered in the credit record
(RISK-3) and — what these tests show — is enforced where it applies: the pop-up warning on the
工作台, the visible risk label on the public pages, the volume and feature limits, hidden
content, account closure and the blacklist by two reviewers (MOD-5)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pinqiao.accounts.services import SignupInput, _validate_signup
from pinqiao.core.errors import NotFound, NotPermitted, ServiceError
from pinqiao.core.models import AuditEntry
from pinqiao.jobs import selectors as job_selectors
from pinqiao.jobs import services as jobs
from pinqiao.jobs.models import PostingStatus
from pinqiao.jobs.tests.fixtures import posting_data
from pinqiao.moderation import services as moderation
from pinqiao.moderation.models import Sanction
from pinqiao.notifications.models import Notification
from pinqiao.orgs.models import BanKind, BannedEntry, OrgStatus
from pinqiao.orgs.services import ban_check
from pinqiao.privacy import services as privacy
from pinqiao.privacy.testing import applied
from pinqiao.resumes.testing import complete_resume
from pinqiao.risk.models import SanctionNotice
from pinqiao.search.talent.selectors import talent_searcher
from pinqiao.tickets import services as tickets
from pinqiao.tickets.services import Measures

pytestmark = pytest.mark.django_db

RULE = "《网络招聘服务管理规定》第十六条"


def _case(seeker: Any, target: Any) -> Any:
    return tickets.case_submit(actor=seeker, kind="complaint", reason_code="fee_charging",
                               content=f"面试时要求先交500元押金（{target}）。", target=target)


def _impose(handler: Any, seeker: Any, target: Any, kind: str, **measures: Any) -> Sanction:
    case = tickets.case_accept(actor=handler, case=_case(seeker, target))
    tickets.case_resolve(actor=handler, case=case, upheld=True,
                         finding="经核实，该单位要求求职者缴纳押金。", result="已处置。",
                         measures=Measures(sanction_kind=kind, rule=RULE, **measures))
    return Sanction.objects.filter(organisation=case.organisation, kind=kind).latest("id")


def _assert_cited(sanction: Sanction) -> SanctionNotice:
    """The rule, the evidence quoted, the appeal link and deadline, the credit record."""
    notice = SanctionNotice.objects.get(sanction=sanction)
    assert sanction.rule == RULE and "押金" in notice.evidence
    assert notice.appeal_until > timezone.localdate()
    body = Notification.objects.filter(event="sanction_notice").latest("id")
    assert body.link == f"/sanctions/{sanction.pk}/"
    assert notice.appeal_until.isoformat() in body.body
    assert sanction.organisation.violations.filter(rule=RULE).exists()
    return notice


def test_a_warning_pops_up_on_the_workbench_until_read(
        seeker: Any, recruiter: Any, posting: Any, handler: Any) -> None:
    sanction = _impose(handler, seeker, posting, "warning")
    _assert_cited(sanction)
    client = Client()
    client.force_login(recruiter)
    home = client.get("/").content.decode()
    assert 'id="popup-warning"' in home and RULE in home and "押金" in home
    assert reverse("risk:notice", args=[sanction.pk]) in home
    response = client.post(reverse("risk:acknowledge", args=[sanction.pk]), {"next": "/"})
    assert response.status_code == 302
    assert 'id="popup-warning"' not in client.get("/").content.decode()
    assert AuditEntry.objects.filter(verb="sanction.acknowledge").count() == 1


def test_a_risk_label_shows_on_the_public_pages_while_it_lasts(
        seeker: Any, posting: Any, handler: Any, employer: Any) -> None:
    sanction = _impose(handler, seeker, posting, "risk_label", days=30)
    _assert_cited(sanction)
    visitor = Client()
    org_page = visitor.get(reverse("orgs:public", args=[employer.pk])).content.decode()
    job_page = visitor.get(reverse("jobs:detail", args=[posting.pk])).content.decode()
    for page in (org_page, job_page):
        assert "data-risk-label" in page and RULE in page
    Sanction.objects.filter(pk=sanction.pk).update(ends_at=timezone.now() - timedelta(days=1))
    assert "data-risk-label" not in visitor.get(
        reverse("jobs:detail", args=[posting.pk])).content.decode()


def test_a_volume_limit_from_a_case_refuses_the_next_posting(
        seeker: Any, recruiter: Any, posting: Any, handler: Any, employer: Any) -> None:
    _assert_cited(_impose(handler, seeker, posting, "volume_limit", daily_limit=1))
    draft = jobs.posting_create(actor=recruiter, organisation=employer,
                                data=posting_data(title="仓储主管"))
    with pytest.raises(ServiceError) as exc:
        jobs.posting_submit(actor=recruiter, posting=draft)
    assert exc.value.code == "volume_limit"


def test_a_feature_limit_stops_talent_search_and_resume_downloads(
        seeker: Any, recruiter: Any, posting: Any, handler: Any, employer: Any) -> None:
    resume = complete_resume(seeker)
    applied(seeker, employer)
    with pytest.raises(ServiceError) as exc:  # no feature chosen: refused, nothing written
        moderation.sanction_impose(actor=handler, organisation=employer, kind="feature_limit",
                                   rule=RULE, reason="押金")
    assert exc.value.code == "invalid_sanction" and not Sanction.objects.exists()
    sanction = _impose(handler, seeker, posting, "feature_limit",
                       features=("talent_search", "resume_download"))
    _assert_cited(sanction)
    with pytest.raises(NotPermitted) as exc:
        talent_searcher(viewer=recruiter)
    assert "搜索人才" in exc.value.message
    with pytest.raises(NotPermitted) as exc:
        privacy.resume_download(viewer=recruiter, public_id=resume.public_id)
    assert exc.value.code == "feature_limited" and RULE in exc.value.message
    moderation.sanction_lift(actor=handler, sanction=sanction, reason="整改完成")
    assert talent_searcher(viewer=recruiter).organisation == employer


def test_hidden_content_leaves_the_public_but_stays_for_evidence(
        seeker: Any, recruiter: Any, posting: Any, handler: Any, employer: Any) -> None:
    sanction = _impose(handler, seeker, posting, "content_hidden")
    _assert_cited(sanction)
    assert (sanction.content_type.model, sanction.object_id) == ("posting", str(posting.pk))
    assert not job_selectors.postings_public().filter(pk=posting.pk).exists()
    with pytest.raises(NotFound):
        job_selectors.posting_public_get(posting_id=posting.pk)
    assert Client().get(reverse("jobs:detail", args=[posting.pk])).status_code == 404
    posting.refresh_from_db()
    assert posting.status == PostingStatus.PUBLISHED  # kept, and its owner still sees it
    assert job_selectors.postings_for_recruiter(user=recruiter).filter(pk=posting.pk).exists()
    profile = _impose(handler, seeker, employer, "content_hidden")
    assert profile.object_id == str(employer.pk)
    page = Client().get(reverse("orgs:public", args=[employer.pk])).content.decode()
    assert "主页介绍因违反平台规则已被隐藏" in page


def test_closure_and_blacklist_need_a_second_reviewer_and_block_registering_again(
        seeker: Any, recruiter: Any, posting: Any, handler: Any, handler2: Any,
        employer: Any) -> None:
    sanction = _impose(handler, seeker, posting, "blacklist")
    assert sanction.status == Sanction.Status.PROPOSED
    employer.refresh_from_db()
    assert employer.status == OrgStatus.VERIFIED
    with pytest.raises(NotPermitted) as exc:
        moderation.sanction_approve(actor=handler, sanction=sanction)
    assert exc.value.code == "two_person_rule"
    moderation.sanction_approve(actor=handler2, sanction=sanction)
    employer.refresh_from_db()
    assert employer.status == OrgStatus.CLOSED
    notice = _assert_cited(sanction)
    assert notice.appeal_until
    assert employer.violations.get(rule=RULE).severity == "grave"
    assert BannedEntry.objects.filter(kind=BanKind.PHONE, value=recruiter.phone_index).exists()
    with pytest.raises(ServiceError) as exc:
        ban_check(credit_code=employer.credit_code)
    assert exc.value.code == "banned_credit_code"
    with pytest.raises(ServiceError) as exc:
        ban_check(phone_index=recruiter.phone_index)
    assert exc.value.code == "banned_phone"
    with pytest.raises(ServiceError) as exc:
        _validate_signup(SignupInput(phone=recruiter.test_phone, code="000000",
                                     password="Pinqiao2026!x",
                                     role="recruiter", accept_terms=True))
    assert exc.value.code == "phone_blacklisted"

