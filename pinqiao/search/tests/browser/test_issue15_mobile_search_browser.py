"""Issue 15 in Chromium at a phone size (390×844): a seeker searches, opens the filter sheet,
applies a pay band, the sheet closes, a removable chip shows the filter, and the first result
is on the first screen without scrolling; the controls are at least 44 px high."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Browser, expect

from pinqiao.core.permissions import Role
from pinqiao.core.tests.browser.fixtures import login_password
from pinqiao.jobs.testing import published_posting
from pinqiao.jobs.tests.fixtures import otp_verified
from pinqiao.notifications.defaults import install
from pinqiao.orgs import testing as org_testing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
BASE = {"job_function": "java_dev", "industry": "software", "education": "bachelor",
        "requirements": "本科及以上学历，熟悉Spring Boot和MySQL。"}


@pytest.fixture
def employer(recruiter: Any, make_user: Any, settings: Any, tmp_path: Any) -> Any:
    """Transactional tests flush the tables: reinstall the data migrations' rows first."""
    settings.MEDIA_ROOT = tmp_path / "media"
    importlib.import_module("pinqiao.orgs.migrations.0002_defaults").forward(django_apps, None)
    for module in ("pinqiao.notifications.migrations.0002_default_templates",
                   "pinqiao.jobs.migrations.0002_notification_templates",
                   "pinqiao.jobs.migrations.0003_in_review_template"):
        install(django_apps, importlib.import_module(module).ROWS)
    org_reviewer = otp_verified(make_user(role=Role.REVIEWER, phone=None,
                                          email="orgrev@test.example"))
    return org_testing.verified_employer(recruiter, org_reviewer)


def test_a_seeker_filters_on_a_phone_and_sees_a_result_on_the_first_screen(
        browser: Browser, live_server: Any, seeker: Any, recruiter: Any, employer: Any,
        search_index: Any) -> None:
    monthly = published_posting(recruiter, employer, **BASE, title="Java开发工程师",
                                work_content="负责招聘平台后端接口的开发和维护。",
                                pay_min="15000", pay_max="20000")
    daily = published_posting(recruiter, employer, **BASE, title="Java临时外包",
                              work_content="协助完成数据迁移脚本，按天结算。",
                              pay_min="700", pay_max="900", pay_unit="day")
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    login_password(page, seeker.test_phone)
    page.goto("/jobs/")
    page.get_by_label("关键词").fill("Java")
    page.get_by_role("button", name="搜索").click()
    expect(page.locator("article.posting-card")).to_have_count(2)

    sheet = page.get_by_role("dialog", name="筛选条件")
    expect(sheet).to_be_hidden()
    page.get_by_role("button", name="筛选").click()
    expect(sheet).to_be_visible()
    sheet.get_by_label("薪资").select_option("month:12000-20000")
    sheet.get_by_role("button", name="应用筛选").click()

    expect(sheet).to_be_hidden()
    chip = page.get_by_role("link", name="移除筛选条件：月薪 1.2万-2万")
    expect(chip).to_be_visible()
    cards = page.locator("article.posting-card")
    expect(cards).to_have_count(1)  # 日薪 700–900 (≈ 17,400 a month) is not a monthly job
    expect(cards.first).to_contain_text("15000–20000 元/月")
    box = cards.first.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    for control in (chip, page.get_by_role("button", name="筛选（1）"),
                    cards.first.get_by_role("link", name="Java开发工程师")):
        assert control.bounding_box()["height"] >= 44, control

    chip.click()
    expect(page.get_by_role("link", name="移除筛选条件：月薪 1.2万-2万")).to_have_count(0)
    expect(page.locator("article.posting-card")).to_have_count(2)
    expect(page.get_by_label("关键词")).to_have_value("Java")
    expect(page.locator(f"a[href='/jobs/{daily.pk}/']")).to_contain_text("Java临时外包")
    expect(page.locator(f"a[href='/jobs/{monthly.pk}/']")).to_be_visible()
    context.close()
