"""RISK-1, RISK-4: scores per organisation, recruiter and posting from signals, explainable
(each signal with its weight), versioned; one signal changed moves the score and its
explanation; the nightly command; high-volume accounts sampled more."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from pinqiao.moderation.services import report_create
from pinqiao.privacy.models import ResumeAccess
from pinqiao.recommendations.models import Algorithm
from pinqiao.risk import formula, services
from pinqiao.risk.models import RiskScore, Subject
from pinqiao.tickets import services as tickets

pytestmark = pytest.mark.django_db


def _points(score: RiskScore, signal: str) -> int:
    return next(r["points"] for r in score.contributions if r["signal"] == signal)


def test_the_formula_lists_every_signal_with_its_weight() -> None:
    score, rows = formula.compute("organisation", {"upheld_cases": 2, "reports": 1})
    assert score == 2 * 15 + 3
    assert {r["signal"] for r in rows} == {s.name for s in formula.SIGNALS["organisation"]}
    top = rows[0]
    assert (top["signal"], top["weight"], top["points"]) == ("upheld_cases", 15, 30)


def test_caps_and_the_hundred_ceiling() -> None:
    score, rows = formula.compute("organisation", {"upheld_cases": 10, "sanctions": 10,
                                                   "unverified": 1, "reports": 99})
    assert score == 100
    assert next(r for r in rows if r["signal"] == "upheld_cases")["points"] == 45


def test_a_report_raises_the_organisation_score_and_says_why(employer: Any, posting: Any,
                                                             seeker: Any) -> None:
    before = services.score_organisation(organisation=employer)
    assert _points(before, "reports") == 0
    report_create(reporter=seeker, target=posting, reason="fee_charging", detail="押金")
    after = services.score_organisation(organisation=employer)
    assert after.score == before.score + 3
    assert _points(after, "reports") == 3
    assert after.formula_version == formula.VERSION


def test_an_upheld_complaint_raises_org_and_posting_scores(employer: Any, posting: Any,
                                                           seeker: Any, handler: Any,
                                                           django_capture_on_commit_callbacks:
                                                           Any) -> None:
    services.scores_recompute_for_organisation(organisation=employer)
    org_before = RiskScore.objects.get(subject=Subject.ORGANISATION, subject_id=employer.pk)
    case = tickets.case_submit(actor=seeker, kind="complaint", reason_code="fee_charging",
                               content="押金", target=posting)
    case = tickets.case_accept(actor=handler, case=case)
    with django_capture_on_commit_callbacks(execute=True):
        tickets.case_resolve(actor=handler, case=case, upheld=True, finding="属实",
                             result="警告")
    org_after = RiskScore.objects.get(subject=Subject.ORGANISATION, subject_id=employer.pk)
    assert _points(org_after, "upheld_cases") == 15
    assert org_after.score > org_before.score
    posting_score = services.score_posting(posting=posting)
    assert _points(posting_score, "upheld_cases") == 25


def test_resume_downloads_raise_the_recruiter_score(recruiter: Any, employer: Any,
                                                    make_user: Any) -> None:
    from pinqiao.resumes.models import Resume

    before = services.score_recruiter(user=recruiter)
    owner = make_user()
    resume = Resume.objects.create(owner=owner)
    today = timezone.localdate()
    ResumeAccess.objects.bulk_create([
        ResumeAccess(resume=resume, viewer=recruiter, organisation=employer, kind="download",
                     day=today) for _ in range(100)])
    after = services.score_recruiter(user=recruiter)
    assert _points(after, "resume_downloads") == 10
    assert after.score == before.score + 10


def test_high_volume_accounts_are_sampled_more(employer: Any, posting: Any) -> None:
    """RISK-4: an ordinary account's single posting is not sampled (2 %); once the account
    counts as high volume, its postings are (25 %, at least one)."""
    from datetime import timedelta

    from pinqiao.moderation.models import ReviewItem

    since = timezone.now() - timedelta(days=1)
    services.score_organisation(organisation=employer)
    assert services.review_sample_rate(employer) == services.SAMPLE_RATE_NORMAL
    assert services.postings_sample_for_review(since=since) == 0
    RiskScore.objects.filter(subject=Subject.ORGANISATION, subject_id=employer.pk).update(
        contributions=[{"signal": "high_volume", "points": 10}])
    assert services.review_sample_rate(employer) == services.SAMPLE_RATE_HIGH
    assert services.postings_sample_for_review(since=since, dry_run=True) == 1
    assert not ReviewItem.objects.filter(object_id=str(posting.pk)).exists()
    assert services.postings_sample_for_review(since=since) == 1
    item = ReviewItem.objects.get(object_id=str(posting.pk), kind="screening")
    assert item.reasons[0]["code"] == "risk.sample"


def test_the_nightly_command_and_its_dry_run(employer: Any, posting: Any) -> None:
    out = StringIO()
    call_command("risk_recompute", "--dry-run", stdout=out)
    assert "1 organisations" in out.getvalue() and not RiskScore.objects.exists()
    call_command("risk_recompute", stdout=StringIO())
    assert RiskScore.objects.filter(subject=Subject.POSTING, subject_id=posting.pk).exists()


def test_the_formula_is_in_the_algorithm_register() -> None:
    algorithm = Algorithm.objects.get(slug="risk-score")
    assert algorithm.version == formula.VERSION
    assert algorithm.code_path == "pinqiao/risk/formula.py"
