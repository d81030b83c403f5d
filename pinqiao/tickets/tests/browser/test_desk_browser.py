"""The issue's acceptance test in Chromium (TKT-1 … TKT-7, RISK-2, RISK-3):

a seeker complains about a posting that asked for a deposit; a handler accepts it and the
deadline shown skips the National Day holiday; the handler upholds it, the posting is removed
and the organisation warned citing the case; the recruiter sees the sanction and its evidence
but not who complained, and appeals; a second handler decides the appeal; the seeker sees the
result and rates the handling.
"""

from __future__ import annotations

import importlib
from datetime import datetime
from typing import Any

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Browser, Page, expect

from pinqiao.core.permissions import Role
from pinqiao.core.tests.browser.fixtures import login_password, login_staff
from pinqiao.interviews.workdays import CHINA
from pinqiao.jobs.models import PostingStatus
from pinqiao.jobs.testing import published_posting
from pinqiao.moderation.models import Sanction
from pinqiao.notifications.defaults import install
from pinqiao.orgs import testing as org_testing
from pinqiao.tickets.clock import clock_for
from pinqiao.tickets.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEMPLATE_MIGRATIONS = ("pinqiao.notifications.migrations.0002_default_templates",
                       "pinqiao.jobs.migrations.0002_notification_templates",
                       "pinqiao.jobs.migrations.0003_in_review_template",
                       "pinqiao.tickets.migrations.0002_notification_templates",
                       "pinqiao.risk.migrations.0002_templates_and_register")


@pytest.fixture
def posting(recruiter: Any, make_user: Any, settings: Any, tmp_path: Any) -> Any:
    """Transactional tests flush the tables: reinstall the data migrations' rows first."""
    settings.MEDIA_ROOT = tmp_path / "media"
    importlib.import_module("pinqiao.orgs.migrations.0002_defaults").forward(django_apps, None)
    for module in TEMPLATE_MIGRATIONS:
        install(django_apps, importlib.import_module(module).ROWS)
    org_reviewer = make_user(role=Role.REVIEWER, phone=None, email="orgrev@test.example")
    org_reviewer.is_verified = lambda: True
    employer = org_testing.verified_employer(recruiter, org_reviewer)
    return published_posting(recruiter, employer, title="门店导购")


def _staff_page(browser: Browser, live_server: Any, user: Any) -> Page:
    context = browser.new_context(base_url=live_server.url, locale="zh-CN",
                                  viewport={"width": 412, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    login_staff(page, user)
    return page


def test_a_complaint_goes_from_the_seeker_through_sanction_and_appeal_to_the_rating(
        page: Page, browser: Browser, live_server: Any, seeker: Any, recruiter: Any,
        make_user: Any, posting: Any) -> None:
    handler = make_user(role=Role.REVIEWER, phone=None, email="handler@test.example")
    handler2 = make_user(role=Role.REVIEWER, phone=None, email="handler2@test.example")

    # The seeker complains from the posting's page, with the target filled in.
    login_password(page, seeker.test_phone)
    page.goto(f"/jobs/{posting.pk}/")
    page.get_by_role("link", name="投诉此职位（可上传证据，7 个工作日内答复）").click()
    page.get_by_label("原因").select_option("fee_charging")
    page.get_by_label("投诉内容").fill("面试时要求先交800元押金，说入职后退还。")
    page.get_by_label("您的诉求").fill("下架职位并处理该单位")
    page.get_by_role("button", name="提交").click()
    case = Case.objects.get()
    expect(page.locator(".deadline")).to_contain_text(case.deadline.isoformat())

    # The case was received on the eve of National Day 2025 (1–8 Oct off, Sat 11 Oct worked).
    received = datetime(2025, 9, 30, 16, tzinfo=CHINA)
    clock = clock_for(received)
    Case.objects.filter(pk=case.pk).update(received_at=received, escalate_on=clock.escalate_on,
                                           deadline=clock.deadline)

    desk = _staff_page(browser, live_server, handler)
    desk.goto("/staff/cases/")
    desk.get_by_role("link", name=case.reference).click()
    desk.get_by_role("button", name="受理", exact=True).click()
    expect(desk.locator(".case-status")).to_have_text("已受理")
    expect(desk.locator(".deadline")).to_contain_text("2025-10-16")
    desk.get_by_label("结论").select_option("yes")
    desk.get_by_label("查明的事实（被投诉方可见，不得写入投诉人信息）").fill(
        "经电话核实，该单位在面试时要求求职者缴纳800元押金。")
    desk.get_by_label("处理结果（告知投诉人）").fill("投诉属实：职位已下架，已对该单位作出警告。")
    desk.get_by_label("下架被投诉内容").check()
    desk.get_by_label("处置被投诉单位").select_option("warning")
    desk.get_by_label("处置依据").fill("《网络招聘服务管理规定》：不得向求职者收取押金")
    desk.get_by_role("button", name="保存处理结果").click()
    expect(desk.locator(".case-status")).to_have_text("已处理")
    posting.refresh_from_db()
    assert posting.status == PostingStatus.REMOVED
    assert Sanction.objects.filter(organisation=posting.organisation, kind="warning").exists()

    # The recruiter sees the sanction, the rule, the evidence and the case — not the seeker.
    hr = browser.new_context(base_url=live_server.url, locale="zh-CN").new_page()
    login_password(hr, recruiter.test_phone)
    hr.goto("/sanctions/")
    hr.get_by_role("link", name="警告", exact=True).click()
    notice = hr.locator(".sanction-notice")
    expect(notice).to_contain_text("不得向求职者收取押金")
    expect(notice).to_contain_text("800元押金")
    expect(notice).to_contain_text(case.reference)
    for secret in (seeker.display_name, seeker.test_phone, seeker.username):
        assert secret not in hr.content()
    hr.get_by_label("申诉理由").fill("押金是工服费，已全部退还。")
    hr.get_by_role("button", name="提交申诉").click()
    appeal = Case.objects.get(kind="appeal")
    expect(hr.get_by_role("heading", name=f"申诉 {appeal.reference}")).to_be_visible()

    # The imposer may not take the appeal; a second handler decides it.
    second = _staff_page(browser, live_server, handler2)
    second.goto("/staff/cases/")
    second.get_by_role("link", name=appeal.reference).click()
    second.get_by_role("button", name="受理", exact=True).click()
    second.get_by_label("结论").select_option("no")
    second.get_by_label("查明的事实（被投诉方可见，不得写入投诉人信息）").fill("押金收取属实，退还不改变违规事实。")
    second.get_by_label("处理结果（告知投诉人）").fill("申诉不成立，维持警告。")
    second.get_by_role("button", name="保存处理结果").click()
    expect(second.locator(".case-status")).to_have_text("已处理")
    hr.reload()
    expect(hr.locator(".appeal-outcome")).to_have_text("申诉不成立，维持处置")

    # The seeker sees the result, accepts it and rates the handling.
    page.goto(f"/cases/{case.pk}/")
    expect(page.locator(".case-result")).to_contain_text("职位已下架")
    page.get_by_role("button", name="接受结果并办结").click()
    page.locator("#id_satisfaction").select_option("5")
    page.locator("#id_process").select_option("4")
    page.locator("#id_efficiency").select_option("5")
    page.locator("#id_result").select_option("5")
    page.locator("#id_attitude").select_option("5")
    page.get_by_role("button", name="提交评价").click()
    expect(page.locator(".rating-done")).to_contain_text("总体满意度 5/5")
    case.refresh_from_db()
    assert case.status == "closed" and case.rating.process == 4
