"""SRCH-2 in Chromium on a phone-sized screen: a verified recruiter opens 「搜索人才」 from the
navigation, searches 「Python」 with a pay filter and sees one masked card; the seeker hides the
résumé and it is gone on the next load; another card opens the audited résumé page with the
contact details masked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from pinqiao.core.permissions import Role
from pinqiao.core.tests.browser.fixtures import login_password
from pinqiao.orgs import testing as org_testing
from pinqiao.privacy.models import ResumeAccess
from pinqiao.privacy.testing import install_data_rows, resume_for
from pinqiao.resumes.services import visibility_set
from pinqiao.search.services import index_rebuild
from pinqiao.search.talent import index as talent_index

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pool(seeker: Any, recruiter: Any, make_user: Any, settings: Any, tmp_path: Path,
         search_index: Any) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path / "media"
    install_data_rows()
    reviewer = make_user(role=Role.REVIEWER, phone=None, email="orgrev@test.example")
    reviewer.is_verified = lambda: True
    org_testing.verified_employer(recruiter, reviewer)
    python = resume_for(seeker, visibility="public", desired_function="python_dev",
                        desired_city="440100", desired_pay_min=12000, desired_pay_max=18000,
                        skills="Python，Django", self_introduction="五年 Python 后端开发。")
    java = resume_for(make_user(), visibility="public", desired_function="java_dev",
                      desired_city="440300", desired_pay_min=25000, desired_pay_max=35000,
                      skills="Java，Python", self_introduction="Java 架构，也写 Python 脚本。")
    index_rebuild(source=talent_index.SOURCE)  # resume_for writes with QuerySet.update
    return {"python": python, "java": java}


def test_a_recruiter_finds_masked_resumes_and_a_hidden_one_vanishes(
        page: Page, seeker: Any, recruiter: Any, pool: dict[str, Any]) -> None:
    login_password(page, recruiter.test_phone)
    page.goto("/")
    page.get_by_role("link", name="搜索人才").click()
    page.get_by_label("关键词").fill("Python")
    page.locator("summary", has_text="筛选条件").click()
    page.get_by_label("期望月薪").select_option("12000-20000")
    page.get_by_role("button", name="搜索").click()

    cards = page.locator("article.talent-card")
    expect(cards).to_have_count(1)
    expect(cards.first.locator("h2")).to_have_text("张* · Python开发")
    expect(cards.first.locator(".snippet mark")).to_have_text("Python")
    expect(page.get_by_text("找到 1 份简历")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("张三")
    expect(page.locator("main")).not_to_contain_text("138")

    visibility_set(actor=seeker, resume=pool["python"], visibility="hidden")
    page.reload()
    expect(page.locator("article.talent-card")).to_have_count(0)
    expect(page.get_by_text("没有找到符合条件的简历")).to_be_visible()

    page.get_by_label("期望月薪").select_option("")
    page.get_by_role("button", name="应用筛选").click()
    expect(cards).to_have_count(1)
    cards.first.get_by_role("link", name="查看简历").click()
    expect(page.locator("#contact-phone")).to_have_text("138****5678")
    assert ResumeAccess.objects.filter(resume=pool["java"], viewer=recruiter).count() == 1
