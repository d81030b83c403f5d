"""「立即沟通」 where the issue lists it (MSG-1), each driven through its page: the posting page
(``test_api_and_pages.py`` and the Chromium test), the recruiter's application page and the
talent-search cards. A recruiter reaches only seekers who applied or whose résumé is public
(open to verified recruiters), sends one message until the seeker replies, and has a daily
limit on new conversations; every refusal comes back onto the page it came from."""

from __future__ import annotations

import html as html_lib
import re
from typing import Any

import pytest
from django.test import Client

from pinqiao.applications import testing as app_testing
from pinqiao.messaging.models import Conversation
from pinqiao.messaging.tests.conftest import say
from pinqiao.resumes.models import Resume, Visibility
from pinqiao.search.testing import search_index  # noqa: F401
from pinqiao.search.tests.talent_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

TALENT = "/talent/?q=开发&city=440100"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _card_form(html: str) -> dict[str, str]:
    """The fields of the first card's 「立即沟通」 form, as a browser would post them."""
    form = re.search(r'<form method="post" action="/chat/start/talent/".*?</form>', html, re.S)
    assert form is not None, "the card has no 立即沟通"
    fields = {name: html_lib.unescape(value) for name, value in re.findall(
        r'<input type="hidden" name="(\w+)" value="([^"]*)"', form[0])}
    fields["posting"] = re.search(r'<option value="(\d+)"', form[0])[1]
    return fields


def test_a_talent_card_opens_a_chat_with_one_message_until_the_reply(
        talent: dict[str, Resume], recruiter: Any, posting: Any) -> None:
    client = _client(recruiter)
    html = client.get(TALENT).content.decode()
    assert "找到 1 份简历" in html and "立即沟通" in html and posting.title in html
    fields = _card_form(html)
    assert fields["resume"] == str(talent["python"].public_id)
    assert str(talent["python"].owner_id) not in re.findall(r'name="seeker" value="(\d+)"', html)

    opened = client.post("/chat/start/talent/", fields)
    conversation = Conversation.objects.get(seeker=talent["python"].owner)
    assert opened.status_code == 302 and opened["Location"] == f"/chat/{conversation.pk}/"
    assert conversation.started_side == "org" and conversation.posting == posting

    first = client.post(f"/chat/{conversation.pk}/send/", {"text": "您好，方便聊聊吗？"})
    assert first.status_code == 302
    second = client.post(f"/chat/{conversation.pk}/send/", {"text": "在吗？"})
    page = second.content.decode()
    assert second.status_code == 429 and "求职者回复前，您只能发送一条消息" in page
    assert "在吗？</textarea>" in page  # the typed text is kept
    say(talent["python"].owner, conversation, "您好，方便的。")
    assert client.post(f"/chat/{conversation.pk}/send/", {"text": "好的"}).status_code == 302
    assert conversation.messages.count() == 3


def test_talent_card_refusals_come_back_onto_the_search_page(
        talent: dict[str, Resume], recruiter: Any, posting: Any, settings: Any) -> None:
    client = _client(recruiter)
    fields = _card_form(client.get(TALENT).content.decode())
    # The seeker closed the résumé to recruiters after the search: not open to contact.
    Resume.objects.filter(pk=talent["python"].pk).update(visibility=Visibility.APPLIED_ONLY)
    refused = client.post("/chat/start/talent/", fields, follow=True)
    assert refused.redirect_chain[-1][0] == fields["back"]
    assert fields["back"].startswith("/talent/?q=")
    assert "该求职者暂未开放沟通" in refused.content.decode()
    assert not Conversation.objects.exists()
    # Open again, but the recruiter's new conversations for today are used up.
    Resume.objects.filter(pk=talent["python"].pk).update(visibility=Visibility.PUBLIC)
    settings.CHAT_RECRUITER_NEW_CONVERSATIONS_PER_DAY = 0
    limited = client.post("/chat/start/talent/", fields, follow=True)
    assert "您今天发起的新沟通已达上限（0 个）" in limited.content.decode()
    # A forged résumé id or no posting: a clear message, no conversation.
    forged = client.post("/chat/start/talent/", {**fields, "resume": "not-a-uuid"}, follow=True)
    assert "没有找到该求职者。" in forged.content.decode()
    unchosen = client.post("/chat/start/talent/", {**fields, "posting": ""}, follow=True)
    assert "请选择要沟通的职位。" in unchosen.content.decode()
    assert not Conversation.objects.exists()


def test_no_chat_button_for_a_member_who_may_not_chat(
        talent: dict[str, Resume], make_user: Any, employer: Any, posting: Any) -> None:
    """The talent page needs 「查看简历」; chat needs the owner role or 「沟通」. A searcher
    without the chat permission sees the cards without 「立即沟通」."""
    from pinqiao.core.permissions import Role
    from pinqiao.orgs.models import Membership

    member = make_user(role=Role.RECRUITER, display_name="只看简历")
    Membership.objects.create(organisation=employer, user=member, can_view_resumes=True,
                              can_chat=False)
    html = _client(member).get(TALENT).content.decode()
    assert "找到 1 份简历" in html and "/chat/start/talent/" not in html


def test_the_application_page_opens_a_chat_with_the_applicant(
        recruiter: Any, seeker: Any, posting: Any) -> None:
    application = app_testing.applied(seeker, posting)
    client = _client(recruiter)
    html = client.get(f"/recruiter/applications/{application.pk}/").content.decode()
    form = re.search(r'<form method="post" action="(/chat/start/\d+/)".*?</form>', html, re.S)
    assert form is not None and "立即沟通" in form[0]
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form[0]))
    assert fields["seeker"] == str(seeker.pk)
    opened = client.post(form[1], fields)
    conversation = Conversation.objects.get(seeker=seeker, posting=posting)
    assert opened["Location"] == f"/chat/{conversation.pk}/"
    thread = client.get(opened["Location"]).content.decode()
    assert seeker.display_name in thread and 'id="chat-composer"' in thread
