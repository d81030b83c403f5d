"""The sanction notice template (RISK-2) and the risk formula in the algorithm register
(RISK-1, ALG-2)."""

from django.db import migrations
from django.utils import timezone

from pinqiao.notifications.defaults import install, remove

ROWS = [
    ("sanction_notice", "inbox", "处置告知：{{ kind }}",
     "{{ organisation }}：平台依据“{{ rule }}”对贵单位采取“{{ kind }}”措施。"
     "证据：{{ evidence }}{% if case %}（案件 {{ case }}）{% endif %}。"
     "如有异议，请于 {{ appeal_until }} 前在「处置与申诉」页面提出申诉。", "处置告知（被处置单位）"),
]

ALGORITHM = {
    "slug": "risk-score",
    "name": "风险评分",
    "purpose": "对单位、招聘者和职位进行风险评估，决定人工审核的抽查比例和处置的优先次序"
               "（DB4401 7.2.1–7.2.2，RISK-1、RISK-4）。",
    "principle": "各项风险信号乘以权重后封顶求和，总分不超过 100：单位认证状态与认证时长、"
                 "一年内成立的投诉举报、90 天内的举报和机审命中、处置措施、30 天内发布量、"
                 "简历查看与下载量。70 分以上为高风险，40 分以上为中风险。每个分数列出每项信号的取值、"
                 "权重和得分。高发布量或高风险单位的职位抽查比例由 2% 提高到 25%。",
    "inputs": "单位认证记录、投诉举报案件、用户举报、机审记录、处置措施、职位发布量、简历访问记录。"
              "不使用求职者的个人特征。",
    "output": "0–100 的风险分、风险等级和构成说明，仅供平台工作人员使用。",
    "user_controls": "被处置单位可对处置提出申诉，由处置人以外的人员处理。",
    "version": "risk-2026.1",
    "code_path": "pinqiao/risk/formula.py",
    "filing_status": "not_required",
    "public": False,
}


def forward(apps, schema_editor):
    install(apps, ROWS)
    algorithm_model = apps.get_model("recommendations", "Algorithm")
    change_model = apps.get_model("recommendations", "AlgorithmChange")
    now = timezone.now()
    algorithm, created = algorithm_model.objects.get_or_create(
        slug=ALGORITHM["slug"], defaults={**ALGORITHM, "owner": "风控组（平台运营负责人）",
                                          "last_changed_at": now})
    if created:
        change_model.objects.create(algorithm=algorithm, version=algorithm.version,
                                    summary="登记：八类单位信号、五类招聘者信号、五类职位信号加权封顶求和。",
                                    filing_status=algorithm.filing_status, changed_at=now)


def backward(apps, schema_editor):
    remove(apps, ROWS)
    apps.get_model("recommendations", "Algorithm").objects.filter(
        slug=ALGORITHM["slug"]).delete()


class Migration(migrations.Migration):
    dependencies = [("risk", "0001_initial"), ("notifications", "0002_default_templates"),
                    ("recommendations", "0002_algorithm_register")]

    operations = [migrations.RunPython(forward, backward)]
