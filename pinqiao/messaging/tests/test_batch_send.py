"""Texts written in batches (MSG-1, MSG-2; ``services.messages_send``, the chat sockets'
writer): each gets what it would get alone — its checks, screening, rate limit, audit and
outcome — in order and with its sequence number; one that fails leaves the others whole."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pinqiao.core.audit import AuditEntry
from pinqiao.core.errors import NotPermitted, ServiceError
from pinqiao.messaging import consumers, services
from pinqiao.messaging.models import Block, ChatViolation, Conversation, Message
from pinqiao.messaging.services import SendRequest
from pinqiao.messaging.services import messages as messages_module
from pinqiao.messaging.tests.conftest import say
from pinqiao.messaging.tests.redis_check import needs_redis
from pinqiao.moderation.models import ScreeningRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def second(outsider: Any, posting: Any) -> Any:
    """Another seeker's conversation with the same organisation."""
    conversation, _created = services.conversation_open(actor=outsider, posting_id=posting.pk)
    return conversation


def _gapless(conversation: Any) -> list[int]:
    conversation.refresh_from_db()
    seqs = list(conversation.messages.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, conversation.last_seq + 1))
    return seqs


def test_a_batch_is_written_in_one_transaction_in_arrival_order(
        seeker: Any, recruiter: Any, outsider: Any, conversation: Any, second: Any) -> None:
    say(seeker, conversation, "您好")
    with CaptureQueriesContext(connection) as queries:
        outcomes = services.messages_send([
            SendRequest(actor=outsider, conversation_id=second.pk, text="请问还招人吗"),
            SendRequest(actor=recruiter, conversation_id=conversation.pk, text="您好，在的"),
        ])
    assert [o.message.body for o in outcomes] == ["请问还招人吗", "您好，在的"]
    assert [(o.message.conversation_id, o.message.seq, o.side) for o in outcomes] == [
        (second.pk, 1, "seeker"), (conversation.pk, 2, "org")]
    # One live rule-set read and one transaction for both (SQLite in a test: a savepoint).
    assert sum("SAVEPOINT" in q["sql"] and "RELEASE" not in q["sql"]
               for q in queries.captured_queries) == 1
    assert _gapless(conversation) == [1, 2] and _gapless(second) == [1]
    assert ScreeningRecord.objects.filter(context="chat").count() == 3


def test_two_texts_to_one_conversation_keep_their_order_and_sequence(
        seeker: Any, recruiter: Any, conversation: Any) -> None:
    say(seeker, conversation, "您好")
    outcomes = services.messages_send([
        SendRequest(actor=recruiter, conversation_id=conversation.pk, text="第一条"),
        SendRequest(actor=seeker, conversation_id=conversation.pk, text="第二条"),
        SendRequest(actor=recruiter, conversation_id=conversation.pk, text="第三条"),
    ])
    assert [(o.message.seq, o.message.body) for o in outcomes] == [
        (2, "第一条"), (3, "第二条"), (4, "第三条")]
    assert _gapless(conversation) == [1, 2, 3, 4]


def test_a_second_text_of_a_sender_sees_what_the_first_did(recruiter: Any,
                                                          conversation: Any) -> None:
    """The one-message rule: both texts of a recruiter before the seeker replied arrive in
    one batch; the second is refused as it would be alone."""
    outcomes = services.messages_send([
        SendRequest(actor=recruiter, conversation_id=conversation.pk, text="您好，欢迎投递"),
        SendRequest(actor=recruiter, conversation_id=conversation.pk, text="在吗？"),
    ])
    assert outcomes[0].message.seq == 1
    assert isinstance(outcomes[1], ServiceError) and outcomes[1].code == "await_reply"
    assert _gapless(conversation) == [1]


