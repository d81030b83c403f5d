"""The job-recommendation score and its reasons (REC-1, REC-3; ALG Art. 16).

Pure functions over a :class:`~pinqiao.recommendations.profile.SeekerProfile` and postings.
The score adds, each bounded by its weight in :data:`WEIGHTS`:

* structured match: city (same city, or same province for less), job function (same function,
  or same family for less), industry, pay-range overlap (same pay unit), experience and
  education meeting the posting's requirement;
* text similarity: the overlap of the seeker's skill and keyword tokens with the posting's
  title and text (set cosine over segmented words);
* freshness: halves every :data:`FRESHNESS_HALF_LIFE_DAYS` days since publication;
* feedback: 「更多类似」 adds its posting's city, function and keywords to the tags and lifts
  that organisation; 「不感兴趣」 removes the posting and multiplies the score of the same
  organisation and the same function by :data:`DISLIKED_ORG_FACTOR` and
  :data:`DISLIKED_FUNCTION_FACTOR` per opinion.

Each scored posting carries the reasons that contributed, strongest first, for display as
「城市匹配：广州 · 薪资区间重叠 · 技能：Java」.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

import rjieba
from django.utils.translation import gettext as _

from pinqiao.recommendations.profile import (
    EDUCATION_ORDER,
    EXPERIENCE_ORDER,
    SeekerProfile,
    TagKind,
    city_code,
    tag_label,
)
from pinqiao.reference import divisions, taxonomy

VERSION = "1.0"
WEIGHTS = {
    "city": 0.20, "province": 0.08, "function": 0.20, "family": 0.08, "industry": 0.05,
    "pay": 0.10, "experience": 0.05, "education": 0.05, "text": 0.20, "freshness": 0.10,
    "liked_org": 0.05,
}
FRESHNESS_HALF_LIFE_DAYS = 7.0
DISLIKED_ORG_FACTOR = 0.5
DISLIKED_FUNCTION_FACTOR = 0.6
#: A tag counts fully from this weight (a résumé entry, or two applications); one application
#: alone counts half.
FULL_TAG_WEIGHT = 2.0
TEXT_MAX = 3000
SHOWN_REASONS = 4
_WORD = re.compile(r"[0-9a-z+#.]+|[\u4e00-\u9fff]+")
_STOP = frozenset({
    "负责", "工作", "以上", "及以上", "熟悉", "能够", "相关", "优先",
    "具有", "经验", "学历", "要求", "良好", "具备", "公司", "能力",
    "进行", "以及", "我们", "岗位", "职位", "完成", "根据", "提供",
    "参与", "了解", "一定", "或者", "可以", "需要", "其他", "人员",
    "年龄", "专业", "以下",
})


@dataclass
class Scored:
    posting: Any
    score: float
    reasons: list[str] = field(default_factory=list)
    personalised: bool = True

    @property
    def reason_text(self) -> str:
        """The strongest reasons, for display."""
        return " · ".join(self.reasons[:SHOWN_REASONS])


@lru_cache(maxsize=4096)
def tokens(text: str) -> frozenset[str]:
    """Segmented words of ``text`` (NFKC, lower case), without one-character Chinese words
    and common filler words."""
    text = unicodedata.normalize("NFKC", text[:TEXT_MAX]).lower()
    found = set()
    for run in _WORD.findall(text):
        words = rjieba.cut(run) if not run.isascii() else [run.strip(".")]
        for word in words:
            if word and word not in _STOP and (len(word) >= 2 or word.isascii()):
                found.add(word)
    return frozenset(found)


def posting_text(posting: Any) -> str:
    return f"{posting.title}\n{posting.requirements}\n{posting.work_content}"


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Set cosine: shared words over the geometric mean of the two sizes."""
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def _short_city(name: str) -> str:
    return name[:-1] if name.endswith("市") and len(name) > 2 else name


def _strength(weight: float) -> float:
    return min(weight / FULL_TAG_WEIGHT, 1.0)


def pay_overlap(posting: Any, wanted: tuple[Decimal, Decimal, str] | None) -> float:
    """Share of the wanted range covered by the posting's range (same unit), 0 … 1."""
    if wanted is None or posting.pay_min is None or posting.pay_max is None \
            or posting.pay_unit != wanted[2]:
        return 0.0
    low, high = max(posting.pay_min, wanted[0]), min(posting.pay_max, wanted[1])
    if low > high:
        return 0.0
    span = wanted[1] - wanted[0]
    return 1.0 if span == 0 else max(float((high - low) / span), 0.2)


def _meets(order: list[str], have: str, need: str) -> bool | None:
    if not have or have not in order or need not in order:
        return None
    return need == "any" or order.index(have) >= order.index(need)


def freshness(published_at: datetime | None, now: datetime) -> float:
    if published_at is None:
        return 0.0
    days = max((now - published_at).total_seconds() / 86400, 0.0)
    return 0.5 ** (days / FRESHNESS_HALF_LIFE_DAYS)


