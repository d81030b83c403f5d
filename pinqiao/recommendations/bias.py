"""The bias monitor's arithmetic (ALG-1, DB4401 7.2.8): exposure share and apply rate per group
of seekers, and the four-fifths rule.

For each surface (job recommendation, job search, candidate recommendation) and each attribute
(gender, age band, region) the seekers fall into groups, 「未知」 being a group of its own. Per
group:

* ``exposure_share``: the group's share of all exposures; ``seeker_share``: its share of the
  seekers; ``exposure_per_seeker``: exposures per seeker of the group (share over share, in
  other words). ``exposure_ratio`` is that rate over the best group's.
* ``apply_rate``: of the distinct postings shown to the group's seekers, the share they applied
  to after seeing them; ``apply_ratio`` is that rate over the best group's.

The best group is taken among groups with at least ``min_exposures`` exposures (or postings
shown, for the apply rate). A ratio under the threshold (0.8, the four-fifths rule) is flagged
when the group is large enough to judge: at the best group's rate it would have had
``min_exposures`` exposures — so a sizeable group left out entirely is caught — or, for the
apply rate, it was shown that many postings. Smaller groups are reported but not flagged.
Pure functions: the service gathers the counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from pinqiao.reference import divisions

UNKNOWN = "未知"
ATTRIBUTES = {"gender": _("性别"), "age_band": _("年龄段"), "region": _("地区")}
GENDERS = {"male": "男", "female": "女"}
AGE_BANDS = ((16, 24, "16–24岁"), (25, 34, "25–34岁"), (35, 44, "35–44岁"),
             (45, 54, "45–54岁"), (55, 150, "55岁及以上"))


@dataclass(frozen=True)
class SeekerCounts:
    """One seeker's activity on one surface in the period."""

    exposures: int = 0
    shown: int = 0
    applied: int = 0


def age_band(birth_date: date | None, today: date) -> str:
    if birth_date is None:
        return UNKNOWN
    age = today.year - birth_date.year - ((today.month, today.day) <
                                          (birth_date.month, birth_date.day))
    return next((label for low, high, label in AGE_BANDS if low <= age <= high), UNKNOWN)


def region(division_code: str) -> str:
    province = divisions.province_of(division_code) if division_code else None
    return province.name if province else UNKNOWN


def groups_of(*, gender: str, birth_date: date | None, division_code: str,
              today: date) -> dict[str, str]:
    """A seeker's group under each attribute."""
    return {"gender": GENDERS.get(gender, UNKNOWN), "age_band": age_band(birth_date, today),
            "region": region(division_code)}


def _ratio(value: float, best: float) -> float | None:
    return round(value / best, 4) if best > 0 else None


def analyse(counts: Mapping[int, SeekerCounts], groups: Mapping[int, Mapping[str, str]], *,
            threshold: float, min_exposures: int) -> dict[str, list[dict[str, Any]]]:
    """Per attribute, one row per group (largest first) with the shares, rates, ratios and the
    metrics flagged (``flags``: ``exposure`` and/or ``apply``)."""
    unknown = dict.fromkeys(ATTRIBUTES, UNKNOWN)
    total_exposures = sum(c.exposures for c in counts.values())
    total_seekers = len(counts)
    result: dict[str, list[dict[str, Any]]] = {}
    for attribute in ATTRIBUTES:
        sums: dict[str, list[int]] = {}
        for seeker_id, c in counts.items():
            group = groups.get(seeker_id, unknown)[attribute]
            row = sums.setdefault(group, [0, 0, 0, 0])
            row[0] += 1
            row[1] += c.exposures
            row[2] += c.shown
            row[3] += c.applied
        rows = []
        for group, (seekers, exposures, shown, applied) in sums.items():
            rows.append({
                "group": group, "seekers": seekers, "exposures": exposures, "shown": shown,
                "applications": applied,
                "exposure_share": round(exposures / total_exposures, 4) if total_exposures else 0,
                "seeker_share": round(seekers / total_seekers, 4) if total_seekers else 0,
                "exposure_per_seeker": round(exposures / seekers, 4) if seekers else 0,
                "apply_rate": round(applied / shown, 4) if shown else 0,
            })
        best_exposure = max((r["exposure_per_seeker"] for r in rows
                             if r["exposures"] >= min_exposures), default=0)
        best_apply = max((r["apply_rate"] for r in rows if r["shown"] >= min_exposures),
                         default=0)
        for row in rows:
            row["exposure_ratio"] = _ratio(row["exposure_per_seeker"], best_exposure)
            row["apply_ratio"] = _ratio(row["apply_rate"], best_apply)
            # Enough to judge: the group would have had ``min_exposures`` at the best rate
            # (so a group left out entirely is caught), or was shown that many postings.
            enough = {"exposure": row["seekers"] * best_exposure >= min_exposures,
                      "apply": row["shown"] >= min_exposures}
            row["enough"] = enough["exposure"]
            row["flags"] = [metric for metric in ("exposure", "apply")
                            if enough[metric] and row[f"{metric}_ratio"] is not None
                            and row[f"{metric}_ratio"] < threshold]
        result[attribute] = sorted(rows, key=lambda r: (-r["seekers"], r["group"]))
    return result
