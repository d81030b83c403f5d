"""The chat WebSocket (MSG-1): ``/ws/chat/``.

Authentication is the browser session (cookie). Close codes:

* ``4401`` — no session, an expired one (idle timeout or past its age) or an inactive account;
* ``4408`` — the account was forced to log out (MSG-2 escalation) while the socket was open.

Client → server frames (JSON): ``{"type": "send", "conversation", "text", "client_id"}``,
``{"type": "sync", "conversation", "after"}`` (messages with ``seq > after``; a reconnecting
client sends its last sequence number and receives exactly what it missed) and
``{"type": "read", "conversation", "seq"}``. Server → client: ``message``, ``messages``,
``ack``, ``read``, ``error`` (with a ``code`` and a Chinese ``message``). The ``ack`` of a
``send`` carries the message as written (``message``: what a ``message`` frame carries); the
socket that sent it gets no ``message`` frame for it, the sender's other sockets do.

Every message is written to the database by the services first; the push through the channel
layer happens only after the commit. The texts the sockets of a process receive go to the
database thread in batches (:class:`_Writer`): one hop and one transaction for those that
arrived while the previous batch was being written.
"""

from __future__ import annotations

import asyncio
import threading
import time
import weakref
from typing import Any

from asgiref.sync import SyncToAsync
from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.core.errors import ServiceError
from pinqiao.core.permissions import Role
from pinqiao.messaging import realtime, selectors, services

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORCED_LOGOUT = 4408


#: How long the chat thread keeps one database connection open.
KEEP_CONNECTION_SECONDS = 60.0
_opened = threading.local()


def _tidy_connections() -> None:
    """Keep a usable connection of the chat thread open across calls; close a broken one, one
    left outside autocommit, or one older than :data:`KEEP_CONNECTION_SECONDS`."""
    now = time.monotonic()
    born: dict[str, tuple[int, float]] = _opened.__dict__.setdefault("born", {})
    for conn in connections.all(initialized_only=True):
        if conn.connection is None:
            continue
        raw_id, since = born.get(conn.alias, (0, now))
        if raw_id != id(conn.connection):
            raw_id, since = id(conn.connection), now
        born[conn.alias] = (raw_id, since)
        broken = conn.errors_occurred and not conn.is_usable()
        if broken or conn.get_autocommit() != conn.settings_dict["AUTOCOMMIT"] \
                or now - since > KEEP_CONNECTION_SECONDS:
            conn.close()
        else:
            conn.errors_occurred = False


class ChatDatabaseSyncToAsync(SyncToAsync):
    """Channels' ``database_sync_to_async`` closes the connection after every call unless
    ``CONN_MAX_AGE`` keeps it; chat does not depend on that setting (it was 0 while every
    HTTP request under ASGI ran in a thread of its own). A consumer's calls all run in
    asgiref's one shared thread, so a connection kept there is one per process: chat keeps it,
    saving a new SQLite connection (4 ms of CPU) or a PostgreSQL connection (~20 ms) on every
    message."""

    def thread_handler(self, loop: Any, *args: Any, **kwargs: Any) -> Any:
        _tidy_connections()
        try:
            return super().thread_handler(loop, *args, **kwargs)
        finally:
            _tidy_connections()


database_sync_to_async = ChatDatabaseSyncToAsync


def _write_payloads(requests: list[services.SendRequest]) -> list[dict[str, Any] | Exception]:
    return [outcome if isinstance(outcome, Exception) else realtime.message_payload(
        outcome.message) for outcome in services.messages_send(requests)]


class _Writer:
    """The texts the chat sockets of a process receive, written in batches: while one batch is
    in the database thread, the texts that arrive wait, and go together in the next hop
    (:func:`~pinqiao.messaging.services.messages_send`: one transaction for them all). At a low
    rate each text goes alone and at once; as the rate rises the batches grow and a message
    costs less instead of queueing behind one hop and one commit each."""

    def __init__(self) -> None:
        self.waiting: list[tuple[services.SendRequest, asyncio.Future[Any]]] = []
        self.task: asyncio.Task[None] | None = None

    async def send(self, request: services.SendRequest) -> dict[str, Any]:
        """The message's payload once it is written, or the exception that refused it."""
        future = asyncio.get_running_loop().create_future()
        self.waiting.append((request, future))
        if self.task is None:
            self.task = asyncio.get_running_loop().create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        batch: list[tuple[services.SendRequest, asyncio.Future[Any]]] = []
        try:
            while self.waiting:
                batch, self.waiting = self.waiting, []
                try:
                    outcomes = await database_sync_to_async(_write_payloads)(
                        [request for request, _ in batch])
                except Exception as exc:  # noqa: BLE001 - every text of the batch gets it
                    outcomes = [exc] * len(batch)
                for (_, future), outcome in zip(batch, outcomes, strict=True):
                    if future.done():  # its socket closed meanwhile
                        continue
                    if isinstance(outcome, Exception):
                        future.set_exception(outcome)
                    else:
                        future.set_result(outcome)
        except asyncio.CancelledError:
            for _, future in batch + self.waiting:
                future.cancel()
            self.waiting = []
            raise
        finally:
            self.task = None


