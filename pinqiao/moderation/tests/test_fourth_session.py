"""Families of rules 2026.12.5 (issue 16, fourth session: MOD-2 … MOD-4, DISC-4), each checked on
wordings of my own (not those of the fourth set's tuning half) and on lawful neighbours that
must pass, and the fourth set's tuning half held at the figures it reached."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from pinqiao.moderation.engine import Screener, default_screener
from pinqiao.moderation.scoring import screen_and_score

EVAL = Path(__file__).resolve().parent.parent / "eval"


@pytest.fixture(scope="module")
def screener() -> Screener:
    return default_screener()


@pytest.mark.parametrize(
    ("text", "context", "category"),
    [
        # a sex requirement stated as a quota, a wish for the applicants' sex or a marital status
        ("本次招聘男女比例控制在七比三。", "posting", "discrimination.gender"),
        ("岗位只接受女性投递简历。", "posting", "discrimination.gender"),
        ("招聘收银员，限已婚女性。", "posting", "discrimination.gender"),
        # people of a group refused after the fact, by quota or deferral
        ("甘肃籍应聘者暂不考虑。", "posting", "discrimination.region"),
        ("湖南、江西籍员工比例已满，暂停招收。", "posting", "discrimination.region"),
        ("只招珠三角本地人，其他省份的人免谈。", "posting", "discrimination.region"),
        ("候选人是外省农村户口，不予录用。", "note", "discrimination.region"),
        ("少数民族求职者暂不安排面试。", "posting", "discrimination.ethnicity"),
        ("招聘保洁，汉族者优先。", "posting", "discrimination.ethnicity"),
        ("拄拐者因岗位需要走动暂不考虑。", "posting", "discrimination.health"),
        ("候选人为基督徒，与团队要求不符，淘汰。", "note", "discrimination.religion"),
        ("我们不接受上班戴佛珠的员工。", "chat", "discrimination.religion"),
        # age by birth year, generation or zodiac sign
        ("限1995年以后出生。", "posting", "discrimination.age"),
        ("只招属龙、属蛇的。", "posting", "discrimination.age"),
        # marital status asked
        ("入职需填写子女情况和配偶工作单位。", "interview", "discrimination.marital"),
        ("你准备什么时候要孩子？", "chat", "discrimination.marital"),
        # contact details behind a bare "联系："
        ("联系：一二三四五六七八九", "posting", "contact_info"),
        # costs borne by the seeker or taken from the wage
        ("化妆费三百由应聘者自理。", "posting", "fee_charging"),
        ("工装费用从首月工资中扣除。", "posting", "fee_charging"),
        ("求职者报名费一百元。", "fee_statement", "fee_charging"),
        ("须到指定诊所体检，体检费二百元。", "posting", "fee_charging"),
        # scams in the seeker's name, invest-and-return, paid clicks
        ("入职用你的身份证办两张信用卡交给公司。", "posting", "fraud"),
        ("投五百返六百五，当天提现。", "posting", "fraud"),
        ("给视频点赞截图，每条一元。", "posting", "fraud"),
        # illegal trades
        ("高价收号，微信号、抖音号都要。", "posting", "illegal_content"),
        ("招募爱心妈妈，营养费二十万。", "posting", "illegal_content"),
        ("推广平台，会员下注按流水返水。", "posting", "illegal_content"),
        # not a job: capital asked, tuition, courses
        ("诚招合伙人，需投入资金十万。", "posting", "non_recruitment"),
        ("常年招收烘焙学员，学费按课时计。", "posting", "non_recruitment"),
        # jobs abroad named by the country after 招聘 / 赴
        ("招聘沙特电站焊工，两年合同。", "posting", "overseas"),
        ("赴匈牙利电池厂操作员，包吃住。", "posting", "overseas"),
        # threats, stalking, sexual demands
        ("你去仲裁试试，保证你在这行混不下去。", "chat", "harassment"),
        ("再不回我，我每天去你公司楼下等你。", "chat", "harassment"),
        ("不录用我，我就把你的照片和电话挂到网上。", "chat", "harassment"),
        ("复试改在晚上九点，酒店房间见，穿得性感点。", "interview", "harassment"),
        ("陪我吃顿饭，工作的事好说", "chat", "harassment"),
        ("你就是个废物，简历写得一塌糊涂", "chat", "harassment"),
        # more families from the contract and the law, checked against lawful neighbours below
        ("无精神病史，身体健康。", "posting", "discrimination.health"),
        ("上班时间不得祷告或做礼拜。", "posting", "discrimination.religion"),
        ("试用期内怀孕直接辞退", "posting", "discrimination.marital"),
        ("九零后优先", "posting", "discrimination.age"),
        ("35+勿扰", "posting", "discrimination.age"),
        ("限广东省内户籍", "posting", "discrimination.region"),
        ("不走正规口岸，有人接应", "posting", "fraud"),
        ("招聘陪聊，可出台", "posting", "illegal_content"),
        ("诚招区域经销商，零库存", "posting", "non_recruitment"),
        # evasions named by issue 16: homophones, pinyin, full-width handles
        ("薇：ｚｈａｎｇ８８８８", "posting", "contact_info"),
        ("v 心：lily0520", "posting", "contact_info"),
        ("只招nan生", "posting", "discrimination.gender"),
        ("入职交压金三百", "posting", "fee_charging"),
        ("S单兼职，日结", "posting", "fraud"),
    ],
)
def test_it_catches_the_fourth_sessions_families(
    screener: Screener, text: str, context: str, category: str
) -> None:
    assert category in screener.screen(text, context).categories


@pytest.mark.parametrize(
    ("text", "context"),
    [
        ("本公司男女比例均衡，氛围轻松。", "posting"),
        ("公司安排入职体检并承担全部费用。", "posting"),
        ("招聘加盟部文员，负责加盟商合同归档。", "posting"),
        ("国际旅行社招聘日本线导游，日语流利。", "posting"),
        ("招聘韩国料理厨师，有经验优先。", "posting"),
        ("体检到指定医院，费用由公司承担。", "posting"),
        ("别信刷单返利，凡是要求垫付的兼职都不要参与。", "guide"),
        ("我们的课程老师负责学员考勤。", "posting"),
        ("属于本岗位的工作内容：整理档案。", "posting"),
        ("爱心妈妈志愿者：陪伴留守儿童读书。", "posting"),
        ("用本人身份证办理入职手续和工资卡。", "posting"),
        ("怀孕期间享受产检假和产假", "posting"),
        ("九零后团队，氛围年轻", "posting"),
        ("回族同事较多，食堂设清真窗口", "posting"),
        ("本人信佛，性格温和", "resume"),
        ("你家住哪里？我们有班车，方便的话告诉我大概区域", "chat"),
        ("晚上十点前请在酒店大堂集合", "chat"),
        ("岗位要求熟悉C++，35岁以上经验丰富者亦欢迎", "posting"),
        ("印刷厂招聘烫金压金工，熟悉机器操作", "posting"),
        ("Finance analyst, nanjing office", "posting"),
    ],
)
def test_it_lets_the_lawful_neighbours_pass(screener: Screener, text: str, context: str) -> None:
    assert screener.screen(text, context).decision == "pass"


def _load(name: str) -> list[dict]:
    path = EVAL / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_it_keeps_the_fourth_tuning_half_at_its_tuned_figures(screener: Screener) -> None:
    report = screen_and_score(screener, _load("fourth/tuning.jsonl"))
    assert report["decision_accuracy"] >= 0.992, report["decision_accuracy"]
    assert report["clean_false_positive_rate"] <= 0.01, report["clean_false_positive_rate"]


def test_the_new_families_stay_bounded_on_50000_characters(screener: Screener) -> None:
    """Bad input (issue 16): long texts made of the new families' words, with zero-width
    characters and emoji strewn in, are screened in bounded time."""
    texts = [
        ("北京、上海、广州、" * 6 + "籍") * 900,
        "你家住哪我也知道，" * 5600,
        "\u200b".join("费用由应聘者自理，少数民族和外省人勿扰。" * 1250),
        "🌹".join("联系：五六七八一二三四五" * 2000)[:50_000],
        "信佛" * 25_000,
    ]
    for text in texts:
        started = time.process_time()
        screener.screen(text, "chat")
        screener.screen(text, "posting")
        assert time.process_time() - started < 4.0


def test_it_keeps_the_fourth_held_back_half_at_its_measured_accuracy(screener: Screener) -> None:
    """The fourth held-back half (written blind) was scored once before the session's tuning
    and once after (docs/benchmarks.md): decision accuracy 0.795 before, 0.837 after, false
    positives on clean texts 6.4% both times, far from the targets. Spent since, it is training
    data of the learned model (fifth session): with it the screening gives 0.886 here, a
    figure on training data, not on unseen text (the model trained without the fourth set gives
    0.856, ``bench/screening_lowo.py fourth``). A change that lowers it fails here; the message
    gives the figures only, never the mismatches."""
    report = screen_and_score(screener, _load("fourth/heldback.jsonl"))
    assert report["decision_accuracy"] >= 0.886, f"accuracy {report['decision_accuracy']:.3f}"
    assert report["clean_false_positive_rate"] <= 0.065, (
        f"false positives on clean {report['clean_false_positive_rate']:.3f}"
    )
