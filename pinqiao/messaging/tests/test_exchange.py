"""「交换电话」 / 「交换微信」 (RES-5, MSG-4): accepted phone exchanges bind both parties to a
virtual number with an expiry — real numbers never shown — and calls are recorded; WeChat
releases the seeker's handle to the organisation (audited)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pinqiao.core.errors import NotFound
from pinqiao.core.models import AuditEntry
from pinqiao.messaging import services
from pinqiao.messaging.models import VirtualBinding
from pinqiao.messaging.selectors import bindings_for
from pinqiao.messaging.tests.conftest import say
from pinqiao.messaging.virtual_numbers import provider

pytestmark = pytest.mark.django_db


def test_an_accepted_phone_exchange_gives_a_virtual_number(seeker: Any, recruiter: Any,
                                                           conversation: Any) -> None:
    say(seeker, conversation, "您好")
    request = services.exchange_request(actor=recruiter, conversation_id=conversation.pk,
                                        kind="phone")
    with pytest.raises(NotFound):
        services.exchange_decide(actor=recruiter, exchange_id=request.pk, accept=True)
    services.exchange_decide(actor=seeker, exchange_id=request.pk, accept=True)
    binding = VirtualBinding.objects.get(conversation=conversation)
    assert binding.active and binding.middle_number.startswith("170")
    assert AuditEntry.objects.filter(verb="chat.exchange_accepted").exists()
    for user in (seeker, recruiter):
        client = Client()
        client.force_login(user)
        page = client.get(f"/chat/{conversation.pk}/").content.decode()
        assert binding.middle_number in page
        assert seeker.test_phone not in page and recruiter.test_phone not in page
    vn = provider()
    assert vn.place_call(middle_number=binding.middle_number, caller_phone=seeker.test_phone,
                         duration_seconds=42).connected
    assert not vn.place_call(middle_number=binding.middle_number,
                             caller_phone="13000000000").connected
    calls = bindings_for(conversation=conversation)[0].calls
    assert [c.duration_seconds for c in calls] == [42]
    services.binding_unbind(actor=seeker, conversation_id=conversation.pk)
    assert not vn.place_call(middle_number=binding.middle_number,
                             caller_phone=seeker.test_phone).connected


def test_a_declined_exchange_binds_nothing(seeker: Any, recruiter: Any, conversation: Any
                                           ) -> None:
    say(seeker, conversation, "您好")
    request = services.exchange_request(actor=seeker, conversation_id=conversation.pk,
                                        kind="phone")
    services.exchange_decide(actor=recruiter, exchange_id=request.pk, accept=False)
    assert not VirtualBinding.objects.exists()


def test_an_accepted_wechat_exchange_releases_the_handle(seeker: Any, recruiter: Any,
                                                         conversation: Any) -> None:
    from pinqiao.applications.testing import approved_resume
    from pinqiao.core.crypto import encrypt
    from pinqiao.messaging.selectors import released_im_handle
    from pinqiao.resumes.models import Resume

    resume = approved_resume(seeker)
    Resume.objects.filter(pk=resume.pk).update(
        im_ciphertext=encrypt("wx_zhang2024", context="resume_im"))
    say(seeker, conversation, "您好")
    assert released_im_handle(viewer=recruiter, conversation=conversation) == ""
    request = services.exchange_request(actor=recruiter, conversation_id=conversation.pk,
                                        kind="wechat")
    services.exchange_decide(actor=seeker, exchange_id=request.pk, accept=True)
    request.refresh_from_db()
    assert "即时通讯账号" in request.wording
    assert released_im_handle(viewer=recruiter, conversation=conversation) == "wx_zhang2024"
    assert released_im_handle(viewer=seeker, conversation=conversation) == ""
    assert AuditEntry.objects.filter(verb="chat.contact_viewed", actor_id=recruiter.pk).exists()


def test_the_local_provider_never_shares_a_middle_number_for_one_party() -> None:
    from datetime import timedelta

    from django.utils import timezone

    vn = provider()
    until = timezone.now() + timedelta(days=1)
    first = vn.bind(a_phone="13800000001", b_phone="13800000002", expires_at=until)
    second = vn.bind(a_phone="13800000001", b_phone="13800000003", expires_at=until)
    other = vn.bind(a_phone="13800000004", b_phone="13800000005", expires_at=until)
    assert first.middle_number != second.middle_number
    assert other.middle_number == first.middle_number
    expired = vn.bind(a_phone="13800000006", b_phone="13800000007",
                      expires_at=timezone.now() - timedelta(seconds=1))
    assert not vn.place_call(middle_number=expired.middle_number,
                             caller_phone="13800000006").connected
