"""Candidate cards for the applicant list (issue 15, item 2): what recruiters triage by —
age band, years of experience, highest education, last title and employer, expected pay and
city, last active, knockout answers — from the résumé the seeker sent with the application.
Never contact details: those stay behind the release on the résumé page (PRIV-3)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone

from pinqiao.applications.models import Application
from pinqiao.reference import taxonomy
from pinqiao.resumes.models import Education, WorkExperience
from pinqiao.resumes.rendering import labels

DEGREE_ORDER = [c.value for c in taxonomy.EDUCATION_LEVELS]
DEGREE_NAMES = {c.value: c.label for c in taxonomy.EDUCATION_LEVELS}


@dataclass
class CandidateCard:
    age_band: str = ""
    years: int | None = None
    education: str = ""
    last_title: str = ""
    last_employer: str = ""
    pay: str = ""
    city: str = ""
    last_active: date | None = None
    answers: list[dict[str, Any]] = field(default_factory=list)


def age_band(birth: date | None, today: date) -> str:
    """``25–29 岁``: five-year bands, never the exact age on a list."""
    if birth is None:
        return ""
    age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
    if age < 20:
        return "20 岁以下"
    low = age // 5 * 5
    return f"{low}–{low + 4} 岁"


def _years(rows: list[WorkExperience], today: date) -> int:
    months = sum(max(0, ((r.end_date or today).year - r.start_date.year) * 12
                     + (r.end_date or today).month - r.start_date.month) for r in rows)
    return months // 12


def candidate_cards(*, applications: list[Application]) -> dict[int, CandidateCard]:
    """One card per application, in two queries for the whole page (the applications come
    with their résumé and seeker, whose last log-in is the card's 「最近活跃」)."""
    today = timezone.localdate()
    resume_ids = {a.resume_id for a in applications}
    work: dict[int, list[WorkExperience]] = {}
    for row in WorkExperience.objects.filter(resume_id__in=resume_ids).order_by("-start_date"):
        work.setdefault(row.resume_id, []).append(row)
    degrees: dict[int, str] = {}
    for resume_id, degree in Education.objects.filter(resume_id__in=resume_ids).values_list(
            "resume_id", "degree"):
        if DEGREE_ORDER.index(degree) > DEGREE_ORDER.index(degrees.get(resume_id, "any")):
            degrees[resume_id] = degree
    cards = {}
    for application in applications:
        resume = application.resume
        names = labels(resume)
        rows = work.get(resume.pk, [])
        last = rows[0] if rows else None
        login = application.seeker.last_login
        cards[application.pk] = CandidateCard(
            age_band=age_band(resume.birth_date, today),
            years=_years(rows, today) if rows else None,
            education=str(DEGREE_NAMES.get(degrees.get(resume.pk, ""), "")),
            last_title=last.title if last else "",
            last_employer=last.company if last and not resume.hide_employer else "",
            pay=names["pay"], city=names["city"],
            last_active=timezone.localtime(login).date() if login else None,
            answers=list(application.answers or []))
    return cards
