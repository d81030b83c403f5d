"""In Chromium (APP-1, APP-2, APP-7): a seeker answers the screening question and gives only
the résumé consent on a phone screen; the recruiter finds the application in the pipeline,
reads the answer and shortlists it with a message; the seeker sees the new status and the
message in the history."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from pinqiao.applications import services
from pinqiao.applications.models import Application
from pinqiao.applications.testing import approved_resume, reinstall_data_migrations
from pinqiao.core.tests.browser.fixtures import login_password
from pinqiao.jobs.testing import published_posting
from pinqiao.orgs import testing as org_testing
from pinqiao.privacy.models import Consent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def posting(recruiter: Any, org_reviewer: Any, settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    reinstall_data_migrations()
    employer = org_testing.verified_employer(recruiter, org_reviewer)
    posting = published_posting(recruiter, employer)
    services.question_add(actor=recruiter, posting=posting, data={
        "kind": "yes_no", "text": "是否持有叉车证？", "knockout_answer": "是"})
    return posting


def test_a_seeker_applies_and_the_recruiter_shortlists(page: Page, browser: Browser,
                                                       live_server: Any, seeker: Any,
                                                       recruiter: Any, posting: Any) -> None:
    approved_resume(seeker)
    login_password(page, seeker.test_phone)
    page.goto(f"/jobs/{posting.pk}/")
    page.get_by_role("link", name="投递简历").click()
    page.get_by_role("group", name="是否持有叉车证？").get_by_label("是").check()
    page.get_by_label("同意向该单位提供我的简历").check()
    expect(page.get_by_label("同意向该单位提供我的联系方式")).not_to_be_checked()
    page.get_by_role("button", name="确认投递").click()
    expect(page.locator("#application-stage")).to_have_text("新投递")
    application = Application.objects.get()
    assert application.knockout_met is True
    assert list(Consent.objects.values_list("purpose", flat=True)) == ["resume_to_employer"]

    staff_context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    hr = staff_context.new_page()
    login_password(hr, recruiter.test_phone)
    hr.goto("/recruiter/applications/?knockout=met")
    row = hr.get_by_role("row").filter(has_text=f"投递 #{application.pk}")
    row.get_by_role("link").first.click()
    expect(hr.get_by_text("是否持有叉车证？")).to_be_visible()
    expect(hr.locator("#resume-link")).to_have_attribute(
        "href", f"/recruiter/resumes/{application.resume.public_id}/?application={application.pk}")
    hr.get_by_label("移到阶段").select_option("shortlisted")
    hr.get_by_label("给求职者的留言（可选）").fill("下周一上午电话联系您。")
    hr.get_by_role("button", name="确定").click()
    expect(hr.locator("#application-stage")).to_have_text("初筛通过")
    staff_context.close()

    page.reload()
    expect(page.locator("#application-stage")).to_have_text("初筛通过")
    expect(page.get_by_text("下周一上午电话联系您。")).to_be_visible()
