"""In Chromium at a phone size (390×844) and at 1366×768 (issue 15): the seeker lands on the
seeker home, the recruiter on the 工作台 and triages applicants by their cards; an agency without
a client authorisation is told on the form and keeps its input. Screenshots of each page at both
sizes go to ``docs/screenshots/`` for the README."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from pinqiao.applications.testing import applied, reinstall_data_migrations
from pinqiao.core.tests.browser.fixtures import login_password
from pinqiao.jobs.testing import published_posting
from pinqiao.orgs import testing as org_testing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[4] / "docs" / "screenshots"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 768}}


@pytest.fixture
def posting(recruiter: Any, org_reviewer: Any, settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    reinstall_data_migrations()
    employer = org_testing.verified_employer(recruiter, org_reviewer)
    return published_posting(recruiter, employer)


def _shoot(page: Page, name: str, focus: str = "main") -> None:
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.locator(focus).first.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"{name}-{size}.png"), full_page=False)
    page.set_viewport_size(SIZES["phone"])


def test_each_role_lands_on_its_workspace_and_triages_by_cards(
        browser: Browser, live_server: Any, seeker: Any, recruiter: Any, posting: Any) -> None:
    applied(seeker, posting)
    for user, login, name in ((seeker, seeker.test_phone, "seeker-home"),
                              (recruiter, recruiter.email, "recruiter-workbench")):
        context = browser.new_context(base_url=live_server.url, locale="en-US",
                                      viewport=SIZES["phone"])
        page = context.new_page()
        login_password(page, login)
        page.goto("/")
        if user is seeker:
            expect(page.locator("#ws-applications")).to_contain_text(posting.title)
        else:
            expect(page.get_by_role("heading", name="工作台", exact=True)).to_be_visible()
            expect(page.locator("#ws-new-applicants")).to_contain_text("新投递（1）")
        _shoot(page, name)
        if user is recruiter:
            page.goto("/recruiter/applications/")
            card = page.locator(".candidate-card").first
            expect(card).to_be_visible()
            expect(card).to_contain_text("年经验")
            expect(card).to_contain_text("期望：12000–18000 元/月")
            _shoot(page, "applicant-cards", ".candidate-card")
        context.close()


def test_an_agency_without_an_authorisation_is_told_on_the_form(
        page: Page, live_server: Any, make_user: Any, org_reviewer: Any, settings: Any,
        tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    reinstall_data_migrations()
    owner = make_user(role="recruiter", display_name="代招顾问", email="agency@test.example")
    org_testing.verified_agency(owner, org_reviewer)
    page.set_viewport_size(SIZES["phone"])
    login_password(page, owner.email)
    page.goto("/recruiter/jobs/new/")
    page.get_by_label("招聘方式").select_option("agency")
    page.get_by_label("职位名称").fill("酒店前台（代招）")
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("#refusal")).to_contain_text("委托证明")
    expect(page.get_by_role("link", name="登记委托单位并上传委托证明")).to_be_visible()
    expect(page.get_by_label("职位名称")).to_have_value("酒店前台（代招）")
