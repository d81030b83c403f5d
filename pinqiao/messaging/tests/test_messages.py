"""Messages (MSG-1, MSG-2, MOD-1, DISC-6): bounds, screening in chat (mask with a safety tip that
names the risk, block illegal content), escalation to forced logout and chat ban, the rate
limit, sequence numbers under a database constraint, résumé consent, images by content."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import Client

from pinqiao.core.errors import NotPermitted, ServiceError
from pinqiao.messaging import services
from pinqiao.messaging.models import ChatRestriction, Conversation, Message
from pinqiao.messaging.realtime import message_payload
from pinqiao.messaging.tests.conftest import say
from pinqiao.moderation.models import ScreeningRecord

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text", ["", "   ", "x" * 1001, "长" * 10_000, None, 42])
def test_it_refuses_empty_or_too_long_text(seeker: Any, conversation: Any, text: Any) -> None:
    with pytest.raises(ServiceError) as refused:
        say(seeker, conversation, text)
    assert refused.value.code in ("empty_message", "too_long")
    assert not Message.objects.exists()


def test_a_deposit_request_reaches_the_seeker_masked_with_a_tip(seeker: Any, recruiter: Any,
                                                                conversation: Any) -> None:
    """MSG-2, DISC-6: the tip names the risk; the original stays in the screening record."""
    say(seeker, conversation, "您好")
    message = say(recruiter, conversation, "入职前需要先交500元押金，加我微信 abc12345 详聊")
    assert "押金" not in message.body and "abc12345" not in message.body
    assert message.masked and "fee_charging" in message.risk_categories
    payload = message_payload(message)
    assert "押金" in payload["tip"] and "收费" in payload["tip"]
    assert "押金" in message.screening.text


def test_illegal_content_is_blocked_and_never_written(seeker: Any, recruiter: Any,
                                                      conversation: Any) -> None:
    say(seeker, conversation, "您好")
    with pytest.raises(ServiceError) as refused:
        say(recruiter, conversation, "我们这里是夜场陪酒，提供特殊服务")
    assert refused.value.code == "message_blocked"
    assert conversation.messages.count() == 1


def test_threats_are_blocked_by_the_harassment_rules(seeker: Any, conversation: Any) -> None:
    """Threats are in the same rule data as the others (``harassment.threat``) and never
    reach the other side."""
    with pytest.raises(ServiceError) as refused:
        say(seeker, conversation, "你再不回我，我就找人收拾你")
    assert refused.value.code == "message_blocked"


def test_html_is_kept_as_text(seeker: Any, conversation: Any) -> None:
    message = say(seeker, conversation, "<script>alert(1)</script><b>你好</b>")
    assert message.body == "<script>alert(1)</script><b>你好</b>"


def test_repeated_abuse_warns_then_logs_out_then_bans(seeker: Any, recruiter: Any,
                                                      conversation: Any) -> None:
    """MSG-2: warning → forced logout (every session ended) → chat ban, each in the risk
    record; a recruiter's ban also enters the organisation's credit record."""
    client = Client()
    client.force_login(recruiter)
    say(seeker, conversation, "您好")
    say(recruiter, conversation, "请先交押金")
    say(seeker, conversation, "为什么要交钱？")
    say(recruiter, conversation, "培训费800元")
    assert ChatRestriction.objects.get(user=recruiter).kind == "warning"
    say(seeker, conversation, "不交")
    for text in ("先交保证金", "服装费200"):
        say(recruiter, conversation, text)
        say(seeker, conversation, "不交")
    kinds = set(ChatRestriction.objects.filter(user=recruiter).values_list("kind", flat=True))
    assert {"warning", "forced_logout"} <= kinds
    assert not [s for s in Session.objects.all()
                if s.get_decoded().get("_auth_user_id") == str(recruiter.pk)]
    for text in ("押金500", "再交押金"):
        say(recruiter, conversation, text)
        say(seeker, conversation, "不交")
    assert ChatRestriction.objects.filter(user=recruiter, kind="chat_ban").exists()
    with pytest.raises(NotPermitted) as refused:
        say(recruiter, conversation, "您好")
    assert refused.value.code == "chat_banned"
    assert conversation.organisation.violations.filter(rule__startswith="MSG-2").exists()
    ban = ChatRestriction.objects.get(user=recruiter, kind="chat_ban")
    services.restriction_appeal(actor=recruiter, restriction_id=ban.pk, text="误会，已整改")
    ban.refresh_from_db()
    assert ban.appeal_status == "open"


def test_floods_hit_the_rate_limit(seeker: Any, conversation: Any, settings: Any) -> None:
    settings.CHAT_RATE_LIMIT = (3, 60)
    for n in range(3):
        say(seeker, conversation, f"第{n}条")
    with pytest.raises(ServiceError) as refused:
        say(seeker, conversation, "第4条")
    assert refused.value.code == "rate_limited" and refused.value.status == 429
    assert conversation.messages.count() == 3


def test_sequence_numbers_are_unique_in_the_database(seeker: Any, conversation: Any) -> None:
    first = say(seeker, conversation, "一")
    with pytest.raises(IntegrityError):
        Message.objects.create(conversation=conversation, seq=first.seq, sender=seeker,
                               side="seeker", body="伪造")


def test_a_retried_client_id_is_written_once(seeker: Any, conversation: Any) -> None:
    a = services.message_send(actor=seeker, conversation_id=conversation.pk, text="你好",
                              client_id="c-1").message
    b = services.message_send(actor=seeker, conversation_id=conversation.pk, text="你好",
                              client_id="c-1").message
    assert a.pk == b.pk and conversation.messages.count() == 1
    conversation.refresh_from_db()
    assert conversation.last_seq == 1 and conversation.seeker_messages == 1
    assert ScreeningRecord.objects.filter(context="chat").count() == 1


def test_the_sequence_and_the_counters_move_in_one_write(seeker: Any, recruiter: Any,
                                                         conversation: Any) -> None:
    """Each message takes the next number and counts itself and its side's read mark in the
    same statement; the organisation side still gets one message until the seeker replies."""
    say(seeker, conversation, "您好")
    say(recruiter, conversation, "您好，请问什么时候方便面试？")
    say(seeker, conversation, "明天上午可以")
    conversation.refresh_from_db()
    assert [m.seq for m in conversation.messages.order_by("seq")] == [1, 2, 3]
    assert (conversation.last_seq, conversation.seeker_messages, conversation.org_messages,
            conversation.seeker_read_seq, conversation.org_read_seq) == (3, 2, 1, 3, 2)
    assert conversation.last_preview == "明天上午可以"


def test_the_one_message_rule_is_checked_by_the_write_itself(recruiter: Any,
                                                             conversation: Any) -> None:
    """The check before the write reads the conversation unlocked; the write refuses too
    (a second message racing the first)."""
    from pinqiao.messaging.services.messages import _write

    say(recruiter, conversation, "您好，欢迎投递")
    stale = Conversation.objects.get(pk=conversation.pk)
    stale.org_messages = 0  # as read before the first message was written
    with pytest.raises(ServiceError) as refused:
        _write(actor=recruiter, conversation=stale, side="org", kind="text", body="在吗？")
    assert refused.value.code == "await_reply"
    assert conversation.messages.count() == 1


def test_sending_the_resume_grants_the_consent(seeker: Any, conversation: Any) -> None:
    """RES-5 / PRIV-3: recorded like an application's, source ``chat``."""
    from pinqiao.applications.testing import approved_resume
    from pinqiao.privacy.models import Consent

    approved_resume(seeker)
    services.resume_send(actor=seeker, conversation_id=conversation.pk)
    consent = Consent.objects.get(user=seeker, purpose="resume_to_employer",
                                  organisation=conversation.organisation)
    assert consent.source == "chat" and consent.withdrawn_at is None


@pytest.mark.parametrize("data", [
    b"<html><script>alert(1)</script></html>",
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
])
def test_an_image_that_is_really_html_or_svg_is_refused(seeker: Any, conversation: Any,
                                                        data: bytes) -> None:
    upload = SimpleUploadedFile("photo.png", data, content_type="image/png")
    with pytest.raises(ServiceError) as refused:
        services.image_send(actor=seeker, conversation_id=conversation.pk, upload=upload)
    assert refused.value.code == "file_type"
    assert not conversation.messages.exists()


def test_a_real_image_is_served_only_to_the_parties(seeker: Any, conversation: Any,
                                                   outsider: Any, recruiter: Any) -> None:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, format="PNG")
    upload = SimpleUploadedFile("a.png", buffer.getvalue(), content_type="image/png")
    message = services.image_send(actor=seeker, conversation_id=conversation.pk,
                                  upload=upload).message
    message.refresh_from_db()
    assert message.image.name.startswith("chat/")
    owner = Client()
    owner.force_login(recruiter)
    response = owner.get(f"/chat/image/{message.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    stranger = Client()
    stranger.force_login(outsider)
    assert stranger.get(f"/chat/image/{message.pk}/").status_code == 404
