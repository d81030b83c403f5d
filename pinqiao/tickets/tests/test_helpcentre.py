"""The help centre (TKT-8): a searchable FAQ staff edit (screened on save, every version kept),
support tickets (open → answered → closed → reopened) with canned answers edited before
sending, notifications to the user, the staff queue, and a ticket converted into a complaint
case whose clock runs from the ticket's receipt. Services, pages and API."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from pinqiao.core.errors import NotFound, NotPermitted, ServiceError
from pinqiao.core.models import AuditEntry
from pinqiao.notifications.models import Notification
from pinqiao.tickets import help_selectors as selectors
from pinqiao.tickets import services
from pinqiao.tickets.clock import clock_for
from pinqiao.tickets.models import (
    CannedAnswer,
    Case,
    FaqCategory,
    FaqEntry,
    SupportTicket,
    TicketMessage,
    TicketStatus,
)

from .conftest import png

pytestmark = pytest.mark.django_db

DEPOSIT_ANSWER = "平台禁止任何单位向求职者收取押金、培训费。遇到收取押金的要求请立即举报。"


def _open(user: Any, **over: Any) -> SupportTicket:
    data = {"actor": user, "category": "account", "subject": "收不到验证码",
            "body": "注册时手机一直收不到短信验证码。"}
    data.update(over)
    return services.ticket_open(**data)


@pytest.fixture
def category(service_agent: Any) -> FaqCategory:
    return services.faq_category_save(actor=service_agent, name="注册与登录")


# --- FAQ ----------------------------------------------------------------------------------

def test_staff_edit_the_faq_with_history_and_the_public_searches_it(
        service_agent: Any, category: FaqCategory, client: Any) -> None:
    entry = services.faq_save(actor=service_agent, category=category,
                              question="收不到短信验证码怎么办？",
                              answer="请检查手机是否拦截了短信。")
    entry = services.faq_save(actor=service_agent, entry=entry, category=category,
                              question=entry.question, answer=DEPOSIT_ANSWER, note="补充防骗提示")
    assert entry.version == 2
    history = list(selectors.faq_history(viewer=service_agent, entry=entry))
    assert [(r.version, r.note) for r in history] == [(2, "补充防骗提示"), (1, "")]
    assert history[1].answer == "请检查手机是否拦截了短信。"
    assert AuditEntry.objects.filter(verb__in=["help.faq_create", "help.faq_update"]).count() == 2
    page = client.get(reverse("help:home"), {"q": "收不到短信"}).content.decode()
    assert "收不到短信验证码怎么办？" in page and "押金" in page
    assert "收不到短信验证码" not in client.get(reverse("help:home"),
                                           {"q": "简历 隐藏"}).content.decode()
    api = client.get("/api/v1/help/faq", {"q": "收不到短信"}).json()
    assert [e["id"] for e in api] == [entry.pk]
    services.faq_save(actor=service_agent, entry=entry, category=category,
                      question=entry.question, answer=entry.answer, published=False)
    assert client.get(reverse("help:faq", args=[entry.pk])).status_code == 404


def test_faq_texts_are_screened_on_save_and_refusals_write_nothing(
        service_agent: Any, category: FaqCategory, seeker: Any) -> None:
    with pytest.raises(ServiceError) as exc:
        services.faq_save(actor=service_agent, category=category, question="招聘有年龄要求吗？",
                          answer="本平台职位只招男性，35岁以下，加微信 abc12345 咨询。")
    assert exc.value.code == "content_refused" and "answer" in exc.value.fields
    with pytest.raises(ServiceError) as exc:
        services.faq_save(actor=service_agent, category=category, question="",
                          answer="字" * 50_000)
    assert exc.value.code == "question_required"
    with pytest.raises(NotPermitted):
        services.faq_save(actor=seeker, category=category, question="问", answer="答")
    assert not FaqEntry.objects.filter(category=category).exists()


# --- tickets ------------------------------------------------------------------------------

def test_a_ticket_goes_open_answered_closed_reopened_with_notifications(
        seeker: Any, service_agent: Any) -> None:
    ticket = _open(seeker, files=[png()])
    assert ticket.status == TicketStatus.OPEN and _open(seeker).pk == ticket.pk  # one ticket
    assert Notification.objects.filter(user=seeker, event="ticket_received").count() == 1
    assert list(selectors.ticket_queue(viewer=service_agent)) == [ticket]
    canned = services.canned_save(actor=service_agent, title="验证码排查",
                                  body="请确认手机号无误，并检查短信拦截设置。", category="account")
    edited = canned.body + "如仍收不到，可改用语音验证码。"
    ticket = services.ticket_staff_reply(actor=service_agent, ticket=ticket, body=edited,
                                         canned=canned)
    assert ticket.status == TicketStatus.ANSWERED and ticket.assigned_to == service_agent
    reply = TicketMessage.objects.filter(ticket=ticket, from_staff=True).get()
    assert reply.body == edited and reply.canned_answer == canned
    answered = Notification.objects.get(user=seeker, event="ticket_answered")
    assert "语音验证码" in answered.body and answered.link == f"/help/tickets/{ticket.pk}/"
    assert AuditEntry.objects.get(verb="help.ticket_staff_reply").data["edited"] is True
    ticket = services.ticket_user_reply(actor=seeker, ticket=ticket, body="还是收不到。")
    assert ticket.status == TicketStatus.OPEN
    assert Notification.objects.filter(user=service_agent, event="ticket_user_replied").exists()
    ticket = services.ticket_close(actor=service_agent, ticket=ticket)
    assert Notification.objects.filter(user=seeker, event="ticket_closed").exists()
    with pytest.raises(ServiceError):
        services.ticket_user_reply(actor=seeker, ticket=ticket, body="再问一句")
    ticket = services.ticket_reopen(actor=seeker, ticket=ticket, body="问题没有解决")
    assert ticket.status == TicketStatus.REOPENED
    SupportTicket.objects.filter(pk=ticket.pk).update(
        status=TicketStatus.CLOSED, closed_at=timezone.now() - timedelta(days=31))
    ticket.refresh_from_db()
    with pytest.raises(ServiceError) as exc:
        services.ticket_reopen(actor=seeker, ticket=ticket, body="又来了")
    assert exc.value.code == "reopen_expired"


@pytest.mark.parametrize(("over", "code"), [
    ({"body": ""}, "body_required"),
    ({"body": "字" * 50_000}, "body_too_long"),
    ({"category": "nonsense"}, "invalid_category"),
    ({"files": [SimpleUploadedFile("shot.png", b"<html><script>x</script></html>",
                                   "image/png")]}, "file_type"),
    ({"files": [SimpleUploadedFile("a.svg.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>",
                                   "image/png")]}, "file_type"),
])
def test_bad_tickets_are_refused_and_nothing_is_written(seeker: Any, over: dict,
                                                        code: str) -> None:
    with pytest.raises(ServiceError) as exc:
        _open(seeker, **over)
    assert exc.value.code == code
    assert not SupportTicket.objects.exists() and not TicketMessage.objects.exists()


def test_a_ticket_is_private_to_its_user(seeker: Any, make_user: Any) -> None:
    ticket = _open(seeker)
    other = make_user(role="seeker")
    with pytest.raises(NotFound):
        selectors.ticket_for_user(viewer=other, ticket_id=ticket.pk)
    with pytest.raises(NotPermitted):
        services.ticket_user_reply(actor=other, ticket=ticket, body="我也是")
    with pytest.raises(NotPermitted):
        services.ticket_staff_reply(actor=other, ticket=ticket, body="冒充客服")


def test_a_ticket_that_is_a_complaint_becomes_a_case_on_the_original_clock(
        seeker: Any, posting: Any, service_agent: Any) -> None:
    ticket = _open(seeker, category="application", subject="面试要交押金",
                   body="面试时对方要求先交500元押金。", files=[png()])
    received = timezone.now() - timedelta(days=3)
    SupportTicket.objects.filter(pk=ticket.pk).update(created_at=received)
    ticket.refresh_from_db()
    case = services.ticket_convert(actor=service_agent, ticket=ticket,
                                   reason_code="fee_charging", target=posting,
                                   desired_outcome="下架并处理")
    assert case.complainant == seeker and case.received_at == received
    assert case.deadline == clock_for(received).deadline
    assert "500元押金" in case.content and case.evidence.count() == 1
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CONVERTED and ticket.case == case
    assert Notification.objects.filter(user=seeker, event="case_received").exists()
    with pytest.raises(ServiceError):
        services.ticket_convert(actor=service_agent, ticket=ticket,
                                reason_code="fee_charging", target=posting)
    assert Case.objects.count() == 1


# --- pages --------------------------------------------------------------------------------

def test_the_pages_from_opening_to_a_canned_answer(user_client: Any, staff_client: Any,
                                                   seeker: Any, service_agent: Any,
                                                   client: Any) -> None:
    assert client.get(reverse("help:new")).status_code == 302  # log in first
    web = user_client(seeker)
    response = web.post(reverse("help:new"), {"category": "account", "subject": "",
                                              "body": "收不到验证码"})
    assert response.status_code == 200 and "收不到验证码" in response.content.decode()
    response = web.post(reverse("help:new"), {"category": "account", "subject": "验证码",
                                              "body": "收不到验证码"})
    ticket = SupportTicket.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "help:ticket", args=[ticket.pk])
    canned = CannedAnswer.objects.create(title="验证码排查", body="请检查短信拦截设置。")
    staff = staff_client(service_agent)
    assert ticket.reference in staff.get(reverse("help:queue")).content.decode()
    url = reverse("help:staff_ticket", args=[ticket.pk])
    page = staff.post(url, {"action": "insert", "canned": canned.pk, "body": "您好，"})
    assert "您好，\n请检查短信拦截设置。</textarea>" in page.content.decode()
    assert not TicketMessage.objects.filter(from_staff=True).exists()  # inserting sends nothing
    staff.post(url, {"action": "reply", "canned": canned.pk,
                     "body": "您好，请检查短信拦截设置，或改用语音验证码。"})
    page = web.get(reverse("help:ticket", args=[ticket.pk])).content.decode()
    assert "语音验证码" in page and "已回复" in page
    assert user_client(seeker).get(reverse("help:queue")).status_code in (302, 403)


# --- API ----------------------------------------------------------------------------------

def test_the_api_opens_answers_and_converts(user_client: Any, staff_client: Any, seeker: Any,
                                            service_agent: Any, posting: Any) -> None:
    api = user_client(seeker)
    bad = api.post("/api/v1/help/tickets", {"category": "account", "subject": "x", "body": ""})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "body_required"
    created = api.post("/api/v1/help/tickets", {"category": "fees", "subject": "押金",
                                                "body": "对方要求交押金", "files": [png()]})
    assert created.status_code == 201, created.content
    ticket_id = created.json()["id"]
    assert created.json()["messages"][0]["attachments"][0]["content_type"] == "image/png"
    staff = staff_client(service_agent)
    replied = staff.post(f"/api/v1/help/desk/tickets/{ticket_id}/reply",
                         {"body": "已收到，正在核实。"}, content_type="application/json")
    assert replied.status_code == 200 and replied.json()["status"] == "answered"
    assert api.get(f"/api/v1/help/tickets/{ticket_id}").json()["messages"][1]["from_staff"]
    forbidden = api.get("/api/v1/help/desk/tickets")
    assert forbidden.status_code == 403 and forbidden.json()["error"]["code"] == "forbidden"
    converted = staff.post(f"/api/v1/help/desk/tickets/{ticket_id}/convert",
                           {"target_type": "posting", "target_id": str(posting.pk),
                            "reason_code": "fee_charging"}, content_type="application/json")
    assert converted.status_code == 201, converted.content
    assert converted.json()["ticket"]["status"] == "converted"
    assert api.get("/api/v1/cases/mine").json()[0]["reference"] == converted.json()[
        "case_reference"]


def test_the_user_rates_a_closed_ticket_once_and_the_report_counts_it(
        user_client: Any, staff_client: Any, seeker: Any, service_agent: Any,
        supervisor: Any) -> None:
    """TKT-7 on tickets: process, efficiency, result, attitude and satisfaction, 1–5, once."""
    ticket = _open(seeker)
    web, url = user_client(seeker), reverse("help:ticket", args=[ticket.pk])
    scores = {"satisfaction": 4, "process": 5, "efficiency": 3, "result": 4, "attitude": 5}
    with pytest.raises(ServiceError) as exc:
        services.ticket_rate(actor=seeker, ticket=ticket, **scores)
    assert exc.value.code == "not_closed"
    services.ticket_staff_reply(actor=service_agent, ticket=ticket, body="已处理。", close=True)
    page = web.post(url, {"action": "rate", **scores, "satisfaction": 9})
    assert page.status_code == 200 and not hasattr(SupportTicket.objects.get(), "rating")
    assert web.post(url, {"action": "rate", **scores}).status_code == 302
    assert 'id="ticket-rating"' in web.get(url).content.decode()
    ticket.refresh_from_db()
    with pytest.raises(ServiceError) as exc:
        services.ticket_rate(actor=seeker, ticket=ticket, **scores)
    assert exc.value.code == "already_rated"
    month = timezone.localtime(ticket.created_at).strftime("%Y-%m")
    report = staff_client(supervisor).get(reverse("tickets:report"), {"month": month})
    assert "客服工单评价数 1" in report.content.decode()
