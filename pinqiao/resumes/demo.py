"""Demo résumé for the demo seeker (张小明): every section filled, submitted and approved, so
the résumé pages, the PDF templates and applying have something to show. Idempotent."""

from __future__ import annotations

from pinqiao.accounts.models import User
from pinqiao.resumes import services
from pinqiao.resumes.models import Resume, ReviewStatus

BASIC = {"full_name": "张小明", "gender": "male", "birth_date": "1996-03-07"}
INTENTION = {"desired_function": "warehouse_keeper", "desired_industry": "logistics",
             "desired_city": "440100", "desired_employment_type": "full_time",
             "desired_pay_min": "6000", "desired_pay_max": "8000"}
ABOUT = {
    "self_introduction": "五年仓储物流工作经验，持叉车操作证，熟悉仓库管理系统和 Excel。"
                         "在上一份工作中负责 3000 平方米仓库的收发货和盘点，"
                         "把盘点差异率从 1.2% 降到 0.3%。希望在广州找一份仓库管理的工作。",
    "skills": "仓库管理系统，Excel，叉车操作，库存盘点",
    "interests": "篮球，做饭",
}
CONTACT = {"phone": "13800000001", "email": "xiaoming@seeker.example", "im": "xiaoming_wx"}
EDUCATION = [{"school": "广州市交通运输职业学校", "major": "物流服务与管理",
              "degree": "high_school", "start_date": "2012-09", "end_date": "2015-06",
              "description": "在校期间在物流园实习半年。"}]
WORK = [
    {"company": "广州某物流有限公司", "title": "仓库管理员", "start_date": "2019-03",
     "end_date": "", "description": "负责收发货登记、库位管理和月度盘点，带 3 名理货员。",
     "achievements": "盘点差异率从 1.2% 降到 0.3%；发货差错全年少于 5 单。"},
    {"company": "佛山某商贸有限公司", "title": "理货员", "start_date": "2015-07",
     "end_date": "2019-02", "description": "负责商品上架、拣货和出库复核。",
     "achievements": "连续两年获评优秀员工。"},
]
CERTIFICATES = [{"name": "叉车司机（N1）特种设备作业人员证", "issuer": "广州市市场监督管理局",
                 "obtained_on": "2017-05"}]
HONOURS = [{"title": "年度优秀员工", "awarder": "佛山某商贸有限公司", "awarded_on": "2018-01"}]


def load(stdout) -> None:  # noqa: ANN001
    seeker = User.objects.filter(username="demo_seeker").first()
    if seeker is None:
        stdout.write("resumes: demo seeker missing, skipped")
        return
    existing = Resume.objects.filter(owner=seeker).first()
    if existing is not None and existing.review_status != ReviewStatus.DRAFT:
        stdout.write(f"resumes: demo résumé already present ({existing.review_status})")
        return
    resume = services.resume_ensure(owner=seeker)
    services.resume_update(actor=seeker, resume=resume, data={**BASIC, **INTENTION, **ABOUT})
    services.resume_contact_set(actor=seeker, resume=resume, **CONTACT)
    for kind, rows in (("education", EDUCATION), ("work", WORK),
                       ("certificate", CERTIFICATES), ("honour", HONOURS)):
        if not services.ENTRY_KINDS[kind].model.objects.filter(resume=resume).exists():
            for row in rows:
                services.entry_add(actor=seeker, resume=resume, kind=kind, data=row)
    resume = services.resume_submit(actor=seeker, resume=resume)
    stdout.write(f"resumes: demo résumé for demo_seeker ({resume.review_status})")
