"""The Chinese working-day calendar beside each slot (APP-3)."""

from datetime import date

from pinqiao.interviews.tests.conftest import at
from pinqiao.interviews.workdays import day_info, slot_day_info


def test_it_names_a_statutory_holiday_and_warns() -> None:
    info = day_info(date(2025, 10, 1))
    assert not info.is_workday
    assert info.label == "法定节假日：国庆节"
    assert "国庆节" in info.warning


def test_it_marks_a_make_up_working_day_on_a_weekend_without_warning() -> None:
    info = day_info(date(2025, 9, 28))  # a Sunday
    assert info.is_workday
    assert info.label == "调休工作日（国庆节）"
    assert info.warning == ""


def test_it_warns_about_an_ordinary_weekend() -> None:
    info = day_info(date(2025, 9, 27))
    assert (info.is_workday, info.label) == (False, "周末")
    assert info.warning


def test_an_ordinary_weekday_is_a_working_day() -> None:
    info = day_info(date(2025, 9, 29))
    assert (info.is_workday, info.label, info.warning) == (True, "工作日", "")


def test_it_says_when_the_year_is_not_published_yet() -> None:
    info = day_info(date(2099, 3, 2))
    assert not info.known
    assert "尚未公布" in info.warning


def test_it_takes_the_date_in_china() -> None:
    # 2025-09-30 23:30 in London is already 1 October (a holiday) in China.
    from datetime import datetime
    from zoneinfo import ZoneInfo

    london = datetime(2025, 9, 30, 23, 30, tzinfo=ZoneInfo("Europe/London"))
    assert slot_day_info(london).day == date(2025, 10, 1)
    assert slot_day_info(at(30, 23)).day == date(2025, 9, 30)
