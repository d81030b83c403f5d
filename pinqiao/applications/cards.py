"""Candidate cards for the applicant list (issue 15, item 2): what recruiters triage by —
age band, years of experience, highest education, last title and employer, expected pay and
city, last active, knockout answers — from the résumé the seeker sent with the application.
Never contact details: those stay behind the release on the résumé page (PRIV-3).

A card is rendered in Python (``render_card``) with its words translated once per language
(``card_text``), not through a template include per card: on the applicant list's 50 cards the
include and its 23 translations per card were most of the page's CPU time (issue 14)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from html import escape
from typing import Any, NamedTuple

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from pinqiao.applications.models import Application
from pinqiao.reference import taxonomy
from pinqiao.resumes.models import Education, WorkExperience
from pinqiao.resumes.rendering import city_label, pay_label

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


class _Job(NamedTuple):
    """What a card reads of one work experience."""

    title: str
    company: str
    start_date: date
    end_date: date | None


def _years(rows: list[_Job], today: date) -> int:
    months = sum(max(0, ((r.end_date or today).year - r.start_date.year) * 12
                     + (r.end_date or today).month - r.start_date.month) for r in rows)
    return months // 12


def candidate_cards(*, applications: list[Application]) -> dict[int, CandidateCard]:
    """One card per application, in two queries for the whole page (the applications come
    with their résumé and seeker, whose last log-in is the card's 「最近活跃」)."""
    today = timezone.localdate()
    resume_ids = {a.resume_id for a in applications}
    work: dict[int, list[_Job]] = {}
    for resume_id, *job in (WorkExperience.objects.filter(resume_id__in=resume_ids)
                            .order_by("-start_date")
                            .values_list("resume_id", "title", "company", "start_date",
                                         "end_date")):
        work.setdefault(resume_id, []).append(_Job(*job))
    degrees: dict[int, str] = {}
    for resume_id, degree in Education.objects.filter(resume_id__in=resume_ids).values_list(
            "resume_id", "degree"):
        if DEGREE_ORDER.index(degree) > DEGREE_ORDER.index(degrees.get(resume_id, "any")):
            degrees[resume_id] = degree
    cards = {}
    for application in applications:
        resume = application.resume
        rows = work.get(resume.pk, [])
        last = rows[0] if rows else None
        login = application.seeker.last_login
        cards[application.pk] = CandidateCard(
            age_band=age_band(resume.birth_date, today),
            years=_years(rows, today) if rows else None,
            education=str(DEGREE_NAMES.get(degrees.get(resume.pk, ""), "")),
            last_title=last.title if last else "",
            last_employer=last.company if last and not resume.hide_employer else "",
            pay=pay_label(resume), city=city_label(resume.desired_city),
            last_active=timezone.localtime(login).date() if login else None,
            answers=list(application.answers or []))
    return cards


@dataclass(frozen=True)
class CardText:
    """The words of a card in one language."""

    summary: str
    no_age: str
    no_work: str
    no_education: str
    latest: str
    expected: str
    negotiable: str
    active: str


@cache
def _card_text(language: str | None) -> CardText:
    return CardText(summary=_("候选人概况"), no_age=_("年龄未填"), no_work=_("无工作经历"),
                    no_education=_("学历未填"), latest=_("最近"), expected=_("期望"),
                    negotiable=_("面议"), active=_("最近活跃"))


def card_text() -> CardText:
    """The card's words in the active language (translated once per language and process)."""
    return _card_text(get_language())


def render_card(card: Any, text: CardText, answers: list[dict[str, Any]] | None = None
                ) -> SafeString:
    """One card (``CandidateCard``, or the talent search's card with the same fields) as the
    lists show it: age band, experience, education; last title and employer; expected pay and
    city; last active; then ``answers``, the screening answers of an application. Every value
    is escaped with ``html.escape`` (what Django's ``escape`` does)."""
    years = (ngettext("%(n)s 年经验", "%(n)s 年经验", card.years) % {"n": card.years}
             if card.years is not None else text.no_work)
    employer = f" · {escape(card.last_employer)}" if card.last_employer else ""
    last = (f"<li>{escape(text.latest)}：{escape(card.last_title)}{employer}</li>"
            if card.last_title else "")
    city = f" · {escape(card.city)}" if card.city else ""
    active = card.last_active.isoformat() if card.last_active else "—"
    replies = "".join(f'<li class="muted">{escape(q["text"])}：{escape(q["answer_label"])}</li>'
                      for q in answers or ())
    return mark_safe(
        f'<ul class="candidate-card" aria-label="{escape(text.summary)}">\n'
        f"  <li>{escape(card.age_band or text.no_age)} · {escape(years)} · "
        f"{escape(card.education or text.no_education)}</li>\n  {last}\n"
        f"  <li>{escape(text.expected)}：{escape(card.pay or text.negotiable)}{city}</li>\n"
        f'  <li class="muted">{escape(text.active)}：{active}</li>\n  {replies}\n</ul>')
