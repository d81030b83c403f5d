"""Industries, job functions, posting enumerations and special-permit industries.

* Industries (ORG-1 organisation industry, SRCH-1 filter): the 20 门类 A–T of GB/T 4754-2017
  with the usual recruitment sub-industries (互联网/IT, 电子商务, 餐饮, ...) as children. 门类 are
  coded by their letter, children by a stable slug.
* Job functions (SRCH-1, REC-1, ANA-4): two levels, families (技术, 销售, 物流/司机, ...) and
  functions (Java开发, 叉车司机, ...), each with a stable slug used in URLs and stored data.
* Enumerations of a posting (JOB-1) and a résumé (RES-1): education levels, experience bands,
  employment types and pay units, with Chinese labels.
* Special-permit industries (ORG-12): the permit an organisation in such an industry must hold
  before it can post, and the kind of authority that issues it.

The data lives in ``data/taxonomy.json`` and is loaded once, lazily.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_DATA = Path(__file__).with_name("data") / "taxonomy.json"


@dataclass(frozen=True, slots=True)
class Choice:
    """A fixed value with its Chinese label; ``as_choices`` turns a tuple into Django choices."""

    value: str
    label: str


EDUCATION_LEVELS: tuple[Choice, ...] = (
    Choice("any", "不限"),
    Choice("junior_high", "初中及以下"),
    Choice("high_school", "高中/中专/中技"),
    Choice("college", "大专"),
    Choice("bachelor", "本科"),
    Choice("master", "硕士"),
    Choice("doctorate", "博士"),
)
EXPERIENCE_BANDS: tuple[Choice, ...] = (
    Choice("any", "不限"),
    Choice("graduate", "应届"),
    Choice("lt_1", "1年以内"),
    Choice("1_3", "1-3年"),
    Choice("3_5", "3-5年"),
    Choice("5_10", "5-10年"),
    Choice("gt_10", "10年以上"),
)
EMPLOYMENT_TYPES: tuple[Choice, ...] = (
    Choice("full_time", "全职"),
    Choice("part_time", "兼职"),
    Choice("internship", "实习"),
    Choice("dispatch", "劳务派遣"),
    Choice("hourly", "小时工"),
)
PAY_UNITS: tuple[Choice, ...] = (
    Choice("month", "月"),
    Choice("day", "日"),
    Choice("hour", "时"),
)


def as_choices(items: tuple[Choice, ...]) -> list[tuple[str, str]]:
    """``[(value, label), ...]`` for a Django ``choices=`` argument."""
    return [(item.value, item.label) for item in items]


@dataclass(frozen=True, slots=True)
class Industry:
    """A GB/T 4754 门类 (``code`` "A"–"T", ``parent_code`` None) or a sub-industry (slug)."""

    code: str
    name: str
    parent_code: str | None


@dataclass(frozen=True, slots=True)
class JobFamily:
    """A top-level job family; ``functions`` are its job functions' slugs in display order."""

    slug: str
    name: str
    functions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class JobFunction:
    """A job function within a family."""

    slug: str
    name: str
    family_slug: str


@dataclass(frozen=True, slots=True)
class SpecialPermit:
    """A permit required before an organisation in the industry may post jobs (ORG-12).

    ``industries`` are the industry codes (sub-industry slugs) whose organisations need it.
    """

    slug: str
    industry: str
    permit: str
    authority: str
    basis: str
    industries: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Taxonomy:
    industries: dict[str, Industry]
    families: dict[str, JobFamily]
    functions: dict[str, JobFunction]
    permits: tuple[SpecialPermit, ...]


@cache
def _taxonomy() -> _Taxonomy:
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    industries = {
        row["code"]: Industry(row["code"], row["name"], row["parent"]) for row in raw["industries"]
    }
    families: dict[str, JobFamily] = {}
    functions: dict[str, JobFunction] = {}
    for family in raw["job_families"]:
        slugs = tuple(f["slug"] for f in family["functions"])
        families[family["slug"]] = JobFamily(family["slug"], family["name"], slugs)
        for function in family["functions"]:
            functions[function["slug"]] = JobFunction(
                function["slug"], function["name"], family["slug"]
            )
    permits = tuple(
        SpecialPermit(
            slug=row["slug"],
            industry=row["industry"],
            permit=row["permit"],
            authority=row["authority"],
            basis=row["basis"],
            industries=tuple(row["industries"]),
        )
        for row in raw["special_permits"]
    )
    return _Taxonomy(industries, families, functions, permits)


def industries() -> list[Industry]:
    """The 20 GB/T 4754-2017 门类, A to T."""
    return [i for i in _taxonomy().industries.values() if i.parent_code is None]


def industry(code: str) -> Industry | None:
    """A 门类 by letter or a sub-industry by slug."""
    return _taxonomy().industries.get(code)


def industry_children(code: str) -> list[Industry]:
    """The sub-industries of a 门类."""
    return [i for i in _taxonomy().industries.values() if i.parent_code == code]


def job_families() -> list[JobFamily]:
    """All job families in display order."""
    return list(_taxonomy().families.values())


def job_functions(family_slug: str | None = None) -> list[JobFunction]:
    """All job functions, or those of one family, in display order."""
    return [
        f
        for f in _taxonomy().functions.values()
        if family_slug is None or f.family_slug == family_slug
    ]


def job_function(slug: str) -> JobFunction | None:
    """A job function by slug."""
    return _taxonomy().functions.get(slug)


def special_permits() -> list[SpecialPermit]:
    """All special-permit industries (ORG-12)."""
    return list(_taxonomy().permits)


def permits_for_industry(code: str) -> list[SpecialPermit]:
    """Permits an organisation of this industry needs before posting (ORG-12).

    ``code`` is a sub-industry slug, or a 门类 letter (then its sub-industries count too).
    """
    codes = {code} | {child.code for child in industry_children(code)}
    return [p for p in _taxonomy().permits if codes.intersection(p.industries)]
