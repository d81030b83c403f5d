"""Issue 18's acceptance test in Chromium for parts 4 and 5: the regulator draws a
reproducible sample of high-risk organisations, records a finding and publishes it, and the
result appears on the public 一公开 page; the salary index page renders its chart (SVG) and
its table."""

from __future__ import annotations

import importlib
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from playwright.sync_api import Page, expect

from pinqiao.core.tests.browser.fixtures import login_staff
from pinqiao.insights.services import insights_refresh
from pinqiao.jobs.models import Posting, PostingStatus
from pinqiao.notifications.defaults import install
from pinqiao.oversight import services
from pinqiao.oversight.models import DrawStatus, SamplingDraw

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def templates() -> None:
    """Transactional tests flush the tables: put the notification templates back."""
    for module in ("pinqiao.notifications.migrations.0002_default_templates",
                   "pinqiao.oversight.migrations.0002_notification_templates"):
        install(django_apps, importlib.import_module(module).ROWS)


def test_the_regulator_draws_records_and_publishes(page: Page, regulator: Any, make_org: Any,
                                                   templates: None) -> None:
    high = {make_org(name, risk=risk).name
            for name, risk in (("高风险人力资源有限公司", 90), ("失信劳务派遣有限公司", 75))}
    for risk in (5, 10, 20):
        make_org(risk=risk)
    page.set_default_timeout(30_000)  # the machine is shared: the first page compiles slowly
    login_staff(page, regulator)
    page.goto("/oversight/samples/")
    page.get_by_label("抽查任务名称").fill("2026年第四季度高风险单位抽查")
    page.get_by_label("抽查对象").select_option("organisation")
    page.get_by_label("抽取数量").fill("2")
    page.get_by_label("抽取方式").select_option("risk")
    page.get_by_label("最低风险分（0 表示不限）").fill("60")
    page.get_by_role("button", name="抽取").click()
    expect(page.locator("#draw-reproduced")).to_contain_text("结果一致")

    draw = SamplingDraw.objects.get()
    expect(page.locator("#draw-seed")).to_have_text(str(draw.seed))
    chosen = [item.subject_id for item in draw.items.order_by("position")]
    assert services.draw_reproduce(draw) == chosen
    assert {item.organisation.name for item in draw.items.all()} == high

    page.get_by_label(regulator.display_name).check()
    page.get_by_role("button", name="随机分配").click()
    for item in draw.items.order_by("position"):
        block = page.locator(f"#item-{item.pk}")
        block.get_by_label("检查结果").select_option("rectify")
        block.get_by_label("检查情况").fill("未在首页公示人力资源服务许可证，已责令整改")
        block.get_by_role("button", name="记录检查结果").click()
        expect(page.locator(f"#item-{item.pk} .outcome")).to_have_text("发现问题，责令整改")
    page.get_by_role("button", name="公示抽查结果").click()
    expect(page.get_by_role("link", name="查看公示页面")).to_be_visible()
    draw.refresh_from_db()
    assert draw.status == DrawStatus.PUBLISHED

    page.goto("/inspections/")
    section = page.locator(f"#draw-{draw.pk}")
    expect(section).to_contain_text("2026年第四季度高风险单位抽查")
    for name in high:
        expect(section).to_contain_text(name)
    expect(section).to_contain_text("发现问题，责令整改")
    expect(section).to_contain_text(str(draw.seed))
    expect(section).not_to_contain_text("未在首页公示")


def test_the_salary_index_renders_its_chart_and_table(page: Page, make_org: Any,
                                                      recruiter: Any) -> None:
    org = make_org("薪酬样本有限公司")
    for function, pays in (("python_dev", (9000, 10000, 11000, 12000, 13000)),
                           ("java_dev", (10000, 12000, 14000, 16000, 18000))):
        for low in pays:
            Posting.objects.create(
                organisation=org, title="开发工程师", created_by=recruiter,
                status=PostingStatus.PUBLISHED, pay_min=Decimal(low),
                pay_max=Decimal(low + 2000), pay_unit="month", job_function=function,
                division_code="440106", headcount=1,
                published_at=timezone.now() - timedelta(days=2))
    insights_refresh()
    page.goto("/insights/salary/?city=440100")
    chart = page.locator("#salary-chart")
    expect(chart).to_have_attribute("data-rendered", "true")
    expect(chart.locator("svg, canvas").first).to_be_visible()
    table = page.locator("#salary-table")
    expect(table).to_contain_text("Python开发")
    expect(table).to_contain_text("12000")
    expect(table).to_contain_text("15000")
