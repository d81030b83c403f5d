"""TKT-2: complaints by e-mail through the InboundMail interface's Maildir provider."""

from __future__ import annotations

import mailbox
from email.message import EmailMessage
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from pinqiao.orgs.testing import PNG_BYTES
from pinqiao.tickets.inbound import MaildirInbox
from pinqiao.tickets.models import Case

pytestmark = pytest.mark.django_db


def _deliver(path: Path, *, body: str, attachment: tuple[str, bytes] | None = None) -> None:
    message = EmailMessage()
    message["From"] = "王女士 <wang@example.cn>"
    message["To"] = "complaints@pinqiao.example"
    message["Subject"] = "投诉某公司收取押金"
    message.set_content(body)
    if attachment:
        message.add_attachment(attachment[1], maintype="application", subtype="octet-stream",
                               filename=attachment[0])
    mailbox.Maildir(str(path), create=True).add(message)


def test_an_email_becomes_a_case_once(tmp_path: Path) -> None:
    box = tmp_path / "maildir"
    _deliver(box, body="面试要求交押金500元。", attachment=("收据.png", PNG_BYTES))
    out = StringIO()
    call_command("receive_complaint_mail", "--maildir", str(box), "--dry-run", stdout=out)
    assert "1 cases" in out.getvalue() and not Case.objects.exists()
    call_command("receive_complaint_mail", "--maildir", str(box), stdout=StringIO())
    case = Case.objects.get()
    assert case.channel == "email" and case.complainant is None
    assert "押金500元" in case.content and case.evidence.count() == 1
    assert "wang@example.cn" not in case.contact_ciphertext
    call_command("receive_complaint_mail", "--maildir", str(box), stdout=StringIO())
    assert Case.objects.count() == 1
    assert all("S" in m.get_flags() for m in mailbox.Maildir(str(box)))


def test_an_email_with_a_renamed_html_attachment_is_refused_and_the_sender_told(
        tmp_path: Path, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    box = tmp_path / "maildir"
    _deliver(box, body="见附件", attachment=("证据.pdf", b"<html><script></script></html>"))
    call_command("receive_complaint_mail", "--maildir", str(box), stdout=StringIO())
    assert not Case.objects.exists()
    assert mail.outbox[0].to == ["wang@example.cn"] and "按内容识别" in mail.outbox[0].body
    assert [m.get_flags() for m in MaildirInbox(box).box] == ["FS"]
