"""The job index (SRCH-1): which postings it holds, their fields, and how a row becomes a
document.

Only postings a job seeker may see are indexed: status published, organisation neither
suspended nor closed. The validity date is a filter at query time, so a posting drops out at
midnight of its last day without waiting for the indexer; the database re-check after every
search is the final word.

Text fields are pre-tokenised by ``analysis`` and joined by spaces (Tantivy's whitespace
tokenizer splits them again), with boosts at query time: title 3, skills 2, company 2,
place 1.5, body 1. Filters are indexed fast fields.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

import tantivy
from django.db.models import QuerySet

from pinqiao.jobs.models import Posting, PostingStatus
from pinqiao.reference import divisions, taxonomy
from pinqiao.search import analysis
from pinqiao.search.engine import IndexSpec, Source

SCHEMA_VERSION = 2

#: Text fields and their query-time boosts.
TEXT_FIELDS: dict[str, float] = {"title": 3.0, "skills": 2.0, "company": 2.0, "place": 1.5,
                                 "body": 1.0}
#: Fields and boosts for a query word that names a place (see ``analysis.place_tokens``).
PLACE_FIELDS: dict[str, float] = {"place": 3.0, "title": 1.0}
#: Keyword fields (raw tokens) used as filters.
KEYWORD_FIELDS = ("industry", "function", "experience", "education", "employment_type",
                  "pay_unit")

#: Monthly equivalents for the pay filter: 21.75 paid days and 174 hours a month
#: (人社部 《关于职工全年月平均工作时间和工资折算问题的通知》).
MONTHLY_FACTOR = {"month": Decimal(1), "day": Decimal("21.75"), "hour": Decimal(174)}

HIDDEN_ORG_STATUSES = ("suspended", "closed")

#: ``sort_key`` is publication time in seconds × 10⁹ + id (unique, so pages are stable);
#: ``rank_key`` adds this for 优质职位, which the default list shows first (JOB-7).
QUALITY_FIRST = 4 * 10**18

#: Columns read for a document; the first group also feeds the stamp the reconcile compares.
STAMP_VALUES = ("id", "status", "updated_at", "version", "quality_label", "valid_until",
                "published_at", "organisation__status", "organisation__name",
                "client_authorisation__client_name", "mode")
VALUES = STAMP_VALUES + (
    "title", "requirements", "work_content", "working_hours", "social_insurance", "housing",
    "division_code", "address", "pay_min", "pay_max", "pay_unit", "education", "experience",
    "job_function", "industry", "employment_type")


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("id", indexed=True, fast=True)
    builder.add_unsigned_field("stamp", fast=True)
    for name in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name="whitespace", index_option="freq")
    for name in KEYWORD_FIELDS:
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic", fast=True)
    for name in ("province", "city", "district", "pay_min", "pay_max", "valid_until", "quality"):
        builder.add_unsigned_field(name, indexed=True, fast=True)
    builder.add_integer_field("published", indexed=True, fast=True)
    builder.add_integer_field("sort_key", fast=True)
    builder.add_integer_field("rank_key", fast=True)
    return builder.build()


SPEC = IndexSpec(name="postings", version=f"{SCHEMA_VERSION}-{analysis.analysis_version()}",
                 schema=_schema)


def visible() -> QuerySet[Posting]:
    """Postings a job seeker may see, ignoring the validity date (a query-time filter)."""
    return Posting.objects.filter(status=PostingStatus.PUBLISHED).exclude(
        organisation__status__in=HIDDEN_ORG_STATUSES)


def rows(ids: Iterable[int] | None = None, *, chunk_size: int = 2000) -> Iterator[dict[str, Any]]:
    """Visible postings as dicts of ``VALUES``, by id (all of them, or those in ``ids``)."""
    qs = visible()
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.order_by("id").values(*VALUES).iterator(chunk_size=chunk_size)


def stamps(*, chunk_size: int = 5000) -> Iterator[tuple[int, int]]:
    """``(id, stamp)`` of every visible posting, for the reconcile."""
    for row in visible().order_by("id").values(*STAMP_VALUES).iterator(chunk_size=chunk_size):
        yield row["id"], stamp(row)


def _plain(value: Any) -> str:
    if isinstance(value, datetime):
        return f"{value.timestamp():.6f}"
    if isinstance(value, (date, Decimal)):
        return value.isoformat() if isinstance(value, date) else str(value.normalize())
    return str(value)


def stamp(row: dict[str, Any]) -> int:
    """A 63-bit digest of the columns that decide whether the indexed copy is current."""
    text = "\x1f".join(_plain(row[name]) for name in STAMP_VALUES)
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest()) >> 1


def monthly(amount: Any, unit: str) -> int:
    """Pay in 元 per month, rounded (0 when unknown)."""
    if amount in (None, "") or unit not in MONTHLY_FACTOR:
        return 0
    return int(Decimal(amount) * MONTHLY_FACTOR[unit] + Decimal("0.5"))


def employer_name(row: dict[str, Any]) -> str:
    if row["mode"] == "agency" and row["client_authorisation__client_name"]:
        return row["client_authorisation__client_name"]
    return row["organisation__name"]


@lru_cache(maxsize=4096)
def _place(code: str) -> tuple[tuple[tuple[str, int], ...], str]:
    """Division codes by level and the indexed names (广东省 广州市 天河区, and their parts)."""
    levels = {"province": 0, "city": 0, "district": 0}
    names: list[str] = []
    for division in divisions.chain(code) if code else []:
        levels[division.level] = int(division.code)
        names.append(division.name)
    return tuple(levels.items()), analysis.index_text(" ".join(names))


@lru_cache(maxsize=4096)
def _industry(code: str) -> tuple[tuple[str, ...], str]:
    """The industry and its 门类 (codes for the filter), and their names."""
    found = taxonomy.industry(code) if code else None
    if found is None:
        return ((code,) if code else ()), ""
    parent = taxonomy.industry(found.parent_code) if found.parent_code else None
    codes = (found.code,) + ((parent.code,) if parent else ())
    return codes, " ".join([found.name] + ([parent.name] if parent else []))


@lru_cache(maxsize=1024)
def _function(slug: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The function and its family (codes for the filter), and the tokens of their names."""
    found = taxonomy.job_function(slug) if slug else None
    if found is None:
        return ((slug,) if slug else ()), ()
    family = next((f for f in taxonomy.job_families() if f.slug == found.family_slug), None)
    names = " ".join([found.name] + ([family.name] if family else []))
    return (found.slug, found.family_slug), tuple(analysis.index_tokens(names))


