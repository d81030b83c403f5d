"""Fifteen working days on the Chinese calendar (PIPL Art. 50; 35273 8.7): statutory holidays
and make-up working days from the interview calendar's ``day_info``."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from pinqiao.interviews.workdays import CHINA, day_info

ANSWER_WITHIN_WORKING_DAYS = 15


def add_working_days(start: date, count: int) -> date:
    """The ``count``-th working day after ``start`` (``start`` itself does not count)."""
    day = start
    while count > 0:
        day += timedelta(days=1)
        if day_info(day).is_workday:
            count -= 1
    return day


def due_on(received_at: datetime) -> date:
    """The last day to answer a request received at ``received_at`` (China's date)."""
    return add_working_days(received_at.astimezone(CHINA).date(), ANSWER_WITHIN_WORKING_DAYS)
