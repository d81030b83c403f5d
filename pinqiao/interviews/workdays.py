"""The Chinese working-day calendar for interview slots (APP-3): statutory holidays, weekends
and make-up working days (调休) from ``chinese_calendar``.

A slot on a non-working day is shown with a warning, never refused. Dates are taken in China's
time (Asia/Shanghai): the statutory calendar is China's, whatever zone a slot is shown in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import chinese_calendar
from django.utils.translation import gettext as _

CHINA = ZoneInfo("Asia/Shanghai")

_HOLIDAY_NAMES = {h.value: h.chinese for h in chinese_calendar.Holiday}


@dataclass(frozen=True)
class DayInfo:
    day: date
    is_workday: bool
    label: str
    #: A warning for the recruiter and the seeker, empty on an ordinary working day.
    warning: str
    #: False when the package has no data for the year (only weekends are known then).
    known: bool = True


def _holiday_name(day: date) -> str:
    _on_holiday, name = chinese_calendar.get_holiday_detail(day)
    return _HOLIDAY_NAMES.get(name, name or "")


def day_info(day: date) -> DayInfo:
    """What kind of day ``day`` is in China."""
    weekend = day.weekday() >= 5
    try:
        workday = chinese_calendar.is_workday(day)
    except NotImplementedError:
        return DayInfo(day, not weekend, _("周末") if weekend else _("工作日"),
                       _("该日期所在年份的法定节假日安排尚未公布，请自行核对。"), known=False)
    name = _holiday_name(day)
    if workday and weekend:
        label = _("调休工作日（%(name)s）") % {"name": name} if name else _("调休工作日")
        return DayInfo(day, True, label, "")
    if workday:
        return DayInfo(day, True, _("工作日"), "")
    if chinese_calendar.is_holiday(day) and name:
        return DayInfo(day, False, _("法定节假日：%(name)s") % {"name": name},
                       _("该日为法定节假日（%(name)s），请确认双方都方便。") % {"name": name})
    return DayInfo(day, False, _("周末"), _("该日为周末休息日，请确认双方都方便。"))


def slot_day_info(starts_at: datetime) -> DayInfo:
    return day_info(starts_at.astimezone(CHINA).date())
