"""Spec of the screening engine on text it was not built with (issue 16: MOD-1 … MOD-4, MOD-6,
JOB-8, DISC-4, ORG-12).

Traditional Chinese is screened like Simplified, homophone and split-character evasions of
contact handles are caught, evidence points at the characters the poster wrote, the three new
categories of the contract (``non_recruitment``, ``overseas``, ``harassment``) fire with their
neutral phrases kept quiet, and the fresh evaluation set's held-back half meets the targets.
"""

from __future__ import annotations

import importlib.util
import json
import time
from pathlib import Path

import pytest

from pinqiao.moderation.engine import CATEGORY_DECISIONS, Screener, default_screener
from pinqiao.moderation.scoring import format_report, score

EVAL = Path(__file__).resolve().parent.parent / "eval"


@pytest.fixture(scope="module")
def screener() -> Screener:
    return default_screener()


def _evidence(result, category: str) -> set[str]:
    return {e.text for e in result.evidence if e.category == category}


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("誠聘業務代表，僅限男性。", "discrimination.gender"),
        ("廚房幫工，乙肝攜帶者勿擾。", "discrimination.health"),
        ("導購員，孕婦勿擾。", "discrimination.marital"),
        ("入職需先繳納押金500元。", "fee_charging"),
        ("京東刷單兼職，墊付後返傭金。", "fraud"),
        ("業務員，限本市戶籍。", "discrimination.region"),
    ],
)
def test_it_screens_traditional_chinese_like_simplified(
    screener: Screener, text: str, category: str
) -> None:
    """MOD-1: the contract says Traditional texts are screened like Simplified ones."""
    result = screener.screen(text)
    assert category in result.categories
    for evidence in result.evidence:
        assert text[evidence.start : evidence.end] == evidence.text


def test_it_points_traditional_evidence_at_the_words_written(screener: Screener) -> None:
    text = "招聘會計一名，僅限女性，需持證。"
    result = screener.screen(text)
    assert "僅限女性" in _evidence(result, "discrimination.gender")


@pytest.mark.parametrize(
    "text",
    [
        "加🌹微🌹信：h🌹r🌹8🌹8🌹8🌹8 详聊",
        "有意者加薇：hr888999",
        "招聘主播，威信 zhibo_777 联系",
        "咨询请加扣扣 5 6 7 8 9 1 2 3",
        "面试详询，蔻蔻：8 8 6 6 5 5 4 4",
        "加+V：job_2024 备注平台名",
        "加ｖｘ：１３９１２３４５６７８",
        "加微 信：mm1234567 详谈",
    ],
)
def test_it_catches_contact_evasions(screener: Screener, text: str) -> None:
    """MOD-3: homophones (薇/威/扣/蔻), "+" for 加, emoji or spaces inside a handle, widths."""
    result = screener.screen(text)
    assert "contact_info" in result.categories, result
    for evidence in result.evidence:
        assert text[evidence.start : evidence.end] == evidence.text


def test_it_maps_emoji_split_evidence_back_to_the_original(screener: Screener) -> None:
    text = "限🌹男🌹性，月薪5000元"
    result = screener.screen(text)
    assert "限🌹男🌹性" in _evidence(result, "discrimination.gender")


