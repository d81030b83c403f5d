"""Chat restrictions are open to appeal on the complaints desk (MSG-2, TKT-1, TKT-3): the
refusal of a banned sender links to the restrictions page; an appeal there becomes a desk case
naming the restriction, with its reference and deadline, followed on the desk's case page; the
handler's decision lifts the restriction (the sender may write again) or rejects the appeal."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pinqiao.core.models import AuditEntry
from pinqiao.core.permissions import Role
from pinqiao.jobs.tests.fixtures import otp_verified
from pinqiao.messaging.models import ChatRestriction, RestrictionKind
from pinqiao.messaging.tests.conftest import say
from pinqiao.tickets import services as desk
from pinqiao.tickets.models import APPEAL_REASON, Case, CaseStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def handler(make_user: Any) -> Any:
    return otp_verified(make_user(role=Role.REVIEWER, phone=None, email="desk@test.example"))


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _ban(user: Any) -> ChatRestriction:
    return ChatRestriction.objects.create(
        user=user, kind=RestrictionKind.CHAT_BAN, reason="7 天内多次发送违规内容，计 6 分。",
        categories=["fee_charging"], ends_at=timezone.now() + timedelta(days=7))


def _appeal(client: Client, restriction: ChatRestriction, text: str) -> Case:
    page = client.get("/chat/restrictions/").content.decode()
    assert "禁止沟通" in page and f'name="restriction" value="{restriction.pk}"' in page
    done = client.post("/chat/restrictions/", {"restriction": restriction.pk, "text": text},
                       follow=True)
    case = Case.objects.get(object_id=str(restriction.pk))
    html = done.content.decode()
    assert (f"申诉已提交至投诉举报受理，编号 {case.reference}，"
            f"办结时限 {case.deadline.isoformat()}。") in html
    assert "申诉处理中" in html and f'href="/cases/{case.pk}/"' in html
    return case


def test_a_banned_sender_appeals_on_the_desk_and_an_upheld_appeal_lifts_the_ban(
        seeker: Any, recruiter: Any, conversation: Any, handler: Any) -> None:
    say(seeker, conversation, "您好")
    ban = _ban(recruiter)
    client = _client(recruiter)
    refused = client.post(f"/chat/{conversation.pk}/send/", {"text": "您好，还在吗？"})
    page = refused.content.decode()
    assert refused.status_code == 403 and "您因在沟通中违规已被禁止发送消息" in page
    assert 'href="/chat/restrictions/" id="chat-appeal"' in page
    assert "您好，还在吗？</textarea>" in page

    case = _appeal(client, ban, "对方先问费用，我只是说明公司不收费，被误判。")
    assert case.kind == "complaint" and case.reason_code == APPEAL_REASON
    assert case.complainant == recruiter and case.target == ban and case.status == "received"
    assert re.search(r"沟通处罚 #\d+：禁止沟通", case.target_label)
    assert client.get(f"/cases/{case.pk}/").status_code == 200  # followed on the desk
    assert client.post("/chat/restrictions/", {"restriction": ban.pk, "text": "再申诉"}
                       ).status_code == 200  # a second appeal comes back onto the form
    assert Case.objects.filter(object_id=str(ban.pk)).count() == 1

    desk.case_accept(actor=handler, case=case)
    desk.case_resolve(actor=handler, case=Case.objects.get(pk=case.pk), upheld=True,
                      finding="聊天记录显示该招聘者说明了不收费。",
                      result="申诉成立，撤销禁止沟通。")
    ban.refresh_from_db()
    assert ban.lifted_at is not None and ban.appeal_status == "upheld"
    assert AuditEntry.objects.filter(verb="chat.restriction_appeal_decided",
                                     actor_id=handler.pk).exists()
    assert client.post(f"/chat/{conversation.pk}/send/", {"text": "您好"}).status_code == 302
    assert "申诉成立，已撤销" in client.get("/chat/restrictions/").content.decode()


def test_a_rejected_appeal_keeps_the_warning(recruiter: Any, handler: Any) -> None:
    warning = ChatRestriction.objects.create(user=recruiter, kind=RestrictionKind.WARNING,
                                             reason="多次违规", categories=["fraud"])
    case = _appeal(_client(recruiter), warning, "我没有违规。")
    desk.case_accept(actor=handler, case=case)
    desk.case_resolve(actor=handler, case=Case.objects.get(pk=case.pk), upheld=False,
                      finding="消息含刷单话术。", result="申诉不成立，维持警告。")
    warning.refresh_from_db()
    assert warning.appeal_status == "rejected" and warning.lifted_at is None
    assert Case.objects.get(pk=case.pk).status == CaseStatus.RESOLVED


def test_a_reported_conversation_lands_on_the_desk(seeker: Any, recruiter: Any,
                                                   conversation: Any) -> None:
    """TKT-1: 「举报该会话」 files a moderation report, and the desk takes it as a case about the
    organisation, naming the conversation."""
    say(recruiter, conversation, "请先交押金")
    response = _client(seeker).post(f"/chat/{conversation.pk}/report/",
                                    {"reason": "fee_charging", "detail": "要我交押金"})
    assert response.status_code == 302
    case = Case.objects.get(kind="report")
    assert case.target == conversation and case.organisation == conversation.organisation
    assert case.complainant == seeker and case.report is not None
    assert f"会话 #{conversation.pk}" in case.target_label
