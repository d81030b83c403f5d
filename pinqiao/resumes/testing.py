"""Builders for tests and demo data in any app: a complete résumé through the real services.

``approved_resume(seeker)`` gives a résumé that passed review (MOD-8), ready for applying.
"""

from __future__ import annotations

from typing import Any

from pinqiao.resumes import services
from pinqiao.resumes.models import Resume

BASIC = {"full_name": "张小明", "gender": "male", "birth_date": "1996-05-20"}
INTENTION = {"desired_function": "python_dev", "desired_industry": "software",
             "desired_city": "440100", "desired_employment_type": "full_time",
             "desired_pay_min": "12000", "desired_pay_max": "18000"}
ABOUT = {"self_introduction": "三年 Python 后端开发经验，熟悉 Django 和 PostgreSQL，"
                              "负责过日均十万单的订单系统，重视测试和代码评审。",
         "skills": "Python，Django，PostgreSQL，Git", "interests": "跑步，摄影"}
CONTACT = {"phone": "13912345678", "email": "xiaoming@example.com", "im": "wx_xiaoming"}
EDUCATION = {"school": "华南理工大学", "major": "软件工程", "degree": "bachelor",
             "start_date": "2014-09", "end_date": "2018-06"}
WORK = {"company": "广州某科技有限公司", "title": "Python开发工程师", "start_date": "2018-07",
        "end_date": "", "description": "负责订单与库存服务的开发和维护。",
        "achievements": "把订单接口平均响应时间从 800 毫秒降到 120 毫秒。"}


def complete_resume(seeker: Any, **over: Any) -> Resume:
    """A résumé with every required field (not yet submitted)."""
    resume = services.resume_ensure(owner=seeker)
    services.resume_update(actor=seeker, resume=resume,
                           data={**BASIC, **INTENTION, **ABOUT, **over})
    services.resume_contact_set(actor=seeker, resume=resume, **CONTACT)
    services.entry_add(actor=seeker, resume=resume, kind="education", data=EDUCATION)
    services.entry_add(actor=seeker, resume=resume, kind="work", data=WORK)
    return Resume.objects.get(pk=resume.pk)


def approved_resume(seeker: Any, **over: Any) -> Resume:
    """A complete résumé submitted and approved by the screening."""
    resume = services.resume_submit(actor=seeker, resume=complete_resume(seeker, **over))
    assert resume.review_status == "approved", resume.review_reasons
    return resume
