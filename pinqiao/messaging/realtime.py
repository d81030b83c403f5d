"""Pushing to open sockets through the channel layer, after the database write has committed.

Each socket joins the group of its user (``chat.u.<user id>``) and, for recruiters, the groups
of the organisations they chat for (``chat.o.<organisation id>``). With ``REDIS_URL`` set the
layer is ``channels-redis`` and a message written in one ASGI process reaches sockets held by
another."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.messaging.models import Conversation, Kind, Message, Side
from pinqiao.messaging.screening import tip_for

logger = logging.getLogger(__name__)


def user_group(user_id: int) -> str:
    return f"chat.u.{user_id}"


def org_group(organisation_id: int) -> str:
    return f"chat.o.{organisation_id}"


def message_payload(message: Message) -> dict[str, Any]:
    """The JSON a client receives for a message (both sides; the consumer drops ``tip`` for the
    organisation side). Text is sent as text and escaped by the client."""
    sender = message.sender
    data: dict[str, Any] = {
        "conversation": message.conversation_id, "seq": message.seq, "kind": message.kind,
        "side": message.side, "sender": sender.display_name or _("用户"),
        "body": message.body, "masked": message.masked,
        "tip": tip_for(message.risk_categories) if message.side == Side.ORG else "",
        "at": timezone.localtime(message.created_at).strftime("%Y-%m-%d %H:%M"),
        "client_id": message.client_id,
    }
    if message.kind == Kind.IMAGE:
        from django.urls import reverse

        data["image_url"] = reverse("messaging:image", args=[message.pk])
    if message.kind == Kind.INTERVIEW and message.interview_id:
        interview = message.interview
        data["interview"] = {"id": interview.pk, "title": interview.title,
                             "status": str(interview.get_status_display())}
    return data


class _Pusher:
    """Pushes from the server's event loop, in commit order.

    The services commit in a worker thread (the chat consumer's database thread, or an HTTP
    request's). Calling the layer from there (``async_to_sync``) made that thread wait for the
    event loop twice per message, once per group. Instead the thread hands the event to the loop
    (``call_soon_threadsafe``, no waiting) and one drain task per process sends the events in
    the order they were handed over, which is the commit order of the process: each
    conversation's messages still leave in sequence."""

    def __init__(self, loop: asyncio.AbstractEventLoop, layer: Any) -> None:
        self.loop = loop
        self.layer = layer
        self.pending: deque[tuple[list[str], dict[str, Any]]] = deque()
        self.draining = False

    def usable(self) -> bool:
        return self.loop.is_running() and not self.loop.is_closed()

    def hand_over(self, groups: list[str], event: dict[str, Any]) -> None:
        self.loop.call_soon_threadsafe(self._enqueue, groups, event)

    def _enqueue(self, groups: list[str], event: dict[str, Any]) -> None:
        self.pending.append((groups, event))
        if not self.draining:
            self.draining = True
            self.loop.create_task(self._drain())

    async def _drain(self) -> None:
        try:
            while self.pending:
                groups, event = self.pending.popleft()
                for group in groups:
                    try:
                        await self.layer.group_send(group, event)
                    except Exception:  # noqa: BLE001 - one failed push must not stop the rest
                        logger.exception("chat push to %s failed", group)
        finally:
            self.draining = False


_pusher: _Pusher | None = None


def push_from(loop: asyncio.AbstractEventLoop, layer: Any) -> None:
    """Called by each chat socket as it opens: pushes of this process go through ``loop``."""
    global _pusher
    if layer is not None and (_pusher is None or _pusher.loop is not loop
                              or _pusher.layer is not layer):
        _pusher = _Pusher(loop, layer)


def _send(groups: list[str], event: dict[str, Any]) -> None:
    pusher = _pusher
    if pusher is not None and pusher.usable():
        pusher.hand_over(groups, event)
        return
    layer = get_channel_layer()
    if layer is None:
        return
    send = async_to_sync(layer.group_send)
    for group in groups:
        send(group, event)


def conversation_groups(conversation: Conversation) -> list[str]:
    return [user_group(conversation.seeker_id), org_group(conversation.organisation_id)]


def push_message_on_commit(message: Message, *, origin: str = "") -> None:
    """Push ``message`` to both parties' sockets after the commit. ``origin`` names the socket
    it was sent from: that one skips the push, its ack carried the message (one frame to the
    sender's socket instead of two; the sender's other sockets get the push)."""
    payload = message_payload(message)
    groups = conversation_groups(message.conversation)
    event = {"type": "chat.message", "message": payload, "origin": origin}
    transaction.on_commit(lambda: _send(groups, event))


def push_read_on_commit(conversation: Conversation, side: str, seq: int) -> None:
    groups = conversation_groups(conversation)
    event = {"type": "chat.read", "conversation": conversation.pk, "side": side, "seq": seq}
    transaction.on_commit(lambda: _send(groups, event))


def push_force_logout_on_commit(user_id: int) -> None:
    transaction.on_commit(lambda: _send([user_group(user_id)], {"type": "chat.force_logout"}))
