"""Builders for tests and demo data: an application, a proposed or booked interview, all
through the real services."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pinqiao.applications import testing as applications_testing
from pinqiao.applications.models import Application
from pinqiao.interviews import services
from pinqiao.interviews.models import Interview


def make_application(seeker: Any, posting: Any) -> Application:
    """``seeker`` applies to ``posting`` through the applications service, with an approved
    résumé and the per-employer consent."""
    return applications_testing.applied(seeker, posting)


def propose(recruiter: Any, application: Application, starts: list[datetime], *,
            now: datetime | None = None, mode: str = "onsite", **over: Any) -> Interview:
    values: dict[str, Any] = {"location": "广州市天河区天河路100号 8楼前台"}
    values.update(over)
    return services.interview_propose(
        actor=recruiter, application=application, now=now,
        proposal=services.Proposal(mode=mode, slots=starts, **values))


def book(recruiter: Any, application: Application, start: datetime, *,
         now: datetime | None = None, mode: str = "onsite", **over: Any) -> Interview:
    interview = propose(recruiter, application, [start], now=now, mode=mode, **over)
    slot = interview.slots.get()
    services.interview_pick(actor=application.seeker, interview=interview, slot_id=slot.pk,
                            now=now)
    interview.refresh_from_db()
    return interview
