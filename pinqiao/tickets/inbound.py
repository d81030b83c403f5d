"""Complaints by e-mail (TKT-2): an ``InboundMail`` interface and its local provider, a Maildir
(the format Postfix, Dovecot and getmail deliver to). A vendor mailbox (IMAP, an API) would be
another provider behind the same interface.

A message read is moved from ``new/`` to ``cur/`` and flagged seen (``S``); a refused one is
also flagged (``F``), so nothing is read twice and refusals can be found.
"""

from __future__ import annotations

import mailbox
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from email.message import Message
from email.utils import parseaddr
from pathlib import Path
from typing import Protocol

from django.conf import settings


@dataclass(frozen=True)
class InboundMessage:
    key: str
    sender_name: str
    sender_address: str
    subject: str
    text: str
    attachments: list[tuple[str, bytes]] = field(default_factory=list)


class InboundMail(Protocol):
    def unread(self) -> Iterator[InboundMessage]: ...

    def mark_done(self, key: str, *, refused: bool = False) -> None: ...


def _decoded(value: str | None) -> str:
    return str(make_header(decode_header(value))) if value else ""


def _parse(key: str, message: Message) -> InboundMessage:
    name, address = parseaddr(_decoded(message.get("From")))
    texts: list[str] = []
    attachments: list[tuple[str, bytes]] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        filename = part.get_filename()
        payload = part.get_payload(decode=True) or b""
        if filename:
            attachments.append((_decoded(filename), payload))
        elif part.get_content_type() == "text/plain":
            charset = part.get_content_charset() or "utf-8"
            texts.append(payload.decode(charset, errors="replace"))
    return InboundMessage(key=key, sender_name=name, sender_address=address,
                          subject=_decoded(message.get("Subject")),
                          text="\n".join(t.strip() for t in texts if t.strip()),
                          attachments=attachments)


class MaildirInbox:
    """The local provider: reads ``new/`` of a Maildir."""

    def __init__(self, path: str | Path) -> None:
        self.box = mailbox.Maildir(str(path), create=True)

    def unread(self) -> Iterator[InboundMessage]:
        for key in sorted(self.box.keys()):
            message = self.box.get_message(key)
            if message.get_subdir() == "new":
                yield _parse(key, message)

    def mark_done(self, key: str, *, refused: bool = False) -> None:
        message = self.box.get_message(key)
        message.set_subdir("cur")
        message.add_flag("FS" if refused else "S")
        self.box[key] = message


def complaint_inbox() -> InboundMail:
    return MaildirInbox(getattr(settings, "TICKETS_MAILDIR",
                                Path(settings.VAR_DIR) / "complaints-maildir"))
