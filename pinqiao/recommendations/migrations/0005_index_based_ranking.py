"""Record code changes in the algorithm register (ALG-2): job search ranking is now the Tantivy
BM25 ranking with freshness and quality (decision 0010); job recommendation takes its
candidates from the job index and candidate recommendation its pool from the résumé index
(decision 0011)."""

import importlib

from django.db import migrations
from django.utils import timezone

CHANGES = [
    {
        "slug": "job-search-ranking",
        "fields": {
            "principle": (
                "关键词先经中文分词（结巴分词算法，附职位名称和技能词典；同义词统一为一种写法，如「驾驶员」与"
                "「司机」、「Web前端」与「前端」），再在全文索引中匹配：职位名称（权重3）、技能（职能名称和文中的"
                "技能词，权重2）、单位名称和行业（权重2）、工作地点（权重1.5）、招聘条件、工作内容、工作时间、"
                "社会保险和住房（权重1）；每个关键词至少匹配一处，地名（如「广州」「天河」）只匹配工作地点和"
                "职位名称。按BM25相关度打分，取前500个结果乘以新鲜度系数 1 + 0.5 × 2^(−发布天数/14)"
                "（当天发布的职位最多提高50%，每14天减半），「优质职位」再乘以1.2，得分相同时较新的职位在前。"
                "也可改按发布时间从新到旧排序；不输入关键词时先列「优质职位」，再按发布时间从新到旧。"
                "地区、行业、职能、薪资、经验、学历、用工形式和发布时间等筛选条件只做筛选，不影响得分。"
                "只列出已发布、在有效期内且单位状态正常的职位，每页结果展示前再与数据库核对。"
                "登录求职者看到的结果会被记录，仅用于算法偏差监测，不影响排序。"),
            "inputs": (
                "查询词和筛选条件；职位的名称、职能、行业、单位（或代招的委托单位）名称、工作地点、招聘条件、"
                "工作内容、工作时间、社会保险、住房、薪资、经验和学历要求、用工形式、优质职位标识、发布时间"
                "和有效期。不使用搜索者的个人信息，也不使用其浏览和投递记录。"),
            "output": "职位列表（每页默认20条，最多500条），标题和摘要中标出匹配的关键词。",
            "user_controls": "排序不针对个人特征，所有用户对同一查询和筛选条件看到相同结果；可改按发布时间排序。",
            "code_path": "pinqiao/search/selectors.py, pinqiao/search/postings.py, "
                         "pinqiao/search/analysis.py",
            "version": "1.0",
        },
        "summary": "全文检索上线：中文分词和同义词，按字段加权的BM25相关度，乘以新鲜度（每14天减半）和"
                   "优质职位系数（1.2），可按发布时间排序；每页结果与数据库核对。",
    },
    {
        "slug": "job-recommendation",
        "fields": {
            "principle": (
                "仅在求职者同意个性化推荐后运行。先在职位全文索引中按兴趣标签检索候选职位，至少满足一项："
                "期望城市（同省得部分分）、职能（同类职能得部分分）、行业，或技能和关键词标签经与职位搜索"
                "相同的中文分词后与职位名称、技能和正文的匹配（BM25）；与期望薪资区间重叠的职位加分；"
                "已标记「不感兴趣」和已投递的职位不作为候选。各项分值与下面的推荐得分相同，取前1000个结果"
                "按发布时间加权（最多提高50%，每7天减半）后取前300个，再与数据库核对，只保留在招职位。"
                "索引暂时不可用时，改为从数据库中取兴趣标签所含城市、职能或行业的最新300个在招职位。"
                "然后为每个候选职位计算得分：城市匹配、职能匹配（同类职能得部分分）、行业匹配、期望薪资与"
                "职位薪资区间的重叠、学历和经验是否符合要求、技能和关键词与职位描述的文字相似度、"
                "发布时间的新鲜度（每7天减半）；「更多类似」的职位会把其城市、职能和关键词加入兴趣标签，"
                "「不感兴趣」会移除该职位并降低同一单位、同一职能职位的得分。按得分从高到低排列，"
                "每条推荐显示对得分贡献最大的理由。"),
            "inputs": (
                "简历中的期望职位、期望城市、期望行业、期望薪资、技能、学历、工作经验和最近的工作职位名称；"
                "投递记录；对推荐的「不感兴趣」「更多类似」反馈。不使用性别、年龄、民族、户籍、婚育、健康等信息。"),
            "code_path": "pinqiao/recommendations/candidates.py, "
                         "pinqiao/recommendations/index_query.py, "
                         "pinqiao/recommendations/scoring.py",
            "version": "1.1",
        },
        "summary": "候选职位改为从全文索引按兴趣标签检索（城市、职能、行业、技能词，分值与推荐得分相同；"
                   "已投递和「不感兴趣」的职位排除），按新鲜度取前300个，再与数据库核对；索引不可用时从数据库取。"
                   "推荐得分和推荐理由不变。",
    },
    {
        "slug": "candidate-recommendation",
        "fields": {
            "principle": (
                "候选人来自简历全文索引，索引中只有简历已通过审核、本人选择「对已认证招聘方公开」且账号有效的"
                "求职者；屏蔽了该单位的简历和已投递该职位的求职者在索引中排除。检索条件至少满足一项：期望城市"
                "与职位相同（同省得部分分）、期望职能相同（同类职能得部分分），或职位名称中的词和职位要求、工作内容中的"
                "技能词（词典中的职位和技能词、英文技能名）出现在简历的职位名称、技能或正文中（BM25）；"
                "期望薪资与职位薪资区间重叠的加分。各项分值与推荐得分相同，取前1000个结果按简历更新时间加权"
                "（最多提高50%，每7天减半）后取前300份，再与数据库核对。索引暂时不可用时，改为从数据库中取"
                "期望城市、期望职能或期望行业与职位相符、最近更新的300份简历。得分与职位推荐的匹配部分相同："
                "城市、职能（同类职能得部分分）、行业、期望薪资与职位薪资区间的重叠、学历和经验是否符合要求、"
                "技能和工作职位名称与职位描述的文字相似度，另加简历更新的新近程度（每7天减半）。"
                "按得分从高到低排列，附推荐理由；展示前再次核对该单位是否有权查看。"),
            "inputs": (
                "简历中的期望城市、期望职能、期望行业、期望薪资、技能和证书、学历、工作经历（职位名称、时长和"
                "工作描述）、自我介绍、简历更新时间；职位信息。不使用姓名、联系方式、性别、年龄、民族、户籍、"
                "婚育、健康等信息，也不使用求职者的浏览、投递和反馈记录。"),
            "code_path": "pinqiao/recommendations/talent.py, "
                         "pinqiao/recommendations/index_query.py, "
                         "pinqiao/recommendations/scoring.py",
            "version": "1.1",
        },
        "summary": "候选人改为从简历全文索引检索（期望城市、职能，职位名称和技能词，分值与推荐得分相同；"
                   "屏蔽该单位的简历和已投递者在索引中排除），按简历更新时间取前300份，再与数据库核对；"
                   "索引不可用时从数据库取。推荐得分和推荐理由不变。",
    },
]


