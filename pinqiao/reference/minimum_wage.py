"""Local minimum wage standards, for the JOB-8 pay sanity check.

``data/minimum_wage.json`` holds the standards of the 31 mainland provincial-level units (and of
深圳, which sets its own), each with its effective date, source document and the monthly
(full-time) and hourly (non-full-time) figure per tier. A standard's ``regions`` map division codes
(a city or a district) to a tier; places not listed get the standard's ``default_tier``, which is
the lowest tier, so that a posting is only flagged when it is below every figure that could apply.

Lookup walks district → city → province: the innermost division that has a standard of its own
(深圳) wins, and inside a standard the innermost listed division picks the tier. ``verified``
tells whether the figures were confirmed against a dated public report (``data/README.md``).
台湾, 香港 and 澳门 have no entry: the lookup returns ``None`` there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from pinqiao.reference import divisions

_DATA = Path(__file__).with_name("data") / "minimum_wage.json"


@dataclass(frozen=True, slots=True)
class MinimumWage:
    """The minimum wage that applies in one place on one day."""

    monthly_yuan: Decimal
    hourly_yuan: Decimal
    effective: date
    source: str
    region: str
    tier: str
    verified: bool


@dataclass(frozen=True, slots=True)
class _Tier:
    monthly: Decimal
    hourly: Decimal
    verified: bool


@dataclass(frozen=True, slots=True)
class _Standard:
    area: str
    effective: date
    source: str
    tiers: dict[str, _Tier]
    default_tier: str
    regions: dict[str, str]


@cache
def _standards() -> dict[str, tuple[_Standard, ...]]:
    """Standards by area code, newest first."""
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    by_area: dict[str, list[_Standard]] = {}
    for item in raw["standards"]:
        standard = _Standard(
            area=item["area"],
            effective=date.fromisoformat(item["effective"]),
            source=item["source"],
            tiers={
                t["tier"]: _Tier(Decimal(t["monthly"]), Decimal(t["hourly"]), t["verified"])
                for t in item["tiers"]
            },
            default_tier=item["default_tier"],
            regions=item["regions"],
        )
        by_area.setdefault(standard.area, []).append(standard)
    return {
        area: tuple(sorted(items, key=lambda s: s.effective, reverse=True))
        for area, items in by_area.items()
    }


def minimum_wage(division_code: str, on: date) -> MinimumWage | None:
    """The minimum wage in force at ``division_code`` on ``on``, or ``None`` if unknown.

    ``None`` means no recorded standard covers that place on that day (unknown code, 港澳台, or a
    date before the earliest recorded standard). Requirement: JOB-8.
    """
    chain = divisions.chain(division_code)
    all_standards = _standards()
    for division in chain:
        standard = next(
            (s for s in all_standards.get(division.code, ()) if s.effective <= on), None
        )
        if standard is None:
            continue
        tier_name = next(
            (standard.regions[d.code] for d in chain if d.code in standard.regions),
            standard.default_tier,
        )
        tier = standard.tiers[tier_name]
        region = division.name if len(standard.tiers) == 1 else f"{division.name}{tier_name}"
        return MinimumWage(
            monthly_yuan=tier.monthly,
            hourly_yuan=tier.hourly,
            effective=standard.effective,
            source=standard.source,
            region=region,
            tier=tier_name,
            verified=tier.verified,
        )
    return None