class Scorer:
    """Scores postings for one seeker's profile (build once per request)."""

    def __init__(self, profile: SeekerProfile, *, now: datetime) -> None:
        self.profile = profile
        self.now = now
        self.cities = profile.weights(TagKind.CITY)
        self.provinces: dict[str, float] = {}
        for code, weight in self.cities.items():
            self.provinces[code[:2]] = max(self.provinces.get(code[:2], 0.0), weight)
        self.functions = profile.weights(TagKind.FUNCTION)
        self.families: dict[str, float] = {}
        for slug, weight in self.functions.items():
            known = taxonomy.job_function(slug)
            if known is not None:
                self.families[known.family_slug] = max(self.families.get(known.family_slug, 0.0),
                                                       weight)
        self.industries = profile.weights(TagKind.INDUSTRY)
        self.skills = profile.values(TagKind.SKILL)
        self.pay = profile.pay
        self.education = profile.first(TagKind.EDUCATION)
        self.experience = profile.first(TagKind.EXPERIENCE)
        words = " ".join(self.skills + profile.values(TagKind.KEYWORD))
        self.words = tokens(words) if words else frozenset()
        self.feedback_functions = {t.value for t in profile.tags
                                   if t.kind == TagKind.FUNCTION and "feedback" in t.sources}

    def match(self, posting: Any) -> tuple[float, list[str]]:
        """Structured match and text similarity, with their reasons (no freshness, no
        feedback): shared with candidate recommendation (REC-4)."""
        score, reasons = 0.0, []
        city = city_code(posting.division_code)
        if city in self.cities:
            score += WEIGHTS["city"] * _strength(self.cities[city])
            reasons.append(_("城市匹配：%s") % _short_city(tag_label(TagKind.CITY, city)))
        elif city[:2] in self.provinces:
            score += WEIGHTS["province"] * _strength(self.provinces[city[:2]])
            province = divisions.province_of(city)
            reasons.append(_("同省：%s") % (province.name if province else city[:2]))
        overlap = pay_overlap(posting, self.pay)
        if overlap:
            score += WEIGHTS["pay"] * overlap
            reasons.append(_("薪资区间重叠"))
        function = posting.job_function
        if function in self.functions:
            score += WEIGHTS["function"] * _strength(self.functions[function])
            reasons.append(_("职能：%s") % tag_label(TagKind.FUNCTION, function))
        else:
            known = taxonomy.job_function(function) if function else None
            if known is not None and known.family_slug in self.families:
                score += WEIGHTS["family"] * _strength(self.families[known.family_slug])
                reasons.append(_("相近职能：%s") % known.name)
        text = posting_text(posting)
        matched = [s for s in self.skills if s.lower() in text.lower()][:3]
        if matched:
            reasons.append(_("技能：%s") % "、".join(matched))
        if posting.industry in self.industries:
            score += WEIGHTS["industry"] * _strength(self.industries[posting.industry])
            reasons.append(_("行业：%s") % tag_label(TagKind.INDUSTRY, posting.industry))
        text_score = similarity(self.words, tokens(text))
        score += WEIGHTS["text"] * text_score
        if text_score >= 0.15 and not matched:
            reasons.append(_("关键词与职位描述相近"))
        for name, order, have, need, ok in (
                ("education", EDUCATION_ORDER, self.education, posting.education,
                 _("学历符合")),
                ("experience", EXPERIENCE_ORDER, self.experience, posting.experience,
                 _("经验符合"))):
            meets = _meets(order, have, need)
            if meets:
                score += WEIGHTS[name]
                if need != "any":
                    reasons.append(ok)
            elif meets is False:
                score -= WEIGHTS[name]
        return score, reasons

    def score(self, posting: Any) -> Scored:
        score, reasons = self.match(posting)
        function = posting.job_function
        fresh = freshness(posting.published_at, self.now)
        score += WEIGHTS["freshness"] * fresh
        if fresh >= 0.5:
            reasons.append(_("最近发布"))
        if posting.organisation_id in self.profile.liked_orgs:
            score += WEIGHTS["liked_org"]
        if function in self.feedback_functions or posting.organisation_id in \
                self.profile.liked_orgs:
            reasons.append(_("与您标记「更多类似」的职位相似"))
        score *= DISLIKED_ORG_FACTOR ** self.profile.disliked_orgs.get(posting.organisation_id, 0)
        score *= DISLIKED_FUNCTION_FACTOR ** self.profile.disliked_functions.get(function, 0)
        return Scored(posting, round(score, 4), reasons or [_("近期发布的职位")])


def rank(scored: list[Scored]) -> list[Scored]:
    """Highest score first; ties by newer publication, then id (stable across requests)."""
    return sorted(scored, key=lambda s: (-s.score, -(s.posting.published_at.timestamp()
                                                      if s.posting.published_at else 0),
                                         -s.posting.pk))
