"""TKT-3: seven working days from receipt on the Chinese statutory calendar, holidays and
make-up working days counted; escalation on working day five."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from pinqiao.interviews.workdays import CHINA
from pinqiao.tickets.clock import add_working_days, clock_for, working_days_between


@pytest.mark.parametrize(("received", "escalate", "deadline"), [
    # National Day 2025: 1–8 Oct off, Sat 11 Oct a make-up working day.
    ("2025-09-30", "2025-10-14", "2025-10-16"),
    # Spring Festival 2026: 15–23 Feb off, Sat 14 Feb and Sat 28 Feb make-up working days.
    ("2026-02-13", "2026-02-27", "2026-03-02"),
    # National Day 2024: 1–7 Oct off, Sat 12 Oct a make-up working day.
    ("2024-09-30", "2024-10-12", "2024-10-15"),
    # Labour Day 2024: 1–5 May off, Sat 11 May a make-up working day.
    ("2024-04-30", "2024-05-10", "2024-05-13"),
    # An ordinary week: Monday to the Wednesday after next.
    ("2025-03-03", "2025-03-10", "2025-03-12"),
])
def test_it_counts_seven_working_days_across_holidays(received: str, escalate: str,
                                                      deadline: str) -> None:
    at = datetime.fromisoformat(received).replace(hour=10, tzinfo=CHINA)
    clock = clock_for(at)
    assert clock.escalate_on == date.fromisoformat(escalate)
    assert clock.deadline == date.fromisoformat(deadline)


def test_it_takes_the_receipt_day_in_china_time() -> None:
    """17:00 UTC on Sunday 2 March is already Monday 3 March in China."""
    sunday_evening = datetime.fromisoformat("2025-03-02T15:00:00+00:00")
    monday_early = datetime.fromisoformat("2025-03-02T17:00:00+00:00")
    assert clock_for(sunday_evening).deadline == date(2025, 3, 11)
    assert clock_for(monday_early).received_on == date(2025, 3, 3)
    assert clock_for(monday_early).deadline == date(2025, 3, 12)


def test_a_make_up_saturday_counts_and_a_holiday_weekday_does_not() -> None:
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert working_days_between(date(2025, 9, 30), date(2025, 10, 8)) == 0
    assert working_days_between(date(2025, 9, 30), date(2025, 10, 11)) == 3