_writers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Writer] = \
    weakref.WeakKeyDictionary()


def _writer() -> _Writer:
    """The running event loop's :class:`_Writer` (one per process; tests run several loops)."""
    loop = asyncio.get_running_loop()
    writer = _writers.get(loop)
    if writer is None:
        writer = _writers[loop] = _Writer()
    return writer


def _session_expired(session: Any, user: Any) -> bool:
    last_seen = session.get("last_seen") if session is not None else None
    if last_seen is None:
        return False
    limit = settings.STAFF_SESSION_IDLE_TIMEOUT if user.is_staff else settings.SESSION_IDLE_TIMEOUT
    return timezone.now().timestamp() - float(last_seen) > limit.total_seconds()


class ChatConsumer(AsyncJsonWebsocketConsumer):
    user: Any = None
    groups_joined: list[str]

    async def dispatch(self, message: dict[str, Any]) -> None:
        """Channels runs ``close_old_connections`` in the shared database thread before every
        event (each frame received, each message pushed): a thread hop per event, and with
        ``CONN_MAX_AGE`` 0 it closed the connection chat keeps in that thread, so every message
        opened a new one. Chat's database calls look after their connection themselves
        (:class:`ChatDatabaseSyncToAsync`); events go straight to their handler."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def connect(self) -> None:
        self.groups_joined = []
        user = self.scope.get("user")
        await self.accept()
        if user is None or not user.is_authenticated or not user.is_active or \
                user.role not in (Role.SEEKER, Role.RECRUITER) or \
                _session_expired(self.scope.get("session"), user):
            await self.send_json({"type": "error", "code": "not_authenticated",
                                  "message": _("登录已失效，请重新登录。")})
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.user = user
        realtime.push_from(asyncio.get_running_loop(), self.channel_layer)
        org_ids = await database_sync_to_async(selectors.chat_org_ids)(user)
        self.groups_joined = [realtime.user_group(user.pk)] + [
            realtime.org_group(org_id) for org_id in org_ids]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await database_sync_to_async(services.presence_join)(user.pk)
        await self.send_json({"type": "hello", "user": user.pk})

    async def disconnect(self, code: int) -> None:
        for group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)
        if self.user is not None:
            await database_sync_to_async(services.presence_leave)(self.user.pk)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if self.user is None:
            return
        if not isinstance(content, dict):
            await self._error("invalid_frame", _("消息格式不正确。"))
            return
        handler = {"send": self._on_send, "sync": self._on_sync,
                   "read": self._on_read}.get(content.get("type"))
        if handler is None:
            await self._error("invalid_frame", _("消息格式不正确。"))
            return
        try:
            await handler(content)
        except ServiceError as exc:
            await self._error(exc.code, exc.message, client_id=content.get("client_id"))

    async def _error(self, code: str, message: str, **extra: Any) -> None:
        await self.send_json({"type": "error", "code": code, "message": message, **extra})

    @staticmethod
    def _int(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ServiceError("invalid_frame", _("消息格式不正确。"))
        return value

    async def _on_send(self, content: dict[str, Any]) -> None:
        message = self._for_me(await _writer().send(services.SendRequest(
            actor=self.user, conversation_id=self._int(content.get("conversation")),
            text=content.get("text"), client_id=content.get("client_id", ""),
            origin=self.channel_name)))
        await self.send_json({"type": "ack", "conversation": message["conversation"],
                              "seq": message["seq"], "client_id": message["client_id"],
                              "message": message})

    async def _on_sync(self, content: dict[str, Any]) -> None:
        conversation_id = self._int(content.get("conversation"))
        after = self._int(content.get("after"))
        items = await database_sync_to_async(self._load_after)(conversation_id, after)
        await self.send_json({"type": "messages", "conversation": conversation_id,
                              "items": items})

    def _load_after(self, conversation_id: int, after: int) -> list[dict[str, Any]]:
        conversation, side = selectors.conversation_for_participant(
            viewer=self.user, conversation_id=conversation_id)
        messages = selectors.messages_after(conversation=conversation, after=after)
        return [self._for_me(realtime.message_payload(m)) for m in messages]

    async def _on_read(self, content: dict[str, Any]) -> None:
        await database_sync_to_async(services.conversation_read)(
            actor=self.user, conversation_id=self._int(content.get("conversation")),
            seq=self._int(content.get("seq")))

    def _for_me(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Safety tips are for the seeker (DISC-6)."""
        if self.user.role != Role.SEEKER:
            payload = {**payload, "tip": ""}
        return payload

    # --- channel-layer events ---

    async def chat_message(self, event: dict[str, Any]) -> None:
        if event.get("origin") == self.channel_name:
            return  # this socket sent it: its ack carried the message
        await self.send_json({"type": "message", **self._for_me(event["message"])})

    async def chat_read(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "read", "conversation": event["conversation"],
                              "side": event["side"], "seq": event["seq"]})

    async def chat_force_logout(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "error", "code": "forced_logout",
                              "message": _("您因违规已被强制下线，请重新登录。")})
        await self.close(code=CLOSE_FORCED_LOGOUT)
