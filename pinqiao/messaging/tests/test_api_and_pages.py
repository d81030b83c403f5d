"""The chat API under /api/v1/chat/ and the chat pages (MSG-1, DISC-6, TKT-1): the error body,
the OpenAPI document, HTML escaped on the thread and on the staff page, 「立即沟通」 on the
posting page, refusals back on the thread with the text kept, staff read only via a report."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from pinqiao.core.models import AuditEntry
from pinqiao.messaging.models import Conversation
from pinqiao.messaging.tests.conftest import say

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_api_is_in_the_openapi_document() -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/chat/conversations", "/api/v1/chat/conversations/{conversation_id}",
                 "/api/v1/chat/conversations/{conversation_id}/messages",
                 "/api/v1/chat/conversations/{conversation_id}/read",
                 "/api/v1/chat/conversations/{conversation_id}/block",
                 "/api/v1/chat/conversations/{conversation_id}/report",
                 "/api/v1/chat/conversations/{conversation_id}/exchanges"):
        assert path in paths


def test_api_open_send_thread_read(seeker: Any, recruiter: Any, posting: Any) -> None:
    api = _client(seeker)
    opened = api.post("/api/v1/chat/conversations", json.dumps({"posting_id": posting.pk}),
                      content_type="application/json")
    assert opened.status_code == 201
    cid = opened.json()["id"]
    sent = api.post(f"/api/v1/chat/conversations/{cid}/messages",
                    json.dumps({"text": "您好"}), content_type="application/json")
    assert sent.status_code == 201 and sent.json()["seq"] == 1
    org = _client(recruiter)
    thread = org.get(f"/api/v1/chat/conversations/{cid}?after=0").json()
    assert [m["body"] for m in thread["messages"]] == ["您好"]
    assert thread["conversation"]["unread"] == 1
    assert org.post(f"/api/v1/chat/conversations/{cid}/read", json.dumps({"seq": 1}),
                    content_type="application/json").status_code == 204
    forged = org.post(f"/api/v1/chat/conversations/{cid}/read", json.dumps({"seq": 7}),
                      content_type="application/json")
    assert forged.status_code == 400 and forged.json()["error"]["code"] == "invalid_seq"
    assert org.get("/api/v1/chat/unread").json() == {"unread": 0}


def test_api_refusals_use_the_error_body(seeker: Any, outsider: Any, conversation: Any) -> None:
    too_long = _client(seeker).post(f"/api/v1/chat/conversations/{conversation.pk}/messages",
                                    json.dumps({"text": "字" * 10_000}),
                                    content_type="application/json")
    assert too_long.status_code == 400 and too_long.json()["error"]["code"] == "too_long"
    stranger = _client(outsider).post(f"/api/v1/chat/conversations/{conversation.pk}/messages",
                                      json.dumps({"text": "你好"}),
                                      content_type="application/json")
    assert stranger.status_code == 404 and stranger.json()["error"]["code"] == "not_found"
    anonymous = Client().get("/api/v1/chat/conversations")
    assert anonymous.status_code == 401


def test_the_posting_page_has_the_chat_button_and_it_opens_the_thread(seeker: Any,
                                                                      posting: Any) -> None:
    client = _client(seeker)
    page = client.get(f"/jobs/{posting.pk}/").content.decode()
    assert "立即沟通" in page and f"/chat/start/{posting.pk}/" in page
    response = client.post(f"/chat/start/{posting.pk}/")
    conversation = Conversation.objects.get(seeker=seeker, posting=posting)
    assert response.status_code == 302 and response.url == f"/chat/{conversation.pk}/"


def test_the_thread_escapes_html_and_shows_the_tip(seeker: Any, recruiter: Any,
                                                    conversation: Any) -> None:
    say(seeker, conversation, "<script>alert('x')</script>")
    say(recruiter, conversation, "先交押金500元")
    page = _client(seeker).get(f"/chat/{conversation.pk}/").content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "chat-tip" in page and "押金等费用" not in page and "收费" in page
    org_page = _client(recruiter).get(f"/chat/{conversation.pk}/").content.decode()
    assert "正规招聘不会以任何名义向求职者收费" not in org_page


def test_a_refused_message_comes_back_with_the_text_kept(seeker: Any, conversation: Any
                                                         ) -> None:
    text = "长" * 1200
    response = _client(seeker).post(f"/chat/{conversation.pk}/send/", {"text": text})
    body = response.content.decode()
    assert response.status_code == 400 and "消息最多 1000 个字符" in body and text in body


def test_the_header_shows_the_unread_count(seeker: Any, recruiter: Any, conversation: Any
                                           ) -> None:
    say(seeker, conversation, "您好")
    page = _client(recruiter).get("/chat/").content.decode()
    assert 'id="chat-unread"' in page


def test_staff_read_only_through_a_report_and_it_is_audited(seeker: Any, recruiter: Any,
                                                            conversation: Any, reviewer: Any,
                                                            staff_client: Any) -> None:
    from pinqiao.messaging import services

    say(seeker, conversation, "<b>您好</b>")
    say(recruiter, conversation, "请交押金")
    report = services.conversation_report(actor=seeker, conversation_id=conversation.pk,
                                          reason="fee_charging", detail="要押金")
    staff = staff_client(reviewer)
    page = staff.get(f"/staff/chat/reports/{report.pk}/")
    assert page.status_code == 200
    assert "&lt;b&gt;您好&lt;/b&gt;" in page.content.decode()
    assert AuditEntry.objects.filter(verb="chat.staff_read", actor_id=reviewer.pk).exists()
    assert staff.get("/staff/chat/reports/999999/").status_code == 404
    assert report.review_item is not None


def test_api_exchange_and_decision(seeker: Any, recruiter: Any, conversation: Any) -> None:
    say(seeker, conversation, "您好")
    asked = _client(recruiter).post(f"/api/v1/chat/conversations/{conversation.pk}/exchanges",
                                    json.dumps({"kind": "phone"}),
                                    content_type="application/json")
    assert asked.status_code == 201 and asked.json()["status"] == "open"
    wrong = _client(recruiter).post(f"/api/v1/chat/conversations/{conversation.pk}/exchanges",
                                    json.dumps({"kind": "qq"}), content_type="application/json")
    assert wrong.status_code == 400 and wrong.json()["error"]["code"] == "invalid_kind"
    decided = _client(seeker).post(f"/api/v1/chat/exchanges/{asked.json()['id']}/decision",
                                   json.dumps({"accept": True}),
                                   content_type="application/json")
    assert decided.status_code == 200 and decided.json()["status"] == "accepted"
