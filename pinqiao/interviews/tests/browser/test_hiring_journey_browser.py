"""Issue 6's end-to-end test in Chromium, and the interviews app's page test: a seeker builds a
résumé through the pages and makes it public; a recruiter finds it among the recommended
candidates and sees the contact details masked; the seeker applies with both per-employer
consents and the recruiter's next load shows them in full; the recruiter downloads a
watermarked PDF that ``trace_leak`` traces, proposes an interview time ~23 hours ahead, the
seeker books it (with the fraud tips in view); the reminder sweep sends the 24-hour reminder,
which the seeker reads in the inbox; after the interview the recruiter scores it and the
seeker evaluates it, each through the pages."""

from __future__ import annotations

import importlib
import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from pinqiao.applications.models import Application, Stage
from pinqiao.applications.testing import reinstall_data_migrations
from pinqiao.core.tests.browser.fixtures import login_password
from pinqiao.interviews.models import Interview, InterviewSlot, Scorecard, SeekerEvaluation
from pinqiao.jobs.testing import published_posting
from pinqiao.notifications.defaults import install
from pinqiao.notifications.models import Notification
from pinqiao.orgs import testing as org_testing
from pinqiao.privacy.models import Consent, ResumeDownload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "13712345678"


@pytest.fixture
def job(recruiter: Any, org_reviewer: Any) -> Any:
    """A published posting of a verified employer; transactional tests flush the tables, so
    the data migrations' rows (notification templates, defaults) go back in first."""
    reinstall_data_migrations()
    install(django_apps, importlib.import_module(
        "pinqiao.interviews.migrations.0002_notification_templates").ROWS)
    return published_posting(recruiter, org_testing.verified_employer(recruiter, org_reviewer))


def _build_public_resume(page: Page) -> None:
    page.goto("/me/resume/basic/")
    page.get_by_label("姓名").fill("王小红")
    page.get_by_label("性别").select_option("female")
    page.get_by_label("出生日期").fill("1998-04-12")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_text("已保存。")).to_be_visible()

    page.goto("/me/resume/contact/")
    page.get_by_label("手机号").fill(PHONE)
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

    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("#resume-status")).to_have_text("已通过")

    page.goto("/me/resume/settings/")
    page.get_by_label("对已认证招聘方公开").check()
    page.get_by_role("button", name="保存设置").click()
    expect(page.get_by_text("设置已保存。")).to_be_visible()


def _the_interview_took_place(interview: Interview) -> None:
    """Move the booked time a day back, as if the day had passed (the live server reads the
    clock of this machine, which the test cannot turn forward)."""
    day = timedelta(hours=24)
    Interview.objects.filter(pk=interview.pk).update(starts_at=F("starts_at") - day)
    InterviewSlot.objects.filter(interview=interview).update(starts_at=F("starts_at") - day)


