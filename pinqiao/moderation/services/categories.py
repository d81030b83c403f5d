"""What the poster and the reviewer are told about each category of the contract: its label,
the clause it enforces (MOD-2: the clause and the words) and its weight in the review queue
(MOD-5)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _l

#: Risk points per category, used to order the queue (MOD-5).
CATEGORY_RISK = {
    "illegal_content": 100, "fraud": 90, "fee_charging": 85, "discrimination.gender": 70,
    "discrimination.marital": 70, "discrimination.ethnicity": 70, "discrimination.religion": 70,
    "discrimination.region": 70, "discrimination.health": 70, "discrimination.age": 40,
    "contact_info": 50, "harassment": 80, "overseas": 60, "non_recruitment": 40,
}

#: Legal basis shown to the poster for each category (MOD-2: the clause and the words).
CATEGORY_CLAUSES = {
    "discrimination.gender": _l(
        "《就业促进法》第二十七条、《妇女权益保障法》第四十三条："
        "不得因性别拒绝录用或提高录用标准"),
    "discrimination.marital": _l(
        "《妇女权益保障法》第四十三条：不得限制婚姻、生育状况"),
    "discrimination.ethnicity": _l(
        "《就业促进法》第二十八条：各民族劳动者享有平等的劳动权利"),
    "discrimination.religion": _l(
        "《就业促进法》第三条：劳动者就业不因宗教信仰不同而受歧视"),
    "discrimination.region": _l(
        "《就业促进法》第三十一条、《人力资源市场暂行条例》："
        "不得设置户籍等限制人力资源流动的条件"),
    "discrimination.health": _l(
        "《就业促进法》第三十条、《残疾人保障法》第三十八条："
        "不得以传染病病原携带、残疾为由拒绝录用"),
    "discrimination.age": _l(
        "DB4401 6.2.1.9：不得设置限制人力资源流动的条件（年龄限制需人工审核）"),
    "contact_info": _l(
        "DB4401 6.2.1.8、直播带岗 5.1.3：不得在招聘信息中留联系方式引导站外交易"),
    "fee_charging": _l(
        "《劳动合同法》第九条、《网络招聘服务管理规定》：不得向求职者收取押金或其他费用"),
    "fraud": _l("DB4401 6.2.1.8：不得发布虚假、欺诈招聘信息"),
    "illegal_content": _l("DB4401 6.1.2.3：不得发布违法违规内容"),
    "non_recruitment": _l(
        "DB4401 6.2.1.8、直播带岗 5.1.3：招生、招商、代理、加盟等不是招聘信息（需人工审核）"),
    "overseas": _l(
        "《对外劳务合作管理条例》第五条：组织赴境外工作须具备对外劳务合作经营资格"
        "（未核验到该资质的需人工审核）"),
    "harassment": _l("DB4401 6.1.4.1：不得侮辱、威胁或骚扰他人"),
}

CATEGORY_LABELS = {
    "discrimination.gender": _l("性别歧视"), "discrimination.marital": _l("婚育歧视"),
    "discrimination.ethnicity": _l("民族歧视"), "discrimination.religion": _l("宗教歧视"),
    "discrimination.region": _l("地域/户籍歧视"), "discrimination.health": _l("健康/残疾歧视"),
    "discrimination.age": _l("年龄限制"), "contact_info": _l("站外联系方式"),
    "fee_charging": _l("向求职者收费"), "fraud": _l("疑似诈骗"), "illegal_content": _l("违法内容"),
    "non_recruitment": _l("非招聘信息"), "overseas": _l("境外务工"), "harassment": _l("骚扰辱骂"),
}
