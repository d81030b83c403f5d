"""The résumé index (SRCH-2, RES-4): which résumés it holds, their fields, how a row becomes
a document.

Only résumés that a verified recruiter may find are indexed: approved in review (MOD-8),
visibility 「对已认证招聘方公开」, owner's account active. 「仅对我投递过的单位可见」 and hidden
résumés are never indexed: the first reach an organisation through the application itself,
not through a pool anyone can search (docs/decisions/0010-search.md).

Every document carries the ids of the organisations the seeker blocked, in the multi-valued
fast field ``blocked``; every query excludes the searching organisation with a ``MustNot``
term, so a blocked organisation cannot even count the résumé. The database re-check after
every search is the final word.

What is not indexed: the name, contact details, ID number, photo, birth date, gender, the
uploaded attachment (its text holds name and contact details), and any phone number, e-mail
address, ID number, URL or messenger handle inside free text (``scrub``), so a search can
never find a person by identifier. There is no gender or age filter (就业促进法 第三条、第二十七条).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

import tantivy
from django.db.models import QuerySet

from pinqiao.reference import divisions, taxonomy
from pinqiao.resumes.models import (
    BlockedOrganisation,
    Certificate,
    Education,
    Honour,
    Resume,
    ReviewStatus,
    Visibility,
    WorkExperience,
)
from pinqiao.search import analysis
from pinqiao.search.engine import IndexSpec, Source

SCHEMA_VERSION = 1

#: Text fields and their query-time boosts.
TEXT_FIELDS: dict[str, float] = {"title": 3.0, "skills": 2.0, "background": 1.5,
                                 "place": 1.5, "body": 1.0}
#: Fields and boosts for a query word that names a place.
PLACE_FIELDS: dict[str, float] = {"place": 3.0, "title": 1.0}

#: Education levels in order; the filter means "at least".
EDUCATION_RANK: dict[str, int] = {c.value: rank for rank, c in
                                  enumerate(taxonomy.EDUCATION_LEVELS) if c.value != "any"}
#: Upper end of an open pay range (「8000 元/月起」).
PAY_OPEN = 10**9

#: Columns of the résumé row that decide the document; they (and the blocked list) feed the
#: stamp the reconcile compares. Entry changes bump ``updated_at`` (resumes.services).
STAMP_VALUES = ("id", "visibility", "review_status", "updated_at", "owner__is_active",
                "full_name", "desired_function", "desired_industry", "desired_city",
                "desired_pay_min", "desired_pay_max", "skills")
VALUES = STAMP_VALUES + ("self_introduction",)


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("id", indexed=True, fast=True)
    builder.add_unsigned_field("stamp", fast=True)
    for name in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name="whitespace", index_option="freq")
    builder.add_text_field("function", tokenizer_name="raw", index_option="basic", fast=True)
    for name in ("province", "city", "education", "pay_min", "pay_max", "blocked"):
        builder.add_unsigned_field(name, indexed=True, fast=True)
    builder.add_integer_field("career_start", indexed=True, fast=True)
    builder.add_integer_field("updated", indexed=True, fast=True)
    builder.add_integer_field("sort_key", fast=True)
    return builder.build()


SPEC = IndexSpec(name="resumes", version=f"{SCHEMA_VERSION}-{analysis.analysis_version()}",
                 schema=_schema)


def visible() -> QuerySet[Resume]:
    """Résumés any verified recruiter may find (before the blocked list)."""
    return Resume.objects.filter(visibility=Visibility.PUBLIC,
                                 review_status=ReviewStatus.APPROVED, owner__is_active=True)


# --- identifiers never reach the index or a result card -------------------------------------

_IDENTIFIERS = re.compile(
    r"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+"                    # e-mail
    r"|(?:https?://|www\.)\S+"                                      # links
    r"|(?<![a-z])(?:微信号?|wechat|vx|wx|qq)\s*[:：号]?\s*[a-z0-9_-]{5,}"  # messenger handles
    r"|(?<![0-9a-z])\d{17}[\dx](?![0-9a-z])"                        # ID numbers
    r"|(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)"   # mobile phones
    r"|(?<!\d)0\d{2,3}-\d{7,8}(?!\d)"                                # landlines
    r"|(?<!\d)\d{7,}(?!\d)",                                        # QQ and other long numbers
    re.IGNORECASE)


def scrub(text: str, *, name: str = "", replacement: str = " ") -> str:
    """``text`` without phone numbers, e-mail addresses, ID numbers, links, messenger handles
    and the seeker's own name."""
    if not text:
        return ""
    text = _IDENTIFIERS.sub(replacement, text)
    if len(name) >= 2:
        text = text.replace(name, replacement)
    return text


