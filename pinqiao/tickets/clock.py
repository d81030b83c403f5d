"""The seven-working-day clock (TKT-3, DB4401 9.2.2.4), counted on the Chinese statutory
calendar with make-up working days (调休), reusing the interview calendar's ``day_info``.

Receipt day is day 0; the clock counts the working days after it. Escalation to a supervisor
falls on working day 5, the deadline on working day 7, both in China's time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from pinqiao.interviews.workdays import CHINA, day_info

WORKING_DAYS_TO_SOLVE = 7
WORKING_DAY_TO_ESCALATE = 5


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start``."""
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if day_info(current).is_workday:
            left -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` <= ``start``)."""
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        if day_info(current).is_workday:
            count += 1
    return count


@dataclass(frozen=True)
class Clock:
    received_on: date
    escalate_on: date
    deadline: date


def clock_for(received_at: datetime) -> Clock:
    """The escalation day and the deadline of a case received at ``received_at``."""
    received_on = received_at.astimezone(CHINA).date()
    return Clock(received_on, add_working_days(received_on, WORKING_DAY_TO_ESCALATE),
                 add_working_days(received_on, WORKING_DAYS_TO_SOLVE))


def china_today(now: datetime) -> date:
    return now.astimezone(CHINA).date()
