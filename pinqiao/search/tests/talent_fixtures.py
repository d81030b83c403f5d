"""Talent-search test data: seekers with approved résumés built through the résumés services
(so the receivers write outbox rows as in production), an organisation one of them blocks,
and recruiters of every kind."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from pinqiao.core.permissions import Role
from pinqiao.moderation.models import ReviewItem
from pinqiao.moderation.services import review_decide
from pinqiao.orgs import testing as org_testing
from pinqiao.orgs.services import member_invite
from pinqiao.resumes import services
from pinqiao.resumes.models import Resume, ReviewStatus
from pinqiao.resumes.testing import CONTACT

#: The fixtures, for ``from … import *`` in test modules.
__all__ = ["blocked_employer", "blocked_recruiter", "member_without_resumes", "talent",
           "unverified_recruiter"]


def months_ago(months: int) -> str:
    """``YYYY-MM`` of the month ``months`` before this one."""
    today = timezone.localdate()
    number = today.year * 12 + today.month - 1 - months
    return f"{number // 12}-{number % 12 + 1:02d}"


def resume_made(seeker: Any, *, data: dict[str, Any], education: list[dict[str, Any]],
                work: list[dict[str, Any]], visibility: str = "public",
                reviewer: Any = None) -> Resume:
    """A résumé through the real services, submitted; approved by ``reviewer`` when the
    screening sent it to a person."""
    resume = services.resume_ensure(owner=seeker)
    services.resume_update(actor=seeker, resume=resume, data=data)
    services.resume_contact_set(actor=seeker, resume=resume, **CONTACT)
    for entry in education:
        services.entry_add(actor=seeker, resume=resume, kind="education", data=entry)
    for entry in work:
        services.entry_add(actor=seeker, resume=resume, kind="work", data=entry)
    resume = services.resume_submit(actor=seeker, resume=resume)
    if resume.review_status == ReviewStatus.PENDING and reviewer is not None:
        item = ReviewItem.objects.get(object_id=str(resume.pk), status=ReviewItem.Status.OPEN)
        review_decide(actor=reviewer, item=item, action="approve")
    resume = Resume.objects.get(pk=resume.pk)
    assert resume.review_status == ReviewStatus.APPROVED, resume.review_reasons
    services.visibility_set(actor=seeker, resume=resume, visibility=visibility)
    return Resume.objects.get(pk=resume.pk)


PYTHON_GZ = {
    "full_name": "张小明", "gender": "male", "birth_date": "1994-05-20",
    "desired_function": "python_dev", "desired_industry": "software", "desired_city": "440100",
    "desired_employment_type": "full_time", "desired_pay_min": "12000",
    "desired_pay_max": "18000", "skills": "Python，Django，PostgreSQL",
    "self_introduction": "Python 后端开发，熟悉 Django 和 PostgreSQL，负责过日均十万单的订单系统。"}
JAVA_SZ = {
    "full_name": "李华", "gender": "female", "birth_date": "1999-03-02",
    "desired_function": "java_dev", "desired_industry": "software", "desired_city": "440300",
    "desired_employment_type": "full_time", "desired_pay_min": "20000",
    "desired_pay_max": "30000", "skills": "Java，Spring Boot，MySQL",
    "self_introduction": "Java 开发，做过支付系统，熟悉 Spring Boot 与分布式事务。"}
DRIVER_FS = {
    "full_name": "王建国", "gender": "male", "birth_date": "2003-08-08",
    "desired_function": "forklift_driver", "desired_industry": "manufacturing",
    "desired_city": "440600", "desired_employment_type": "full_time",
    "desired_pay_min": "6000", "desired_pay_max": "8000", "skills": "叉车，仓储",
    "self_introduction": "刚毕业，持有叉车证，能吃苦耐劳，愿意倒班。"}


@pytest.fixture
def talent(make_user: Any, org_reviewer: Any, search_index: Any) -> dict[str, Resume]:
    """Three public résumés, indexed: a Python developer in 广州 (first job ~8 years ago,
    bachelor), a Java developer in 深圳 (~2 years, master) and a forklift driver in 佛山 (no
    work experience, high school)."""
    made = {
        "python": resume_made(make_user(display_name="小明"), data=PYTHON_GZ, education=[
            {"school": "华南理工大学", "major": "软件工程", "degree": "bachelor",
             "start_date": "2012-09", "end_date": "2016-06"}], work=[
            {"company": "广州某科技有限公司", "title": "Python开发工程师",
             "start_date": months_ago(100), "end_date": "",
             "description": "负责订单与库存服务。",
             "achievements": "接口响应从800毫秒降到120毫秒。"}],
            reviewer=org_reviewer),
        "java": resume_made(make_user(display_name="小李"), data=JAVA_SZ, education=[
            {"school": "深圳大学", "major": "计算机科学", "degree": "master",
             "start_date": "2019-09", "end_date": "2022-06"}], work=[
            {"company": "深圳某支付公司", "title": "Java开发工程师",
             "start_date": months_ago(26), "end_date": "",
             "description": "负责支付网关开发。", "achievements": ""}],
            reviewer=org_reviewer),
        "driver": resume_made(make_user(display_name="小王"), data=DRIVER_FS, education=[
            {"school": "佛山市职业技术学校", "major": "物流", "degree": "high_school",
             "start_date": "2018-09", "end_date": "2021-06"}], work=[],
            reviewer=org_reviewer),
    }
    search_index()
    return made


@pytest.fixture
def blocked_recruiter(make_user: Any) -> Any:
    return make_user(role=Role.RECRUITER, display_name="王招聘")


@pytest.fixture
def blocked_employer(blocked_recruiter: Any, org_reviewer: Any) -> Any:
    """A verified organisation the Python developer blocks (his current employer, say)."""
    return org_testing.approve(org_reviewer, org_testing.register(
        blocked_recruiter, "浦江物流", person=3))


@pytest.fixture
def unverified_recruiter(make_user: Any) -> Any:
    user = make_user(role=Role.RECRUITER, display_name="未认证招聘")
    org_testing.register(user, "渝才人力", person=4)
    return user


@pytest.fixture
def member_without_resumes(make_user: Any, recruiter: Any, employer: Any) -> Any:
    """A colleague in the verified organisation without 「查看简历」."""
    member = make_user(role=Role.RECRUITER, display_name="只发职位")
    member_invite(actor=recruiter, organisation=employer, phone=member.test_phone,
                  perms={"can_post_jobs": True})
    return member