def test_a_retried_client_id_in_a_batch_leaves_the_others_whole(
        seeker: Any, outsider: Any, conversation: Any, second: Any) -> None:
    first = services.message_send(actor=seeker, conversation_id=conversation.pk, text="你好",
                                  client_id="c-1").message
    outcomes = services.messages_send([
        SendRequest(actor=outsider, conversation_id=second.pk, text="一", client_id="a"),
        SendRequest(actor=seeker, conversation_id=conversation.pk, text="你好",
                    client_id="c-1"),
    ])
    assert outcomes[1].message.pk == first.pk
    assert outcomes[0].message.seq == 1 and outcomes[0].message.body == "一"
    assert _gapless(conversation) == [1] and _gapless(second) == [1]
    # The retry's screening record went with the rolled-back batch and its own transaction.
    assert ScreeningRecord.objects.filter(context="chat").count() == 2


def test_a_failing_write_in_a_batch_fails_alone(monkeypatch: Any, seeker: Any, outsider: Any,
                                                conversation: Any, second: Any) -> None:
    write = messages_module._write

    def failing(**kwargs: Any) -> Any:
        if kwargs["conversation"].pk == second.pk:
            raise RuntimeError("磁盘已满")
        return write(**kwargs)

    monkeypatch.setattr(messages_module, "_write", failing)
    outcomes = services.messages_send([
        SendRequest(actor=outsider, conversation_id=second.pk, text="一"),
        SendRequest(actor=seeker, conversation_id=conversation.pk, text="二"),
    ])
    assert isinstance(outcomes[0], RuntimeError)
    assert outcomes[1].message.seq == 1
    assert _gapless(conversation) == [1] and second.messages.count() == 0
    assert ScreeningRecord.objects.filter(context="chat").count() == 1


def test_screened_refused_and_blocked_texts_in_a_batch_are_handled_as_alone(
        seeker: Any, recruiter: Any, colleague: Any, outsider: Any, conversation: Any,
        second: Any, employer: Any) -> None:
    say(seeker, conversation, "您好")
    Block.objects.create(seeker=outsider, organisation=employer)
    outcomes = services.messages_send([
        SendRequest(actor=recruiter, conversation_id=conversation.pk,
                    text="入职前需要先交500元押金，加我微信 abc12345 详聊"),
        SendRequest(actor=seeker, conversation_id=second.pk, text="我不在这个会话里"),
        SendRequest(actor=colleague, conversation_id=second.pk, text="您好"),
        SendRequest(actor=outsider, conversation_id=second.pk, text="还在吗"),
        SendRequest(actor=seeker, conversation_id=conversation.pk,
                    text="你再不回我，我就找人收拾你"),
        SendRequest(actor=outsider, conversation_id=conversation.pk, text=""),
    ])
    masked, stranger, blocked_org, blocked_by_me, threat, empty = outcomes
    assert "押金" not in masked.message.body and "abc12345" not in masked.message.body
    assert masked.message.masked and "fee_charging" in masked.message.risk_categories
    assert stranger.__class__.__name__ == "NotFound"
    assert isinstance(blocked_org, NotPermitted) and blocked_org.code == "recipient_unavailable"
    assert isinstance(blocked_by_me, NotPermitted) and blocked_by_me.code == "blocked_by_you"
    assert isinstance(threat, ServiceError) and threat.code == "message_blocked"
    assert isinstance(empty, ServiceError) and empty.code == "empty_message"
    assert _gapless(conversation) == [1, 2] and second.messages.count() == 0
    verbs = set(AuditEntry.objects.values_list("verb", flat=True))
    assert {"chat.access_denied", "chat.send_refused_blocked", "chat.message_blocked"} <= verbs
    assert ChatViolation.objects.filter(user=seeker).exists()
    assert ChatViolation.objects.filter(user=recruiter).exists()


def test_the_rate_limit_counts_each_text_of_a_batch(seeker: Any, outsider: Any,
                                                   conversation: Any, second: Any,
                                                   settings: Any) -> None:
    settings.CHAT_RATE_LIMIT = (2, 60)
    say(seeker, conversation, "一")
    outcomes = services.messages_send([
        SendRequest(actor=seeker, conversation_id=conversation.pk, text="二"),
        SendRequest(actor=outsider, conversation_id=second.pk, text="一"),
        SendRequest(actor=seeker, conversation_id=conversation.pk, text="三"),
    ])
    assert outcomes[0].message.seq == 2 and outcomes[1].message.seq == 1
    assert isinstance(outcomes[2], ServiceError) and outcomes[2].code == "rate_limited"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reinstalled_data")
