"""The help centre (TKT-8, TKT-7 on tickets) in Chromium, on a phone-sized screen:

customer service publishes an FAQ entry through the editor; a visitor finds it with the search;
a seeker's empty question comes back onto the form with the input kept, the complete one opens a
ticket with a screenshot; the agent takes it from the queue, inserts a canned answer, edits it
and sends it closing the ticket; the seeker sees the answer and the notification, and rates the
handling once.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Browser, Page, expect

from pinqiao.core.tests.browser.fixtures import login_password, login_staff, new_page
from pinqiao.orgs.testing import PNG_BYTES
from pinqiao.tickets.models import CannedAnswer, SupportTicket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def help_centre(settings: Any, tmp_path: Any) -> None:
    """Transactional tests flush the tables: reinstall the help centre's templates and FAQ."""
    settings.MEDIA_ROOT = tmp_path / "media"
    importlib.import_module("pinqiao.tickets.migrations.0004_helpcentre_defaults").forward(
        django_apps, None)
    CannedAnswer.objects.create(title="验证码排查", category="account",
                                body="请检查手机的短信拦截设置，或改用语音验证码。")


def test_faq_ticket_canned_answer_and_rating(page: Page, browser: Browser, live_server: Any,
                                             seeker: Any, customer_service: Any,
                                             help_centre: None) -> None:
    login_password(page, seeker.test_phone)
    agent = new_page(browser, live_server, width=390, height=844)
    login_staff(agent, customer_service)

    # Customer service publishes a new FAQ entry through the editor.
    agent.goto("/staff/help/faq/new/")
    agent.get_by_label("分类").select_option(label="账号与登录")
    agent.get_by_label("问题").fill("收不到短信验证码怎么办？")
    agent.get_by_label("解答").fill("请确认手机号无误、未开启短信拦截；仍收不到可改用语音验证码。")
    agent.get_by_role("button", name="保存").click()
    expect(agent.locator("body")).to_contain_text("收不到短信验证码怎么办？")

    # A visitor finds it with the search.
    visitor = new_page(browser, live_server, width=390, height=844)
    visitor.goto("/help/")
    visitor.get_by_role("searchbox", name="搜索常见问题").fill("验证码")
    visitor.get_by_role("button", name="搜索").click()
    entry = visitor.locator("details.faq-entry", has_text="收不到短信验证码怎么办？")
    entry.locator("summary").click()
    expect(entry).to_contain_text("语音验证码")

    # The seeker's question without a subject comes back with the input kept.
    page.goto("/help/tickets/new/")
    page.get_by_label("问题分类").select_option("account")
    page.get_by_label("问题描述").fill("注册时手机一直收不到短信验证码。")
    page.get_by_role("button", name="提交工单").click()
    expect(page.locator("body")).to_contain_text("标题")
    expect(page.get_by_label("问题描述")).to_have_value("注册时手机一直收不到短信验证码。")
    assert not SupportTicket.objects.exists()
    page.get_by_label("标题").fill("收不到验证码")
    page.get_by_label("附件（PDF、PNG、JPEG，最多 5 个）").set_input_files(
        {"name": "截图.png", "mimeType": "image/png", "buffer": PNG_BYTES})
    page.get_by_role("button", name="提交工单").click()
    ticket = SupportTicket.objects.get()
    expect(page.locator("h1")).to_have_text("收不到验证码")
    expect(page.locator("body")).to_contain_text(ticket.reference)
    expect(page.get_by_role("link", name="截图.png")).to_be_visible()

    # The agent takes it from the queue, inserts the canned answer, edits it, sends and closes.
    agent.goto("/staff/help/tickets/")
    agent.get_by_role("link", name=ticket.reference).click()
    agent.get_by_label("常用回复").select_option(label="验证码排查")
    agent.get_by_role("button", name="插入常用回复").click()
    body = agent.get_by_label("回复内容（可修改后发送）")
    expect(body).to_have_value("请检查手机的短信拦截设置，或改用语音验证码。")
    body.fill("您好，请检查手机的短信拦截设置，或改用语音验证码；仍有问题请回复本工单。")
    agent.get_by_label("回复后关闭工单").check()
    agent.get_by_role("button", name="发送回复").click()
    expect(agent.locator("body")).to_contain_text("仍有问题请回复本工单")

    # The seeker sees the answer and its notification, then rates the handling once.
    page.goto(f"/help/tickets/{ticket.pk}/")
    expect(page.locator("body")).to_contain_text("仍有问题请回复本工单")
    expect(page.locator("body")).to_contain_text("已关闭")
    page.goto("/inbox/")
    expect(page.locator("body")).to_contain_text(f"客服回复了您的工单 {ticket.reference}")
    page.goto(f"/help/tickets/{ticket.pk}/")
    for label, score in (("总体满意度", "5"), ("处理流程", "5"), ("处理效率", "4"),
                         ("处理结果", "5"), ("服务态度", "5")):
        page.get_by_label(label).select_option(score)
    page.get_by_label("意见建议").fill("回复很快")
    page.get_by_role("button", name="提交评价").click()
    expect(page.locator("#ticket-rating")).to_be_visible()
    expect(page.get_by_role("button", name="提交评价")).to_have_count(0)
    ticket.refresh_from_db()
    assert ticket.status == "closed" and ticket.rating.efficiency == 4
    agent.context.close()
    visitor.context.close()
