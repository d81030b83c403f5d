"""Pay sanity findings (JOB-8)."""

from datetime import date
from decimal import Decimal as D

import pytest

from pinqiao.reference.pay import pay_findings

ON = date(2026, 1, 15)
GUANGZHOU = "440106"


def codes(**kwargs):
    kwargs.setdefault("division_code", GUANGZHOU)
    kwargs.setdefault("on", ON)
    return [(f.code, f.severity) for f in pay_findings(**kwargs)]


def test_it_passes_an_ordinary_posting():
    assert (
        codes(pay_min=D(6000), pay_max=D(9000), unit="month", text="招聘Java开发，3-5年经验") == []
    )


def test_it_refuses_non_positive_pay():
    assert codes(pay_min=D(0), pay_max=D(5000), unit="month") == [("pay.non_positive", "invalid")]
    assert codes(pay_min=D(-1), pay_max=D(-1), unit="day") == [("pay.non_positive", "invalid")]


def test_it_refuses_min_above_max():
    findings = pay_findings(
        pay_min=D(9000), pay_max=D(6000), unit="month", division_code=GUANGZHOU, on=ON
    )
    assert [(f.code, f.severity) for f in findings] == [("pay.min_above_max", "invalid")]
    assert "9000元/月" in findings[0].message_zh and "6000元/月" in findings[0].message_zh


def test_it_flags_monthly_pay_below_the_local_minimum_wage():
    findings = pay_findings(
        pay_min=D(2400), pay_max=D(3000), unit="month", division_code=GUANGZHOU, on=ON
    )
    assert [(f.code, f.severity) for f in findings] == [("pay.below_minimum_wage", "review")]
    assert "2500" in findings[0].message_zh and "广东省一类地区" in findings[0].message_zh
    # The same pay is fine where the minimum wage is lower (梅州, 四类地区 1720).
    assert codes(pay_min=D(2400), pay_max=D(3000), unit="month", division_code="441402") == []


def test_it_converts_daily_pay_with_21_75_days():
    # 110 × 21.75 = 2392.50 < 2500; 115 × 21.75 = 2501.25 ≥ 2500.
    findings = pay_findings(
        pay_min=D(110), pay_max=D(150), unit="day", division_code=GUANGZHOU, on=ON
    )
    assert [f.code for f in findings] == ["pay.below_minimum_wage"]
    assert "2392.50元/月" in findings[0].message_zh
    assert codes(pay_min=D(115), pay_max=D(150), unit="day") == []


def test_it_compares_hourly_pay_with_the_hourly_minimum():
    # Shanghai: 25 元/小时 from 2025-07-01.
    assert codes(pay_min=D("24.5"), pay_max=D(30), unit="hour", division_code="310101") == [
        ("pay.below_minimum_wage", "review")
    ]
    assert codes(pay_min=D(25), pay_max=D(30), unit="hour", division_code="310101") == []


def test_it_skips_the_minimum_wage_check_where_none_is_recorded():
    assert codes(pay_min=D(1000), pay_max=D(1200), unit="month", division_code="810000") == []


def test_it_flags_absurd_ranges():
    assert codes(pay_min=D(3000), pay_max=D(30000), unit="month") == [
        ("pay.absurd_range", "review")
    ]
    # Exactly 3× is allowed, and so is a wide range below the floor.
    assert codes(pay_min=D(5000), pay_max=D(15000), unit="month") == []
    assert codes(pay_min=D(120), pay_max=D(400), unit="day") == []
    assert codes(pay_min=D(150), pay_max=D(800), unit="day") == [("pay.absurd_range", "review")]


def test_it_flags_easy_money_pitches_with_high_pay():
    findings = pay_findings(
        pay_min=D(800),
        pay_max=D(1200),
        unit="day",
        division_code=GUANGZHOU,
        text="手机操作，轻 松 上手，无需经验",
        on=ON,
    )
    assert [(f.code, f.severity) for f in findings] == [("pay.implausibly_high", "review")]
    assert "无需经验" in findings[0].message_zh or "轻松" in findings[0].message_zh


def test_it_flags_daily_earnings_claims_in_the_text():
    assert codes(pay_min=D(5000), pay_max=D(8000), unit="month", text="宝妈兼职，日赚千元") == [
        ("pay.implausibly_high", "review")
    ]
    assert codes(pay_min=D(5000), pay_max=D(8000), unit="month", text="日入１０００＋，零基础") == [
        ("pay.implausibly_high", "review")
    ]


def test_it_does_not_flag_high_pay_without_a_pitch():
    assert codes(pay_min=D(1200), pay_max=D(1500), unit="day", text="资深同声传译，10年经验") == []
    assert codes(pay_min=D(40000), pay_max=D(60000), unit="month", text="算法专家") == []


def test_it_flags_pay_that_is_implausible_in_any_case():
    assert codes(pay_min=D(200000), pay_max=D(300000), unit="month") == [
        ("pay.implausibly_high", "review")
    ]
    assert codes(pay_min=D(1000), pay_max=D(1200), unit="hour") == [
        ("pay.implausibly_high", "review")
    ]


def test_it_reports_several_findings_together():
    found = codes(pay_min=D(2000), pay_max=D(30000), unit="month", text="轻松无需经验")
    assert found == [
        ("pay.below_minimum_wage", "review"),
        ("pay.absurd_range", "review"),
        ("pay.implausibly_high", "review"),
    ]


def test_it_uses_today_when_no_date_is_given():
    findings = pay_findings(pay_min=D(100), pay_max=D(200), unit="month", division_code=GUANGZHOU)
    assert [f.code for f in findings] == ["pay.below_minimum_wage"]


def test_it_rejects_an_unknown_unit():
    with pytest.raises(ValueError, match="未知的薪资单位"):
        pay_findings(pay_min=D(1), pay_max=D(2), unit="year", division_code=GUANGZHOU)