@lru_cache(maxsize=65536)
def _short_text(text: str) -> str:
    """Titles, employer and address tokens: short and often repeated, so cached."""
    return analysis.index_text(text)


def document(row: dict[str, Any]) -> dict[str, Any]:
    """The Tantivy document for one row of ``rows()``."""
    levels, place = _place(row["division_code"])
    industries, industry_names = _industry(row["industry"])
    functions, function_tokens = _function(row["job_function"])
    body_tokens = analysis.index_tokens("\n".join(
        row[name] for name in ("requirements", "work_content", "working_hours",
                               "social_insurance", "housing") if row[name]))
    users = analysis.user_words()
    skills = [*function_tokens, *(t for t in body_tokens if t in users)]
    published = row["published_at"]
    seconds = int(published.timestamp()) if published else 0
    sort_key = seconds * 1_000_000_000 + row["id"]
    valid = row["valid_until"]
    return {
        "id": row["id"], "stamp": stamp(row),
        "title": _short_text(row["title"]),
        "skills": " ".join(skills),
        "company": f"{_short_text(employer_name(row))} {_short_text(industry_names)}",
        "place": f"{place} {_short_text(row['address'])}",
        "body": " ".join(body_tokens),
        "industry": list(industries), "function": list(functions),
        "experience": row["experience"], "education": row["education"],
        "employment_type": row["employment_type"] or "",
        "pay_unit": row["pay_unit"] or "",
        **dict(levels),
        "pay_min": monthly(row["pay_min"], row["pay_unit"]),
        "pay_max": monthly(row["pay_max"], row["pay_unit"]),
        "valid_until": valid.year * 10000 + valid.month * 100 + valid.day,
        "quality": int(row["quality_label"]),
        "published": seconds,
        "sort_key": sort_key,
        "rank_key": int(row["quality_label"]) * QUALITY_FIRST + sort_key,
    }


SOURCE = Source(spec=SPEC, rows=rows, document=document, stamps=stamps,
                count=lambda: visible().count())
