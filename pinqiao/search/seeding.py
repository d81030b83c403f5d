"""Deterministic, realistic Chinese postings for benchmarks and demos (``seed_postings``).

``Generator(seed)`` yields plain dicts: organisations (employers across 40 cities and the
taxonomy's industries, with valid GB 32100 credit codes) and postings (every job function of
the taxonomy, weighted towards the common ones, with titles, requirements, duties, pay by
family and city tier, dates over the last 90 days). The same seed gives the same rows.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from pinqiao.reference import divisions, taxonomy
from pinqiao.reference.validators import make_uscc

#: (city, weight, pay factor): the four first-tier cities weigh most and pay most.
CITIES: tuple[tuple[str, int, float], ...] = (
    ("110100", 10, 1.3), ("310100", 10, 1.3), ("440100", 9, 1.2), ("440300", 9, 1.3),
    ("330100", 6, 1.15), ("510100", 6, 1.0), ("420100", 5, 1.0), ("610100", 4, 0.95),
    ("320100", 4, 1.05), ("500100", 5, 0.95), ("320500", 4, 1.05), ("120100", 4, 1.0),
    ("430100", 3, 0.95), ("410100", 3, 0.9), ("441900", 4, 1.0), ("440600", 3, 1.0),
    ("370200", 3, 0.95), ("340100", 3, 0.95), ("330200", 2, 1.0), ("350200", 2, 1.0),
    ("530100", 2, 0.9), ("210100", 2, 0.85), ("370100", 2, 0.9), ("350100", 2, 0.9),
    ("320200", 2, 1.0), ("210200", 2, 0.9), ("450100", 1, 0.85), ("230100", 1, 0.8),
    ("220100", 1, 0.8), ("130100", 1, 0.8), ("520100", 1, 0.85), ("360100", 1, 0.85),
    ("140100", 1, 0.8), ("330300", 1, 0.95), ("350500", 1, 0.95), ("441300", 1, 0.95),
    ("440400", 1, 1.0), ("442000", 1, 0.95), ("620100", 1, 0.8), ("650100", 1, 0.85),
)


class Family:
    """What postings of one job family look like (lists given as 「|」-separated text)."""

    def __init__(self, weight: int, pay: tuple[int, int], industries: str, skills: str,
                 duties: str, education: str, prefixes: str) -> None:
        self.weight, self.pay = weight, pay
        self.industries = tuple(industries.split("|"))
        self.skills = tuple(skills.split("|"))
        self.duties = tuple(duties.split("|"))
        self.education = tuple(education.split("|"))
        self.prefixes = tuple(prefixes.split("|"))


_OFFICE = "熟练使用Excel、Word和PPT等办公软件|具备良好的沟通协调能力和团队合作精神"
#: family: (weight, monthly pay range, industries, skills, duties, education, title prefixes);
#: lists are 「|」-separated.
FAMILIES: dict[str, Family] = {name: Family(*row) for name, row in {
    "tech": (
        10, (12000, 30000),
        "internet|software|artificial_intelligence|fintech|gaming|telecom|ecommerce",
        "熟悉Java、Spring Boot和MySQL|熟悉Python和Django框架|熟悉Go语言和微服务|"
        "熟悉Vue或React等前端框架|熟悉Linux常用命令和Shell脚本|了解Redis、Kafka等中间件|"
        "熟悉Docker和Kubernetes|有高并发系统设计经验者优先|熟悉C++和数据结构|"
        "熟悉Android或iOS原生开发|具备自动化测试脚本编写能力|熟悉TypeScript",
        "负责公司核心业务系统的设计与开发|参与需求评审和技术方案设计|编写高质量代码和单元测试|"
        "负责线上问题排查和性能优化|参与代码评审，持续改进研发流程|"
        "与产品、测试团队紧密协作按期交付",
        "bachelor|bachelor|college|master", "||高级|资深|初级"),
    "data": (
        3, (10000, 25000), "internet|artificial_intelligence|fintech|banking",
        "熟练使用SQL和Python进行数据分析|熟悉Hive、Spark等大数据工具|熟悉Tableau或帆软报表|"
        "具备统计学基础|有数据标注或质检经验者优先",
        "负责业务数据的提取、清洗和分析|搭建数据指标体系和可视化报表|输出分析报告，支持业务决策"
        "|负责数据仓库的建设与维护",
        "bachelor|master|college", ""),
    "product": (
        2, (12000, 28000), "internet|software|ecommerce",
        "熟练使用Axure、墨刀等原型工具|有B端或C端产品经验|具备数据分析能力",
        "负责产品需求调研与规划|撰写产品需求文档并跟进研发进度|收集用户反馈，持续优化产品体验",
        "college|bachelor", ""),
    "design": (
        2, (8000, 20000), "internet|advertising_marketing|decoration|textile_apparel",
        "熟练使用Photoshop、Illustrator|熟练使用Figma或Sketch|熟练使用AutoCAD和3DMax|"
        "具备良好的审美和创意能力|需提供个人作品集",
        "负责产品界面和视觉设计|配合运营完成活动页面和海报设计|参与品牌视觉规范的制定",
        "college|bachelor", ""),
    "operations": (
        5, (6000, 15000), "ecommerce|cross_border_ecommerce|internet|live_streaming|retail",
        "熟悉亚马逊、速卖通等跨境电商平台规则|熟悉淘宝、京东、拼多多店铺运营|"
        "熟悉抖音、快手直播运营|有新媒体账号运营经验|英语四级以上，能阅读英文邮件|"
        "具备数据分析能力",
        "负责店铺日常运营和商品上架|策划并执行平台促销活动|分析流量和转化数据，优化推广投放|"
        "负责社群和用户的日常维护|撰写公众号、小红书等平台内容",
        "college|bachelor|any", ""),
    "marketing": (
        3, (6000, 15000),
        "advertising_marketing|internet|real_estate_development|education_training",
        "有市场推广或活动策划经验|熟悉SEO、SEM推广|文案功底扎实",
        "制定并执行市场推广计划|组织线上线下品牌活动|负责渠道拓展和合作洽谈",
        "college|bachelor", ""),
    "sales": (
        12, (5000, 15000),
        "real_estate_agency|insurance|auto_sales_service|wholesale_trade|software|"
        "education_training|import_export|pharmacy_retail",
        "有销售经验者优先，优秀应届生亦可|普通话标准，沟通表达能力强|能承受一定的工作压力|"
        "有C1驾照者优先|英语良好，能用英语与外国客户沟通",
        "负责开发新客户并维护老客户关系|完成个人销售业绩目标|收集市场信息和竞争对手动态|"
        "为客户讲解产品并促成签约|参加展会和客户拜访",
        "any|high_school|college", "||储备|高级"),
    "customer_service": (
        6, (4000, 7000), "ecommerce|telecom|banking|internet|express_delivery",
        "普通话标准，打字速度每分钟50字以上|有耐心和服务意识|能适应倒班",
        "通过电话和在线平台解答客户咨询|处理客户投诉和售后问题|记录客户反馈并跟进处理结果",
        "high_school|college|any", ""),
    "admin": (
        5, (4000, 7000),
        "software|real_estate_development|manufacturing|consulting|education_training",
        _OFFICE + "|" + "做事细心，责任心强|有行政文员工作经验者优先",
        "负责前台接待和来访登记|负责办公用品采购和固定资产管理|整理文件档案，处理日常行政事务|"
        "协助组织公司会议和员工活动",
        "college|high_school|bachelor", ""),
    "finance": (
        4, (5000, 12000),
        "accounting_services|manufacturing|wholesale_trade|real_estate_development",
        "持有初级会计证|熟练使用金蝶、用友等财务软件|熟悉税务申报流程|注册会计师优先",
        "负责日常账务处理和凭证审核|编制月度、年度财务报表|负责纳税申报和发票管理|"
        "配合年度审计工作",
        "college|bachelor", ""),
    "hr": (
        3, (5000, 12000), "hr_services|labour_dispatch|manufacturing|internet",
        _OFFICE + "|" + "熟悉劳动法律法规|有招聘渠道资源者优先",
        "负责招聘需求的对接和简历筛选|办理员工入职、离职和社保手续|组织员工培训和绩效考核",
        "college|bachelor", ""),
    "legal": (
        1, (7000, 18000), "legal_services|fintech|real_estate_development",
        "通过国家统一法律职业资格考试|熟悉公司法和合同法",
        "负责合同审核和法律风险评估|处理劳动争议和诉讼事务",
        "bachelor|master", ""),
    "logistics": (
        10, (5000, 10000), "logistics|express_delivery|road_transport|manufacturing|retail",
        "持有叉车证|持有C1驾照，驾龄3年以上|持有A2或B2驾照|能吃苦耐劳，服从安排|"
        "熟悉仓库管理系统和出入库流程|熟悉广州、深圳等城市路线",
        "负责货物的装卸、搬运和码放|按时完成快递派送和揽收|驾驶货车完成城市配送任务|"
        "负责仓库货物的出入库登记和盘点|负责车辆日常保养和安全检查",
        "any|junior_high|high_school", ""),
    "purchasing": (
        2, (6000, 12000), "manufacturing|import_export|wholesale_trade",
        "熟悉采购流程和供应商管理|熟悉进出口报关流程|英语读写流利",
        "负责原材料采购和供应商开发|跟进订单生产进度和交期|制作报关单证",
        "college|bachelor", ""),
    "catering": (
        7, (4000, 8000), "catering|hotel",
        "有健康证|有中餐或西餐厨房工作经验|吃苦耐劳，能适应轮班",
        "负责餐厅日常接待和点餐服务|负责菜品制作和出品质量|保持厨房和用餐区域卫生|"
        "协助店长完成门店营业目标",
        "any|junior_high|high_school", ""),
    "retail": (
        4, (4000, 6500), "retail|pharmacy_retail|auto_sales_service",
        "形象好，有亲和力|有门店销售经验者优先|会使用收银系统",
        "负责门店商品陈列和补货|为顾客提供导购和收银服务|完成门店销售目标",
        "any|high_school", ""),
    "hospitality": (
        2, (4000, 8000), "hotel|travel_agency",
        "持有导游证|英语口语流利|有酒店前台工作经验",
        "负责酒店前台入住和退房手续|负责客房清洁和布草更换|带领游客参观并讲解景点",
        "any|high_school|college", ""),
    "production": (
        12, (4500, 8000),
        "manufacturing|electronics|automotive|food_processing|textile_apparel|new_energy|"
        "machinery|furniture_household",
        "能适应两班倒|持有电工证或焊工证|视力良好，无色盲色弱|会看机械图纸|"
        "有CNC或注塑机操作经验者优先|吃苦耐劳，服从车间管理",
        "按照作业指导书完成产线操作|负责产品质量检验和记录|负责设备日常点检和简单维修|"
        "完成班组生产任务和5S管理|负责成品包装和入库",
        "any|junior_high|high_school", ""),
    "engineering": (
        4, (8000, 20000),
        "manufacturing|electronics|automotive|machinery|new_energy|engineering_design",
        "熟练使用SolidWorks或AutoCAD|熟悉PLC编程|熟悉电路设计和调试|熟悉ISO9001质量体系",
        "负责产品结构设计和图纸输出|负责生产工艺改进和良率提升|负责自动化设备的调试和维护|"
        "参与新产品研发和试产",
        "bachelor|college|master", ""),
    "construction": (
        4, (6000, 15000),
        "construction|decoration|installation|real_estate_development|property_management",
        "持有施工员证或安全员证|熟悉建筑施工规范|熟练使用广联达造价软件",
        "负责施工现场的进度、质量和安全管理|负责工程量计算和预结算|负责小区物业的日常管理",
        "college|high_school|bachelor", ""),
    "medical": (
        4, (5000, 15000), "hospital|healthcare|elderly_care|pharmacy_retail",
        "持有护士执业证书|持有执业医师资格证|有养老护理经验|有爱心和耐心",
        "负责病区患者的护理工作|负责门诊接诊和诊疗|照顾老人日常起居生活",
        "college|bachelor|high_school", ""),
    "education": (
        4, (5000, 12000), "education_training|schools|early_childhood",
        "持有教师资格证|普通话二级甲等以上|英语专业八级者优先|有幼儿园工作经验",
        "负责学科课程的教学和辅导|与家长沟通学生学习情况|负责课程咨询和招生工作",
        "bachelor|college", ""),
    "financial_services": (
        2, (6000, 15000), "banking|securities_funds|insurance|fintech",
        "持有证券从业资格证|金融、经济类专业|有银行柜面工作经验者优先",
        "负责银行柜面业务办理|为客户提供理财规划服务|负责信贷资料审核和风险评估",
        "bachelor|college", ""),
    "media": (
        2, (6000, 15000),
        "media_publishing|film_entertainment|live_streaming|advertising_marketing",
        "熟练使用Premiere、剪映等剪辑软件|文字功底扎实|镜头感好，表达能力强",
        "负责短视频的策划、拍摄和剪辑|撰写新闻稿和宣传文案|负责直播间带货讲解",
        "college|bachelor", ""),
    "services": (
        6, (4000, 8000),
        "security_services|property_management|domestic_services|beauty_personal_care|"
        "sports_fitness|repair_services",
        "退伍军人优先|持有保安员证|有家政或育婴经验|持有健身教练证书",
        "负责小区或园区的安全巡逻|负责公共区域的清洁卫生|为顾客提供美容美发服务|"
        "负责家电和设备的上门维修",
        "any|junior_high|high_school", ""),
    "agriculture": (
        1, (4000, 7000), "agriculture|animal_husbandry|fishery|forestry",
        "能吃苦耐劳|有养殖经验者优先|农学或畜牧相关专业",
        "负责农作物的种植和管理|负责猪场日常饲养和防疫",
        "any|high_school|college", ""),
    "consulting": (
        1, (8000, 20000), "consulting|hr_services|legal_services",
        "英语或日语专业八级|有咨询公司工作经验",
        "为客户提供管理咨询服务|负责商务文件的翻译和口译",
        "bachelor|master", ""),
    "management": (
        2, (15000, 40000), "manufacturing|retail|internet|real_estate_development|catering",
        "有5年以上团队管理经验|具备PMP证书者优先",
        "负责部门整体运营和团队管理|制定年度经营目标并推动落地|负责重点项目的计划和推进",
        "bachelor|master|college", ""),
    "other": (
        1, (4000, 8000), "hr_services|public_facilities",
        "身体健康，能吃苦耐劳",
        "完成上级安排的其他工作",
        "any", ""),
}.items()}

EXPERIENCE = ("any", "graduate", "lt_1", "1_3", "3_5", "5_10", "gt_10")
_EXPERIENCE_WEIGHTS = (30, 8, 8, 28, 16, 8, 2)
_EXPERIENCE_TEXT = {
    "any": "经验不限", "graduate": "欢迎应届毕业生", "lt_1": "有1年以内相关经验",
    "1_3": "1-3年相关工作经验", "3_5": "3年以上相关工作经验", "5_10": "5年以上相关工作经验",
    "gt_10": "10年以上行业经验"}
_EDUCATION_TEXT = {
    "any": "学历不限", "junior_high": "初中及以上学历", "high_school": "高中或中专及以上学历",
    "college": "大专及以上学历", "bachelor": "本科及以上学历", "master": "硕士及以上学历",
    "doctorate": "博士学历"}
_HOURS = ("做五休二，9:00-18:00", "双休，弹性工作制", "做六休一，每天8小时", "两班倒，月休4天",
          "做五休二，早九晚六")
_INSURANCE = ("入职缴纳五险一金", "试用期满缴纳五险一金", "缴纳五险，有带薪年假",
              "购买社保和商业意外险")
_HOUSING = ("包吃住", "提供员工宿舍", "有餐补和交通补贴", "不提供食宿，有住房补贴",
            "提供工作午餐")
_PERKS = ("节日福利", "生日会", "定期团建", "带薪年假", "年终奖金", "绩效奖金", "免费体检",
          "员工旅游", "专业培训", "晋升空间大", "交通补助", "通讯补贴")
_SHOP = "恒达瑞华盛通信鑫宏远嘉合创新汇安泰博睿智联海天润德丰源力星辰云峰祥和美优佳卓越中科金"
_SUFFIX = {"C": "制造有限公司", "F": "贸易有限公司", "G": "物流有限公司",
           "H": "餐饮管理有限公司", "I": "科技有限公司", "J": "金融服务有限公司",
           "K": "置业有限公司", "L": "商务服务有限公司", "P": "教育科技有限公司",
           "Q": "健康管理有限公司"}


@cache
def _districts(city: str) -> tuple[str, ...]:
    kids = tuple(d.code for d in divisions.children(city))
    return kids or (city,)


@cache
def _functions_by_family() -> dict[str, tuple[taxonomy.JobFunction, ...]]:
    return {f.slug: tuple(taxonomy.job_functions(f.slug)) for f in taxonomy.job_families()}


@cache
def _zipf(size: int) -> tuple[float, ...]:
    """Within a family the first functions are the common ones (Java before .NET)."""
    return tuple(1 / (rank + 1) ** 0.8 for rank in range(size))


def _short_city(code: str) -> str:
    division = divisions.get(code)
    name = division.name if division else ""
    return name[:-1] if name.endswith("市") else name


class Generator:
    """Organisations and postings for one seed; ``now`` fixes the dates (default: today)."""

    def __init__(self, seed: int, *, now: datetime | None = None) -> None:
        self.seed = seed
        self.now = now or datetime.now().astimezone()
        self._families = list(FAMILIES)
        self._family_weights = [FAMILIES[f].weight for f in self._families]
        self._cities = [c[0] for c in CITIES]
        self._city_weights = [c[1] for c in CITIES]
        self._pay_factor = {c[0]: c[2] for c in CITIES}

    def organisations(self, count: int) -> Iterator[dict[str, Any]]:
        """``count`` verified employers; organisation ``i`` is the same for any ``count``."""
        for i in range(count):
            rng = random.Random(f"{self.seed}-org-{i}")
            city = rng.choices(self._cities, self._city_weights)[0]
            family = FAMILIES[rng.choices(self._families, self._family_weights)[0]]
            industry = rng.choice(family.industries)
            parent = (taxonomy.industry(industry).parent_code or "L") if taxonomy.industry(
                industry) else "L"
            shop = "".join(rng.sample(_SHOP, 2))
            name = f"{_short_city(city)}{shop}{_SUFFIX.get(parent, '实业有限公司')}"
            serial = "".join("0123456789ABCDEFGHJKLMNPQRTUWXY"[(i // 31 ** k + self.seed * (k + 1))
                                                              % 31] for k in range(9))
            yield {"name": name,
                   "credit_code": make_uscc(f"91{city}{serial}"), "industry": industry,
                   "city": city, "address": f"{_short_city(city)}市{shop}路{rng.randint(1, 300)}号"}

    def postings(self, count: int, organisations: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """``count`` postings spread over ``organisations`` (dicts with at least ``city`` and
        ``industry``; the posting's ``organisation`` is the index into that list)."""
        functions = _functions_by_family()
        for i in range(count):
            rng = random.Random(f"{self.seed}-posting-{i}")
            org_index = rng.randrange(len(organisations))
            org = organisations[org_index]
            family_slug = rng.choices(self._families, self._family_weights)[0]
            family = FAMILIES[family_slug]
            choices = functions[family_slug]
            function = rng.choices(choices, _zipf(len(choices)))[0]
            city = org["city"] if rng.random() < 0.8 else rng.choices(
                self._cities, self._city_weights)[0]
            yield self._posting(rng, org_index, org, family, function, city)

    def _posting(self, rng: random.Random, org_index: int, org: dict[str, Any], family: Family,
                 function: taxonomy.JobFunction, city: str) -> dict[str, Any]:
        education = rng.choice(family.education)
        experience = rng.choices(EXPERIENCE, _EXPERIENCE_WEIGHTS)[0]
        base = function.name.split("/")[0]
        prefix = rng.choice(family.prefixes)
        title = f"{prefix}{base}"
        if base.endswith("开发") and rng.random() < 0.5:
            title += "工程师"
        if rng.random() < 0.08:
            title += "（急招）"
        employment = rng.choices(("full_time", "part_time", "internship", "hourly", "dispatch"),
                                 (85, 6, 4, 3, 2))[0]
        low, high = family.pay
        factor = self._pay_factor.get(city, 1.0) * rng.uniform(0.8, 1.2)
        pay_min = int(low * factor / 500) * 500 or 500
        pay_max = max(pay_min + 500, int(high * factor * rng.uniform(0.6, 1.0) / 500) * 500)
        unit = "month"
        if employment in ("part_time", "hourly"):
            unit = "hour"
            pay_min, pay_max = max(20, pay_min // 174), max(25, pay_max // 174)
        skills = rng.sample(family.skills, min(len(family.skills), rng.randint(2, 4)))
        duties = rng.sample(family.duties, min(len(family.duties), rng.randint(2, 4)))
        requirements = "；".join([_EDUCATION_TEXT[education], _EXPERIENCE_TEXT[experience],
                                 *skills, f"有{base}相关经验者优先"]) + "。"
        work = "\n".join(f"{n}. {d}；" for n, d in enumerate(duties, 1))
        work += (f"\n{len(duties) + 1}. 完成上级交办的其他{base}相关工作。\n"
                 f"福利待遇：{'、'.join(rng.sample(_PERKS, 4))}。")
        age_days = min(89, int(rng.expovariate(1 / 20)))
        published = self.now - timedelta(days=age_days, minutes=rng.randrange(1440))
        status = "published"
        valid_until: date = (published + timedelta(days=rng.choice((30, 45, 60, 90)))).date()
        if valid_until < self.now.date():
            status = "expired"
        elif rng.random() < 0.05:
            status = rng.choice(("closed", "paused", "removed"))
        return {
            "organisation": org_index, "title": title[:60], "headcount": rng.randint(1, 20),
            "employment_type": employment, "requirements": requirements, "work_content": work,
            "working_hours": rng.choice(_HOURS), "social_insurance": rng.choice(_INSURANCE),
            "housing": rng.choice(_HOUSING), "division_code": rng.choice(_districts(city)),
            "address": f"{_short_city(city)}{rng.choice(_SHOP)}{rng.choice(_SHOP)}路"
                       f"{rng.randint(1, 500)}号",
            "pay_min": Decimal(pay_min), "pay_max": Decimal(pay_max), "pay_unit": unit,
            "education": education, "experience": experience, "job_function": function.slug,
            "industry": org["industry"] if rng.random() < 0.7 else rng.choice(family.industries),
            "valid_until": valid_until, "status": status, "quality_label": rng.random() < 0.1,
            "created_at": published - timedelta(hours=2), "updated_at": published,
            "submitted_at": published - timedelta(hours=1), "published_at": published,
        }


SEED_USERNAME = "seed_postings"
POSTINGS_PER_ORGANISATION = 20


def seed_postings(*, count: int, seed: int, batch_size: int = 5000,
                  progress: Callable[[int, int], None] | None = None) -> tuple[int, int]:
    """Insert ``count`` generated postings (and the organisations they need, one per 20) in
    batches of ``batch_size`` rows, bypassing the posting services and their signals:
    afterwards run ``search_rebuild``. Organisations already present (same credit code) are
    reused, so a second run with the same seed adds postings without failing. Returns
    ``(organisations created, postings created)``.

    Postings are written with one multi-row ``executemany`` per batch rather than
    ``bulk_create``: building a model instance and preparing every value through the ORM
    costs ≈0.5 ms a posting, which is most of the time at a million postings."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from pinqiao.orgs.models import Organisation

    user_model = get_user_model()
    user, _created = user_model.objects.get_or_create(
        username=SEED_USERNAME,
        defaults={"role": "recruiter", "display_name": "批量示例数据", "is_active": False})
    now = timezone.localtime()  # local: validity dates are local dates
    generator = Generator(seed, now=now)
    specs = list(generator.organisations(max(1, count // POSTINGS_PER_ORGANISATION)))
    codes = [s["credit_code"] for s in specs]
    existing = _organisation_ids(codes)
    new = [Organisation(
        name=s["name"], credit_code=s["credit_code"], kind="employer", status="verified",
        industry=s["industry"], address=s["address"], contact_name="人事部",
        founded_on=date(2010, 1, 1), created_by=user, created_at=now, verified_at=now,
        pledge_signed_at=now) for s in specs if s["credit_code"] not in existing]
    with transaction.atomic():
        Organisation.objects.bulk_create(new, batch_size=batch_size)
    ids = _organisation_ids(codes)
    org_ids = [ids[code] for code in codes]
    insert = _PostingInsert(created_by=user.pk)
    done = 0
    batch: list[dict[str, Any]] = []
    for row in generator.postings(count, specs):
        row["organisation_id"] = org_ids[row.pop("organisation")]
        batch.append(row)
        if len(batch) >= batch_size:
            done += insert(batch)
            batch = []
            if progress:
                progress(done, count)
    if batch:
        done += insert(batch)
    if progress:
        progress(done, count)
    return len(new), done


def _organisation_ids(codes: list[str], chunk: int = 5000) -> dict[str, int]:
    """``{credit code: id}`` of the organisations among ``codes`` (in chunks: a million
    postings need 50,000 organisations, more than one statement may bind)."""
    from pinqiao.orgs.models import Organisation

    found: dict[str, int] = {}
    for start in range(0, len(codes), chunk):
        found.update(Organisation.objects.filter(credit_code__in=codes[start:start + chunk])
                     .values_list("credit_code", "id"))
    return found


class _PostingInsert:
    """``INSERT`` of generated posting dicts (all with the same keys): the columns the rows
    name plus ``created_by``; every other column takes its field's default, prepared once.
    Dates, times, decimals and JSON are prepared for the database as the ORM would."""

    _PREPARED = ("DateTimeField", "DateField", "DecimalField", "JSONField")

    def __init__(self, *, created_by: int) -> None:
        self.created_by = created_by
        self.sql = self.copy_sql = ""
        self.plan: list[tuple[str, Any, Any]] = []  # (key, field to prepare with, default)

    def _prepare(self, keys: set[str]) -> None:
        from django.db import connection

        from pinqiao.jobs.models import Posting

        quote = connection.ops.quote_name
        columns = []
        for f in Posting._meta.concrete_fields:
            if f.primary_key:
                continue
            columns.append(quote(f.column))
            if f.attname in keys:
                prepare = f if f.get_internal_type() in self._PREPARED else None
                self.plan.append((f.attname, prepare, None))
            elif f.attname == "created_by_id":
                self.plan.append(("", None, self.created_by))
            else:
                self.plan.append(("", None, f.get_db_prep_save(f.get_default(), connection)))
        self.sql = (f"INSERT INTO {quote(Posting._meta.db_table)} ({', '.join(columns)}) "
                    f"VALUES ({', '.join(['%s'] * len(columns))})")
        self.copy_sql = (f"COPY {quote(Posting._meta.db_table)} ({', '.join(columns)}) "
                         "FROM STDIN")

    def __call__(self, batch: list[dict[str, Any]]) -> int:
        from django.db import connection, transaction

        if not batch:
            return 0
        if not self.sql:
            self._prepare(set(batch[0]))
        params = [tuple((field.get_db_prep_save(row[key], connection) if field else row[key])
                        if key else default for key, field, default in self.plan)
                  for row in batch]
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY streams the rows in one statement: several times faster than
                # executemany's one INSERT per row on PostgreSQL.
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for values in params:
                        copy.write_row(values)
            else:
                cursor.executemany(self.sql, params)
        return len(batch)
