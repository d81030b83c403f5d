"""RISK-2: the pop-up warning is acknowledged by a member of the organisation. RISK-1: chat
abuse joins the risk formula (risk-2026.2), a new version in the algorithm register."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

OLD, NEW = "risk-2026.1", "risk-2026.2"
PRINCIPLE = ("各项风险信号乘以权重后封顶求和，总分不超过 100：单位认证状态与认证时长、"
             "一年内成立的投诉举报、90 天内的举报和机审命中、处置措施、30 天内发布量、"
             "简历查看与下载量，以及沟通中的违规：本单位人员沟通消息的机审命中、成立的沟通举报、"
             "沟通处罚。70 分以上为高风险，40 分以上为中风险。每个分数列出每项信号的取值、"
             "权重和得分。高发布量或高风险单位的职位抽查比例由 2% 提高到 25%。")
INPUTS = ("单位认证记录、投诉举报案件、用户举报、机审记录、处置措施、职位发布量、简历访问记录、"
          "沟通消息的机审违规记录和沟通处罚记录。不使用求职者的个人特征。")


def forward(apps, schema_editor):
    algorithm_model = apps.get_model("recommendations", "Algorithm")
    change_model = apps.get_model("recommendations", "AlgorithmChange")
    algorithm = algorithm_model.objects.filter(slug="risk-score").first()
    if algorithm is None or algorithm.version == NEW:
        return
    now = timezone.now()
    algorithm.version, algorithm.principle, algorithm.inputs = NEW, PRINCIPLE, INPUTS
    algorithm.last_changed_at = now
    algorithm.save()
    change_model.objects.create(
        algorithm=algorithm, version=NEW, filing_status=algorithm.filing_status, changed_at=now,
        summary="沟通违规纳入风险评分：单位增加沟通机审命中（每次 2 分，封顶 20）、成立的沟通举报"
                "（每件 15 分，封顶 30）、沟通处罚（每次 10 分，封顶 30）；招聘者增加本人沟通机审命中"
                "（每次 3 分，封顶 15）和沟通处罚（每次 15 分，封顶 30）。")


def backward(apps, schema_editor):
    algorithm_model = apps.get_model("recommendations", "Algorithm")
    apps.get_model("recommendations", "AlgorithmChange").objects.filter(
        algorithm__slug="risk-score", version=NEW).delete()
    algorithm_model.objects.filter(slug="risk-score", version=NEW).update(version=OLD)


class Migration(migrations.Migration):

    dependencies = [
        ("risk", "0002_templates_and_register"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="sanctionnotice",
            name="acknowledged_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="已阅时间"),
        ),
        migrations.AddField(
            model_name="sanctionnotice",
            name="acknowledged_by",
            field=models.ForeignKey(blank=True, null=True,
                                    on_delete=django.db.models.deletion.SET_NULL,
                                    related_name="+", to=settings.AUTH_USER_MODEL),
        ),
        migrations.RunPython(forward, backward),
    ]
