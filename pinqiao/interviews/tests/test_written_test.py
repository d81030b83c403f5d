"""APP-4: the recruiter attaches questions, the seeker answers once before the deadline, the
recruiter reads the answers."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from pinqiao.core.errors import NotFound, ServiceError
from pinqiao.interviews import services, testing
from pinqiao.interviews.models import WrittenTest
from pinqiao.interviews.tests.conftest import NOW, at
from pinqiao.notifications.models import Notification

pytestmark = pytest.mark.django_db

QUESTIONS = ["请描述一次你处理库存差异的经历。", "先进先出原则在仓库管理中如何落实？"]


def _code(call: Any) -> str:
    with pytest.raises(ServiceError) as caught:
        call()
    return caught.value.code


def _test(recruiter: Any, interview: Any, **over: Any) -> WrittenTest:
    values = {"questions": QUESTIONS, "deadline": at(28, 18), "now": NOW, **over}
    return services.written_test_set(actor=recruiter, interview=interview, **values)


def _answers(test: WrittenTest, text: str = "答") -> dict[int, str]:
    return {q.pk: f"{text}{q.position}" for q in test.questions.all()}


def test_the_seeker_answers_once_and_the_recruiter_reads(recruiter: Any, seeker: Any,
                                                         application: Any) -> None:
    interview = testing.book(recruiter, application, at(29), now=NOW)
    test = _test(recruiter, interview, instructions="独立完成，不得抄袭。")
    assert [q.text for q in test.questions.all()] == QUESTIONS
    notice = Notification.objects.get(user=seeker, event="interview_written_test")
    assert "2 道笔试题" in notice.body and "2025-09-28 18:00" in notice.body
    services.written_test_answer(actor=seeker, interview=interview, answers=_answers(test),
                                 now=at(27, 20))
    test.refresh_from_db()
    assert test.submitted_at == at(27, 20)
    assert [q.answer for q in test.questions.all()] == ["答1", "答2"]
    assert Notification.objects.filter(user=recruiter, event="interview_written_answered").exists()
    assert _code(lambda: services.written_test_answer(
        actor=seeker, interview=interview, answers=_answers(test, "改"),
        now=at(27, 21))) == "already_answered"
    assert _code(lambda: _test(recruiter, interview)) == "already_answered"
    assert [q.answer for q in test.questions.all()] == ["答1", "答2"]


def test_questions_can_be_replaced_before_an_answer(recruiter: Any, application: Any) -> None:
    interview = testing.propose(recruiter, application, [at(29)], now=NOW)
    _test(recruiter, interview)
    test = _test(recruiter, interview, questions=["只有一道题"], deadline=at(28, 12))
    assert [q.text for q in test.questions.all()] == ["只有一道题"]
    assert WrittenTest.objects.count() == 1 and test.deadline == at(28, 12)


def test_the_deadline_and_every_answer_are_required(recruiter: Any, seeker: Any,
                                                    application: Any) -> None:
    interview = testing.book(recruiter, application, at(29), now=NOW)
    test = _test(recruiter, interview)
    first = test.questions.first()
    with pytest.raises(ServiceError) as caught:
        services.written_test_answer(actor=seeker, interview=interview,
                                     answers={first.pk: "只答一题"}, now=at(27))
    assert caught.value.code == "invalid_answers" and len(caught.value.fields) == 1
    assert _code(lambda: services.written_test_answer(
        actor=seeker, interview=interview, answers=_answers(test),
        now=at(28, 18, 1))) == "deadline_passed"
    test.refresh_from_db()
    assert test.submitted_at is None


@pytest.mark.parametrize(("over", "code"), [
    ({"questions": []}, "invalid_questions"),
    ({"questions": ["  "]}, "invalid_questions"),
    ({"questions": [f"题{i}" for i in range(11)]}, "invalid_questions"),
    ({"questions": ["长" * 1001]}, "invalid_questions"),
    ({"deadline": NOW - timedelta(minutes=1)}, "invalid_deadline"),
    ({"questions": ["答题前请先缴纳考试费200元"]}, "text_refused"),
])
def test_it_refuses_bad_tests(recruiter: Any, application: Any, over: dict,
                              code: str) -> None:
    interview = testing.propose(recruiter, application, [at(29)], now=NOW)
    assert _code(lambda: _test(recruiter, interview, **over)) == code
    assert not WrittenTest.objects.exists()


def test_only_the_right_sides_take_part(recruiter: Any, seeker: Any, other_seeker: Any,
                                        other_recruiter: Any, application: Any) -> None:
    interview = testing.book(recruiter, application, at(29), now=NOW)
    for actor in (seeker, other_recruiter):
        with pytest.raises(NotFound):
            _test(actor, interview)
    test = _test(recruiter, interview)
    for actor in (recruiter, other_seeker):
        with pytest.raises(NotFound):
            services.written_test_answer(actor=actor, interview=interview,
                                         answers=_answers(test), now=at(27))


def test_the_pages(user_client: Any, recruiter: Any, seeker: Any, application: Any) -> None:
    interview = testing.book(recruiter, application, timezone.now() + timedelta(days=3))
    hr, me = user_client(recruiter), user_client(seeker)
    deadline = timezone.localtime() + timedelta(days=2)
    response = hr.post(reverse("interviews:recruiter_action", args=[interview.pk,
                                                                    "written-test"]),
                       {"test-deadline": deadline.strftime("%Y-%m-%dT%H:%M"),
                        "test-question_1": QUESTIONS[0], "test-question_2": QUESTIONS[1]})
    assert response.status_code == 302
    page = me.get(reverse("interviews:seeker_detail", args=[interview.pk])).content.decode()
    assert QUESTIONS[0] in page and "只能提交一次" in page
    test = WrittenTest.objects.get()
    url = reverse("interviews:seeker_action", args=[interview.pk, "written-test"])
    first, second = test.questions.all()
    incomplete = me.post(url, {f"test-answer_{first.pk}": "答案一"})
    assert incomplete.status_code == 400
    me.post(url, {f"test-answer_{first.pk}": "答案一", f"test-answer_{second.pk}": "答案二"})
    again = me.post(url, {f"test-answer_{first.pk}": "改", f"test-answer_{second.pk}": "改"},
                    follow=True)
    assert "笔试已提交，不能再次作答" in again.content.decode()
    hr_page = hr.get(reverse("interviews:recruiter_detail", args=[interview.pk])).content.decode()
    assert "答案一" in hr_page and "答案二" in hr_page


def test_the_api(user_client: Any, recruiter: Any, seeker: Any, application: Any) -> None:
    interview = testing.book(recruiter, application, timezone.now() + timedelta(days=3))
    hr, me = user_client(recruiter), user_client(seeker)
    url = f"/api/v1/interviews/{interview.pk}/written-test"
    deadline = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:00")
    created = hr.put(url, json.dumps({"questions": QUESTIONS, "deadline": deadline}),
                     content_type="application/json")
    assert created.status_code == 200, created.content
    assert me.put(url, json.dumps({"questions": ["x"], "deadline": deadline}),
                  content_type="application/json").status_code == 404
    questions = me.get(url).json()["questions"]
    answers = [{"question_id": q["id"], "answer": f"回答{q['position']}"} for q in questions]
    done = me.post(f"{url}/answers", json.dumps({"answers": answers}),
                   content_type="application/json")
    assert done.status_code == 200 and done.json()["submitted_at"]
    twice = me.post(f"{url}/answers", json.dumps({"answers": answers}),
                    content_type="application/json")
    assert twice.status_code == 400 and twice.json()["error"]["code"] == "already_answered"
    assert [q["answer"] for q in hr.get(url).json()["questions"]] == ["回答1", "回答2"]
