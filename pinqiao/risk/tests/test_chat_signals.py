"""RISK-1, chat abuse as a risk signal (formula risk-2026.2): a recruiter's chat message the
screening masks, an upheld report about a chat, and a chat sanction each move the
organisation's and the recruiter's score, and the explanation names the signal with its
weight. Driven through the chat app's own services; the risk app only listens."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from pinqiao.messaging import services as chat
from pinqiao.messaging.models import ChatRestriction
from pinqiao.risk import formula
from pinqiao.risk.models import RiskScore, Subject
from pinqiao.tickets import services as tickets
from pinqiao.tickets.models import Case

pytestmark = pytest.mark.django_db


def _row(subject: str, subject_id: int, signal: str) -> dict[str, Any]:
    score = RiskScore.objects.get(subject=subject, subject_id=subject_id)
    assert score.formula_version == formula.VERSION == "risk-2026.2"
    return next(r for r in score.contributions if r["signal"] == signal)


def _score(subject: str, subject_id: int) -> int:
    return RiskScore.objects.get(subject=subject, subject_id=subject_id).score


@pytest.fixture
def conversation(seeker: Any, posting: Any) -> Any:
    cache.clear()  # the chat rate limit lives in the cache
    conversation, _created = chat.conversation_open(actor=seeker, posting_id=posting.pk)
    return conversation


def test_a_masked_chat_message_raises_both_scores_and_the_explanation_says_so(
        seeker: Any, recruiter: Any, employer: Any, conversation: Any,
        django_capture_on_commit_callbacks: Any) -> None:
    from pinqiao.risk import services

    services.score_organisation(organisation=employer)
    services.score_recruiter(user=recruiter)
    org_before, rec_before = (_score(Subject.ORGANISATION, employer.pk),
                              _score(Subject.RECRUITER, recruiter.pk))
    assert _row(Subject.ORGANISATION, employer.pk, "chat_screening_hits")["points"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        chat.message_send(actor=seeker, conversation_id=conversation.pk, text="您好，请问还招人吗")
    assert _score(Subject.ORGANISATION, employer.pk) == org_before  # the seeker's side: no
    with django_capture_on_commit_callbacks(execute=True):
        chat.message_send(actor=recruiter, conversation_id=conversation.pk,
                          text="入职前需要先交500元押金")
    row = _row(Subject.ORGANISATION, employer.pk, "chat_screening_hits")
    assert (row["value"], row["weight"], row["points"]) == (1, 2, 2)
    assert "沟通消息机审命中" in row["label"]
    assert _score(Subject.ORGANISATION, employer.pk) == org_before + 2
    assert _row(Subject.RECRUITER, recruiter.pk, "chat_screening_hits")["points"] == 3
    assert _score(Subject.RECRUITER, recruiter.pk) >= rec_before + 3


def test_a_chat_sanction_and_an_upheld_chat_report_count_too(
        seeker: Any, recruiter: Any, employer: Any, conversation: Any, handler: Any,
        django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        chat.message_send(actor=seeker, conversation_id=conversation.pk, text="您好")
        for text in ("先交押金再面试", "押金必须今天交"):
            chat.message_send(actor=recruiter, conversation_id=conversation.pk, text=text)
    assert ChatRestriction.objects.filter(user=recruiter, kind="warning").exists()
    assert _row(Subject.ORGANISATION, employer.pk, "chat_sanctions")["points"] == 10
    assert _row(Subject.RECRUITER, recruiter.pk, "chat_sanctions")["points"] == 15
    before = _score(Subject.ORGANISATION, employer.pk)
    chat.conversation_report(actor=seeker, conversation_id=conversation.pk,
                             reason="fee_charging", detail="要求交押金")
    case = Case.objects.get(object_id=str(conversation.pk), content_type__model="conversation")
    assert case.organisation == employer
    case = tickets.case_accept(actor=handler, case=case)
    with django_capture_on_commit_callbacks(execute=True):
        tickets.case_resolve(actor=handler, case=case, upheld=True, finding="聊天记录属实",
                             result="已核实")
    assert _row(Subject.ORGANISATION, employer.pk, "chat_reports_upheld")["points"] == 15
    # upheld_cases counts it too (a complaint found true), the chat signal says where.
    assert _score(Subject.ORGANISATION, employer.pk) >= before + 15
