"""The interview as an iCalendar file (APP-3).

The UID is the interview's own and never changes, SEQUENCE goes up with every reschedule and
cancellation, and a cancelled interview is sent as ``METHOD:CANCEL`` so calendar programs
remove the entry they imported before.
"""

from __future__ import annotations

from datetime import datetime
from email.utils import parseaddr

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.interviews.models import Interview, Mode, Status
from pinqiao.interviews.services import zone_get

PRODID = "-//Pinqiao//Interviews//ZH"


def _location(interview: Interview, room_page_url: str) -> str:
    if interview.mode == Mode.VIDEO:
        return _("在线面试间：%(url)s") % {"url": room_page_url}
    if interview.mode == Mode.PHONE:
        return _("电话面试") + (f"：{interview.location}" if interview.location else "")
    return interview.location


def interview_ics(interview: Interview, *, room_page_url: str = "",
                  now: datetime | None = None) -> bytes:
    """The calendar file of a booked, held or cancelled interview (one that had a time)."""
    if interview.starts_at is None:
        raise ValueError("the interview has no time yet")
    zone = zone_get(interview.time_zone)
    application = interview.application
    cancelled = interview.status == Status.CANCELLED
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = icalendar.Event()
    event.add("uid", f"{interview.uid}@pinqiao")
    event.add("sequence", interview.sequence)
    event.add("dtstamp", now or timezone.now())
    event.add("dtstart", interview.starts_at.astimezone(zone))
    assert interview.ends_at is not None
    event.add("dtend", interview.ends_at.astimezone(zone))
    event.add("summary", f"{interview.title}：{application.posting.title}"
                         f"（{application.organisation.name}）")
    event.add("location", _location(interview, room_page_url))
    description = [str(interview.get_mode_display()), interview.note,
                   str(_("聘桥提示：正规招聘不会以任何名义收取费用，面试中如被要求付款请立即举报。"))]
    event.add("description", "\n".join(d for d in description if d))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    event.add("organizer", f"mailto:{address}",
              parameters={"CN": application.organisation.name or name})
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
