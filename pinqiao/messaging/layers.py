"""The channel layer of a single process (no ``REDIS_URL``): Channels' in-memory layer with its
housekeeping made independent of the number of open sockets.

Channels' ``InMemoryChannelLayer`` walks every channel queue and every member of every group to
drop expired entries on each ``receive`` and each ``group_send``. Each chat socket sits in its
user's group and its organisations' groups, so with 1,000 sockets open a message paid for four
such walks over ~1,500 groups (its two group sends and the two recipients' next receives): a
sixth of the server's CPU per message in ``bench/chat.py``. Here the walk runs at most once per
:data:`CLEAN_EVERY_SECONDS` (entries live 60 s, group memberships a day, so an expired entry
lingers one second more at worst), and a group send puts the message on each member's queue
directly instead of through one task per member.
"""

from __future__ import annotations

import contextlib
import time
from typing import Any

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer as ChannelsInMemoryChannelLayer

CLEAN_EVERY_SECONDS = 1.0


class InMemoryChannelLayer(ChannelsInMemoryChannelLayer):
    _cleaned_at = 0.0

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now - self._cleaned_at < CLEAN_EVERY_SECONDS:
            return
        self._cleaned_at = now
        super()._clean_expired()

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        self._clean_expired()
        for channel in list(self.groups.get(group, {})):
            with contextlib.suppress(ChannelFull):
                await self.send(channel, message)
