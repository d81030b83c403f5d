"""The issue's acceptance tests in Chromium: turning personalisation off changes the
recommendations on the next load (REC-2), personalised candidates coming from the search
index; the bias report page renders its chart under the CSP (ALG-1)."""

from __future__ import annotations

import importlib
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from playwright.sync_api import Page, expect

from pinqiao.core.permissions import Role
from pinqiao.core.tests.browser.fixtures import login_password, login_staff
from pinqiao.notifications.defaults import install
from pinqiao.orgs import testing as org_testing
from pinqiao.recommendations import services, testing
from pinqiao.resumes.models import Resume
from pinqiao.resumes.testing import complete_resume

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def postings(recruiter: Any, make_user: Any, settings: Any, tmp_path: Any,
             search_index: Any) -> dict:
    """Transactional tests flush the tables: reinstall the data migrations' rows first. The
    postings reach this test's own index through the outbox and the (immediate) task."""
    settings.MEDIA_ROOT = tmp_path / "media"
    importlib.import_module("pinqiao.orgs.migrations.0002_defaults").forward(django_apps, None)
    for module in ("pinqiao.notifications.migrations.0002_default_templates",
                   "pinqiao.jobs.migrations.0002_notification_templates",
                   "pinqiao.jobs.migrations.0003_in_review_template",
                   "pinqiao.recommendations.migrations.0003_notification_templates"):
        install(django_apps, importlib.import_module(module).ROWS)
    org_reviewer = make_user(role=Role.REVIEWER, phone=None, email="orgrev@test.example")
    org_reviewer.is_verified = lambda: True
    employer = org_testing.verified_employer(recruiter, org_reviewer)
    made = testing.live_postings(recruiter, employer)
    assert search_index() == 0  # already applied on commit
    return made


def _titles(page: Page) -> list[str]:
    return page.locator("#recommendations h2 a").all_inner_texts()


def test_turning_personalisation_off_changes_the_next_load(page: Page, seeker: Any,
                                                          postings: dict) -> None:
    complete_resume(seeker)
    login_password(page, seeker.test_phone)
    page.goto("/me/recommendations/")
    switch = page.get_by_role("switch")
    expect(switch).to_have_attribute("aria-checked", "false")
    expect(page.locator("#recommendation-mode")).to_have_text("非个性化推荐")

    # The switch submits a form (POST, then a redirect to this page): wait for that page
    # before reading or reloading it.
    with page.expect_navigation(url="**/me/recommendations/"):
        switch.click()
    expect(page.get_by_role("switch")).to_have_attribute("aria-checked", "true")
    expect(page.locator("#recommendations .reasons").first).to_contain_text("城市匹配：广州")
    personalised = _titles(page)
    assert personalised[0] == "Java开发工程师" and "Java后端开发" in personalised

    with page.expect_navigation(url="**/me/recommendations/"):
        page.get_by_role("switch").click()
    expect(page.get_by_role("switch")).to_have_attribute("aria-checked", "false")
    page.reload()
    expect(page.get_by_role("switch")).to_have_attribute("aria-checked", "false")
    expect(page.locator("#recommendation-mode")).to_have_text("非个性化推荐")
    expect(page.locator("#recommendations .reasons").first).to_contain_text("非个性化推荐")
    assert _titles(page) != personalised
    assert "Java后端开发" not in _titles(page)  # 深圳: not the résumé's city


def test_the_bias_report_page_renders_its_chart(page: Page, make_user: Any, auditor: Any,
                                               postings: dict) -> None:
    shown = list(postings.values())
    for gender, each in (("male", 10), ("female", 3)):
        for _ in range(3):
            user = make_user(role=Role.SEEKER)
            Resume.objects.create(owner=user, gender=gender, desired_city="440100")
            services.exposures_log(surface="recommendation", seeker=user,
                                   postings=(shown * 2)[:each])
    services.bias_report_run(now=timezone.now() + timedelta(seconds=1), min_exposures=5)
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text)
            if message.type == "error" else None)
    login_staff(page, auditor)
    page.goto("/staff/bias/")
    expect(page.get_by_role("heading", name="算法偏差监测")).to_be_visible()
    expect(page.locator("#bias-flags")).to_contain_text("职位推荐 · 性别 · 女")
    chart = page.locator("#chart-recommendation")
    expect(chart).to_have_attribute("data-rendered", "true")
    expect(chart.locator("svg")).to_have_count(1)
    expect(chart.locator("svg text", has_text="性别·女")).to_have_count(1)
    assert problems == []
