"""Online interview rooms behind an interface (APP-4).

``INTERVIEW_ROOM_PROVIDER`` names the class; a video vendor's adapter implements the same four
methods. The local provider keeps its rooms, per-participant join tokens and the join/leave log
in the database and serves a simple in-site room page (no audio or video of its own).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, Protocol

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from pinqiao.core.crypto import keyed_digest
from pinqiao.interviews.models import LocalRoom, LocalRoomEvent, LocalRoomParticipant


class RoomError(Exception):
    """The provider refused: unknown or closed room, not a participant, bad token."""


@dataclass(frozen=True)
class RoomEvent:
    user_id: int
    kind: str  # "join" or "leave"
    at: datetime


class InterviewRoomProvider(Protocol):
    def create_room(self, *, title: str, participants: list[Any]) -> str:
        """Open a room for ``participants`` (users); return the provider's room reference."""

    def join_url(self, room: str, participant: Any) -> str:
        """A link by which ``participant`` enters ``room``."""

    def close_room(self, room: str) -> None:
        """Close the room; its links stop working."""

    def events(self, room: str) -> list[RoomEvent]:
        """Who entered and left the room, oldest first."""


def _digest(token: str) -> str:
    return keyed_digest(token, purpose="interview-room-token")


class LocalRoomProvider:
    """Rooms in the database. ``join_url`` issues a fresh single-use token for one participant
    (only its digest is kept; the caller decides who may join); following the link with that
    token records a join."""

    def create_room(self, *, title: str, participants: list[Any]) -> str:
        room = LocalRoom.objects.create(ref=secrets.token_urlsafe(18), title=title[:200])
        LocalRoomParticipant.objects.bulk_create(
            LocalRoomParticipant(room=room, user=user) for user in participants)
        return room.ref

    def _room(self, ref: str) -> LocalRoom:
        room = LocalRoom.objects.filter(ref=ref).first()
        if room is None:
            raise RoomError("unknown room")
        if room.closed_at is not None:
            raise RoomError("room closed")
        return room

    def join_url(self, room: str, participant: Any) -> str:
        found = self._room(room)
        token = secrets.token_urlsafe(24)
        LocalRoomParticipant.objects.update_or_create(
            room=found, user=participant,
            defaults={"token_digest": _digest(token), "token_issued_at": timezone.now()})
        return reverse("interviews:local_room_join", args=[room, token])

    def close_room(self, room: str) -> None:
        LocalRoom.objects.filter(ref=room, closed_at=None).update(closed_at=timezone.now())

    def events(self, room: str) -> list[RoomEvent]:
        return [RoomEvent(e.user_id, e.kind, e.at)
                for e in LocalRoomEvent.objects.filter(room__ref=room)]

    # The local room page's own endpoints (a vendor's service does this on its side).

    @transaction.atomic
    def join(self, room: str, token: str, user: Any) -> None:
        """Record ``user`` entering with ``token``; the token works once."""
        found = self._room(room)
        participant = (LocalRoomParticipant.objects.select_for_update()
                       .filter(room=found, user=user).first())
        if participant is None or not participant.token_digest \
                or not secrets.compare_digest(participant.token_digest, _digest(token)):
            raise RoomError("bad token")
        participant.token_digest = ""
        participant.save(update_fields=["token_digest"])
        LocalRoomEvent.objects.create(room=found, user=user, kind=LocalRoomEvent.Kind.JOIN)

    def leave(self, room: str, user: Any) -> None:
        found = LocalRoom.objects.filter(ref=room).first()
        if found is None or not found.participants.filter(user=user).exists():
            raise RoomError("not a participant")
        LocalRoomEvent.objects.create(room=found, user=user, kind=LocalRoomEvent.Kind.LEAVE)


def room_provider_path() -> str:
    """The configured provider; each interview keeps the path its room was made with."""
    return settings.INTERVIEW_ROOM_PROVIDER


def is_local(path: str) -> bool:
    return bool(path) and isinstance(provider_for(path), LocalRoomProvider)


@cache
def provider_for(path: str) -> InterviewRoomProvider:
    return import_string(path)()