def test_the_writer_takes_what_arrives_during_a_batch_into_the_next(
        monkeypatch: Any, seeker: Any, recruiter: Any, outsider: Any, conversation: Any,
        second: Any) -> None:
    """The first text goes alone and at once; the texts that arrive while it is written go
    together in the next hop; each waiting socket gets its own answer."""
    batches: list[list[str]] = []
    write = consumers._write_payloads

    def recording(requests: list[SendRequest]) -> list[Any]:
        batches.append([request.text for request in requests])
        return write(requests)

    monkeypatch.setattr(consumers, "_write_payloads", recording)

    async def scenario() -> list[Any]:
        writer = consumers._writer()
        first = asyncio.ensure_future(writer.send(SendRequest(
            actor=seeker, conversation_id=conversation.pk, text="一")))
        await asyncio.sleep(0)
        rest = [writer.send(SendRequest(actor=recruiter, conversation_id=conversation.pk,
                                        text="二")),
                writer.send(SendRequest(actor=outsider, conversation_id=second.pk, text="三")),
                writer.send(SendRequest(actor=outsider, conversation_id=conversation.pk,
                                        text="四"))]
        return await asyncio.gather(first, *rest, return_exceptions=True)

    # async_to_sync: the database thread is this test's (no connection left open behind it).
    one, two, three, four = async_to_sync(scenario)()
    assert batches == [["一"], ["二", "三", "四"]]
    assert not isinstance(one, Exception), one
    assert (one["seq"], two["seq"], three["seq"]) == (1, 2, 1)
    assert four.__class__.__name__ == "NotFound"
    assert Conversation.objects.get(pk=conversation.pk).last_seq == 2
    assert Message.objects.count() == 3


def test_the_offline_parties_of_a_batch_are_notified_as_alone(
        seeker: Any, recruiter: Any, colleague: Any, outsider: Any, conversation: Any,
        second: Any, django_capture_on_commit_callbacks: Any) -> None:
    from pinqiao.messaging.services.messages import presence_join
    from pinqiao.notifications.models import Notification

    say(seeker, conversation, "您好")
    presence_join(colleague.pk)
    with django_capture_on_commit_callbacks(execute=True):
        outcomes = services.messages_send([
            SendRequest(actor=outsider, conversation_id=second.pk, text="请问还招人吗"),
            SendRequest(actor=recruiter, conversation_id=conversation.pk, text="您好，在的"),
        ])
    assert all(not isinstance(o, Exception) for o in outcomes)
    notified = list(Notification.objects.filter(event="chat_message").values_list(
        "user_id", flat=True))
    # The seeker (offline) of the recruiter's message; of the other seeker's message the
    # organisation's member who is offline, not the one with a socket open.
    assert sorted(notified) == sorted([seeker.pk, recruiter.pk])


@needs_redis
def test_on_redis_a_batch_is_counted_in_one_round_trip_with_the_cache_keys(
        settings: Any, monkeypatch: Any) -> None:
    """The scale path's counters: one command for the batch, the same keys, values and expiry
    as the cache API's."""
    import uuid

    from django.core.cache import cache
    from django.utils import timezone

    from pinqiao.messaging.services.abuse import rate_limit_take_many

    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)  # all three calls in one window

    settings.CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:6379/2",
                                   "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}}
    settings.CHAT_RATE_LIMIT = (2, 60)
    keys = []
    try:
        assert rate_limit_take_many([1, 2]) == [True, True]
        assert rate_limit_take_many([1, 3]) == [True, True]
        assert rate_limit_take_many([1, 2]) == [False, True]
        keys = cache.keys("chat:rate:*")
        assert sorted(cache.get(key) for key in keys) == [1, 2, 3]
        assert all(0 < cache.ttl(key) <= 61 for key in keys)
    finally:
        cache.delete_many(keys)
