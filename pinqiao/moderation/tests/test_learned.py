"""The learned model beside the rules (issue 16, fifth session): what it learnt, read on wordings
of my own (none is in a training file); lawful neighbours; the weights in step with the
training data; evidence in original offsets; bad input bounded in time."""

from __future__ import annotations

import json
import time

import pytest

from pinqiao.moderation.engine import (
    CATEGORY_DECISIONS,
    DEFAULT_RULES_PATH,
    Screener,
    default_screener,
)
from pinqiao.moderation.learned import (
    WEIGHTS_PATH,
    LearnedModel,
    default_model,
    training_digest,
    training_items,
)
from pinqiao.moderation.normalize import views


@pytest.fixture(scope="module")
def model() -> LearnedModel:
    loaded = default_model()
    assert loaded is not None, "the weights file is missing"
    return loaded


def _model_hits(model: LearnedModel, text: str) -> dict[str, str]:
    compact, _spaced = views(text)
    found = model.hits(model.find(compact.text), compact, (), CATEGORY_DECISIONS)
    return {hit.category: hit.decision for hit in found}


#: Forty wordings of my own (none in a training file), one family each.
MY_WORDINGS: tuple[tuple[str, str], ...] = (
    ("我们部门清一色小伙子，女孩子来了不方便，请谅解。", "discrimination.gender"),
    ("面试时请带上近三个月的验孕报告。", "discrimination.marital"),
    ("入职后两年内打算要小孩的请慎重投递。", "discrimination.marital"),
    ("本岗位不考虑信仰伊斯兰教的求职者。", "discrimination.religion"),
    ("有宗教信仰的朋友就不要来面试了。", "discrimination.religion"),
    ("河南的求职者我们这边暂不考虑。", "discrimination.region"),
    ("外省户籍人员请勿投递。", "discrimination.region"),
    ("携带乙肝病毒者不予考虑。", "discrimination.health"),
    ("有精神疾病史的不要投。", "discrimination.health"),
    ("只要九五年以后出生的。", "discrimination.age"),
    ("年纪超过三十二的就别投了。", "discrimination.age"),
    ("不收汉族以外的应聘者。", "discrimination.ethnicity"),
    ("在家用手机点点关注就能赚钱，一单五元，多劳多得。", "fraud"),
    ("先垫付货款，完成任务后连本带利返还。", "fraud"),
    ("入职需先交八百元工装押金，离职退还。", "fee_charging"),
    ("报名成功后需缴纳三百元资料审核费。", "fee_charging"),
    ("招聘缅甸园区客服，月薪三万，包机票，落地有人接。", "overseas"),
    ("你长得挺好看的，晚上来我房间聊聊工作。", "harassment"),
    ("再敢投诉，我让你在这行混不下去。", "harassment"),
    ("高薪诚聘夜场佳丽，日结，可带出台。", "illegal_content"),
    ("收购闲置银行卡，一张两千，当天结清。", "illegal_content"),
    ("零基础学电商运营，学成推荐就业，学费可分期。", "non_recruitment"),
    ("诚邀加盟，投资五万即可开店，总部全程扶持。", "non_recruitment"),
    ("想了解详情的加我薇：abc778899", "contact_info"),
    ("诚聘行政文员一名。工作地点在市中心，交通便利。"
     "因团队现有女同事较多，此次希望招一位男同事。", "discrimination.gender"),
    ("招聘前台。要求五官端正，未婚，入职三年内不考虑生育计划。", "discrimination.marital"),
    ("招聘会计。我们公司不太适合有小孩的妈妈，经常加班。", "discrimination.marital"),
    ("招聘司机。须本市户口，外地人不考虑，谢谢理解。", "discrimination.region"),
    ("招聘保洁员，身体健康，无传染病，乙肝携带者请绕道。", "discrimination.health"),
    ("客服专员，要求八五后到九五后之间，超龄勿扰。", "discrimination.age"),
    ("招聘店员。维族、藏族暂不招收。", "discrimination.ethnicity"),
    ("招聘护工，不接受穿戴宗教服饰上班，信教人员勿投。", "discrimination.religion"),
    ("手工活外发，在家组装电子配件，先交材料押金二百元，按件结算。", "fraud"),
    ("淘宝店铺招兼职，帮店铺刷好评，每单返佣金，日结。", "fraud"),
    ("急招日结工，需先交一百五十元服装费和一百元体检费。", "fee_charging"),
    ("日本工厂招普工，包吃住，月薪两万，中介费三万，签证包办。", "overseas"),
    ("招聘高端商务模特，陪同客户出席饭局，可接受深度服务者薪资面议。", "illegal_content"),
    ("亲，你这么年轻漂亮，今晚单独陪我喝几杯，工作的事好说。", "harassment"),
    ("加入我们成为区域代理，零门槛创业，代理费一万八起。", "non_recruitment"),
    ("详情扫码关注我们的公众号，回复“兼职”领取岗位。", "contact_info"),
)


def test_the_model_alone_finds_trained_families_in_new_words(model: LearnedModel) -> None:
    """The model alone (rules aside) reaches a category's review threshold on 13 of my 40
    wordings with the weights trained on every set: a retraining that learns less fails here.
    Most misses are single short sentences, which hold few of the rare n-grams the model
    reads."""
    found = [text for text, category in MY_WORDINGS if category in _model_hits(model, text)]
    assert len(found) >= 13, f"{len(found)} of {len(MY_WORDINGS)}"


