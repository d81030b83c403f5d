"""SRCH-3 in Chromium on a phone-sized screen: a seeker saves 「叉车 广州」 as an instant alert,
a matching posting is published and the alert is in the inbox; then 「我的订阅」: rename,
pause, delete."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Page, expect

from pinqiao.core.permissions import Role
from pinqiao.core.tests.browser.fixtures import login_password
from pinqiao.jobs.testing import published_posting
from pinqiao.jobs.tests.fixtures import otp_verified
from pinqiao.notifications.defaults import install
from pinqiao.orgs import testing as org_testing
from pinqiao.search.models import SavedSearch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FORKLIFT = {"title": "叉车司机", "job_function": "forklift_driver", "industry": "manufacturing",
            "requirements": "持有叉车证，能吃苦耐劳。", "education": "any", "experience": "any",
            "work_content": "负责仓库货物的装卸和搬运。", "pay_min": "6000", "pay_max": "7500"}


@pytest.fixture
def employer(recruiter: Any, make_user: Any, settings: Any, tmp_path: Any) -> Any:
    """Transactional tests flush the tables: reinstall the data migrations' rows first."""
    settings.MEDIA_ROOT = tmp_path / "media"
    importlib.import_module("pinqiao.orgs.migrations.0002_defaults").forward(django_apps, None)
    for module in ("pinqiao.notifications.migrations.0002_default_templates",
                   "pinqiao.jobs.migrations.0002_notification_templates",
                   "pinqiao.jobs.migrations.0003_in_review_template",
                   "pinqiao.search.migrations.0004_job_alert_templates"):
        install(django_apps, importlib.import_module(module).ROWS)
    org_reviewer = otp_verified(make_user(role=Role.REVIEWER, phone=None,
                                          email="orgrev@test.example"))
    return org_testing.verified_employer(recruiter, org_reviewer)


def test_a_seeker_subscribes_gets_an_instant_alert_and_manages_the_subscription(
        page: Page, seeker: Any, recruiter: Any, employer: Any, search_index: Any) -> None:
    login_password(page, seeker.test_phone)
    page.goto("/jobs/")
    page.get_by_label("关键词").fill("叉车 广州")
    page.get_by_role("button", name="搜索").click()
    expect(page.get_by_text("没有找到符合条件的职位")).to_be_visible()

    page.get_by_label("新职位提醒").select_option("instant")
    page.get_by_role("button", name="保存搜索 / 订阅职位提醒").click()
    expect(page.get_by_text("已订阅「叉车 广州」")).to_be_visible()
    expect(page.locator("#save-search")).to_contain_text("即时提醒")

    # Committed: the indexer and the matcher run on commit (the immediate task backend).
    posting = published_posting(recruiter, employer, **FORKLIFT)
    page.get_by_role("link", name="消息").click()
    alert = page.locator("article", has_text="有 1 个新职位符合您的订阅")
    expect(alert).to_contain_text("叉车司机｜")
    alert.get_by_role("link", name="查看详情").click()
    expect(page.locator(f"a[href='/jobs/{posting.pk}/']")).to_be_visible()

    page.get_by_role("link", name="我的订阅", exact=True).click()
    card = page.locator("article.saved-search")
    expect(card).to_contain_text("叉车 广州")
    card.get_by_label("名称").fill("广州叉车夜班")
    card.get_by_role("button", name="重命名").click()
    expect(page.get_by_text("已重命名为「广州叉车夜班」")).to_be_visible()
    page.locator("article.saved-search").get_by_role("button", name="暂停提醒").click()
    expect(page.locator("article.saved-search")).to_contain_text("已暂停")
    assert SavedSearch.objects.get().frequency == "off"

    page.locator("article.saved-search summary", has_text="删除订阅").click()
    page.get_by_role("button", name="确认删除").click()
    expect(page.get_by_text("已删除订阅「广州叉车夜班」")).to_be_visible()
    expect(page.locator("article.saved-search")).to_have_count(0)
    assert not SavedSearch.objects.exists()
