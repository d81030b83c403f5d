"""The chat WebSocket (MSG-1): session authentication with clear close codes, messages written
first then pushed, and a reconnect that asks "after seq N" receives exactly the missed ones."""

from __future__ import annotations

import json
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from pinqiao.asgi import application
from pinqiao.messaging.models import Message
from pinqiao.messaging.tests.conftest import say

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reinstalled_data")]


def session_cookie(user: Any, *, idle_seconds: float = 0) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "pinqiao.accounts.backends.IdentifierBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session["last_seen"] = timezone.now().timestamp() - idle_seconds
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


class WebsocketClient(ApplicationCommunicator):
    """A WebSocket client speaking ASGI to the application (channels' own communicator lives
    in a module that imports daphne, which this project does not install)."""

    def __init__(self, headers: list[tuple[bytes, bytes]]) -> None:
        super().__init__(application, {"type": "websocket", "path": "/ws/chat/",
                                       "headers": headers, "subprotocols": [],
                                       "client": ["127.0.0.1", 5000],
                                       "server": ["127.0.0.1", 80]})

    async def connect(self, timeout: float = 5) -> tuple[bool, Any]:
        await self.send_input({"type": "websocket.connect"})
        response = await self.receive_output(timeout)
        return response["type"] == "websocket.accept", response.get("code")

    async def send_json_to(self, data: Any) -> None:
        await self.send_input({"type": "websocket.receive", "text": json.dumps(data)})

    async def receive_json_from(self, timeout: float = 5) -> Any:
        response = await self.receive_output(timeout)
        assert response["type"] == "websocket.send", response
        return json.loads(response["text"])

    async def disconnect(self, code: int = 1000, timeout: float = 5) -> None:
        await self.send_input({"type": "websocket.disconnect", "code": code})
        await self.wait(timeout)


