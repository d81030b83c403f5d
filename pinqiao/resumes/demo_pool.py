"""Demo talent pool (issue 15, item 6): eight more seekers with complete, approved résumés
open to verified recruiters, so 搜索人才 finds people and the applicant list has cards to
triage. Every text passes the platform's own screening (``tests/test_demo_screening.py``).
Idempotent: skipped once the first pool seeker exists."""

from __future__ import annotations

from typing import Any

from pinqiao.accounts.demo import DEMO_PASSWORD
from pinqiao.accounts.identity import encrypt_phone, phone_index
from pinqiao.accounts.models import User
from pinqiao.core.permissions import Role
from pinqiao.disclosure.services import legal_accept_current
from pinqiao.resumes import services
from pinqiao.resumes.models import Visibility

#: username, full name, gender, birth date, function, city, pay, skills, introduction,
#: (school, major, degree, start, end), [(company, title, start, end, description)]
POOL: list[tuple[Any, ...]] = [
    ("demo_pool_01", "陈思远", "male", "1993-05-12", "java_dev", "440100", ("18000", "25000"),
     "Java，Spring Boot，MySQL，Redis，Kafka",
     "七年后端开发经验，做过电商订单和支付系统，熟悉高并发场景下的缓存和消息队列设计。",
     ("华南理工大学", "软件工程", "bachelor", "2011-09", "2015-06"),
     [("广州某电商科技有限公司", "高级Java工程师", "2019-04", "",
       "负责订单中心和支付对账服务的设计与开发。"),
      ("广州某软件有限公司", "Java开发工程师", "2015-07", "2019-03",
       "参与政务审批系统的接口开发。")]),
    ("demo_pool_02", "林晓雯", "female", "1997-11-03", "python_dev", "440300",
     ("15000", "22000"), "Python，Django，PostgreSQL，Docker",
     "四年 Python 后端经验，熟悉 Django 和 PostgreSQL，写过数据报表平台，重视单元测试。",
     ("深圳大学", "计算机科学与技术", "bachelor", "2015-09", "2019-06"),
     [("深圳某数据服务有限公司", "Python开发工程师", "2019-07", "",
       "负责数据报表平台的后端接口和定时任务。")]),
    ("demo_pool_03", "黄志强", "male", "1990-02-20", "warehouse_keeper", "440100",
     ("6000", "8000"), "仓库管理系统，叉车操作，库存盘点，Excel",
     "十年仓储经验，持叉车证，带过十人班组，熟悉先进先出和库位管理。",
     ("广州市轻工职业学校", "物流管理", "high_school", "2006-09", "2009-06"),
     [("广州某冷链物流有限公司", "仓库主管", "2016-03", "",
       "负责冷库收发货和月度盘点，带 10 人班组。"),
      ("东莞某电子有限公司", "仓管员", "2010-05", "2016-02",
       "负责原材料出入库登记。")]),
    ("demo_pool_04", "刘佳怡", "female", "1999-08-15", "online_customer_service", "440100",
     ("5500", "7000"), "在线客服，投诉处理，办公软件",
     "三年电商在线客服经验，普通话标准，月均处理咨询两千条以上，满意度保持在 98% 以上。",
     ("广州番禺职业技术学院", "市场营销", "college", "2017-09", "2020-06"),
     [("广州某电商有限公司", "在线客服专员", "2020-07", "",
       "负责售前咨询和售后投诉处理。")]),
    ("demo_pool_05", "周俊杰", "male", "1995-01-09", "room_attendant", "440100",
     ("5000", "6500"), "客房清洁，布草管理，设施报修",
     "五年星级酒店客房服务经验，做事细致，能适应轮班。",
     ("广州市旅游商务职业学校", "酒店服务与管理", "high_school", "2010-09", "2013-06"),
     [("广州某国际酒店", "客房服务员", "2018-06", "",
       "负责楼层客房清洁和布草更换。"),
      ("佛山某酒店", "客房服务员", "2013-07", "2018-05",
       "负责客房清洁和物品补充。")]),
    ("demo_pool_06", "吴雨桐", "female", "1996-06-30", "receptionist", "440100",
     ("4500", "6000"), "前台接待，会议室管理，办公软件",
     "四年写字楼前台经验，熟悉访客登记、会议室预订和快递收发。",
     ("广东外语艺术职业学院", "文秘", "college", "2014-09", "2017-06"),
     [("广州某商务服务有限公司", "前台接待", "2017-07", "",
       "负责访客接待、会议室预订和行政采购。")]),
    ("demo_pool_07", "郑浩然", "male", "1992-09-18", "java_dev", "310100", ("25000", "35000"),
     "Java，微服务，Kubernetes，系统设计",
     "九年后端开发经验，主导过支付网关微服务化，熟悉 Kubernetes 上的部署和监控。",
     ("同济大学", "计算机科学与技术", "master", "2012-09", "2015-03"),
     [("上海某金融科技有限公司", "技术经理", "2020-01", "",
       "负责支付网关团队的技术方案和代码评审。"),
      ("上海某互联网有限公司", "Java开发工程师", "2015-04", "2019-12",
       "负责营销活动系统的开发。")]),
    ("demo_pool_08", "孙美琳", "female", "1998-04-22", "python_dev", "440100", ("10000", "15000"),
     "Python，Flask，SQL，Git",
     "两年 Python 开发经验，做过内部工具和数据清洗脚本，正在学习 Django。",
     ("广东工业大学", "信息管理与信息系统", "bachelor", "2016-09", "2020-06"),
     [("广州某信息技术有限公司", "Python开发工程师", "2020-07", "",
       "负责内部运营工具和数据清洗脚本的开发。")]),
]


def pool_phone(n: int) -> str:
    """The demo phone number of the ``n``-th pool seeker (from 1)."""
    return f"139000000{n:02d}"


def _user(username: str, name: str, phone: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username=username, password=DEMO_PASSWORD, role=Role.SEEKER, display_name=name,
            phone_ciphertext=encrypt_phone(phone), phone_index=phone_index(phone))
        legal_accept_current(user=user)
    return user


def pool_users() -> list[User]:
    return list(User.objects.filter(username__in=[row[0] for row in POOL]).order_by("username"))


def load(stdout: Any) -> None:
    if User.objects.filter(username=POOL[0][0]).exists():
        stdout.write("resumes: demo talent pool already present")
        return
    for n, (username, name, gender, birth, function, city, pay, skills, intro, school,
            work) in enumerate(POOL, start=1):
        seeker = _user(username, name, pool_phone(n))
        resume = services.resume_ensure(owner=seeker)
        services.resume_update(actor=seeker, resume=resume, data={
            "full_name": name, "gender": gender, "birth_date": birth,
            "desired_function": function, "desired_city": city,
            "desired_employment_type": "full_time", "desired_pay_min": pay[0],
            "desired_pay_max": pay[1], "self_introduction": intro, "skills": skills})
        services.resume_contact_set(actor=seeker, resume=resume, phone=pool_phone(n))
        services.entry_add(actor=seeker, resume=resume, kind="education", data=dict(zip(
            ("school", "major", "degree", "start_date", "end_date"), school, strict=True)))
        for company, title, start, end, description in work:
            services.entry_add(actor=seeker, resume=resume, kind="work", data={
                "company": company, "title": title, "start_date": start, "end_date": end,
                "description": description})
        resume = services.resume_submit(actor=seeker, resume=resume)
        services.visibility_set(actor=seeker, resume=resume, visibility=Visibility.PUBLIC)
    stdout.write(f"resumes: {len(POOL)} public résumés in the talent pool")
