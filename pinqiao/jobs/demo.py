"""Demo postings: a few published postings for the demo employer and the demo agency, one in
the review queue and one refused, so every page has something to show."""

from __future__ import annotations

from typing import Any

from pinqiao.accounts.models import User
from pinqiao.jobs import services
from pinqiao.jobs.models import Posting
from pinqiao.orgs.models import ClientAuthorisation
from pinqiao.orgs.selectors import organisations_for_user

BASE = {
    "employment_type": "full_time", "working_hours": "做五休二，9:00-18:00",
    "social_insurance": "入职缴纳五险一金", "housing": "提供午餐补贴", "education": "college",
    "experience": "1_3", "industry": "software",
}

EMPLOYER_POSTINGS = [
    {"title": "Python开发工程师", "headcount": 2, "job_function": "python_dev",
     "requirements": "大专及以上学历，熟悉 Django 或 Flask，了解 SQL 和 Git。",
     "work_content": "负责招聘平台后端接口开发与维护，编写单元测试，参与代码评审。",
     "division_code": "440106", "address": "天河路100号聘桥大厦8楼",
     "pay_min": "12000", "pay_max": "18000", "pay_unit": "month"},
    {"title": "客户服务专员", "headcount": 5, "job_function": "online_customer_service",
     "requirements": "中专及以上学历，普通话标准，有耐心，会使用电脑办公软件。",
     "work_content": "通过平台在线客服解答求职者和企业的咨询，记录并跟进投诉。",
     "division_code": "440106", "address": "天河路100号聘桥大厦5楼",
     "pay_min": "5500", "pay_max": "7000", "pay_unit": "month", "education": "high_school"},
    {"title": "仓库管理员", "headcount": 3, "job_function": "warehouse_keeper",
     "requirements": "高中及以上学历，熟悉 Excel，35岁以下。",
     "work_content": "负责资料仓库的出入库登记和盘点。", "division_code": "440111",
     "address": "白云区物流园2号", "pay_min": "5000", "pay_max": "6500", "pay_unit": "month"},
    {"title": "前台接待", "headcount": 1, "job_function": "receptionist",
     "requirements": "限女性，形象气质佳。", "work_content": "负责访客接待和会议室预订。",
     "division_code": "440106", "address": "天河路100号", "pay_min": "4500",
     "pay_max": "5500", "pay_unit": "month"},
]

AGENCY_POSTING = {
    "title": "酒店客房服务员（代招）", "headcount": 10, "job_function": "room_attendant",
    "requirements": "能适应轮班，做事细致，有酒店服务经验者优先。",
    "work_content": "负责客房清洁、布草更换和物品补充，及时报告设施故障。",
    "working_hours": "做六休一，每日8小时，轮班", "social_insurance": "试用期满缴纳五险",
    "housing": "包吃住", "division_code": "440106", "address": "天河北路200号",
    "pay_min": "5000", "pay_max": "6500", "pay_unit": "month", "education": "any",
    "experience": "any", "industry": "hotel",
}


def _post(user: Any, organisation: Any, data: dict[str, Any], **kwargs: Any) -> Posting:
    posting = services.posting_create(actor=user, organisation=organisation,
                                      data={**BASE, **data}, **kwargs)
    return services.posting_submit(actor=user, posting=posting)


def load(stdout) -> None:  # noqa: ANN001
    employer = User.objects.filter(username="demo_employer").first()
    agency_owner = User.objects.filter(username="demo_agency").first()
    if employer is None or agency_owner is None:
        stdout.write("jobs: demo users missing, skipped")
        return
    if Posting.objects.filter(created_by__in=[employer, agency_owner]).exists():
        stdout.write(f"jobs: {Posting.objects.count()} postings already present")
        return
    org = next((o for o in organisations_for_user(user=employer) if o.status == "verified"),
               None)
    if org is not None:
        for data in EMPLOYER_POSTINGS:
            _post(employer, org, data)
    agency = next((o for o in organisations_for_user(user=agency_owner)
                   if o.status == "verified"), None)
    client = ClientAuthorisation.objects.filter(agency=agency, posting__isnull=True).first() \
        if agency is not None else None
    if agency is not None and client is not None:
        _post(agency_owner, agency, AGENCY_POSTING, mode="agency", client=client)
    counts = {s: Posting.objects.filter(status=s).count()
              for s in ("published", "pending_review", "rejected")}
    stdout.write(f"jobs: {counts['published']} published, {counts['pending_review']} in review, "
                 f"{counts['rejected']} refused postings")
