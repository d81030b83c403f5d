"""Pay sanity checks for job postings (JOB-8; JOB-1 for the pay range itself).

``pay_findings`` looks at a posting's pay range and text and returns findings, each with a
severity: ``invalid`` findings are refused by the posting form; ``review`` findings send the
posting to the human review queue (MOD-5) with the Chinese message shown to the reviewer and the
poster.

Rules and thresholds (all amounts in 元):

``pay.non_positive`` (invalid)
    The minimum or the maximum is zero or negative.
``pay.min_above_max`` (invalid)
    The minimum is greater than the maximum.
``pay.below_minimum_wage`` (review)
    The minimum is below the local minimum wage (``minimum_wage.minimum_wage``, resolved district →
    city → province). Monthly pay is compared with the monthly standard; daily pay is converted
    to a month with 21.75 paid working days (人社部发〔2008〕3号) and compared with the monthly
    standard; hourly pay is compared with the hourly (non-full-time) standard. No finding when
    no standard is recorded for the place and day. Monthly and daily pay are taken as full-time
    pay, so part-time postings should state their pay per hour.
``pay.absurd_range`` (review)
    The maximum is more than 3 × the minimum while the maximum is at least 10,000/month,
    500/day or 60/hour (a "3,000–30,000" bait range; narrow low ranges are left alone).
``pay.implausibly_high`` (review)
    Either very high pay promised together with a no-experience / easy-money pitch in the text
    (无需经验, 轻松, 日赚, ...): maximum of at least 20,000/month, 1,000/day or 150/hour; or
    a "日赚千元" style claim in the text with such a pitch, whatever the pay fields say; or
    pay so high that it is most likely a unit mistake or bait: maximum of at least
    200,000/month, 10,000/day or 1,000/hour.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from pinqiao.reference.minimum_wage import minimum_wage

Severity = Literal["review", "invalid"]

WORKING_DAYS_PER_MONTH = Decimal("21.75")
ABSURD_RATIO = Decimal(3)
#: Per pay unit: the maximum above which a wide range is suspicious, the maximum that is
#: implausible with a no-experience pitch, and the maximum that is implausible in any case.
RANGE_FLOOR = {"month": Decimal(10_000), "day": Decimal(500), "hour": Decimal(60)}
PITCH_CEILING = {"month": Decimal(20_000), "day": Decimal(1_000), "hour": Decimal(150)}
HARD_CEILING = {"month": Decimal(200_000), "day": Decimal(10_000), "hour": Decimal(1_000)}
UNIT_LABELS = {"month": "月", "day": "日", "hour": "小时"}

#: Phrases that promise easy money or need no experience; matched after NFKC and removing spaces.
PITCH_WORDS = (
    "无需经验",
    "不需要经验",
    "无经验",
    "零经验",
    "经验不限",
    "零基础",
    "轻松",
    "躺赚",
    "动动手指",
    "在家就能",
    "手机就能",
    "日赚",
    "日入",
)
#: A claim of earning a thousand or more a day in free text (日赚千元, 日入过千, 日结1000+).
DAILY_CLAIM = re.compile(
    r"日(?:赚|入|结|薪)(?:过|上)?(?:[1-9]\d{3,}|千|[一二三四五六七八九两]千|万)"
)


@dataclass(frozen=True, slots=True)
class PayFinding:
    """One problem with a posting's pay; ``code`` is stable, ``message_zh`` is shown to people."""

    code: str
    message_zh: str
    severity: Severity


def _normalise(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _yuan(amount: Decimal) -> str:
    return f"{amount.normalize():f}"


def _day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def pay_findings(
    *,
    pay_min: Decimal,
    pay_max: Decimal,
    unit: str,
    division_code: str,
    text: str = "",
    on: date | None = None,
) -> list[PayFinding]:
    """Check a posting's pay range; an empty list means nothing to flag (JOB-8).

    ``unit`` is ``month``, ``day`` or ``hour``; ``division_code`` is the work location;
    ``text`` the posting's title and description; ``on`` the day whose minimum wage applies
    (today when omitted). Raises ``ValueError`` for an unknown unit.
    """
    if unit not in UNIT_LABELS:
        raise ValueError(f"未知的薪资单位：{unit!r}（应为 month、day 或 hour）")
    label = UNIT_LABELS[unit]

    if pay_min <= 0 or pay_max <= 0:
        return [PayFinding("pay.non_positive", "薪资必须大于0元。", "invalid")]
    if pay_min > pay_max:
        return [
            PayFinding(
                "pay.min_above_max",
                f"最低薪资（{_yuan(pay_min)}元/{label}）不能高于最高薪资（{_yuan(pay_max)}元/{label}）。",
                "invalid",
            )
        ]

    findings: list[PayFinding] = []
    below = _below_minimum_wage(pay_min, unit, division_code, on or date.today())
    if below is not None:
        findings.append(below)

    if pay_max > ABSURD_RATIO * pay_min and pay_max >= RANGE_FLOOR[unit]:
        findings.append(
            PayFinding(
                "pay.absurd_range",
                f"薪资范围{_yuan(pay_min)}–{_yuan(pay_max)}元/{label}跨度过大"
                f"（最高超过最低的{ABSURD_RATIO}倍），请填写真实可兑现的薪资范围。",
                "review",
            )
        )

    normalised = _normalise(text)
    pitch = next((word for word in PITCH_WORDS if word in normalised), None)
    if pay_max >= HARD_CEILING[unit]:
        findings.append(
            PayFinding(
                "pay.implausibly_high",
                f"最高薪资{_yuan(pay_max)}元/{label}明显偏高，请确认薪资单位与金额。",
                "review",
            )
        )
    elif pitch is not None and (pay_max >= PITCH_CEILING[unit] or DAILY_CLAIM.search(normalised)):
        findings.append(
            PayFinding(
                "pay.implausibly_high",
                f"薪资（最高{_yuan(pay_max)}元/{label}）与“{pitch}”等宣传同时出现，"
                "疑似夸大薪资或虚假招聘，需人工审核。",
                "review",
            )
        )
    return findings


def _below_minimum_wage(
    pay_min: Decimal, unit: str, division_code: str, on: date
) -> PayFinding | None:
    standard = minimum_wage(division_code, on)
    if standard is None:
        return None
    if unit == "hour":
        if pay_min >= standard.hourly_yuan:
            return None
        compared = f"{_yuan(pay_min)}元/小时低于当地小时最低工资标准{_yuan(standard.hourly_yuan)}元"
    else:
        monthly = pay_min * WORKING_DAYS_PER_MONTH if unit == "day" else pay_min
        if monthly >= standard.monthly_yuan:
            return None
        shown = f"{_yuan(pay_min)}元/{UNIT_LABELS[unit]}"
        if unit == "day":
            shown += f"（按每月21.75天折合{monthly.quantize(Decimal('0.01')):f}元/月）"
        compared = f"{shown}低于当地月最低工资标准{_yuan(standard.monthly_yuan)}元"
    return PayFinding(
        "pay.below_minimum_wage",
        f"最低薪资{compared}（{standard.region}，{_day(standard.effective)}起执行，"
        f"依据《{standard.source}》）。",
        "review",
    )
