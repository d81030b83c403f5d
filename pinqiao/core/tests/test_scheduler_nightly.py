"""The scheduler's nightly batches run at their time, not when the scheduler starts (issue 14:
at a million postings the start-up round of risk scores, patrol and backup held a core and the
write lock for hours beside the web processes)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from pinqiao.core.management.commands import run_scheduler
from pinqiao.core.scheduler import SCHEDULE, PeriodicJob
from pinqiao.insights.models import Snapshot

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


def _first_pass(monkeypatch: pytest.MonkeyPatch, *, once: bool) -> list[str]:
    """The jobs a scheduler started at 15:00 runs in its first pass."""
    ran: list[str] = []
    monkeypatch.setattr(run_scheduler, "call_command", lambda name, **kw: ran.append(name))
    monkeypatch.setattr(run_scheduler.threading, "Event", _OnePass)
    monkeypatch.setattr(run_scheduler.signal, "signal", lambda *a: None)
    monkeypatch.setattr(run_scheduler.timezone, "localtime", lambda *a: STARTED)
    run_scheduler.Command().handle(once=once)
    return ran


STARTED = datetime(2026, 12, 7, 15, 0, tzinfo=SHANGHAI)


@pytest.mark.django_db
@pytest.mark.parametrize("once", [False, True])
def test_a_started_scheduler_leaves_the_nightly_batches_for_the_night(monkeypatch, once):
    ran = _first_pass(monkeypatch, once=once)
    every = [job.command for job in SCHEDULE]
    if once:  # --once: every job, the nightly ones too
        assert ran == every
    else:  # no insight snapshot yet: computed at the start
        assert ran == [c for c in every if c not in NIGHTLY | {"search_reconcile"}]


@pytest.mark.django_db
def test_a_fresh_insight_snapshot_is_not_recomputed_at_the_start(monkeypatch):
    snapshot = Snapshot.objects.create(computed_at=STARTED - timedelta(hours=1), window_days=90,
                                       postings_considered=0, min_cell=5)
    assert "refresh_insights" not in _first_pass(monkeypatch, once=False)
    Snapshot.objects.filter(pk=snapshot.pk).update(computed_at=STARTED - timedelta(hours=7))
    assert "refresh_insights" in _first_pass(monkeypatch, once=False)
