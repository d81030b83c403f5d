"""Test builders: live postings in several cities and functions, applications and résumés.

Applications and résumés are written directly until their apps expose builders; postings go
through the real posting services."""

from __future__ import annotations

from typing import Any

from pinqiao.applications.models import Application
from pinqiao.jobs.testing import published_posting
from pinqiao.resumes.models import Resume

#: (title, division, function, industry, pay_min, pay_max, requirements, work content)
POSTINGS = [
    ("仓库管理员", "440106", "warehouse_keeper", "wholesale_trade", "6000", "8000",
     "熟悉Excel和仓储管理系统，会开叉车者优先。", "负责天河仓库的货物出入库登记和库存盘点。"),
    ("仓储主管", "440111", "warehouse_keeper", "wholesale_trade", "8000", "11000",
     "有仓储团队管理经历，熟悉WMS系统。", "带领白云区仓储团队完成收发货计划，优化库位。"),
    ("Java开发工程师", "440106", "java_dev", "software", "15000", "22000",
     "熟悉Java、Spring Boot和MySQL，了解分布式缓存。", "参与招聘平台后端服务开发和性能优化。"),
    ("Java后端开发", "440305", "java_dev", "software", "18000", "26000",
     "精通Java并发编程，熟悉Kafka和Redis。", "负责南山研发中心交易系统的接口设计与实现。"),
    ("在线客服专员", "110105", "online_customer_service", "ecommerce", "5000", "6500",
     "普通话标准，打字速度每分钟60字以上。", "通过在线平台解答顾客关于订单和售后的咨询。"),
    ("叉车司机", "440305", "forklift_driver", "wholesale_trade", "6500", "8500",
     "持有效叉车证，有仓库装卸经历。", "在宝安物流园驾驶叉车完成货物装卸和搬运。"),
]


def live_postings(recruiter: Any, organisation: Any) -> dict[str, Any]:
    """Publish :data:`POSTINGS` for ``organisation``; returns them by title."""
    made = {}
    for title, division, function, industry, low, high, requirements, content in POSTINGS:
        made[title] = published_posting(
            recruiter, organisation, title=title, division_code=division,
            job_function=function, industry=industry, pay_min=low, pay_max=high,
            requirements=requirements, work_content=content)
    return made


def resume_for(seeker: Any, **fields: Any) -> Resume:
    resume, _created = Resume.objects.get_or_create(owner=seeker, defaults=fields)
    return resume


def application(seeker: Any, posting: Any, **fields: Any) -> Application:
    return Application.objects.create(seeker=seeker, posting=posting,
                                      organisation=posting.organisation,
                                      resume=resume_for(seeker), **fields)
