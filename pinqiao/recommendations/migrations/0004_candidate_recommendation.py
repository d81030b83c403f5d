"""Register candidate recommendation (REC-4) as it enters the code (ALG-2)."""

from django.db import migrations
from django.utils import timezone

ROW = {
    "slug": "candidate-recommendation",
    "name": "人才推荐",
    "purpose": "为招聘者的在招职位推荐可能合适的求职者，并说明推荐理由（DB4401 5.2.2）。",
    "principle": (
        "候选人只来自简历已通过审核、本人选择「对已认证招聘方公开」、未屏蔽该单位、尚未投递该职位的求职者，"
        "取期望城市、期望职能或期望行业与职位相符、最近更新的简历（最多300份）。得分与职位推荐的匹配部分相同："
        "城市、职能（同类职能得部分分）、行业、期望薪资与职位薪资区间的重叠、学历和经验是否符合要求、"
        "技能和工作职位名称与职位描述的文字相似度，另加简历更新的新近程度（每7天减半）。"
        "按得分从高到低排列，附推荐理由；展示前再次核对该单位是否有权查看。"),
    "inputs": "简历中的期望城市、期望职能、期望行业、期望薪资、技能、学历、工作经历的职位名称和时长、简历更新时间；"
              "职位信息。不使用性别、年龄、民族、户籍、婚育、健康等信息，也不使用求职者的浏览、投递和反馈记录。",
    "output": "脱敏的求职者列表（姓名仅显示姓氏，无联系方式、性别和照片），每人附推荐理由。",
    "user_controls": "求职者可把简历设为「仅对我投递过的单位可见」或「隐藏」，或屏蔽指定单位，即不再被推荐给相应单位。",
    "version": "1.0",
    "code_path": "pinqiao/recommendations/talent.py, pinqiao/recommendations/scoring.py",
    "filing_status": "preparing",
}
OWNER = "算法治理小组（产品负责人）"


def forward(apps, schema_editor):
    algorithm_model = apps.get_model("recommendations", "Algorithm")
    change_model = apps.get_model("recommendations", "AlgorithmChange")
    now = timezone.now()
    algorithm, created = algorithm_model.objects.get_or_create(
        slug=ROW["slug"], defaults={**ROW, "owner": OWNER, "last_changed_at": now})
    if created:
        change_model.objects.create(
            algorithm=algorithm, version=algorithm.version, filing_status=algorithm.filing_status,
            summary="登记：公开简历与职位的结构化匹配 + 文字相似度 + 简历活跃度，附推荐理由，脱敏展示。",
            changed_at=now)


def backward(apps, schema_editor):
    apps.get_model("recommendations", "Algorithm").objects.filter(slug=ROW["slug"]).delete()


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0003_notification_templates")]

    operations = [migrations.RunPython(forward, backward)]
