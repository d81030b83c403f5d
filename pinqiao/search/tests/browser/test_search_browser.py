"""SRCH-1 in Chromium on a phone-sized screen: 「Java 广州」 with a pay filter finds the right
postings, words marked; a posting a reviewer removes is gone on the next request."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Page, expect

from pinqiao.core.permissions import Role
from pinqiao.jobs import services
from pinqiao.jobs.testing import published_posting
from pinqiao.jobs.tests.fixtures import otp_verified
from pinqiao.notifications.defaults import install
from pinqiao.orgs import testing as org_testing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

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


def test_java_guangzhou_with_a_pay_filter_finds_the_right_postings(
        page: Page, recruiter: Any, reviewer: Any, employer: Any, search_index: Any) -> None:
    # Committed postings reach the index through the outbox and the (immediate) task.
    right = published_posting(recruiter, employer, **BASE, title="Java开发工程师",
                              work_content="负责招聘平台后端接口的开发和维护。",
                              pay_min="15000", pay_max="22000")
    cheap = published_posting(recruiter, employer, **BASE, title="Java实习生",
                              work_content="协助导师完成内部工具开发，学习代码规范。",
                              pay_min="4000", pay_max="5000", employment_type="internship")
    shenzhen = published_posting(recruiter, employer, **BASE, title="高级Java工程师",
                                 work_content="负责支付系统核心模块的设计。",
                                 division_code="440305", address="南山区科技园1号",
                                 pay_min="16000", pay_max="24000")
    page.goto("/jobs/")
    page.get_by_label("关键词").fill("Java 广州")
    page.get_by_role("button", name="搜索").click()
    page.get_by_role("button", name="筛选").click()
    page.get_by_label("薪资").select_option("month:12000-20000")
    page.get_by_role("button", name="应用筛选").click()

    results = page.locator("article.posting-card")
    expect(results).to_have_count(1)
    expect(results.first.get_by_role("link")).to_have_attribute("href", f"/jobs/{right.pk}/")
    expect(results.first.locator("h2 mark")).to_have_text("Java")
    expect(page.get_by_text("找到 1 个职位")).to_be_visible()
    for other in (cheap, shenzhen):
        expect(page.locator(f"a[href='/jobs/{other.pk}/']")).to_have_count(0)

    services.posting_remove(actor=otp_verified(reviewer), posting=right, reason_code="fraud")
    page.reload()
    expect(page.locator("article.posting-card")).to_have_count(0)
    expect(page.get_by_text("没有找到符合条件的职位")).to_be_visible()
