"""The issue's acceptance tests in Chromium (JOB-1, JOB-2, MOD-1, MOD-2, MOD-5, DISC-3):

* a posting goes from draft through the human review queue to the public page;
* a discriminatory posting is refused with the clause and the words highlighted.
"""

from __future__ import annotations

import importlib
import json
from typing import Any

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Browser, Page, expect

from pinqiao.core.permissions import Role
from pinqiao.core.tests.browser.fixtures import login_password, login_staff
from pinqiao.jobs.models import Posting
from pinqiao.notifications.defaults import install
from pinqiao.orgs import testing as org_testing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def employer_setup(recruiter: Any, make_user: Any, settings: Any, tmp_path: Any) -> Any:
    """Transactional tests flush the tables: reinstall the data migrations' rows first."""
    settings.MEDIA_ROOT = tmp_path / "media"
    importlib.import_module("pinqiao.orgs.migrations.0002_defaults").forward(django_apps, None)
    for module in ("pinqiao.notifications.migrations.0002_default_templates",
                   "pinqiao.jobs.migrations.0002_notification_templates",
                   "pinqiao.jobs.migrations.0003_in_review_template",
                   "pinqiao.tickets.migrations.0002_notification_templates"):
        install(django_apps, importlib.import_module(module).ROWS)
    org_reviewer = make_user(role=Role.REVIEWER, phone=None, email="orgrev@test.example")
    org_reviewer.is_verified = lambda: True
    return org_testing.verified_employer(recruiter, org_reviewer)


def _fill_posting(page: Page, *, title: str, requirements: str) -> None:
    page.get_by_label("职位名称").fill(title)
    page.get_by_label("招聘人数").fill("2")
    page.get_by_label("用工类型").select_option("full_time")
    page.get_by_label("职能").select_option("warehouse_keeper")
    page.get_by_label("行业").select_option("software")
    page.get_by_label("招聘条件").fill(requirements)
    page.get_by_label("学历要求").select_option("high_school")
    page.get_by_label("工作内容").fill("负责货物出入库登记、库存盘点和单据整理。")
    page.get_by_label("工作时间").fill("做五休二，9:00-18:00")
    page.get_by_label("社会保险").fill("入职缴纳五险一金")
    page.get_by_label("省份").select_option("440000")
    expect(page.locator("#id_city option[value='440100']")).to_have_count(1)
    page.get_by_label("城市").select_option("440100")
    expect(page.locator("#id_division_code option[value='440106']")).to_have_count(1)
    page.get_by_label("区县").select_option("440106")
    page.get_by_label("详细地址").fill("天河路100号")
    page.get_by_label("最低薪资（元）").fill("6000")
    page.get_by_label("最高薪资（元）").fill("8000")
    page.get_by_label("薪资单位").select_option("month")


def test_a_posting_goes_from_draft_through_review_to_the_public_page(
        page: Page, browser: Browser, live_server: Any, recruiter: Any, reviewer: Any,
        employer_setup: Any) -> None:
    login_password(page, recruiter.test_phone)
    page.goto("/recruiter/jobs/new/")
    _fill_posting(page, title="仓库管理员", requirements="高中以上学历，35岁以下，熟悉Excel。")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("#posting-status")).to_have_text("草稿")
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("#posting-status")).to_have_text("审核中")
    posting = Posting.objects.get()
    assert [e.to_status for e in posting.events.all()] == ["draft", "pending_review"]

    staff = browser.new_context(base_url=live_server.url, locale="zh-CN")
    review = staff.new_page()
    login_staff(review, reviewer)
    review.goto("/staff/review/")
    review.get_by_role("link", name="仓库管理员").click()
    mark = review.locator("#screened-text mark")
    expect(mark.first).to_contain_text("35岁以下")
    expect(review.locator("#sla")).to_contain_text("剩余")
    review.get_by_role("button", name="通过").click()
    expect(review.get_by_text("队列为空。")).to_be_visible()
    staff.close()

    page.goto(f"/recruiter/jobs/{posting.pk}/")
    expect(page.locator("#posting-status")).to_have_text("招聘中")
    page.get_by_role("link", name="查看公开页面").click()
    expect(page.get_by_role("heading", name="仓库管理员")).to_be_visible()
    expect(page.locator("p.pay")).to_contain_text("6000–8000 元/月")
    expect(page.get_by_text("广东省广州市天河区").first).to_be_visible()
    expect(page.get_by_role("heading", name="举报此职位")).to_be_visible()
    data = json.loads(page.locator("script[type='application/ld+json']").text_content())
    assert data["@type"] == "JobPosting" and data["title"] == "仓库管理员"
    assert data["baseSalary"]["currency"] == "CNY"


def test_a_discriminatory_posting_is_refused_with_the_words_highlighted(
        page: Page, recruiter: Any, employer_setup: Any) -> None:
    login_password(page, recruiter.test_phone)
    page.goto("/recruiter/jobs/new/")
    _fill_posting(page, title="仓库主管", requirements="限男性，本地户口优先，<b>身体健康</b>。")
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("#posting-status")).to_have_text("未通过审核")
    alert = page.get_by_role("alert").filter(has_text="未通过审核")
    expect(alert).to_contain_text("就业促进法")
    marks = page.locator(".screened-text mark")
    expect(marks.first).to_have_text("限男性")
    expect(page.locator(".screened-text")).to_contain_text("身体健康")
    assert page.locator(".screened-text b").count() == 0
    posting = Posting.objects.get()
    assert posting.status == "rejected" and "限男性" in posting.matched_words


def test_a_report_from_the_public_page_reaches_the_queue_and_takes_the_posting_down(
        page: Page, browser: Browser, live_server: Any, recruiter: Any, seeker: Any,
        reviewer: Any, employer_setup: Any) -> None:
    """TKT-1 → MOD-5 → JOB-2."""
    from pinqiao.jobs import services
    from pinqiao.jobs.tests.fixtures import posting_data

    posting = services.posting_submit(actor=recruiter, posting=services.posting_create(
        actor=recruiter, organisation=employer_setup, data=posting_data()))
    assert posting.status == "published"
    login_password(page, seeker.test_phone)
    page.goto(f"/jobs/{posting.pk}/")
    page.get_by_text("举报", exact=True).click()
    page.get_by_label("收取费用/押金").check()
    page.get_by_label("补充说明").fill("面试时要求先交300元服装费")
    page.get_by_role("button", name="提交举报").click()
    expect(page.get_by_text("举报已提交")).to_be_visible()

    staff = browser.new_context(base_url=live_server.url, locale="zh-CN")
    review = staff.new_page()
    login_staff(review, reviewer)
    review.goto("/staff/review/?status=open&kind=report")
    review.get_by_role("link", name="仓库管理员").click()
    expect(review.get_by_text("面试时要求先交300元服装费")).to_be_visible()
    review.get_by_label("理由").select_option("fee_charging")
    review.get_by_label("说明（将告知发布者）").fill("经核实收取服装费")
    review.get_by_role("button", name="驳回").click()
    expect(review.get_by_text("队列为空。")).to_be_visible()
    staff.close()

    posting.refresh_from_db()
    assert posting.status == "removed" and posting.status_reason_code == "fee_charging"
    response = page.goto(f"/jobs/{posting.pk}/")
    assert response is not None and response.status == 404
