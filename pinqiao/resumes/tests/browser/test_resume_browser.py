"""The issue's acceptance test in Chromium (RES-1, RES-2, RES-3, MOD-8): a seeker builds a
résumé online on a phone-sized screen, sees the completeness score rise, submits it, picks a
template with a preview and downloads the PDF, whose text holds the Chinese name."""

from __future__ import annotations

import importlib
import io
from typing import Any

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from pinqiao.core.tests.browser.fixtures import login_password
from pinqiao.notifications.defaults import install
from pinqiao.resumes.models import Resume

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def templates_installed(settings: Any, tmp_path: Any) -> None:
    """Transactional tests flush the tables: reinstall the data migrations' rows first."""
    settings.MEDIA_ROOT = tmp_path / "media"
    for module in ("pinqiao.notifications.migrations.0002_default_templates",
                   "pinqiao.resumes.migrations.0003_notification_templates"):
        install(django_apps, importlib.import_module(module).ROWS)


def _score(page: Page) -> int:
    return int(page.locator("#completeness-score").inner_text())


def test_a_seeker_builds_a_resume_picks_a_template_and_downloads_the_pdf(
        page: Page, seeker: Any, templates_installed: None) -> None:
    login_password(page, seeker.test_phone)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的简历").click()
    expect(page.get_by_role("heading", name="我的简历", exact=True)).to_be_visible()
    expect(page.locator("#resume-status")).to_have_text("未提交")
    assert _score(page) == 0

    page.goto("/me/resume/basic/")
    page.get_by_label("姓名").fill("王小红")
    page.get_by_label("性别").select_option("female")
    page.get_by_label("出生日期").fill("1998-04-12")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_text("已保存。")).to_be_visible()
    assert _score(page) == 15

    page.goto("/me/resume/contact/")
    page.get_by_label("手机号").fill("13712345678")
    page.get_by_label("电子邮箱").fill("xiaohong@example.com")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("137****5678")).to_be_visible()

    page.goto("/me/resume/intention/")
    page.get_by_label("期望职能").select_option("warehouse_keeper")
    page.get_by_label("期望省份").select_option("440000")
    expect(page.locator("#id_desired_city option[value='440100']")).to_have_count(1)
    page.get_by_label("期望城市").select_option("440100")
    page.get_by_label("期望月薪下限（元）").fill("6000")
    page.get_by_label("期望月薪上限（元）").fill("8000")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("6000–8000 元/月")).to_be_visible()

    page.locator("#section-education").get_by_role("link", name="添加").click()
    page.get_by_label("学校").fill("广州市交通运输职业学校")
    page.get_by_label("学历").select_option("high_school")
    page.get_by_label("入学时间").fill("2014-09")
    page.get_by_label("毕业时间").fill("2017-06")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#section-education")).to_contain_text("广州市交通运输职业学校")
    assert _score(page) == 53
    expect(page.locator("#completeness-hints")).to_contain_text("工作经历")

    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("#resume-status")).to_have_text("已通过")

    page.get_by_role("link", name="选择模板并预览").click()
    page.get_by_role("link", name="双栏").click()
    expect(page.locator("#shown-template")).to_have_text("双栏")
    preview = page.frame_locator("iframe.preview-frame")
    expect(preview.get_by_role("heading", name="王小红")).to_be_visible()
    expect(preview.get_by_text("137****5678")).to_be_visible()
    page.get_by_role("button", name="使用此模板").click()
    expect(page.get_by_text("已选用“双栏”模板。")).to_be_visible()
    assert Resume.objects.get(owner=seeker).template == "two_column"

    with page.expect_download() as download_info:
        page.get_by_role("link", name="用此模板下载 PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    assert "王小红" in text and "13712345678" in text
