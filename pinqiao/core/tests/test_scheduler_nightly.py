"""The scheduler's nightly batches run at their time, not when the scheduler starts (issue 14:
at a million postings the start-up round of risk scores, patrol and backup held a core and the
write lock for hours beside the web processes)."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from pinqiao.core.management.commands import run_scheduler
from pinqiao.core.scheduler import SCHEDULE, PeriodicJob

SHANGHAI = ZoneInfo("Asia/Shanghai")
NIGHTLY = {"patrol_postings", "bias_report", "apply_retention", "backup", "risk_recompute"}


def test_the_whole_table_batches_are_nightly_and_the_frequent_jobs_are_not():
    nightly = {job.command for job in SCHEDULE if job.nightly_at is not None}
    assert nightly == NIGHTLY
    times = [job.nightly_at for job in SCHEDULE if job.nightly_at is not None]
    assert len(set(times)) == len(times)  # staggered, not all at once


def test_first_run_is_the_next_nightly_time_or_at_once():
    job = PeriodicJob("x", 86400, "", nightly_at=time(3, 10))
    evening = datetime(2026, 12, 7, 22, 0, tzinfo=SHANGHAI)
    assert job.first_run_after(evening) == datetime(2026, 12, 8, 3, 10, tzinfo=SHANGHAI)
    early = datetime(2026, 12, 7, 1, 0, tzinfo=SHANGHAI)
    assert job.first_run_after(early) == datetime(2026, 12, 7, 3, 10, tzinfo=SHANGHAI)
    exactly = datetime(2026, 12, 7, 3, 10, tzinfo=SHANGHAI)
    assert job.first_run_after(exactly) == datetime(2026, 12, 8, 3, 10, tzinfo=SHANGHAI)
    plain = PeriodicJob("y", 60, "")
    assert plain.first_run_after(evening) == evening
    later = PeriodicJob("z", 3600, "", at_start=False)
    assert later.first_run_after(evening) == datetime(2026, 12, 7, 23, 0, tzinfo=SHANGHAI)


class _OnePass:
    """A stop event that is set after the scheduler's first wait."""

    def __init__(self) -> None:
        self.stopped = False

    def is_set(self) -> bool:
        return self.stopped

    def set(self) -> None:
        self.stopped = True

    def wait(self, _seconds: float) -> None:
        self.stopped = True


@pytest.mark.parametrize("once", [False, True])
def test_a_started_scheduler_leaves_the_nightly_batches_for_the_night(monkeypatch, once):
    ran: list[str] = []
    monkeypatch.setattr(run_scheduler, "call_command", lambda name, **kw: ran.append(name))
    monkeypatch.setattr(run_scheduler.threading, "Event", _OnePass)
    monkeypatch.setattr(run_scheduler.signal, "signal", lambda *a: None)
    monkeypatch.setattr(run_scheduler.timezone, "localtime",
                        lambda *a: datetime(2026, 12, 7, 15, 0, tzinfo=SHANGHAI))
    run_scheduler.Command().handle(once=once)
    every = [job.command for job in SCHEDULE]
    if once:  # --once: every job, the nightly ones too
        assert ran == every
    else:
        assert ran == [c for c in every if c not in NIGHTLY | {"search_reconcile"}]
