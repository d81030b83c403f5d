"""Minimum wage lookups, district → city → province (JOB-8)."""

from datetime import date
from decimal import Decimal

from pinqiao.reference.minimum_wage import minimum_wage

ON = date(2026, 1, 15)


def test_it_resolves_a_district_through_its_city_tier():
    wage = minimum_wage("440106", ON)  # 广州市天河区 → 广州 is 一类地区
    assert wage.monthly_yuan == Decimal("2500")
    assert wage.tier == "一类地区"
    assert wage.region == "广东省一类地区"
    assert wage.effective == date(2025, 3, 1)
    assert "最低工资标准" in wage.source


def test_it_prefers_a_city_with_its_own_standard():
    wage = minimum_wage("440305", ON)  # 深圳市南山区
    assert wage.monthly_yuan == Decimal("2520")
    assert wage.region == "深圳市"


def test_it_falls_back_to_the_province_default_tier():
    wage = minimum_wage("441402", ON)  # 梅州市梅江区: not listed → lowest tier
    assert wage.tier == "四类地区"
    assert wage.monthly_yuan == Decimal("1720")


def test_it_lets_a_listed_district_override_its_city():
    assert minimum_wage("430104", ON).tier == "一类地区"  # 长沙市岳麓区
    assert minimum_wage("430181", ON).tier == "二类地区"  # 浏阳市
    assert minimum_wage("430181", ON).monthly_yuan == Decimal("2000")


def test_it_applies_municipal_standards_to_every_district():
    assert minimum_wage("310115", ON).monthly_yuan == Decimal("2740")  # 上海市浦东新区
    beijing = minimum_wage("110105", ON)
    assert (beijing.monthly_yuan, beijing.hourly_yuan) == (Decimal("2540"), Decimal("27.7"))
    assert beijing.verified
    assert minimum_wage("110000", ON) == beijing


def test_it_picks_the_standard_in_force_on_the_day():
    assert minimum_wage("310101", date(2025, 6, 30)).monthly_yuan == Decimal("2690")
    assert minimum_wage("310101", date(2025, 7, 1)).monthly_yuan == Decimal("2740")
    assert minimum_wage("310101", date(2020, 1, 1)) is None


def test_it_has_a_standard_for_every_mainland_province():
    from pinqiao.reference import divisions

    mainland = [p for p in divisions.provinces() if p.code not in {"710000", "810000", "820000"}]
    assert len(mainland) == 31
    for province in mainland:
        wage = minimum_wage(province.code, ON)
        assert wage is not None, province.name
        assert Decimal(1000) < wage.monthly_yuan < Decimal(3000)
        assert Decimal(10) < wage.hourly_yuan < Decimal(30)


def test_it_returns_none_outside_the_mainland_regime_and_for_unknown_codes():
    assert minimum_wage("810000", ON) is None
    assert minimum_wage("999999", ON) is None
    assert minimum_wage("", ON) is None


def test_it_marks_unverified_figures():
    assert not minimum_wage("440106", ON).verified  # 广州 hourly figure not confirmed
    assert minimum_wage("220102", ON).verified  # 长春