def forward(apps, schema_editor):
    algorithm_model = apps.get_model("recommendations", "Algorithm")
    change_model = apps.get_model("recommendations", "AlgorithmChange")
    now = timezone.now()
    for change in CHANGES:
        algorithm = algorithm_model.objects.filter(slug=change["slug"]).first()
        if algorithm is None or algorithm.version == change["fields"]["version"]:
            continue
        for name, value in change["fields"].items():
            setattr(algorithm, name, value)
        algorithm.last_changed_at = now
        algorithm.save()
        change_model.objects.create(algorithm=algorithm, version=algorithm.version,
                                    summary=change["summary"],
                                    filing_status=algorithm.filing_status, changed_at=now)


def backward(apps, schema_editor):
    """Back to the texts and versions the entries were registered with (0002, 0004)."""
    algorithm_model = apps.get_model("recommendations", "Algorithm")
    change_model = apps.get_model("recommendations", "AlgorithmChange")
    opened = {row["slug"]: row for row in importlib.import_module(
        "pinqiao.recommendations.migrations.0002_algorithm_register").ALGORITHMS}
    candidate = importlib.import_module(
        "pinqiao.recommendations.migrations.0004_candidate_recommendation").ROW
    opened[candidate["slug"]] = candidate
    for change in CHANGES:
        algorithm = algorithm_model.objects.filter(slug=change["slug"]).first()
        if algorithm is None:
            continue
        change_model.objects.filter(algorithm=algorithm,
                                    version=change["fields"]["version"]).delete()
        for name in change["fields"]:
            setattr(algorithm, name, opened[change["slug"]][name])
        previous = change_model.objects.filter(algorithm=algorithm).order_by(
            "-changed_at", "-pk").first()
        if previous is not None:
            algorithm.last_changed_at = previous.changed_at
        algorithm.save()


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0004_candidate_recommendation")]

    operations = [migrations.RunPython(forward, backward)]