# --- experience --------------------------------------------------------------------------------

def month_number(day: date) -> int:
    """Months since year 0, so differences are whole months."""
    return day.year * 12 + day.month - 1


#: Experience bands (taxonomy.EXPERIENCE_BANDS) as whole months since the first job started:
#: ``(at least, below)``; ``graduate`` means no work experience at all.
EXPERIENCE_MONTHS: dict[str, tuple[int, int | None]] = {
    "lt_1": (0, 12), "1_3": (12, 36), "3_5": (36, 60), "5_10": (60, 120), "gt_10": (120, None)}


def experience_years(career_start: int, today: date) -> int | None:
    """Whole years since the first job started, or None without work experience."""
    if not career_start:
        return None
    return max(0, month_number(today) - career_start) // 12


# --- rows ------------------------------------------------------------------------------------

def _children(ids: list[int]) -> dict[int, dict[str, list[Any]]]:
    """Entries and blocked organisations of the résumés ``ids``, in display order."""
    found: dict[int, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for row in Education.objects.filter(resume_id__in=ids).values(
            "resume_id", "school", "major", "degree"):
        found[row["resume_id"]]["education"].append(row)
    for row in WorkExperience.objects.filter(resume_id__in=ids).values(
            "resume_id", "company", "title", "start_date", "description", "achievements"):
        found[row["resume_id"]]["work"].append(row)
    for row in Certificate.objects.filter(resume_id__in=ids).values("resume_id", "name"):
        found[row["resume_id"]]["certificates"].append(row["name"])
    for row in Honour.objects.filter(resume_id__in=ids).values("resume_id", "title", "summary"):
        found[row["resume_id"]]["honours"].append(row)
    for resume_id, org_id in _blocked(ids):
        found[resume_id]["blocked"].append(org_id)
    return found


def _blocked(ids: list[int]) -> Iterator[tuple[int, int]]:
    return iter(BlockedOrganisation.objects.filter(resume_id__in=ids)
                .order_by("resume_id", "organisation_id")
                .values_list("resume_id", "organisation_id"))


def _chunks(qs: QuerySet[Resume], fields: tuple[str, ...], size: int
            ) -> Iterator[list[dict[str, Any]]]:
    """Rows of ``qs`` in id order, ``size`` at a time (keyset paging, constant memory)."""
    last = 0
    while True:
        chunk = list(qs.filter(pk__gt=last).order_by("id").values(*fields)[:size])
        if not chunk:
            return
        yield chunk
        last = chunk[-1]["id"]


def rows(ids: Iterable[int] | None = None, *, chunk_size: int = 500
         ) -> Iterator[dict[str, Any]]:
    """Visible résumés with their entries and blocked organisations (all, or those in
    ``ids``), by id."""
    qs = visible()
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    for chunk in _chunks(qs, VALUES, chunk_size):
        children = _children([row["id"] for row in chunk])
        for row in chunk:
            extra = children.get(row["id"], {})
            yield {**row, **{name: list(extra.get(name, ())) for name in
                             ("education", "work", "certificates", "honours", "blocked")}}


def stamps(*, chunk_size: int = 5000) -> Iterator[tuple[int, int]]:
    """``(id, stamp)`` of every visible résumé, for the reconcile."""
    for chunk in _chunks(visible(), STAMP_VALUES, chunk_size):
        blocked: dict[int, list[int]] = defaultdict(list)
        for resume_id, org_id in _blocked([row["id"] for row in chunk]):
            blocked[resume_id].append(org_id)
        for row in chunk:
            yield row["id"], stamp({**row, "blocked": blocked.get(row["id"], [])})


def _plain(value: Any) -> str:
    if isinstance(value, datetime):
        return f"{value.timestamp():.6f}"
    if isinstance(value, Decimal):
        return str(value.normalize())
    return str(value)


def stamp(row: dict[str, Any]) -> int:
    """A 63-bit digest of the columns and blocked list that decide the indexed copy."""
    text = "\x1f".join([*(_plain(row[name]) for name in STAMP_VALUES),
                        ",".join(str(pk) for pk in sorted(row["blocked"]))])
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest()) >> 1