def test_it_stays_bounded_on_50000_characters_of_mixed_input(screener: Screener) -> None:
    """Bad input: Traditional and Simplified, full and half width, zero-width characters and
    emoji, 50,000 characters in all, screened correctly in well under a second."""
    chunk = "誠聘客服，ＡＢＣ\u200b团队，月薪８０００元😊。我们提供双休。"
    text = (chunk * (50_000 // len(chunk) + 1))[:49_980] + "僅限男性，加🌹微🌹信"
    started = time.process_time()
    result = screener.screen(text)
    elapsed = time.process_time() - started
    assert {"discrimination.gender", "contact_info"} <= set(result.categories)
    assert elapsed < 2.0


@pytest.mark.parametrize("unit", ["乙肝、", "残疾，", "要求已婚", "做任务赚", "先充值返利"])
def test_it_stays_bounded_on_50000_characters_of_one_repeated_family(
    screener: Screener, unit: str
) -> None:
    """Bad input: a text that is one rule family's words over and over (a list of diseases
    50,000 characters long took 20 s before the list repetition was bounded)."""
    started = time.process_time()
    screener.screen((unit * (50_000 // len(unit)))[:50_000])
    assert time.process_time() - started < 2.0


@pytest.mark.parametrize(
    "text",
    [
        "40岁以上有经验者亦欢迎，工作时间灵活。",
        "应届生亦可，年龄不限。",
        "退役军人优先考虑，持保安员证者优先。",
        "不限户籍，外地员工提供宿舍。",
        "尊重员工宗教信仰，提供祈祷室。",
        "本岗位工资按月足额发放，不设押金。",
    ],
)
def test_it_lets_inclusive_wording_pass(screener: Screener, text: str) -> None:
    """MOD-2: wording that widens rather than narrows passes."""
    assert screener.screen(text).decision == "pass"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("招聘仓储员，东北籍已招满。", "discrimination.region"),
        ("招聘电工，湖南籍员工已满额，暂不接收湖南籍。", "discrimination.region"),
        ("招聘教师，需为无神论者。", "discrimination.religion"),
        ("行政助理：未婚未育者优先。", "discrimination.marital"),
        ("招聘司机，仅限本地户口。", "discrimination.region"),
    ],
)
def test_it_recognises_discrimination_by_implication_or_absence(
    screener: Screener, text: str, category: str
) -> None:
    """MOD-2: a requirement stated as a quota, a status or an absence."""
    result = screener.screen(text)
    assert result.decision == "reject"
    assert category in result.categories


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("本校面向社会招生，学费全免，毕业包分配。", "non_recruitment"),
        ("奶茶店加盟，投资5万元开店，总部全程扶持。", "non_recruitment"),
        ("全國招商，誠邀各地代理商加盟合作。", "non_recruitment"),
        ("赴韩国务工，保底工资18000元。", "overseas"),
        ("日本技能实习生招募，食品加工。", "overseas"),
    ],
)
def test_it_sends_non_recruitment_and_overseas_jobs_to_review(
    screener: Screener, text: str, category: str
) -> None:
    """MOD-3, MOD-4: not a job, or a job abroad without a licence on file: a person decides."""
    result = screener.screen(text)
    assert result.categories == (category,)
    assert result.decision == "review"


@pytest.mark.parametrize(
    "text",
    [
        "招聘小学语文教师2名，持教师资格证。",
        "招商经理：负责商业综合体招商工作，三年经验。",
        "招聘出境领队，带团赴日本、泰国，持领队证。",
        "外贸业务员，负责海外客户开发，需偶尔出国参展。",
        "大学招聘招生就业处工作人员，负责招生咨询接待。",
        "招聘加盟店运营督导，负责门店巡店。",
    ],
)
def test_it_lets_lawful_neighbours_of_the_new_categories_pass(
    screener: Screener, text: str
) -> None:
    assert screener.screen(text).decision == "pass"


def test_it_waives_overseas_for_a_licensed_operator_but_not_the_fraud(screener: Screener) -> None:
    """ORG-12: an organisation with a verified 对外劳务合作 licence may post jobs abroad."""
    job = "赴新加坡建筑工地务工，两年合同，月薪1.8万元。"
    assert screener.screen(job).decision == "review"
    assert screener.screen(job, waived={"overseas"}).decision == "pass"
    lure = "境外高薪，护照代办，无需经验，月入3万。"
    assert screener.screen(lure, waived={"overseas"}).categories == ("fraud",)
    with pytest.raises(ValueError):
        screener.screen(job, waived={"nonsense"})


@pytest.mark.parametrize(
    ("text", "decision"),
    [
        ("本机构向用人单位收取招聘服务费，为首月工资的20%，向求职者不收取任何费用。", "pass"),
        ("企业会员年费5000元，岗位发布每条100元；求职者免费。", "pass"),
        ("求职登记费50元，推荐成功后另收介绍费300元。", "reject"),
        ("求职者需缴纳服务费，按首月工资的10%收取。", "reject"),
    ],
)
def test_it_reads_fee_statements_by_who_pays(screener: Screener, text: str, decision: str) -> None:
    """DISC-4: in a fee statement, charging employers is lawful; any charge to seekers is not."""
    result = screener.screen(text, context="fee_statement")
    assert result.decision == decision, result
    if decision == "reject":
        assert result.categories == ("fee_charging",)


@pytest.mark.parametrize(
    "text",
    [
        "你这种人也配找工作？滚吧。",
        "再不回我消息，小心我去你家找你。",
        "把你的胸围发给我看看，不然别想面试。",
        "你個廢物，別浪費我時間。",
    ],
)
def test_it_rejects_harassment_in_chat(screener: Screener, text: str) -> None:
    result = screener.screen(text, context="chat")
    assert result.categories == ("harassment",)
    assert CATEGORY_DECISIONS["harassment"] == result.decision == "reject"


def test_it_keeps_harassment_words_with_ordinary_meanings_quiet(screener: Screener) -> None:
    assert screener.screen("招聘环保工程师，负责固体废物处理和垃圾分类。").decision == "pass"
    assert screener.screen("负责酒店房间清洁和布草更换。").decision == "pass"
    assert screener.screen("请问您方便明天下午面试吗？", context="chat").decision == "pass"


def test_it_refuses_the_profile_probe_with_the_words(screener: Screener) -> None:
    """MOD-1: the organisation profile probe of issue 16."""
    text = "本公司只招男性，乙肝勿扰，加微信 vx12345678"
    result = screener.screen(text, context="profile")
    assert result.decision == "reject"
    assert set(result.categories) == {
        "discrimination.gender", "discrimination.health", "contact_info"
    }  # fmt: skip
    words = {e.text for e in result.evidence}
    assert {"只招男", "乙肝勿扰"} <= words
    assert any("vx12345678" in w for w in words)


def _load(name: str) -> list[dict]:
    text = (EVAL / name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line]


def _report(screener: Screener, items: list[dict]) -> dict:
    """Screen every item in its context and score the predictions."""
    predicted = [
        {"id": i["id"], **screener.screen(i["text"], context=i["context"]).to_dict()}
        for i in items
    ]
    return score(items, predicted)


def test_it_meets_the_targets_on_the_held_back_half_of_the_fresh_set(screener: Screener) -> None:
    """Issue 16 targets on text the rules were not tuned on: accuracy ≥ 0.95, FP ≤ 3%."""
    items = _load("heldback.jsonl")
    report = _report(screener, items)
    assert report["decision_accuracy"] >= 0.95, format_report(report)
    assert report["clean_false_positive_rate"] <= 0.03, format_report(report)


def test_it_keeps_the_fresh_set_split_once_and_disjoint() -> None:
    tuning, held = _load("tuning.jsonl"), _load("heldback.jsonl")
    fresh = _load("fresh.jsonl")
    assert len(fresh) >= 300
    assert len(tuning) + len(held) == len(fresh)
    assert not {i["id"] for i in tuning} & {i["id"] for i in held}
    assert all(i["source"] for i in fresh)
    for item in fresh:
        expected = max(
            (CATEGORY_DECISIONS[c] for c in item["categories"]),
            key=("pass", "review", "reject").index,
            default="pass",
        )
        assert item["decision"] == expected, item["id"]


def test_it_keeps_the_second_held_back_set_whole_sourced_and_unseen() -> None:
    """The second held-back set: ≥ 150 items, each with a source the README names, consistent
    labels, and no text shared with the sets the rules were written or tuned on."""
    second = _load("second/heldback.jsonl")
    assert len(second) >= 150
    readme = (EVAL / "second" / "README.md").read_text(encoding="utf-8")
    assert all(f"| {i['source']} |" in readme for i in second)
    for item in second:
        expected = max(
            (CATEGORY_DECISIONS[c] for c in item["categories"]),
            key=("pass", "review", "reject").index,
            default="pass",
        )
        assert item["decision"] == expected, item["id"]
    seen = {i["text"] for i in _load("fresh.jsonl")}
    for path in (EVAL.parent / "tests" / "labelled").glob("*.jsonl"):
        seen |= {json.loads(line)["text"] for line in path.read_text("utf-8").splitlines() if line}
    assert not seen & {i["text"] for i in second}


def test_it_keeps_the_second_held_back_set_at_its_measured_accuracy(screener: Screener) -> None:
    """The second held-back set was scored once, at the end of the session that wrote it
    (docs/benchmarks.md): decision accuracy 0.959. A rule change that lowers it below the
    target fails here; the message gives the figures only, never the mismatches."""
    items = _load("second/heldback.jsonl")
    report = _report(screener, items)
    assert report["decision_accuracy"] >= 0.95, f"accuracy {report['decision_accuracy']:.3f}"


def _assert_sourced_and_decided(
    items: list[dict], directory: str, readme_name: str = "README.md"
) -> None:
    """Every item names a source that the set's README lists (as a table's first cell, plain or
    as code), and its decision is the strictest
    that its categories give (``pass`` when clean)."""
    readme = (EVAL / directory / readme_name).read_text(encoding="utf-8")
    for item in items:
        source = item["source"]
        assert f"| {source} |" in readme or f"| `{source}` |" in readme, item["id"]
        expected = max(
            (CATEGORY_DECISIONS[c] for c in item["categories"]),
            key=("pass", "review", "reject").index,
            default="pass",
        )
        assert item["decision"] == expected, item["id"]


def test_it_keeps_the_third_set_split_once_sourced_and_disjoint() -> None:
    """The third set (issue 16, third session): ≥ 300 items in every category of the contract,
    each with a source the README names and a decision that follows from its categories,
    split once into two halves, and no text shared with the older sets."""
    fresh = _load("third/fresh.jsonl")
    tuning, held = _load("third/tuning.jsonl"), _load("third/heldback.jsonl")
    assert len(fresh) >= 300
    assert sorted(i["id"] for i in tuning + held) == sorted(i["id"] for i in fresh)
    assert not {i["id"] for i in tuning} & {i["id"] for i in held}
    assert {c for i in fresh for c in i["categories"]} == set(CATEGORY_DECISIONS)
    _assert_sourced_and_decided(fresh, "third")
    seen = {i["text"] for name in ("fresh.jsonl", "second/heldback.jsonl") for i in _load(name)}
    assert not seen & {i["text"] for i in fresh}


def test_it_keeps_the_third_held_back_half_at_its_measured_accuracy(screener: Screener) -> None:
    """The third held-back half was scored once before and once after the session's tuning
    (docs/benchmarks.md): decision accuracy 0.928 before, 0.933 after, under the 0.95 target;
    the fourth session's rules (2026.12.5) raised it to 0.944, the pin follows upward.
    A rule change that lowers it fails here; the message gives the figures only, never the
    mismatches (the half is spent for tuning all the same: the next engineer writes a new one)."""
    items = _load("third/heldback.jsonl")
    report = _report(screener, items)
    assert report["decision_accuracy"] >= 0.944, f"accuracy {report['decision_accuracy']:.3f}"
    assert report["clean_false_positive_rate"] <= 0.04, (
        f"false positives on clean {report['clean_false_positive_rate']:.3f}"
    )


def _build_module():
    """``eval/build.py`` (a script, not a package module), loaded by path."""
    spec = importlib.util.spec_from_file_location("eval_build", EVAL / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_it_keeps_the_fourth_set_blind_split_once_sourced_and_disjoint() -> None:
    """The fourth set (issue 16, fourth session, written blind): ≥ 300 items in every category of
    the contract, at least 40% clean, unique ids, each with a source the README names and a
    decision that follows from its categories; the two halves are disjoint, cover the set and are
    exactly what ``build.py`` makes from ``items.txt`` with ``FOURTH_SEED``; no text is shared
    with the older sets."""
    build = _build_module()
    fresh = _load("fourth/fresh.jsonl")
    tuning, held = _load("fourth/tuning.jsonl"), _load("fourth/heldback.jsonl")
    assert len(fresh) >= 300
    assert len({i["id"] for i in fresh}) == len(fresh)
    assert not {i["id"] for i in tuning} & {i["id"] for i in held}
    assert sorted(i["id"] for i in tuning + held) == sorted(i["id"] for i in fresh)
    rows = build.items(build.FOURTH / "items.txt", prefix="q")
    assert rows == fresh
    assert [tuning, held] == list(build.split(rows, build.FOURTH_SEED))
    assert {c for i in fresh for c in i["categories"]} == set(CATEGORY_DECISIONS)
    assert sum(1 for i in fresh if not i["categories"]) >= 0.4 * len(fresh)
    _assert_sourced_and_decided(fresh, "fourth")
    names = ("fresh.jsonl", "second/heldback.jsonl", "third/fresh.jsonl")
    seen = {i["text"] for name in names for i in _load(name)}
    assert not seen & {i["text"] for i in fresh}


def test_it_keeps_the_fifth_set_blind_split_once_sourced_and_disjoint() -> None:
    """The fifth set (issue 16, fifth session): two halves written blind by two writers (A and
    B, each naming their sources in their own README), ≥ 300 items in every category of the
    contract, unique ids; the two halves of the split are disjoint, cover the set and are
    exactly what ``build.py`` makes with ``FIFTH_SEED``; no text is shared with the older sets
    or the training pool. Only the figures of the held-back half are ever reported."""
    build = _build_module()
    fresh = _load("fifth/fresh.jsonl")
    tuning, held = _load("fifth/tuning.jsonl"), _load("fifth/heldback.jsonl")
    assert len(fresh) >= 300
    assert len({i["id"] for i in fresh}) == len(fresh)
    rows = build.fifth_items()
    assert rows == fresh
    assert [tuning, held] == list(build.split(rows, build.FIFTH_SEED))
    assert sorted(i["id"] for i in tuning + held) == sorted(i["id"] for i in fresh)
    assert {c for i in fresh for c in i["categories"]} == set(CATEGORY_DECISIONS)
    for writer in ("a", "b"):
        written = [i for i in fresh if i["id"].startswith(f"v{writer}")]
        assert written
        _assert_sourced_and_decided(written, "fifth", f"README-{writer}.md")
    names = (
        "fresh.jsonl", "second/heldback.jsonl", "third/fresh.jsonl", "fourth/fresh.jsonl",
        "pool/fresh.jsonl",
    )
    seen = {i["text"] for name in names for i in _load(name)}
    assert not seen & {i["text"] for i in fresh}



def test_it_keeps_the_fifth_held_back_half_at_its_measured_accuracy(screener: Screener) -> None:
    """The fifth held-back half (two blind writers) was scored once before the session's change
    (0.802, FP 3.2%) and once after it (rules and the learned model: 0.810, FP 3.2%;
    docs/benchmarks.md), far under the targets. A change that lowers it fails here; the message
    gives the figures only, never the mismatches."""
    items = _load("fifth/heldback.jsonl")
    report = _report(screener, items)
    assert report["decision_accuracy"] >= 0.809, f"accuracy {report['decision_accuracy']:.3f}"
    assert report["clean_false_positive_rate"] <= 0.033, (
        f"false positives on clean {report['clean_false_positive_rate']:.3f}"
    )


def test_it_keeps_the_training_pool_sourced_and_built_from_its_items() -> None:
    """The blind training pool (issue 16, fifth session): every category of the contract, each
    item with a source its README names and a decision that follows from its categories, and
    ``pool/fresh.jsonl`` exactly what ``build.py`` makes from ``pool/items.txt``."""
    build = _build_module()
    pool = _load("pool/fresh.jsonl")
    assert pool == build.items(build.POOL / "items.txt", prefix="w")
    assert len({i["id"] for i in pool}) == len(pool)
    assert {c for i in pool for c in i["categories"]} == set(CATEGORY_DECISIONS)
    _assert_sourced_and_decided(pool, "pool")
