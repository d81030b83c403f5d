"""The issue's acceptance test in Chromium (ANA-2): an operator has the live page open, a
recruiter publishes a posting (through the posting service, as the recruiter's own request
would), and the operator's page shows it without a reload. The dashboard draws its charts
under the CSP (ANA-1)."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from playwright.sync_api import Page, expect

from pinqiao.analytics.rollup import rollup_day
from pinqiao.applications.testing import reinstall_data_migrations
from pinqiao.core.permissions import Role
from pinqiao.core.tests.browser.fixtures import login_staff
from pinqiao.jobs.testing import published_posting
from pinqiao.orgs import testing as org_testing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def employer(recruiter: Any, make_user: Any, settings: Any, tmp_path: Any) -> Any:
    """Transactional tests flush the tables: reinstall the data migrations' rows first."""
    settings.MEDIA_ROOT = tmp_path / "media"
    importlib.import_module("pinqiao.orgs.migrations.0002_defaults").forward(django_apps, None)
    reinstall_data_migrations()
    org_reviewer = make_user(role=Role.REVIEWER, phone=None, email="orgrev@test.example")
    org_reviewer.is_verified = lambda: True
    return org_testing.verified_employer(recruiter, org_reviewer)


def test_the_live_page_shows_a_new_posting_without_reload(page: Page, operator: Any,
                                                          recruiter: Any, employer: Any) -> None:
    published_posting(recruiter, employer, title="夜班仓管员")
    login_staff(page, operator)
    page.goto("/staff/analytics/live/")
    expect(page.locator("#live-published-today")).to_have_text("1")
    expect(page.locator("#live-latest")).to_contain_text("夜班仓管员")
    page.evaluate("window.__sameDocument = true")

    published_posting(recruiter, employer, title="冷链配送司机",
                      work_content="负责冷链车辆配送，按线路送货并做好交接签收。")

    expect(page.locator("#live-latest")).to_contain_text("冷链配送司机", timeout=20_000)
    expect(page.locator("#live-published-today")).to_have_text("2")
    assert page.evaluate("window.__sameDocument") is True, "the page was not reloaded"
    expect(page.locator("#chart-per-minute svg")).to_have_count(1)


def test_the_dashboard_draws_its_charts(page: Page, operator: Any, recruiter: Any,
                                        employer: Any) -> None:
    published_posting(recruiter, employer)
    rollup_day(timezone.localdate())
    login_staff(page, operator)
    page.goto("/staff/analytics/")
    expect(page.locator("#chart-trend")).to_have_attribute("data-rendered", "true")
    expect(page.locator("#chart-funnel svg")).to_have_count(1)
    page.get_by_text("趋势：数据表").click()
    expect(page.locator("#table-trend")).to_be_visible()
    page.get_by_label("开始日期").fill("2026-05-10")
    page.get_by_label("结束日期").fill("2026-05-01")
    page.get_by_role("button", name="查看").click()
    expect(page.get_by_role("alert").first).to_contain_text("开始日期晚于结束日期")
    expect(page.get_by_label("开始日期")).to_have_value("2026-05-10")