# --- documents -------------------------------------------------------------------------------

@lru_cache(maxsize=1024)
def _place(code: str) -> tuple[int, int, str]:
    """Province and city codes of the desired city and the indexed names."""
    province = city = 0
    names: list[str] = []
    for division in divisions.chain(code) if code else []:
        if division.level == "province":
            province = int(division.code)
        elif division.level == "city":
            city = int(division.code)
        names.append(division.name)
    return province, city, analysis.index_text(" ".join(names))


@lru_cache(maxsize=1024)
def _function(slug: str) -> tuple[tuple[str, ...], str]:
    """The function and its family (codes for the filter), and their names as tokens."""
    found = taxonomy.job_function(slug) if slug else None
    if found is None:
        return ((slug,) if slug else ()), ""
    family = next((f for f in taxonomy.job_families() if f.slug == found.family_slug), None)
    names = " ".join([found.name] + ([family.name] if family else []))
    return (found.slug, found.family_slug), analysis.index_text(names)


def _industry_name(code: str) -> str:
    found = taxonomy.industry(code) if code else None
    return found.name if found else ""


def pay_range(low: Any, high: Any) -> tuple[int, int]:
    """Monthly pay for the overlap filter: (0, 0) when 面议, an open end as ``PAY_OPEN``."""
    if low is None and high is None:
        return 0, 0
    return (int(low) if low is not None else 1), (int(high) if high is not None else PAY_OPEN)


def career_start(work: list[dict[str, Any]]) -> int:
    """Month number of the first job's start, 0 without work experience."""
    starts = [entry["start_date"] for entry in work if entry["start_date"]]
    return month_number(min(starts)) if starts else 0


def highest_education(education: list[dict[str, Any]]) -> int:
    return max((EDUCATION_RANK.get(e["degree"], 0) for e in education), default=0)


def document(row: dict[str, Any]) -> dict[str, Any]:
    """The Tantivy document for one row of ``rows()``."""
    name = row["full_name"] or ""
    province, city, place = _place(row["desired_city"])
    functions, function_text = _function(row["desired_function"])
    work, education = row["work"], row["education"]
    body_tokens = analysis.index_tokens(scrub("\n".join(
        [row["self_introduction"] or ""]
        + [f"{w['description']}\n{w['achievements']}" for w in work]
        + [f"{h['title']} {h['summary']}" for h in row["honours"]]), name=name))
    skill_tokens = analysis.index_tokens(scrub(
        " ".join([row["skills"] or "", *row["certificates"]]), name=name))
    users = analysis.user_words()
    skills = [*skill_tokens, *(t for t in body_tokens if t in users)]
    titles = analysis.index_text(scrub(" ".join(w["title"] for w in work), name=name))
    background = analysis.index_text(scrub(" ".join(
        [_industry_name(row["desired_industry"])]
        + [w["company"] for w in work]
        + [f"{e['school']} {e['major']}" for e in education]), name=name))
    updated = int(row["updated_at"].timestamp())
    pay_min, pay_max = pay_range(row["desired_pay_min"], row["desired_pay_max"])
    return {
        "id": row["id"], "stamp": stamp(row),
        "title": f"{function_text} {titles}".strip(),
        "skills": " ".join(skills), "background": background, "place": place,
        "body": " ".join(body_tokens),
        "function": list(functions), "province": province, "city": city,
        "education": highest_education(education), "pay_min": pay_min, "pay_max": pay_max,
        "blocked": list(row["blocked"]), "career_start": career_start(work),
        "updated": updated, "sort_key": updated * 1_000_000_000 + row["id"],
    }


SOURCE = Source(spec=SPEC, rows=rows, document=document, stamps=stamps,
                count=lambda: visible().count())
