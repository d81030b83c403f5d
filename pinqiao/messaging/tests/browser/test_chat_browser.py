"""Issue 12's Chromium test: two (then three) browser contexts on a live ASGI server with the
chat WebSocket (``live_asgi.py``).

A seeker taps 「立即沟通」 on a posting; the recruiter, with the thread open, sees the message
arrive without reloading and answers, and the seeker sees the answer without reloading. The
recruiter asks for a deposit: the seeker receives it masked with a safety tip that names the
risk. The seeker asks for 「交换电话」 and the recruiter accepts: both pages show the same
virtual number and neither shows either real phone number. The seeker blocks the organisation:
a second member of it opens the thread and cannot write — a neutral refusal on the page, the
typed text kept, nothing delivered."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Browser, Page, expect

from pinqiao.applications.testing import reinstall_data_migrations
from pinqiao.core.tests.browser.fixtures import login_password
from pinqiao.messaging.tests.browser.live_asgi import live_asgi
from pinqiao.notifications.defaults import install
from pinqiao.orgs import testing as org_testing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def employer(recruiter: Any, org_reviewer: Any) -> Any:
    """An earlier transactional test flushed the data migrations' rows (the legal documents an
    organisation accepts, the notification templates): put them back before registering."""
    reinstall_data_migrations()
    install(django_apps, importlib.import_module(
        "pinqiao.messaging.migrations.0002_notification_templates").ROWS)
    return org_testing.verified_employer(recruiter, org_reviewer)


def _context(browser: Browser, url: str) -> Page:
    page = browser.new_context(base_url=url, locale="zh-CN",
                               viewport={"width": 412, "height": 900}).new_page()
    page.set_default_timeout(15_000)
    return page


def _send(page: Page, text: str) -> None:
    page.get_by_label("消息").fill(text)
    page.locator("#chat-composer").get_by_role("button", name="发送").click()


def _thread(page: Page) -> Any:
    return page.locator("#chat-thread")


def test_two_people_chat_live_with_tips_virtual_numbers_and_a_block(
        browser: Browser, tmp_path: Path, seeker: Any, recruiter: Any, colleague: Any,
        posting: Any) -> None:
    real_phones = [seeker.test_phone, recruiter.test_phone, colleague.test_phone]

    with live_asgi(tmp_path) as url:
        # The seeker taps 「立即沟通」 on the posting page: the thread opens.
        me = _context(browser, url)
        login_password(me, seeker.test_phone)
        me.goto(f"/jobs/{posting.pk}/")
        me.get_by_role("button", name="立即沟通").click()
        me.wait_for_url(re.compile(r"/chat/\d+/$"))
        thread_url = me.url.removeprefix(url)

        # The recruiter opens the (empty) thread from the conversation list.
        hr = _context(browser, url)
        login_password(hr, recruiter.email)
        hr.goto("/chat/")
        hr.get_by_role("link", name=re.compile(posting.title)).click()
        hr.wait_for_url(f"**{thread_url}")

        # The seeker writes; the recruiter's open page shows it without reloading, and answers.
        _send(me, "您好，请问这个职位还在招人吗？")
        expect(_thread(hr)).to_contain_text("您好，请问这个职位还在招人吗？")
        _send(hr, "您好，还在招，欢迎周三来面谈。")
        expect(_thread(me)).to_contain_text("您好，还在招，欢迎周三来面谈。")

        # A deposit request reaches the seeker masked, with a tip naming the risk (DISC-6).
        _send(hr, "入职前需要先交500元押金才能安排上岗。")
        deposit = _thread(me).locator("li").filter(has_text="才能安排上岗")
        expect(deposit).to_have_count(1)
        expect(deposit.locator(".chat-bubble")).to_contain_text("＊")
        expect(deposit.locator(".chat-bubble")).not_to_contain_text("押金")
        expect(deposit.locator(".chat-tip")).to_contain_text("押金")
        expect(deposit.locator(".chat-tip")).to_contain_text("请勿转账")
        # The recruiter sees the same masked text and no tip (tips are the seeker's).
        hr_deposit = _thread(hr).locator("li").filter(has_text="才能安排上岗")
        expect(hr_deposit.locator(".chat-bubble")).to_contain_text("＊")
        expect(hr_deposit.locator(".chat-tip")).to_have_count(0)

        # 「交换电话」: the seeker asks, the recruiter accepts; both get one virtual number.
        me.get_by_text("更多操作").click()
        me.get_by_role("button", name="交换电话").click()
        expect(me.get_by_text("请求已发送，等待对方回应。")).to_be_visible()
        expect(_thread(hr)).to_contain_text("请求交换电话")
        hr.reload()
        hr.get_by_role("button", name="同意").click()
        expect(hr.get_by_text("已同意。")).to_be_visible()
        hr_number = hr.locator("[data-virtual-number]").first.inner_text()
        assert re.fullmatch(r"[\d-]{8,20}", hr_number)
        me.reload()
        expect(me.locator("[data-virtual-number]").first).to_have_text(hr_number)
        for page in (me, hr):
            content = page.content()
            for phone in real_phones:
                assert phone not in content
                assert f"{phone[:3]} {phone[3:7]} {phone[7:]}" not in content

        # The seeker blocks the organisation.
        me.get_by_text("更多操作").click()
        me.get_by_role("button", name="屏蔽该单位").click()
        expect(me.get_by_text("已屏蔽该单位，其所有招聘者都不能再给您发消息。")).to_be_visible()

        # A second member of the organisation opens the thread and cannot write.
        other = _context(browser, url)
        login_password(other, colleague.test_phone)
        other.goto(thread_url)
        expect(_thread(other)).to_contain_text("您好，请问这个职位还在招人吗？")
        _send(other, "您好，我是同事小王，想再问问您的情况。")
        expect(other.locator("#chat-error")).to_have_text("对方暂时无法接收您的消息。")
        expect(other.get_by_label("消息")).to_have_value("您好，我是同事小王，想再问问您的情况。")
        me.reload()
        expect(_thread(me)).not_to_contain_text("同事小王")
        expect(_thread(me)).to_contain_text("您好，还在招，欢迎周三来面谈。")
