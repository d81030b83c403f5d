"""National administrative divisions (GB/T 2260 six-digit codes).

Used for work locations (JOB-1), registered addresses (ORG-1), city/district search filters
(SRCH-1), statistics by city (ANA-1) and the local minimum wage lookup (JOB-8).

Levels follow what a recruitment platform needs rather than the raw code pattern:

* ``province``: the 34 provincial-level units (incl. 台湾省, 香港, 澳门, which have no children).
* ``city``: prefecture-level units; for the four municipalities a single city whose code is the
  GB/T 2260 ``xx0100`` 市辖区 code and whose name is the municipality's (``110100`` 北京市, and
  重庆's 县 group ``500200`` folded into ``500100``); county-level units governed directly by a
  province (济源, 仙桃, 海南's 省直辖 counties, 新疆's 兵团 cities, ...) are cities too.
* ``district``: county-level units (市辖区, 县, 县级市, 旗, ...).

The table is loaded once, lazily, from ``data/divisions.json`` (see ``data/README.md``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

Level = Literal["province", "city", "district"]

_DATA = Path(__file__).with_name("data") / "divisions.json"
_LEVEL_ORDER = {"province": 0, "city": 1, "district": 2}
_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "地区", "省", "市", "区", "县", "盟", "旗")


@dataclass(frozen=True, slots=True)
class Division:
    """One administrative division. ``parent_code`` is ``""`` for provinces."""

    code: str
    name: str
    level: Level
    parent_code: str


@dataclass(frozen=True, slots=True)
class _Table:
    by_code: dict[str, Division]
    children: dict[str, tuple[Division, ...]]


@cache
def _table() -> _Table:
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    by_code = {row[0]: Division(*row) for row in raw["rows"]}
    children: dict[str, list[Division]] = {}
    for division in by_code.values():
        if division.parent_code:
            children.setdefault(division.parent_code, []).append(division)
    return _Table(by_code, {code: tuple(kids) for code, kids in children.items()})


def get(code: str) -> Division | None:
    """Return the division with this six-digit code, or ``None`` if there is none."""
    return _table().by_code.get(code.strip())


def provinces() -> list[Division]:
    """All 34 provincial-level units, by code."""
    return [d for d in _table().by_code.values() if d.level == "province"]


def children(code: str) -> list[Division]:
    """Direct children of a division, by code (empty for districts and unknown codes)."""
    return list(_table().children.get(code.strip(), ()))


def chain(code: str) -> list[Division]:
    """The division and its ancestors, innermost first (empty for an unknown code)."""
    found: list[Division] = []
    division = get(code)
    while division is not None:
        found.append(division)
        division = get(division.parent_code) if division.parent_code else None
    return found


def city_of(code: str) -> Division | None:
    """The city-level division containing ``code`` (itself if a city; ``None`` for provinces)."""
    return next((d for d in chain(code) if d.level == "city"), None)


def province_of(code: str) -> Division | None:
    """The provincial-level division containing ``code`` (itself if a province)."""
    return next((d for d in chain(code) if d.level == "province"), None)


def full_name(code: str) -> str | None:
    """The name from province down, e.g. ``"广东省广州市天河区"`` or ``"北京市朝阳区"``."""
    names: list[str] = []
    for division in reversed(chain(code)):
        if not names or names[-1] != division.name:
            names.append(division.name)
    return "".join(names) or None


def _short(name: str) -> str:
    """A name without its generic suffix: 广州市 → 广州, 内蒙古自治区 → 内蒙古."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


@cache
def _search_keys() -> tuple[tuple[Division, str, str], ...]:
    """Each division with its full name and its suffix-less full name (广东广州天河)."""
    keys = []
    for division in _table().by_code.values():
        names = [d.name for d in reversed(chain(division.code))]
        keys.append((division, full_name(division.code) or "", "".join(map(_short, names))))
    return tuple(keys)


def search(name_fragment: str, limit: int = 20) -> list[Division]:
    """Divisions matching a name fragment, best matches first.

    A division matches when the fragment is part of its name, its full name (广东省广州市天河区)
    or its full name without generic suffixes (广东广州天河, so "广州天河" finds 天河区). Exact
    names come first, then names starting with the fragment, then other name matches, then full
    name matches; within each group provinces before cities before districts, then by code.
    """
    fragment = "".join(name_fragment.split())
    if not fragment:
        return []
    scored: list[tuple[int, int, str, Division]] = []
    for division, full, short in _search_keys():
        if fragment in division.name:
            rank = (
                0 if division.name == fragment else 1 if division.name.startswith(fragment) else 2
            )
        elif fragment in full or fragment in short:
            rank = 3
        else:
            continue
        scored.append((rank, _LEVEL_ORDER[division.level], division.code, division))
    scored.sort(key=lambda item: item[:3])
    return [item[3] for item in scored[:limit]]