@pytest.mark.parametrize(
    ("bad", "lawful", "category"),
    [
        ("外省户籍人员请勿投递。", "不限户籍，外省朋友同样欢迎。", "discrimination.region"),
        ("再敢投诉，我让你在这行混不下去。", "如对处理结果不满意，可以向平台投诉。", "harassment"),
        ("入职需先交八百元工装押金，离职退还。", "工装由公司免费发放，不收押金。", "fee_charging"),
        ("招聘缅甸园区客服，月薪三万，包机票，落地有人接。",
         "招聘外贸客服，服务东南亚客户，工作地点在广州。", "overseas"),
    ],
)
def test_the_model_scores_a_family_above_its_lawful_neighbour(
    model: LearnedModel, bad: str, lawful: str, category: str
) -> None:
    index = model.categories.index(category)
    bad_score = model.scores(model.find(views(bad)[0].text))[index]
    lawful_score = model.scores(model.find(views(lawful)[0].text))[index]
    assert bad_score > lawful_score


@pytest.mark.parametrize(
    ("text", "context"),
    [
        ("招聘仓库管理员，男女不限，年龄不限，欢迎应届生。", "posting"),
        ("我行招聘信用卡中心客户经理，负责信用卡营销。", "posting"),
        ("招聘清真餐厅厨师，负责日常菜品制作。", "posting"),
        ("本公司提供产假、婚假等法定假期。", "posting"),
        ("欢迎残疾人士应聘客服岗位，公司提供无障碍设施。", "posting"),
        ("领队需带团前往日本、韩国旅游，有导游证优先。", "posting"),
        ("招商经理，负责商场招商工作，有商业地产经验优先。", "posting"),
        ("食品加工岗位需持有效健康证上岗。", "posting"),
        ("我们的工作时间是周一到周五，礼拜六礼拜天双休。", "chat"),
        ("您好，面试时间定在周三下午两点，请带好简历。", "interview"),
        ("招聘少儿美术老师，负责课程教学与学员沟通。", "posting"),
        ("工装由公司免费发放，不收押金。", "posting"),
    ],
)
def test_lawful_neighbours_pass_with_the_model(text: str, context: str) -> None:
    assert default_screener().screen(text, context).decision == "pass"


def test_the_weights_are_in_step_with_the_training_data(model: LearnedModel) -> None:
    """Retrain (``python bench/train_screening_model.py``) after any labelled set changes."""
    assert model.digest == training_digest()


def test_the_training_reproduces_the_weights_byte_for_byte() -> None:
    training = pytest.importorskip("pinqiao.moderation.training")
    text = training.train(training_items(), training_digest())
    assert text == WEIGHTS_PATH.read_text(encoding="utf-8")


def test_the_screener_scores_like_the_model_alone(model: LearnedModel) -> None:
    """The screener finds the model's n-grams in its own automaton pass; the result must be
    the model's own reading of the text."""
    screener = default_screener()
    for item in training_items()[::25]:
        compact, _spaced = views(item["text"])
        alone = {hit.category for hit in model.hits(
            model.find(compact.text), compact, (), CATEGORY_DECISIONS)}
        result = screener.screen(item["text"], item["context"])
        by_model = {e.category for e in result.evidence if e.rule_id.startswith("model.")}
        assert by_model <= alone
        assert alone - by_model <= set(result.categories)


def test_a_model_only_hit_carries_evidence_in_original_offsets(model: LearnedModel) -> None:
    rules = Screener.from_rules(json.loads(DEFAULT_RULES_PATH.read_text(encoding="utf-8")))
    both = Screener.from_rules(
        json.loads(DEFAULT_RULES_PATH.read_text(encoding="utf-8")), model=model)
    text = "零基础学電商運營，\u200b学成推荐就业，学费可分期。"
    assert "non_recruitment" not in rules.screen(text).categories
    result = both.screen(text)
    assert "non_recruitment" in result.categories
    evidence = [e for e in result.evidence if e.rule_id == "model.non_recruitment"]
    assert evidence
    for item in evidence:
        assert text[item.start:item.end] == item.text and item.text.strip()


def test_a_waived_category_is_not_added_by_the_model(model: LearnedModel) -> None:
    text = "招聘缅甸园区客服，月薪三万，包机票。"
    assert "overseas" in _model_hits(model, text)
    assert "overseas" not in default_screener().screen(text, waived={"overseas"}).categories


@pytest.mark.parametrize(
    "unit",
    ["招聘男性\u200b店员，加薇信abc123。", "繁體字招聘女性員工ｆｕｌｌ－ｗｉｄｔｈ😀", "a\u200d"],
)
def test_bad_input_stays_bounded_with_the_model(unit: str) -> None:
    text = (unit * (50_000 // len(unit)))[:50_000]
    started = time.process_time()
    result = default_screener().screen(text, "chat")
    assert time.process_time() - started < 4.0
    for item in result.evidence:
        assert text[item.start:item.end] == item.text


def test_every_category_decision_follows_the_contract(model: LearnedModel) -> None:
    """A model-only hit is ``review`` unless above its category's reject threshold, and never
    ``reject`` for a category the contract sends to review."""
    assert model.categories == tuple(CATEGORY_DECISIONS)
    text = "诚邀加盟，投资五万即可开店，总部全程扶持。"
    assert _model_hits(model, text)["non_recruitment"] == "review"


def test_a_resume_describing_its_writer_is_left_to_the_rules() -> None:
    text = "自我介绍：本人男，汉族，已婚已育，身体健康，五年仓储管理经验。"
    assert default_screener().screen(text, "resume").decision == "pass"
