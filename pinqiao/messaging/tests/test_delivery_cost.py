"""What keeps a message cheap with 1,000 sockets open (MSG-1; ``bench/chat.py``): presence and
flood counters are not culled from the local cache, the in-memory layer's housekeeping does not
walk every group on every call, pushes from worker threads leave in commit order, and the
sender check is one statement."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pinqiao.core.errors import NotFound, NotPermitted
from pinqiao.messaging import layers, realtime, selectors, services
from pinqiao.messaging.models import Block


def test_presence_of_many_users_is_not_culled() -> None:
    """Django's local-memory cache culled a third of its entries at 300: with ~300 sockets
    open, online users counted as offline (and were notified) and flood counters restarted."""
    cache.clear()
    for user_id in range(1, 1201):
        services.presence_join(user_id)
    assert all(services.messages.is_online(user_id) for user_id in range(1, 1201))


def test_the_layer_cleans_up_at_most_once_a_second(monkeypatch: Any) -> None:
    layer = layers.InMemoryChannelLayer(expiry=60)
    walks = []
    monkeypatch.setattr(layers.ChannelsInMemoryChannelLayer, "_clean_expired",
                        lambda self: walks.append(1))

    async def scenario() -> list[Any]:
        await layer.group_add("chat.u.1", "a.inmemory!x")
        await layer.group_add("chat.u.1", "b.inmemory!y")
        for n in range(50):
            await layer.group_send("chat.u.1", {"type": "chat.message", "n": n})
        layer._cleaned_at -= layers.CLEAN_EVERY_SECONDS  # a second later
        await layer.group_send("chat.u.1", {"type": "chat.message", "n": 50})
        return [(await layer.receive("a.inmemory!x"))["n"] for _ in range(51)] + [
            (await layer.receive("b.inmemory!y"))["n"] for _ in range(51)]

    received = asyncio.run(scenario())
    assert received == list(range(51)) * 2
    assert len(walks) == 2


def test_expired_messages_are_still_dropped() -> None:
    layer = layers.InMemoryChannelLayer(expiry=0)
    layer._cleaned_at = -1e9

    async def scenario() -> bool:
        await layer.group_add("chat.u.1", "a.inmemory!x")
        await layer.group_send("chat.u.1", {"type": "chat.message"})
        await asyncio.sleep(0.01)
        layer._cleaned_at = -1e9
        layer._clean_expired()
        return "a.inmemory!x" in layer.groups.get("chat.u.1", {})

    assert asyncio.run(scenario()) is False


def test_pushes_from_worker_threads_leave_in_commit_order(monkeypatch: Any) -> None:
    """Worker threads hand events to the loop without waiting; one drain task sends them in
    the order handed over."""
    sent: list[int] = []

    class Layer:
        async def group_send(self, group: str, event: dict[str, Any]) -> None:
            await asyncio.sleep(0)  # a real layer yields (Redis): order must still hold
            sent.append(event["n"])

    async def scenario() -> None:
        monkeypatch.setattr(realtime, "_pusher", None)
        realtime.push_from(asyncio.get_running_loop(), Layer())

        def worker() -> None:
            for n in range(200):
                realtime._send(["chat.u.1"], {"type": "chat.message", "n": n})

        thread = threading.Thread(target=worker)
        thread.start()
        await asyncio.to_thread(thread.join)
        while len(sent) < 200:
            await asyncio.sleep(0.01)

    asyncio.run(scenario())
    assert sent == list(range(200))


@pytest.mark.django_db
def test_the_sender_check_is_one_statement(seeker: Any, recruiter: Any, colleague: Any,
                                           outsider: Any, conversation: Any) -> None:
    with CaptureQueriesContext(connection) as queries:
        _, side = selectors.conversation_for_sender(viewer=recruiter,
                                                    conversation_id=conversation.pk)
    assert side == "org" and len(queries) == 1
    _, side = selectors.conversation_for_sender(viewer=seeker, conversation_id=conversation.pk)
    assert side == "seeker"
    with pytest.raises(NotFound):
        selectors.conversation_for_sender(viewer=outsider, conversation_id=conversation.pk)
    Block.objects.create(seeker=seeker, organisation=conversation.organisation)
    with pytest.raises(NotPermitted) as refused:
        services.message_send(actor=colleague, conversation_id=conversation.pk, text="在吗")
    assert refused.value.code == "recipient_unavailable"
