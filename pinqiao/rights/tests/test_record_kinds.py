"""RET-1, PRIV-4 for every kind of record: postings, chats, complaint cases and their ratings,
evaluations, interviews and notifications are in the retention schedule (three years where the
seeds require it, anonymised so the statistics stay), a legal hold on a person or a case stops
it, and the data download holds the person's chats (the other party masked), complaints
(never who complained about them) and support tickets (staff unnamed)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pinqiao.core.errors import ServiceError
from pinqiao.jobs.models import Posting
from pinqiao.jobs.tests.fixtures import otp_verified
from pinqiao.messaging.models import Conversation, Message
from pinqiao.notifications.models import Notification
from pinqiao.orgs.testing import PNG_BYTES
from pinqiao.rights import exporters
from pinqiao.rights.retention import KINDS, retention_apply, retention_rule_set, schedule
from pinqiao.rights.services import account_erase, legal_hold_place
from pinqiao.tickets import services as help_services
from pinqiao.tickets.models import Case, SupportTicket, TicketAttachment, TicketMessage
from pinqiao.tickets.tests.test_services import complain

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - timedelta(days=3 * 365 + 30)
THREE_YEARS = 3 * 365


@pytest.fixture
def chat(seeker: Any, recruiter: Any, posting: Any) -> Conversation:
    conversation = Conversation.objects.create(
        seeker=seeker, organisation=posting.organisation, posting=posting, started_by=seeker,
        started_side="seeker", last_seq=2, last_message_at=timezone.now(),
        last_preview="您好")
    Message.objects.create(conversation=conversation, seq=1, sender=seeker, side="seeker",
                           body="我的电话 13912345678，方便时联系")
    Message.objects.create(conversation=conversation, seq=2, sender=recruiter, side="org",
                           body="请加我微信 wx: hr_zhang88 或打 13800001111")
    return conversation


def test_every_kind_is_scheduled_with_the_legal_minimum() -> None:
    rows = {r["kind"]: r for r in schedule()}
    for kind in ("postings", "chats", "cases", "case_ratings", "interviews", "evaluations",
                 "applications", "login_logs", "access_trail"):
        assert rows[kind]["minimum_days"] >= THREE_YEARS and rows[kind]["days"] >= THREE_YEARS
        assert rows[kind]["stored"], f"{kind} is seeded as data"
    for kind in ("postings", "chats", "cases", "case_ratings", "interviews"):
        assert rows[kind]["action"] == "anonymise" and KINDS[kind].anonymise is not None
    assert rows["notifications"]["action"] == "purge"


def test_a_chat_period_below_three_years_is_refused(rights_operator: Any) -> None:
    with pytest.raises(ServiceError) as exc:
        retention_rule_set(actor=rights_operator, kind="chats", days=365, action="anonymise")
    assert exc.value.code == "below_legal_minimum"


def test_old_chats_cases_postings_and_notices_are_handled_keeping_the_statistics(
        seeker: Any, posting: Any, chat: Conversation) -> None:
    case = complain(seeker, posting)
    Case.objects.filter(pk=case.pk).update(status="closed", closed_at=LONG_AGO)
    Conversation.objects.filter(pk=chat.pk).update(last_message_at=LONG_AGO)
    Posting.objects.filter(pk=posting.pk).update(status="closed", updated_at=LONG_AGO,
                                                 address="天河路 1 号")
    Notification.objects.create(user=seeker, event="x", subject="旧通知", body="b",
                                created_at=LONG_AGO)

    run = retention_apply(dry_run=False)

    assert run.report["chats"]["count"] == 2 and run.report["cases"]["count"] == 1
    assert set(Message.objects.values_list("body", flat=True)) == {""}
    assert Message.objects.filter(conversation=chat).count() == 2  # the statistics stay
    kept = Case.objects.get(pk=case.pk)
    assert (kept.content, kept.contact_ciphertext, kept.complainant_id) == ("", "", None)
    assert kept.kind == "complaint" and kept.reason_code == "fee_charging"
    assert Posting.objects.get(pk=posting.pk).address == ""
    assert not Notification.objects.filter(subject="旧通知").exists()
    assert retention_apply(dry_run=True).report["chats"]["count"] == 0  # nothing twice


def test_a_hold_on_the_person_or_the_case_keeps_them(
        seeker: Any, posting: Any, chat: Conversation, rights_operator: Any) -> None:
    case = complain(seeker, posting)
    Case.objects.filter(pk=case.pk).update(status="closed", closed_at=LONG_AGO)
    Conversation.objects.filter(pk=chat.pk).update(last_message_at=LONG_AGO)
    legal_hold_place(actor=rights_operator, scope="case", case_ref=case.reference,
                     organisation=posting.organisation, reason="劳动监察调取投诉材料")
    run = retention_apply(dry_run=False)
    assert run.report["cases"] == {**run.report["cases"], "count": 0, "held": 1}
    assert run.report["chats"]["held"] == 2  # the organisation is held too
    assert Case.objects.get(pk=case.pk).content


def test_the_download_holds_chats_with_the_other_party_masked(
        seeker: Any, recruiter: Any, chat: Conversation) -> None:
    rows = json.loads(json.dumps(exporters.chats(seeker), ensure_ascii=False))
    own, other = rows[0]["messages"]
    assert own["sender"] == "我" and "13912345678" in own["text"]
    assert recruiter.display_name not in other["sender"]
    assert "13800001111" not in other["text"] and "hr_zhang88" not in other["text"]
    recruiter_view = exporters.chats(recruiter)[0]["messages"]
    assert "13912345678" not in recruiter_view[0]["text"]


def test_the_download_holds_my_complaints_but_not_who_complained_about_me(
        seeker: Any, recruiter: Any, posting: Any) -> None:
    case = complain(seeker, posting)
    Case.objects.filter(pk=case.pk).update(accused_user=recruiter)
    mine = exporters.complaints(seeker)["filed_by_me"]
    assert [c["reference"] for c in mine] == [case.reference]
    assert mine[0]["content"].startswith("面试时要求")
    about = exporters.complaints(recruiter)["about_me"]
    assert [c["reference"] for c in about] == [case.reference]
    text = json.dumps(about, ensure_ascii=False)
    assert seeker.display_name not in text and "500元" not in text and "13900000001" not in text


@pytest.fixture
def answered_ticket(seeker: Any, customer_service: Any) -> SupportTicket:
    ticket = help_services.ticket_open(
        actor=seeker, category="privacy", subject="想删除简历里的手机号",
        body="我的手机号 13912345678 不想再给单位看到，请问怎么处理？",
        files=[SimpleUploadedFile("截图.png", PNG_BYTES, "image/png")])
    ticket = help_services.ticket_staff_reply(
        actor=otp_verified(customer_service), ticket=ticket,
        body="您好，请在「简历设置」中隐藏联系方式。", close=True)
    help_services.ticket_rate(actor=seeker, ticket=ticket, satisfaction=5, process=5,
                              efficiency=4, result=5, attitude=5, comment="客服回复很快，谢谢")
    return ticket


def test_old_closed_support_tickets_are_anonymised_keeping_the_statistics(
        seeker: Any, answered_ticket: SupportTicket) -> None:
    assert schedule_row("support_tickets")["days"] >= THREE_YEARS
    attachment = TicketAttachment.objects.get(message__ticket=answered_ticket)
    stored = attachment.file.name
    assert attachment.file.storage.exists(stored)
    open_one = help_services.ticket_open(actor=seeker, category="account", subject="改绑手机",
                                         body="旧手机号不用了，怎么换绑？")
    SupportTicket.objects.filter(pk=answered_ticket.pk).update(closed_at=LONG_AGO)

    run = retention_apply(dry_run=False)

    assert run.report["support_tickets"]["count"] == 1
    kept = SupportTicket.objects.get(pk=answered_ticket.pk)
    assert (kept.subject, kept.category, kept.status) == ("", "privacy", "closed")
    assert set(TicketMessage.objects.filter(ticket=kept).values_list("body", flat=True)) == {""}
    assert TicketMessage.objects.filter(ticket=kept).count() == 2  # the statistics stay
    assert kept.rating.comment == "" and kept.rating.satisfaction == 5
    assert not TicketAttachment.objects.filter(message__ticket=kept).exists()
    assert not attachment.file.storage.exists(stored)
    assert SupportTicket.objects.get(pk=open_one.pk).subject == "改绑手机"
    assert retention_apply(dry_run=True).report["support_tickets"]["count"] == 0


def test_a_hold_on_the_person_keeps_their_support_tickets(
        seeker: Any, answered_ticket: SupportTicket, rights_operator: Any) -> None:
    SupportTicket.objects.filter(pk=answered_ticket.pk).update(closed_at=LONG_AGO)
    legal_hold_place(actor=rights_operator, scope="person", user=seeker,
                     reason="劳动仲裁调取服务记录")
    run = retention_apply(dry_run=False)
    assert run.report["support_tickets"] == {**run.report["support_tickets"], "count": 0,
                                             "held": 1}
    assert SupportTicket.objects.get(pk=answered_ticket.pk).subject


def test_the_download_holds_my_support_tickets_with_staff_unnamed(
        seeker: Any, customer_service: Any, answered_ticket: SupportTicket) -> None:
    rows = exporters.support_tickets(seeker)
    assert [r["reference"] for r in rows] == [answered_ticket.reference]
    question, answer = rows[0]["messages"]
    assert question["from"] == "我" and "13912345678" in question["text"]
    assert question["attachments"] == ["截图.png"]
    assert answer["from"] == "客服" and "简历设置" in answer["text"]
    assert customer_service.display_name not in json.dumps(rows, ensure_ascii=False)
    assert exporters.support_tickets(customer_service) == []


def test_closing_the_account_restricts_support_tickets_until_three_years_on(
        seeker: Any, answered_ticket: SupportTicket) -> None:
    erasure = account_erase(user=seeker, reason="不再求职")
    item = next(i for i in erasure.items if i["what"].startswith("客服工单"))
    assert item["action"] == "restricted" and item["count"] == 1
    closed = timezone.localdate(SupportTicket.objects.get(pk=answered_ticket.pk).closed_at)
    assert item["until"] == (closed + timedelta(days=schedule_row("support_tickets")["days"])
                             ).isoformat()


def schedule_row(kind: str) -> dict[str, Any]:
    return next(r for r in schedule() if r["kind"] == kind)