def communicator(cookie: str = "") -> WebsocketClient:
    headers = [(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    return WebsocketClient(headers)


async def _closed_with(cookie: str) -> int:
    ws = communicator(cookie)
    connected, _ = await ws.connect()
    assert connected
    frame = await ws.receive_json_from(timeout=5)
    assert frame["code"] == "not_authenticated" and "登录" in frame["message"]
    output = await ws.receive_output(timeout=5)
    await ws.wait()
    return output["code"]


def test_a_socket_without_a_session_is_closed_with_4401() -> None:
    assert async_to_sync(_closed_with)("") == 4401


def test_a_socket_with_an_expired_session_is_closed_with_4401(seeker: Any) -> None:
    cookie = session_cookie(seeker, idle_seconds=settings.SESSION_IDLE_TIMEOUT.total_seconds()
                            + 60)
    assert async_to_sync(_closed_with)(cookie) == 4401


def test_reconnect_receives_exactly_the_missed_messages(seeker: Any, recruiter: Any,
                                                        conversation: Any) -> None:
    """Kill the seeker's socket mid-conversation; the recruiter keeps writing; the reconnect
    asks for what came after its last sequence number and gets exactly those, in order."""
    seeker_cookie = session_cookie(seeker)
    recruiter_cookie = session_cookie(recruiter)

    async def scenario() -> None:
        seeker_ws = communicator(seeker_cookie)
        recruiter_ws = communicator(recruiter_cookie)
        assert (await seeker_ws.connect())[0] and (await recruiter_ws.connect())[0]
        assert (await seeker_ws.receive_json_from(timeout=5))["type"] == "hello"
        assert (await recruiter_ws.receive_json_from(timeout=5))["type"] == "hello"
        await seeker_ws.send_json_to({"type": "send", "conversation": conversation.pk,
                                      "text": "您好，这个职位还招人吗？", "client_id": "s1"})
        ack = await seeker_ws.receive_json_from(timeout=5)
        assert ack["type"] == "ack" and ack["client_id"] == "s1"
        assert ack["message"]["seq"] == 1 and ack["message"]["body"] == "您好，这个职位还招人吗？"
        pushed = await recruiter_ws.receive_json_from(timeout=5)
        assert pushed["type"] == "message" and pushed["seq"] == 1
        # The sending socket got the message in its ack, not pushed a second time.
        assert await seeker_ws.receive_nothing(timeout=0.3)
        await recruiter_ws.send_json_to({"type": "send", "conversation": conversation.pk,
                                         "text": "招的，请问您什么时候方便？"})
        got = [await seeker_ws.receive_json_from(timeout=5) for _ in range(1)]
        last_seen = got[0]["seq"]
        assert last_seen == 2
        await seeker_ws.disconnect()  # the socket dies
        for n in range(3):
            await recruiter_ws.send_json_to({"type": "send", "conversation": conversation.pk,
                                             "text": f"补充说明第{n + 1}条"})
            while (await recruiter_ws.receive_json_from(timeout=5))["type"] != "ack":
                pass
        again = communicator(seeker_cookie)
        assert (await again.connect())[0]
        assert (await again.receive_json_from(timeout=5))["type"] == "hello"
        await again.send_json_to({"type": "sync", "conversation": conversation.pk,
                                  "after": last_seen})
        frame = await again.receive_json_from(timeout=5)
        assert frame["type"] == "messages"
        assert [m["seq"] for m in frame["items"]] == [3, 4, 5]
        assert [m["body"] for m in frame["items"]] == ["补充说明第1条", "补充说明第2条",
                                                       "补充说明第3条"]
        await again.send_json_to({"type": "sync", "conversation": conversation.pk,
                                  "after": 99})
        forged = await again.receive_json_from(timeout=5)
        assert forged["type"] == "error" and forged["code"] == "invalid_seq"
        await again.disconnect()
        await recruiter_ws.disconnect()

    async_to_sync(scenario)()
    assert list(Message.objects.filter(conversation=conversation).values_list("seq", flat=True)
                ) == [1, 2, 3, 4, 5]


def test_the_sending_socket_gets_one_frame_and_the_senders_other_socket_the_push(
        seeker: Any, conversation: Any) -> None:
    """The ack carries the message, so the socket that sent it is not pushed the same message
    again; another socket of the same user (a second tab) is."""
    cookie = session_cookie(seeker)

    async def scenario() -> tuple[dict, dict, bool]:
        sending, other = communicator(cookie), communicator(cookie)
        assert (await sending.connect())[0] and (await other.connect())[0]
        await sending.receive_json_from(timeout=5)
        await other.receive_json_from(timeout=5)
        await sending.send_json_to({"type": "send", "conversation": conversation.pk,
                                    "text": "请问周末双休吗？", "client_id": "tab1"})
        ack = await sending.receive_json_from(timeout=5)
        pushed = await other.receive_json_from(timeout=5)
        nothing_more = await sending.receive_nothing(timeout=0.3)
        await sending.disconnect()
        await other.disconnect()
        return ack, pushed, nothing_more

    ack, pushed, nothing_more = async_to_sync(scenario)()
    assert ack["type"] == "ack" and ack["seq"] == 1 and ack["client_id"] == "tab1"
    assert ack["message"] == {k: v for k, v in pushed.items() if k != "type"}
    assert pushed["type"] == "message" and pushed["body"] == "请问周末双休吗？"
    assert nothing_more


def test_a_socket_cannot_write_into_someone_elses_conversation(outsider: Any,
                                                                conversation: Any) -> None:
    cookie = session_cookie(outsider)

    async def scenario() -> dict:
        ws = communicator(cookie)
        await ws.connect()
        await ws.receive_json_from(timeout=5)
        await ws.send_json_to({"type": "send", "conversation": conversation.pk, "text": "hi"})
        frame = await ws.receive_json_from(timeout=5)
        await ws.disconnect()
        return frame

    frame = async_to_sync(scenario)()
    assert frame["type"] == "error" and frame["code"] == "not_found"
    assert not Message.objects.exists()


def test_a_seeker_sees_the_tip_and_the_recruiter_does_not(seeker: Any, recruiter: Any,
                                                          conversation: Any) -> None:
    say(seeker, conversation, "您好")
    seeker_cookie, recruiter_cookie = session_cookie(seeker), session_cookie(recruiter)

    async def scenario() -> tuple[dict, dict]:
        s, r = communicator(seeker_cookie), communicator(recruiter_cookie)
        await s.connect()
        await r.connect()
        await s.receive_json_from(timeout=5)
        await r.receive_json_from(timeout=5)
        await r.send_json_to({"type": "send", "conversation": conversation.pk,
                              "text": "先交300元押金才能面试"})
        to_seeker = await s.receive_json_from(timeout=5)
        ack = await r.receive_json_from(timeout=5)
        assert ack["type"] == "ack"
        to_recruiter = ack["message"]
        await s.disconnect()
        await r.disconnect()
        return to_seeker, to_recruiter

    to_seeker, to_recruiter = async_to_sync(scenario)()
    assert "押金" not in to_seeker["body"] and "押金" in to_seeker["tip"]
    assert to_recruiter["tip"] == ""
