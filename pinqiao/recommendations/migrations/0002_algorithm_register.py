"""The algorithms in use when the register opened (ALG-2), each with its first history entry.
Later code changes add a migration that records the new version (``record``)."""

from django.db import migrations
from django.utils import timezone

OWNER = "算法治理小组（产品负责人）"

ALGORITHMS = [
    {
        "slug": "job-search-ranking",
        "name": "职位搜索排序",
        "purpose": "在求职者输入关键词和筛选条件后，列出相关的在招职位。",
        "principle": (
            "按职位名称、单位名称、招聘条件、工作内容和工作地点名称匹配关键词（每个关键词都需匹配，"
            "省、市名称涵盖其下属区县），只列出已发布且单位状态正常的职位。排序：先列「优质职位」"
            "（见「优质职位标识」），再按发布时间从新到旧。"),
        "inputs": "查询词；职位的标题、单位名称、招聘条件、工作内容、工作地点、优质职位标识、发布时间。"
                  "不使用搜索者的个人信息。",
        "output": "职位列表（分页）。",
        "user_controls": "排序不针对个人特征，所有用户对同一查询看到相同结果。",
        "version": "0.1",
        "code_path": "pinqiao/jobs/selectors.py: postings_public",
        "filing_status": "not_required",
        "summary": "登记：关键词匹配，优质职位优先、再按发布时间排序（全文检索上线前的版本）。",
    },
    {
        "slug": "job-recommendation",
        "name": "职位推荐",
        "purpose": "为求职者推荐可能合适的在招职位，并说明每条推荐的理由（DB4401 6.1.3）。",
        "principle": (
            "仅在求职者同意个性化推荐后运行。先从求职者的兴趣标签（期望城市、职能、行业）中取出最近发布的"
            "在招职位作为候选（最多300个），再为每个职位计算得分：城市匹配、职能匹配（同类职能得部分分）、"
            "行业匹配、期望薪资与职位薪资区间的重叠、学历和经验是否符合要求、技能和关键词与职位描述的文字相似度、"
            "发布时间的新鲜度（每7天减半）；「更多类似」的职位会把其城市、职能和关键词加入兴趣标签，"
            "「不感兴趣」会移除该职位并降低同一单位、同一职能职位的得分。按得分从高到低排列，"
            "每条推荐显示对得分贡献最大的理由。"),
        "inputs": "简历中的期望职位、期望城市、期望行业、期望薪资、技能、学历、工作经验；投递记录；"
                  "对推荐的「不感兴趣」「更多类似」反馈。不使用性别、年龄、民族、户籍、婚育、健康等信息。",
        "output": "职位推荐列表，每条附推荐理由。",
        "user_controls": (
            "推荐页的开关可随时开启或关闭个性化推荐，关闭后下一次访问即改为不针对个人特征的推荐"
            "（所选城市近14天投递人数多和最新发布的职位）；「我的兴趣标签」页可查看、删除和恢复标签，"
            "并撤销反馈。"),
        "version": "1.0",
        "code_path": "pinqiao/recommendations/scoring.py, pinqiao/recommendations/candidates.py",
        "filing_status": "preparing",
        "summary": "登记：结构化匹配 + 文字相似度 + 新鲜度 + 反馈的职位推荐，附推荐理由，个性化需同意。",
    },
    {
        "slug": "posting-screening",
        "name": "招聘信息自动筛查",
        "purpose": "在招聘信息、简历等内容公开前识别就业歧视、欺诈、收费、站外联系方式等违法违规内容。",
        "principle": (
            "按可由审核人员维护的规则集（词表、模式、否定词）逐句匹配，处理全角、谐音等变形；每条命中记录"
            "规则、条款和原文位置。结果分为通过、转人工审核、拒绝三类，取最严重的一类；转人工和拒绝都会"
            "告诉发布者原因和命中的词语，发布者可对机器拒绝申诉一次。"),
        "inputs": "待发布内容的文字；规则集。",
        "output": "通过 / 人工审核 / 拒绝，附类别、规则和命中词。",
        "user_controls": "发布者可查看原因、修改后重新提交，或对机器拒绝提出申诉，由人工复核。",
        "version": "2026.11.1",
        "code_path": "pinqiao/moderation/engine.py, pinqiao/moderation/rules/default.json",
        "filing_status": "not_required",
        "summary": "登记：规则集 2026.11.1。",
    },
    {
        "slug": "duplicate-detection",
        "name": "重复职位识别",
        "purpose": "发现同一单位或不同单位重复发布的职位，防止刷屏和虚假信息。",
        "principle": (
            "对职位标题和正文按3字一组计算64位SimHash指纹；两个指纹相差不超过3位即视为高度相似。"
            "指纹分成4段建立索引，只比较至少一段相同的职位。相似的职位转人工审核，声明为转载的除外。"),
        "inputs": "职位标题、招聘条件、工作内容。",
        "output": "相似职位列表，转人工审核。",
        "user_controls": "由审核人员最终决定；发布者会收到转人工审核的原因。",
        "version": "1.0",
        "code_path": "pinqiao/jobs/similarity.py, pinqiao/jobs/services.py",
        "filing_status": "not_required",
        "summary": "登记：SimHash 64位，汉明距离≤3。",
    },
    {
        "slug": "credit-score",
        "name": "用人单位信用分",
        "purpose": "向求职者公示用人单位和人力资源服务机构的守信情况，并用于优质职位标识。",
        "principle": (
            "满分100分，扣除近36个月内每条已确认违规记录的分值（一般5分、较重15分、严重40分），最低0分；"
            "90分及以上为A级，75分及以上为B级，60分及以上为C级，其余为D级。"),
        "inputs": "单位的违规记录（类别、严重程度、发生时间）。",
        "output": "信用分和等级，在「许可及监管」栏公示。",
        "user_controls": "规则对所有单位相同；计分所依据的违规记录逐条公示。",
        "version": "1.0",
        "code_path": "pinqiao/orgs/selectors.py: credit_score_for",
        "filing_status": "not_required",
        "summary": "登记：100分起扣，36个月窗口，A/B/C/D四级。",
    },
    {
        "slug": "quality-label",
        "name": "优质职位标识",
        "purpose": "标出信息完整、单位守信的职位，并在搜索中优先展示。",
        "principle": (
            "同时满足以下条件的已发布职位获得「优质职位」标识：单位已认证、信用分不低于90分、"
            "近180天无违规；写明社会保险；薪资区间上限不超过下限的2倍；未被筛查、薪资检查或举报标记；"
            "代招职位的委托证明在有效期内。每天复核一次。"),
        "inputs": "单位认证状态、信用分和违规记录；职位的社会保险、薪资、筛查和举报记录。",
        "output": "是否显示「优质职位」标识。",
        "user_controls": "规则对所有职位相同，不针对个人。",
        "version": "1.0",
        "code_path": "pinqiao/jobs/services.py: quality_label_eligible",
        "filing_status": "not_required",
        "summary": "登记：JOB-7 规则。",
    },
    {
        "slug": "organisation-risk-score",
        "name": "单位注册风险分",
        "purpose": "在单位注册审核时提示可疑注册（冒用、重复注册），让高风险的审核事项优先处理。",
        "principle": (
            "对每项异常计分并相加，上限100：统一社会信用代码曾被其他账号使用30分，证照文件与其他账号相同40分，"
            "经办人曾为其他账号经办20分，同一人提交多家单位20分，名称与工商登记不一致30分，工商登记查无此单位40分。"
            "风险分只用于排序和提示，是否通过由审核人员决定。"),
        "inputs": "注册资料、证照文件指纹、经办人身份信息的密文索引、工商登记查询结果。",
        "output": "0–100 风险分和异常清单（仅工作人员可见）。",
        "user_controls": "审核人员人工决定；单位被要求补充材料时会收到原因。",
        "version": "1.0",
        "code_path": "pinqiao/orgs/services.py, pinqiao/orgs/models.py: ANOMALY_WEIGHTS",
        "filing_status": "not_required",
        "public": False,
        "summary": "登记：六类异常加权求和。",
    },
]


def forward(apps, schema_editor):
    algorithm_model = apps.get_model("recommendations", "Algorithm")
    change_model = apps.get_model("recommendations", "AlgorithmChange")
    now = timezone.now()
    for row in ALGORITHMS:
        row = dict(row)
        summary = row.pop("summary")
        algorithm, created = algorithm_model.objects.get_or_create(
            slug=row["slug"], defaults={**row, "owner": OWNER, "last_changed_at": now})
        if created:
            change_model.objects.create(algorithm=algorithm, version=algorithm.version,
                                        summary=summary, filing_status=algorithm.filing_status,
                                        changed_at=now)


def backward(apps, schema_editor):
    apps.get_model("recommendations", "Algorithm").objects.filter(
        slug__in=[row["slug"] for row in ALGORITHMS]).delete()


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
