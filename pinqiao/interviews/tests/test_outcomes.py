"""APP-5: check-in, no-show, completion, the recruiter's scorecards and the seeker's
evaluation; a fee demand opens a report (DISC-6, TKT-1)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from pinqiao.core.errors import NotFound, ServiceError
from pinqiao.core.models import AuditEntry
from pinqiao.interviews import services, testing
from pinqiao.interviews.models import CheckIn, CheckInMethod, Scorecard, SeekerEvaluation, Status
from pinqiao.interviews.tests.conftest import NOW, at
from pinqiao.moderation.models import Report
from pinqiao.notifications.models import Notification

pytestmark = pytest.mark.django_db

SCORES = {"skills": 4, "communication": 5, "fit": 3, "potential": 4}


def _code(call: Any) -> str:
    with pytest.raises(ServiceError) as caught:
        call()
    return caught.value.code


@pytest.fixture
def onsite(recruiter: Any, application: Any) -> Any:
    return testing.book(recruiter, application, at(29), now=NOW)


# --- check-in --------------------------------------------------------------------------------

def test_the_seeker_checks_in_with_the_code(seeker: Any, recruiter: Any, onsite: Any) -> None:
    checkin = services.checkin_with_code(actor=seeker, interview=onsite,
                                         code=onsite.checkin_code, now=at(29, 9, 50))
    assert (checkin.method, checkin.recorded_by, checkin.at) == \
        (CheckInMethod.CODE, seeker, at(29, 9, 50))
    assert Notification.objects.filter(user=recruiter, event="interview_checked_in").exists()
    assert _code(lambda: services.checkin_with_code(
        actor=seeker, interview=onsite, code=onsite.checkin_code,
        now=at(29, 9, 55))) == "already_checked_in"


def test_check_in_has_a_window(seeker: Any, onsite: Any) -> None:
    code = onsite.checkin_code
    assert _code(lambda: services.checkin_with_code(
        actor=seeker, interview=onsite, code=code, now=at(29, 8, 59))) == "too_early"
    assert _code(lambda: services.checkin_with_code(
        actor=seeker, interview=onsite, code=code, now=at(29, 11, 1))) == "too_late"
    assert not CheckIn.objects.exists()


def test_wrong_codes_are_counted_audited_and_lock(seeker: Any, recruiter: Any,
                                                  onsite: Any) -> None:
    wrong = "000000" if onsite.checkin_code != "000000" else "111111"
    for _attempt in range(5):
        assert _code(lambda: services.checkin_with_code(
            actor=seeker, interview=onsite, code=wrong, now=at(29, 9, 50))) == "wrong_code"
    onsite.refresh_from_db()
    assert onsite.checkin_failures == 5
    assert AuditEntry.objects.filter(verb="interview.checkin_code_wrong").count() == 5
    assert _code(lambda: services.checkin_with_code(
        actor=seeker, interview=onsite, code=onsite.checkin_code,
        now=at(29, 9, 51))) == "checkin_locked"
    checkin = services.checkin_record(actor=recruiter, interview=onsite, now=at(29, 9, 52))
    assert checkin.method == CheckInMethod.RECORDED and checkin.recorded_by == recruiter


def test_a_code_with_odd_characters_is_just_wrong(seeker: Any, onsite: Any) -> None:
    assert _code(lambda: services.checkin_with_code(
        actor=seeker, interview=onsite, code="１２３四五六", now=at(29, 9, 50))) == "wrong_code"


def test_only_the_seeker_types_the_code_and_only_recruiters_record(
        seeker: Any, recruiter: Any, other_seeker: Any, other_recruiter: Any,
        onsite: Any) -> None:
    for actor in (recruiter, other_seeker):
        with pytest.raises(NotFound):
            services.checkin_with_code(actor=actor, interview=onsite, code=onsite.checkin_code,
                                       now=at(29, 9, 50))
    for actor in (seeker, other_recruiter):
        with pytest.raises(NotFound):
            services.checkin_record(actor=actor, interview=onsite, now=at(29, 9, 50))


# --- no-show and completion -------------------------------------------------------------------

def test_a_no_show_is_recorded_after_the_grace_period(seeker: Any, recruiter: Any,
                                                      onsite: Any) -> None:
    assert _code(lambda: services.interview_no_show(
        actor=recruiter, interview=onsite, now=at(29, 10, 14))) == "too_early"
    services.interview_no_show(actor=recruiter, interview=onsite, now=at(29, 10, 15))
    onsite.refresh_from_db()
    assert onsite.status == Status.NO_SHOW
    assert Notification.objects.filter(user=seeker, event="interview_no_show").exists()
    assert AuditEntry.objects.filter(verb="interview.no_show", actor_id=recruiter.pk).exists()


def test_a_checked_in_seeker_is_no_no_show(seeker: Any, recruiter: Any, onsite: Any) -> None:
    services.checkin_record(actor=recruiter, interview=onsite, now=at(29, 9, 58))
    assert _code(lambda: services.interview_no_show(
        actor=recruiter, interview=onsite, now=at(29, 10, 30))) == "checked_in"


def test_completion_asks_the_seeker_to_evaluate(seeker: Any, recruiter: Any,
                                                onsite: Any) -> None:
    assert _code(lambda: services.interview_complete(
        actor=recruiter, interview=onsite, now=at(29, 9, 59))) == "too_early"
    services.interview_complete(actor=recruiter, interview=onsite, now=at(29, 11))
    assert Notification.objects.filter(user=seeker, event="interview_completed").exists()
    assert _code(lambda: services.interview_complete(
        actor=recruiter, interview=onsite, now=at(29, 12))) == "not_booked"


# --- scorecards -------------------------------------------------------------------------------

def test_one_scorecard_per_interviewer(recruiter: Any, colleague: Any, onsite: Any) -> None:
    card = services.scorecard_submit(actor=recruiter, interview=onsite, scores=SCORES,
                                     recommendation="yes", comment="基础扎实", now=at(29, 11))
    assert (card.skills, card.fit, card.recommendation) == (4, 3, "yes")
    services.scorecard_submit(actor=colleague, interview=onsite, scores=SCORES,
                              recommendation="no", now=at(29, 11))
    assert _code(lambda: services.scorecard_submit(
        actor=recruiter, interview=onsite, scores=SCORES, recommendation="strong_yes",
        now=at(29, 12))) == "scorecard_exists"
    assert Scorecard.objects.filter(interview=onsite).count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        Scorecard.objects.create(interview=onsite, author=recruiter, recommendation="yes",
                                 **SCORES)


@pytest.mark.parametrize(("scores", "recommendation", "field"), [
    ({**SCORES, "skills": 0}, "yes", "skills"),
    ({**SCORES, "fit": 6}, "yes", "fit"),
    ({k: v for k, v in SCORES.items() if k != "potential"}, "yes", "potential"),
    ({**SCORES, "communication": True}, "yes", "communication"),
    (SCORES, "maybe", "recommendation"),
])
def test_bad_scorecards_are_refused(recruiter: Any, onsite: Any, scores: dict,
                                    recommendation: str, field: str) -> None:
    with pytest.raises(ServiceError) as caught:
        services.scorecard_submit(actor=recruiter, interview=onsite, scores=scores,
                                  recommendation=recommendation, now=at(29, 11))
    assert field in caught.value.fields
    assert not Scorecard.objects.exists()


def test_the_database_keeps_scores_between_1_and_5(recruiter: Any, onsite: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Scorecard.objects.create(interview=onsite, author=recruiter, recommendation="yes",
                                 **{**SCORES, "skills": 9})


def test_no_scorecard_before_the_start_or_after_a_no_show(recruiter: Any, seeker: Any,
                                                          onsite: Any) -> None:
    assert _code(lambda: services.scorecard_submit(
        actor=recruiter, interview=onsite, scores=SCORES, recommendation="yes",
        now=at(29, 9))) == "not_held"
    services.interview_no_show(actor=recruiter, interview=onsite, now=at(29, 10, 30))
    assert _code(lambda: services.scorecard_submit(
        actor=recruiter, interview=onsite, scores=SCORES, recommendation="yes",
        now=at(29, 11))) == "not_held"
    with pytest.raises(NotFound):
        services.scorecard_submit(actor=seeker, interview=onsite, scores=SCORES,
                                  recommendation="yes", now=at(29, 11))


# --- the seeker's evaluation ------------------------------------------------------------------

def test_the_seeker_evaluates_once(seeker: Any, recruiter: Any, onsite: Any) -> None:
    services.interview_complete(actor=recruiter, interview=onsite, now=at(29, 11))
    evaluation = services.evaluation_submit(actor=seeker, interview=onsite, rating=5,
                                            comment="面试官很专业", now=at(29, 12))
    assert (evaluation.rating, evaluation.report) == (5, None)
    assert _code(lambda: services.evaluation_submit(
        actor=seeker, interview=onsite, rating=1, now=at(29, 13))) == "evaluation_exists"
    assert not Report.objects.exists()


def test_a_fee_demand_opens_a_report_against_the_posting(seeker: Any, recruiter: Any,
                                                         onsite: Any, posting: Any) -> None:
    evaluation = services.evaluation_submit(actor=seeker, interview=onsite, rating=1,
                                            comment="要求先交800元服装费", fee_requested=True,
                                            job_differs=True, now=at(29, 11))
    report = Report.objects.get()
    assert evaluation.report == report
    assert (report.reporter, report.target, report.reason) == (seeker, posting, "fee_charging")
    assert "面试中被要求缴纳费用" in report.detail and "岗位与发布信息不符" in report.detail
    assert report.review_item is not None


def test_a_different_job_opens_a_false_info_report(seeker: Any, onsite: Any) -> None:
    services.evaluation_submit(actor=seeker, interview=onsite, rating=2, job_differs=True,
                               now=at(29, 11))
    assert Report.objects.get().reason == "false_info"


def test_an_earlier_report_does_not_block_the_evaluation(seeker: Any, onsite: Any,
                                                         posting: Any) -> None:
    from pinqiao.moderation.services import report_create

    report_create(reporter=seeker, target=posting, reason="fee_charging", detail="电话里要钱")
    evaluation = services.evaluation_submit(actor=seeker, interview=onsite, rating=1,
                                            fee_requested=True, now=at(29, 11))
    assert evaluation.fee_requested and evaluation.report is None
    assert Report.objects.count() == 1


def test_recruiters_see_ordinary_evaluations_only(seeker: Any, recruiter: Any, onsite: Any,
                                                  application: Any, posting: Any) -> None:
    from pinqiao.interviews.selectors import evaluation_for

    services.evaluation_submit(actor=seeker, interview=onsite, rating=4, comment="准时",
                               now=at(29, 11))
    assert evaluation_for(onsite, side="recruiter").comment == "准时"
    SeekerEvaluation.objects.filter(interview=onsite).update(fee_requested=True)
    assert evaluation_for(onsite, side="recruiter") is None
    assert evaluation_for(onsite, side="seeker").fee_requested


@pytest.mark.parametrize(("rating", "code"), [(0, "invalid_rating"), (6, "invalid_rating"),
                                              (True, "invalid_rating")])
def test_bad_ratings_are_refused(seeker: Any, onsite: Any, rating: Any, code: str) -> None:
    assert _code(lambda: services.evaluation_submit(actor=seeker, interview=onsite,
                                                    rating=rating, now=at(29, 11))) == code
    assert not SeekerEvaluation.objects.exists()


def test_no_evaluation_before_the_interview_or_by_others(seeker: Any, recruiter: Any,
                                                         other_seeker: Any, onsite: Any) -> None:
    assert _code(lambda: services.evaluation_submit(
        actor=seeker, interview=onsite, rating=3, now=at(29, 9))) == "not_held"
    for actor in (recruiter, other_seeker):
        with pytest.raises(NotFound):
            services.evaluation_submit(actor=actor, interview=onsite, rating=3, now=at(29, 11))


def test_a_seeker_marked_absent_may_still_evaluate(seeker: Any, recruiter: Any,
                                                   onsite: Any) -> None:
    services.interview_no_show(actor=recruiter, interview=onsite, now=at(29, 10, 30))
    services.evaluation_submit(actor=seeker, interview=onsite, rating=1,
                               comment="我到了，前台说面试官不在", now=at(29, 11))
    assert SeekerEvaluation.objects.filter(interview=onsite).exists()


# --- pages and API ----------------------------------------------------------------------------

@pytest.fixture
def started(recruiter: Any, application: Any) -> Any:
    """An on-site interview that began a minute ago (booked for the near future, then moved)."""
    interview = testing.book(recruiter, application, timezone.now() + timedelta(minutes=30))
    from pinqiao.interviews.models import Interview

    Interview.objects.filter(pk=interview.pk).update(
        starts_at=timezone.now() - timedelta(minutes=1))
    interview.refresh_from_db()
    return interview


def test_the_outcome_pages(user_client: Any, recruiter: Any, seeker: Any,
                           started: Any) -> None:
    hr, me = user_client(recruiter), user_client(seeker)
    seeker_page = reverse("interviews:seeker_detail", args=[started.pk])
    me.post(reverse("interviews:seeker_action", args=[started.pk, "check-in"]),
            {"checkin-code": started.checkin_code})
    assert "已签到" in me.get(seeker_page).content.decode()
    score_url = reverse("interviews:recruiter_action", args=[started.pk, "scorecard"])
    bad = hr.post(score_url, {"score-skills": "4", "score-recommendation": "yes"})
    assert bad.status_code == 400
    hr.post(score_url, {"score-skills": "4", "score-communication": "5", "score-fit": "3",
                        "score-potential": "4", "score-recommendation": "yes",
                        "score-comment": "沟通清楚"})
    hr.post(reverse("interviews:recruiter_action", args=[started.pk, "complete"]))
    page = me.get(seeker_page).content.decode()
    assert "沟通清楚" not in page and "评价本次面试" in page
    assert "求职防骗提示" not in page
    me.post(reverse("interviews:seeker_action", args=[started.pk, "evaluation"]),
            {"evaluation-rating": "2", "evaluation-comment": "被要求交体检费",
             "evaluation-fee_requested": "on"})
    assert "已提交平台核查" in me.get(seeker_page).content.decode()
    hr_page = hr.get(reverse("interviews:recruiter_detail", args=[started.pk])).content.decode()
    assert "沟通清楚" in hr_page
    assert 'id="eval-title"' not in hr_page and "被要求交体检费" not in hr_page  # TKT-5
    assert Report.objects.get().reason == "fee_charging"


def test_the_outcome_api(user_client: Any, recruiter: Any, seeker: Any,
                         started: Any) -> None:
    hr, me = user_client(recruiter), user_client(seeker)
    base = f"/api/v1/interviews/{started.pk}"

    def post(client: Any, path: str, body: dict | None = None) -> Any:
        return client.post(base + path, json.dumps(body or {}), content_type="application/json")

    wrong = post(me, "/check-in", {"code": "x"})
    assert wrong.status_code == 400 and wrong.json()["error"]["fields"] == {
        "code": ["签到码不正确。"]}
    assert post(hr, "/arrival").json()["method"] == "recorded"
    card = post(hr, "/scorecards", {**SCORES, "recommendation": "strong_yes"})
    assert card.status_code == 201 and card.json()["author_name"] == "招聘者小李"
    twice = post(hr, "/scorecards", {**SCORES, "recommendation": "no"})
    assert twice.status_code == 400 and twice.json()["error"]["code"] == "scorecard_exists"
    assert me.get(base + "/scorecards").status_code == 404
    assert len(hr.get(base + "/scorecards").json()) == 1
    assert post(hr, "/complete").json()["status"] == "completed"
    assert post(hr, "/no-show").json()["error"]["code"] == "not_booked"
    evaluation = post(me, "/evaluation", {"rating": 4, "comment": "不错"})
    assert evaluation.status_code == 201 and evaluation.json()["reported"] is False
    assert post(me, "/evaluation", {"rating": 4}).status_code == 400
    assert post(hr, "/evaluation", {"rating": 1}).status_code == 404
