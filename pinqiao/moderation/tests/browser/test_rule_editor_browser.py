"""MOD-6 in Chromium: staff add words, see the replay's precision and recall, publish, and the
next screening uses the new version."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from pinqiao.core.tests.browser.fixtures import login_staff
from pinqiao.moderation.models import RuleSet
from pinqiao.moderation.services import screen_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_add_words_replay_and_publish(page: Page, operator: Any) -> None:
    assert screen_text(text="招聘兼职，每天点赞就能领奖励金").decision == "pass"
    login_staff(page, operator)
    page.goto("/staff/rules/")
    page.get_by_role("link", name="基于生效版本新建").click()
    page.get_by_label("版本号").fill("2026.12.browser")
    page.get_by_label("变更说明").fill("新增诈骗话术")
    page.get_by_label("加词类别").select_option("fraud")
    page.get_by_label("新增词（每行一个）").fill("点赞就能领奖励金")
    page.get_by_role("button", name="保存草稿并回放").click()
    expect(page.get_by_role("heading", name="规则版本 2026.12.browser")).to_be_visible()
    expect(page.locator("#acc-before")).not_to_be_empty()
    expect(page.get_by_text("结论变化 1 条")).to_be_visible()
    page.get_by_role("button", name="发布为生效版本").click()
    expect(page.get_by_text("已生效")).to_be_visible()
    assert RuleSet.objects.get(status="live").version == "2026.12.browser"
    assert screen_text(text="招聘兼职，每天点赞就能领奖励金").decision == "reject"
