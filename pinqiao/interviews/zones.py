"""Time zones by their Chinese names (issue 15): pages and notices never show an IANA name
such as ``Asia/Shanghai`` or ``UTC``; a zone the API accepted that has no name here shows as
its UTC offset."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: The zones offered on the page, by their Chinese names (the API takes any IANA zone).
ZONE_NAMES = {
    "Asia/Shanghai": _("北京时间"), "Asia/Hong_Kong": _("香港时间"),
    "Asia/Taipei": _("台北时间"), "Asia/Urumqi": _("乌鲁木齐时间"),
    "Asia/Tokyo": _("东京时间"), "Asia/Singapore": _("新加坡时间"),
    "Europe/London": _("伦敦时间"), "Europe/Berlin": _("柏林时间"),
    "America/New_York": _("纽约时间"), "America/Los_Angeles": _("洛杉矶时间"),
    "UTC": _("协调世界时"),
}


def utc_offset(name: str, at: datetime | None = None) -> str:
    """``UTC+08:00``: the zone's offset at ``at`` (now when not given; summer time counts)."""
    local = (at or timezone.now()).astimezone(ZoneInfo(name))
    offset = local.strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]}"


def zone_label(name: str, at: datetime | None = None) -> str:
    """``北京时间（UTC+08:00）``; an unnamed zone is its offset alone."""
    offset = utc_offset(name, at)
    label = ZONE_NAMES.get(name)
    return f"{label}（{offset}）" if label else offset
