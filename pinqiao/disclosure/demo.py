"""Demo disclosure data: operator profile, legal documents v1, services and prices."""

from datetime import date
from decimal import Decimal
from pathlib import Path

from pinqiao.disclosure.models import LegalDocument, LegalKind, OperatorProfile, ServiceOffering

CONTENT = Path(__file__).parent / "content"

SERVICES = [
    ("seeker", "简历创建与投递", "在线创建简历、投递职位、查看投递进度", True, "0", ""),
    ("seeker", "职位搜索与推荐", "职位搜索、订阅提醒、个性化推荐（可关闭）", True, "0", ""),
    ("seeker", "在线面试与求职咨询", "视频面试、客服咨询与投诉", True, "0", ""),
    ("employer", "单位认证与基础发布", "资质核验后每月免费发布5个职位", True, "0", ""),
    ("employer", "职位置顶", "职位在搜索结果中置顶展示7天", False, "199.00", "个职位·7天"),
    ("employer", "人才库简历查看", "每日可查看并联系的简历数增加100份", False, "599.00", "月"),
    ("agency", "代招职位发布", "持人力资源服务许可证的机构按委托发布代招职位", False, "899.00",
     "月"),
    ("agency", "网络招聘会展位", "参加平台举办的网络招聘会", False, "1500.00", "场"),
]


def load(stdout) -> None:  # noqa: ANN001
    OperatorProfile.objects.update_or_create(pk=1, defaults={
        "company_name": "聘桥（广州）人力资源科技有限公司",
        "credit_code": "91440106MA9Y7K3Q2J",
        "business_licence_no": "91440106MA9Y7K3Q2J",
        "hr_licence_no": "（粤）人服证字〔2025〕第0106000123号",
        "hr_licence_authority": "广州市天河区人力资源和社会保障局",
        "hr_licence_valid_until": date(2030, 6, 30),
        "icp_no": "粤ICP备2025000123号-1",
        "complaint_hotline": "020-12345678",
        "complaint_email": "complaints@pinqiao.example",
        "address": "广东省广州市天河区示例路1号",
        "credit_score": 98,
        "credit_grade": "A",
        "violation_summary": "",
        "regulator_name": "广州市人力资源和社会保障局",
        "regulator_url": "https://rsj.gz.gov.cn/",
    })
    titles = dict(LegalKind.choices)
    for kind in LegalKind.values:
        LegalDocument.objects.get_or_create(kind=kind, version="1.0", defaults={
            "title": str(titles[kind]),
            "body": (CONTENT / f"{kind}.txt").read_text(encoding="utf-8"),
            "published_at": "2026-01-01T00:00:00+08:00",
        })
    for order, (audience, name, description, free, price, unit) in enumerate(SERVICES):
        ServiceOffering.objects.update_or_create(name=name, audience=audience, defaults={
            "description": description, "is_free": free, "price_yuan": Decimal(price),
            "price_unit": unit, "sort_order": order})
    stdout.write("disclosure: operator profile, 5 legal documents, services")
