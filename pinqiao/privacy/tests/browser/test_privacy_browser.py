"""The privacy flow in Chromium (RES-5, RES-6, PRIV-3): the recruiter sees masked contact
details and asks for them; the seeker accepts in the consent centre; the recruiter sees them
on the next load and downloads a watermarked PDF that ``trace_leak`` traces; the seeker
withdraws and the recruiter's next load is masked; 「谁看过我」 shows it all."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect

from pinqiao.core.permissions import Role
from pinqiao.core.tests.browser.fixtures import login_password
from pinqiao.orgs import testing as org_testing
from pinqiao.privacy.models import ResumeDownload
from pinqiao.privacy.testing import CONTACT, applied, install_data_rows, resume_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setup(seeker: Any, recruiter: Any, make_user: Any, settings: Any, tmp_path: Path) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    install_data_rows()
    reviewer = make_user(role=Role.REVIEWER, phone=None, email="orgrev@test.example")
    reviewer.is_verified = lambda: True
    employer = org_testing.verified_employer(recruiter, reviewer)
    resume = resume_for(seeker)
    applied(seeker, employer)
    return resume


def test_masked_then_released_then_withdrawn_with_a_traced_download(
        page: Page, browser: Browser, live_server: Any, seeker: Any, recruiter: Any,
        setup: Any, tmp_path: Path) -> None:
    url = f"/recruiter/resumes/{setup.public_id}/"
    login_password(page, recruiter.test_phone)
    page.goto(url)
    expect(page.locator("#contact-phone")).to_have_text("138****5678")
    page.get_by_role("button", name="请求联系方式").click()
    expect(page.get_by_text("已向求职者发出请求")).to_be_visible()

    other = browser.new_context(base_url=live_server.url, locale="zh-CN",
                                viewport={"width": 412, "height": 900})
    me = other.new_page()
    login_password(me, seeker.test_phone)
    me.goto("/me/privacy/consents/")
    me.get_by_role("button", name="同意向广州市聘桥示范科技有限公司提供联系方式").click()
    expect(me.get_by_text("已同意提供联系方式")).to_be_visible()

    page.reload()
    expect(page.locator("#contact-phone")).to_have_text(CONTACT["phone"])
    with page.expect_download() as info:
        page.get_by_role("button", name="下载 PDF").click()
    leaked = tmp_path / "leaked.pdf"
    info.value.save_as(leaked)
    out = io.StringIO()
    call_command("trace_leak", str(leaked), stdout=out)
    assert recruiter.username in out.getvalue()
    assert f"下载记录 #{ResumeDownload.objects.get().pk}" in out.getvalue()

    me.goto("/me/privacy/consents/")
    me.get_by_role("button",
                   name="撤回：向该单位提供我的联系方式（广州市聘桥示范科技有限公司）").click()
    expect(me.get_by_text("即时生效")).to_be_visible()
    page.reload()
    expect(page.locator("#contact-phone")).to_have_text("138****5678")

    me.goto("/me/resume/viewers/")
    rows = me.locator("tbody tr")
    expect(rows).to_have_count(5)  # 3 loads, the redirect after asking, 1 download
    expect(rows.first).to_contain_text("未显示（已打码）")
    expect(me.locator("tbody")).to_contain_text("下载")
    other.close()
