"""In Chromium at a phone size (390×844) and at 1366×768 (issue 15): the seeker lands on the
seeker home, the recruiter on the 工作台 and triages applicants by their cards (sorted by
experience, filtered by education); an agency without a client authorisation is told on the
form and keeps its input. Each page is captured at both sizes; with ``PINQIAO_SCREENSHOTS=1``
the captures are written to ``docs/screenshots/`` for the README (a plain test run leaves the
working tree unchanged)."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from pinqiao.applications import services as application_services
from pinqiao.applications.testing import applied, reinstall_data_migrations
from pinqiao.core.tests.browser.fixtures import login_password
from pinqiao.disclosure import demo as disclosure_demo
from pinqiao.jobs.testing import published_posting
from pinqiao.orgs import testing as org_testing
from pinqiao.resumes import services as resume_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[4] / "docs" / "screenshots"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 768}}
WRITE_SHOTS = os.environ.get("PINQIAO_SCREENSHOTS") == "1"


@pytest.fixture
def posting(recruiter: Any, org_reviewer: Any, settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    reinstall_data_migrations()
    employer = org_testing.verified_employer(recruiter, org_reviewer)
    return published_posting(recruiter, employer)


def _shoot(page: Page, name: str, focus: str = "main") -> None:
    """Capture the page at both sizes: to ``docs/screenshots/`` when PINQIAO_SCREENSHOTS=1,
    else in memory only (the page must still render at both sizes)."""
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.locator(focus).first.scroll_into_view_if_needed()
        png = page.screenshot(full_page=False)
        assert png.startswith(b"\x89PNG")
        if WRITE_SHOTS:
            (SHOTS / f"{name}-{size}.png").write_bytes(png)
    page.set_viewport_size(SIZES["phone"])


def _experienced_applicant(make_user: Any, posting: Any) -> Any:
    """A second applicant: a master's degree and a career started in 2010 (技术经理)."""
    other = make_user(role="seeker", display_name="李晓华")
    resume = resume_services.resume_ensure(owner=other)
    resume_services.resume_update(actor=other, resume=resume, data={
        "full_name": "李晓华", "gender": "female", "birth_date": "1988-04-02",
        "desired_function": "python_dev", "desired_city": "440100",
        "desired_employment_type": "full_time", "desired_pay_min": "25000",
        "desired_pay_max": "32000", "self_introduction": "十五年后端开发经验，带过十人团队。",
        "skills": "Python，系统设计"})
    resume_services.resume_contact_set(actor=other, resume=resume, phone="13912340000")
    resume_services.entry_add(actor=other, resume=resume, kind="education", data={
        "school": "中山大学", "major": "计算机科学", "degree": "master",
        "start_date": "2007-09", "end_date": "2010-06"})
    resume_services.entry_add(actor=other, resume=resume, kind="work", data={
        "company": "广州某软件有限公司", "title": "技术经理", "start_date": "2010-07",
        "end_date": "", "description": "负责后端团队的技术方案。"})
    assert resume_services.resume_submit(actor=other, resume=resume).review_status == "approved"
    return application_services.application_submit(
        seeker=other, posting_id=posting.pk, answers={}, resume_consent=True,
        contact_consent=False)


def test_each_role_lands_on_its_workspace_and_triages_by_cards(
        browser: Browser, live_server: Any, seeker: Any, recruiter: Any, posting: Any,
        make_user: Any) -> None:
    applied(seeker, posting)
    _experienced_applicant(make_user, posting)
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
            expect(page.locator("#ws-new-applicants")).to_contain_text("新投递（2）")
        _shoot(page, name)
        if user is recruiter:
            page.goto("/recruiter/applications/")
            cards = page.locator(".candidate-card")
            expect(cards).to_have_count(2)
            expect(cards.first).to_be_visible()
            expect(page.locator("table")).to_contain_text("期望：12000–18000 元/月")
            expect(page.locator("table")).not_to_contain_text("13912340000")
            _shoot(page, "applicant-cards", ".candidate-card")
            # Triage: the longest career first, then only master's degrees and above.
            page.get_by_label("排序").select_option(label="经验从多到少")
            page.get_by_role("button", name="筛选", exact=True).click()
            expect(cards.first).to_contain_text("技术经理 · 广州某软件有限公司")
            expect(cards.first).to_contain_text("硕士")
            expect(cards.nth(1)).to_contain_text("Python开发工程师")
            page.get_by_label("最低学历").select_option(label="硕士")
            page.get_by_role("button", name="筛选", exact=True).click()
            expect(cards).to_have_count(1)
            expect(cards.first).to_contain_text("技术经理")
            expect(page.get_by_label("排序")).to_have_value("experience")
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
    expect(page.get_by_label("招聘方式")).to_have_value("agency")


OVERFLOWING = """() => [...document.querySelectorAll('.panel-licence, .panel-licence dd')]
    .filter(el => el.scrollWidth > el.clientWidth + 1
                  || el.getBoundingClientRect().right > innerWidth + 1)
    .map(el => el.textContent.trim().slice(0, 40))"""


def test_the_licence_card_fits_on_a_phone_and_a_desktop(
        page: Page, live_server: Any, seeker: Any, settings: Any, tmp_path: Any) -> None:
    """Issue 15: the credit code overflowed the 「许可及监管」 card."""
    settings.MEDIA_ROOT = tmp_path / "media"
    disclosure_demo.load(io.StringIO())
    login_password(page, seeker.test_phone)
    for viewport in SIZES.values():
        page.set_viewport_size(viewport)
        page.goto("/")
        expect(page.locator(".panel-licence")).to_contain_text("统一社会信用代码")
        assert page.evaluate(OVERFLOWING) == [], viewport
