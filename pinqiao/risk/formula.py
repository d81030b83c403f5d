"""The risk-score formula (RISK-1, RISK-4), versioned like the algorithm register (ALG-2).

A score is the sum of capped points over signals, limited to 100. Each signal names its
weight (points per unit) and cap, so every score can list what made it up. Changing a weight
or a signal means a new ``VERSION``, a row in the register migration and docs/decisions/0013.

risk-2026.1: the first formula. risk-2026.2: chat abuse joins as three signals for the
organisation (screening hits of its people's messages, upheld chat reports, chat sanctions of
its people) and two for the recruiter (own hits, own chat sanctions).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

VERSION = "risk-2026.2"


@dataclass(frozen=True)
class Signal:
    name: str
    label: Any
    #: Points per unit of the signal's value (a flag counts 1).
    weight: float
    cap: int


SIGNALS: dict[str, tuple[Signal, ...]] = {
    "organisation": (
        Signal("unverified", _("未通过单位认证"), 30, 30),
        Signal("new_account", _("认证未满 90 天"), 10, 10),
        Signal("upheld_cases", _("一年内成立的投诉举报"), 15, 45),
        Signal("reports", _("90 天内收到的举报"), 3, 15),
        Signal("screening_hits", _("90 天内机审命中"), 2, 20),
        Signal("sanctions", _("一年内的处置措施"), 10, 30),
        Signal("high_volume", _("30 天内发布职位超过 100 个"), 10, 10),
        Signal("resume_downloads", _("30 天内下载简历（每 100 份）"), 5, 15),
        # Chat abuse (RISK-1, since risk-2026.2): the organisation's side of its chats.
        Signal("chat_screening_hits", _("90 天内本单位人员沟通消息机审命中"), 2, 20),
        Signal("chat_reports_upheld", _("一年内成立的沟通举报"), 15, 30),
        Signal("chat_sanctions", _("一年内本单位人员受到的沟通处罚"), 10, 30),
    ),
    "recruiter": (
        Signal("organisation_risk", _("所属单位风险分（每 10 分）"), 3, 30),
        Signal("upheld_cases", _("一年内针对本人成立的投诉举报"), 15, 45),
        Signal("high_volume", _("30 天内发布职位超过 50 个"), 10, 10),
        Signal("resume_views", _("30 天内查看简历（每 100 份）"), 5, 25),
        Signal("resume_downloads", _("30 天内下载简历（每 50 份）"), 5, 25),
        Signal("chat_screening_hits", _("90 天内本人沟通消息机审命中"), 3, 15),
        Signal("chat_sanctions", _("一年内本人受到的沟通处罚"), 15, 30),
    ),
    "posting": (
        Signal("organisation_risk", _("发布单位风险分（每 10 分）"), 3, 30),
        Signal("upheld_cases", _("针对该职位成立的投诉举报"), 25, 50),
        Signal("reports", _("收到的举报"), 5, 20),
        Signal("screening_review", _("机审转人工"), 10, 10),
        Signal("screening_reject", _("机审驳回"), 25, 25),
    ),
}

LEVELS = ((70, "high"), (40, "medium"), (0, "low"))


def level_for(score: int) -> str:
    return next(name for floor, name in LEVELS if score >= floor)


def compute(subject: str, values: dict[str, float]) -> tuple[int, list[dict[str, Any]]]:
    """The score and its contributions, largest first; signals at zero are listed too, so
    the explanation shows what was looked at."""
    rows = []
    for signal in SIGNALS[subject]:
        value = float(values.get(signal.name, 0) or 0)
        points = min(signal.cap, round(value * signal.weight))
        rows.append({"signal": signal.name, "label": str(signal.label), "value": value,
                     "weight": signal.weight, "cap": signal.cap, "points": points})
    rows.sort(key=lambda r: (-r["points"], r["signal"]))
    return min(100, sum(r["points"] for r in rows)), rows