def test_from_resume_to_both_evaluations(page: Page, browser: Browser, live_server: Any,
                                         seeker: Any, recruiter: Any, job: Any,
                                         tmp_path: Path) -> None:
    login_password(page, seeker.test_phone)
    _build_public_resume(page)

    # The recruiter finds the public résumé among the candidates: contact details masked.
    staff = browser.new_context(base_url=live_server.url, locale="zh-CN",
                                viewport={"width": 412, "height": 900})
    hr = staff.new_page()
    hr.set_default_timeout(10_000)
    login_password(hr, recruiter.test_phone)
    hr.goto(f"/recruiter/jobs/{job.pk}/")
    hr.get_by_role("link", name="人才推荐").click()
    hr.get_by_role("link", name="王**").click()
    expect(hr.locator("#contact-phone")).to_have_text("137****5678")
    expect(hr.locator("#contact-status")).to_contain_text("已打码")
    resume_url = hr.url

    # The seeker applies, giving both separate consents to this employer.
    page.goto(f"/jobs/{job.pk}/")
    page.get_by_role("link", name="投递简历").click()
    page.get_by_label("同意向该单位提供我的简历").check()
    page.get_by_label("同意向该单位提供我的联系方式").check()
    page.get_by_role("button", name="确认投递").click()
    expect(page.locator("#application-stage")).to_have_text("新投递")
    application = Application.objects.get()
    assert sorted(Consent.objects.filter(user=seeker, withdrawn_at=None)
                  .values_list("purpose", "organisation_id")) == [
        ("contact_release", job.organisation_id), ("resume_to_employer", job.organisation_id)]

    # The recruiter's next load shows them in full; the download is watermarked and traced.
    hr.goto(resume_url)
    expect(hr.locator("#contact-phone")).to_have_text(PHONE)
    expect(hr.locator("#contact-email")).to_have_text("xiaohong@example.com")
    with hr.expect_download() as info:
        hr.get_by_role("button", name="下载 PDF").click()
    leaked = tmp_path / "forwarded.pdf"
    info.value.save_as(leaked)
    out = io.StringIO()
    call_command("trace_leak", str(leaked), stdout=out)
    download = ResumeDownload.objects.select_related("access").get()
    assert f"下载记录 #{download.pk}" in out.getvalue()
    assert recruiter.username in out.getvalue() and "与下载时的文件完全一致" in out.getvalue()
    assert download.access.fields[-1] == "contact"

    # The recruiter proposes a time about 23 hours ahead from the application page.
    hr.goto("/recruiter/applications/")
    row = hr.get_by_role("row").filter(has_text=f"投递 #{application.pk}")
    row.get_by_role("link").first.click()
    hr.locator("#propose-link").click()
    start = (timezone.localtime() + timedelta(hours=23)).replace(second=0, microsecond=0)
    hr.get_by_label("面试方式").select_option("onsite")
    hr.get_by_label("地点或说明").fill("广州市天河区天河路100号 8楼前台")
    hr.get_by_label("可选时间 1").fill(start.strftime("%Y-%m-%dT%H:%M"))
    hr.get_by_role("button", name="发送面试邀请").click()
    expect(hr.get_by_text("面试邀请已发送，等待求职者选择时间。")).to_be_visible()
    expect(hr.locator("#interview-status")).to_have_text("待确认时间")
    interview = Interview.objects.get()

    # The seeker books it, with the fraud tips in view.
    page.get_by_role("link", name="我的面试").click()
    page.get_by_role("link", name=f"{job.title} · 初试").click()
    expect(page.get_by_role("heading", name="求职防骗提示")).to_be_visible()
    page.get_by_label(start.strftime("%Y-%m-%d %H:%M"), exact=False).check()
    page.get_by_role("button", name="确认该时间").click()
    expect(page.get_by_text("面试时间已确认，请按时参加。")).to_be_visible()
    expect(page.locator("#interview-status")).to_have_text("已预约")
    application.refresh_from_db()
    assert application.stage == Stage.INTERVIEW

    # The sweep sends the 24-hour reminder (the start is within 24 hours); the seeker reads it.
    out = io.StringIO()
    call_command("send_interview_reminders", stdout=out)
    assert out.getvalue().startswith("send_interview_reminders: 1 reminders")
    reminder = Notification.objects.get(user=seeker, event="interview_reminder")
    assert "24小时前提醒" in reminder.body
    page.get_by_role("link", name="消息").click()
    notice = page.locator("article", has_text="24小时前提醒")
    expect(notice).to_contain_text(job.title)
    expect(notice.get_by_role("heading")).to_contain_text("面试提醒")

    # After the interview the recruiter scores it and marks it done …
    _the_interview_took_place(interview)
    hr.goto(f"/recruiter/interviews/{interview.pk}/")
    for criterion in ("专业能力", "沟通表达", "岗位匹配度", "学习与发展潜力"):
        hr.locator(".field", has_text=criterion).get_by_label("4", exact=True).check()
    hr.get_by_label("结论").select_option("yes")
    hr.get_by_label("评语").fill("仓储经验扎实，表达清楚。")
    hr.get_by_role("button", name="提交评分").click()
    expect(hr.get_by_text("评分已提交。")).to_be_visible()
    hr.get_by_role("button", name="标记面试完成").click()
    expect(hr.locator("#interview-status")).to_have_text("已完成")

    # … and the seeker evaluates it; the recruiter sees the evaluation, not the other way.
    page.goto(f"/me/interviews/{interview.pk}/")
    expect(page.get_by_text("仓储经验扎实")).to_have_count(0)
    page.locator(".field", has_text="总体评价").get_by_label("5", exact=True).check()
    page.get_by_label("评价内容").fill("面试官准时，流程清楚。")
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_text("感谢您的评价。")).to_be_visible()
    expect(page.get_by_role("heading", name="我的评价")).to_be_visible()

    hr.reload()
    expect(hr.get_by_role("heading", name="求职者评价")).to_be_visible()
    expect(hr.get_by_text("面试官准时，流程清楚。")).to_be_visible()
    scorecard = Scorecard.objects.get()
    assert (scorecard.author_id, scorecard.skills, scorecard.recommendation) == (
        recruiter.pk, 4, "yes")
    assert SeekerEvaluation.objects.get().rating == 5
    staff.close()
