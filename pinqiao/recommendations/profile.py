"""The seeker's interest tags (REC-1, REC-2) and the profile the scorer reads from them.

Tags are derived on each request from the résumé, the seeker's applications and their
「更多类似」 feedback; tags the seeker deleted are left out (``DeletedTag``), so what the
seeker sees on the tags page is exactly what the scorer uses. 「不感兴趣」 feedback is kept as
negative signals beside the tags and is listed, with an undo, on the same page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pinqiao.recommendations.models import DeletedTag, Feedback, FeedbackKind, TagKind
from pinqiao.reference import divisions, taxonomy

#: How much one source counts towards a tag's weight.
SOURCE_WEIGHTS = {"resume": 3.0, "application": 1.0, "feedback": 1.5}
SOURCE_LABELS = {"resume": _("简历"), "application": _("投递记录"), "feedback": _("您的反馈")}
#: Recent applications and feedback read per request.
HISTORY_LIMIT = 50
TAG_VALUE_MAX = 100

EDUCATION_ORDER = [c.value for c in taxonomy.EDUCATION_LEVELS]
EXPERIENCE_ORDER = [c.value for c in taxonomy.EXPERIENCE_BANDS]


@dataclass
class Tag:
    kind: str
    value: str
    label: str
    weight: float = 0.0
    sources: set[str] = field(default_factory=set)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.value}"

    @property
    def kind_label(self) -> str:
        return str(TagKind(self.kind).label)

    @property
    def source_labels(self) -> list[str]:
        return [str(SOURCE_LABELS[s]) for s in sorted(self.sources)]


@dataclass
class SeekerProfile:
    """What the scorer knows of a seeker: the live tags and the feedback signals."""

    tags: list[Tag] = field(default_factory=list)
    not_interested: set[int] = field(default_factory=set)
    more_like_this: set[int] = field(default_factory=set)
    disliked_orgs: dict[int, int] = field(default_factory=dict)
    disliked_functions: dict[str, int] = field(default_factory=dict)
    liked_orgs: set[int] = field(default_factory=set)

    def weights(self, kind: str) -> dict[str, float]:
        return {t.value: t.weight for t in self.tags if t.kind == kind}

    def values(self, kind: str) -> list[str]:
        return [t.value for t in self.tags if t.kind == kind]

    def first(self, kind: str) -> str:
        return next(iter(self.values(kind)), "")

    @property
    def pay(self) -> tuple[Decimal, Decimal, str] | None:
        return parse_pay(self.first(TagKind.PAY))

    @property
    def empty(self) -> bool:
        return not self.tags


def tag_label(kind: str, value: str) -> str:
    """The tag as the seeker reads it: 广州市, Java开发, 8,000–12,000 元/月, 本科 …"""
    if kind == TagKind.CITY:
        division = divisions.get(value)
        return division.name if division else value
    if kind == TagKind.FUNCTION:
        function = taxonomy.job_function(value)
        return function.name if function else value
    if kind == TagKind.INDUSTRY:
        industry = taxonomy.industry(value)
        return industry.name if industry else value
    if kind == TagKind.PAY:
        pay = parse_pay(value)
        if pay is None:
            return value
        units = dict(taxonomy.as_choices(taxonomy.PAY_UNITS))
        return f"{pay[0]:,.0f}–{pay[1]:,.0f} 元/{units.get(pay[2], pay[2])}"
    if kind == TagKind.EDUCATION:
        return dict(taxonomy.as_choices(taxonomy.EDUCATION_LEVELS)).get(value, value)
    if kind == TagKind.EXPERIENCE:
        return dict(taxonomy.as_choices(taxonomy.EXPERIENCE_BANDS)).get(value, value)
    return value


def pay_value(pay_min: Any, pay_max: Any, unit: str) -> str:
    """A pay expectation as a tag value, ``8000-12000-month``; "" when incomplete."""
    if pay_min is None or pay_max is None or not unit:
        return ""
    return f"{Decimal(pay_min):.0f}-{Decimal(pay_max):.0f}-{unit}"


def parse_pay(value: str) -> tuple[Decimal, Decimal, str] | None:
    parts = value.split("-")
    if len(parts) != 3:
        return None
    try:
        low, high = Decimal(parts[0]), Decimal(parts[1])
    except InvalidOperation:
        return None
    return (low, high, parts[2]) if low <= high else None


def city_code(division_code: str) -> str:
    """The city-level code of a work location (440106 → 440100); "" when unknown."""
    city = divisions.city_of(division_code) if division_code else None
    return city.code if city else ""


class _Collector:
    def __init__(self) -> None:
        self.tags: dict[tuple[str, str], Tag] = {}

    def add(self, kind: str, value: Any, source: str) -> None:
        value = str(value or "").strip()[:TAG_VALUE_MAX]
        if not value or value == "any":
            return
        tag = self.tags.get((kind, value))
        if tag is None:
            tag = self.tags[(kind, value)] = Tag(kind, value, tag_label(kind, value))
        tag.weight = min(tag.weight + SOURCE_WEIGHTS[source], 6.0)
        tag.sources.add(source)

    def add_posting(self, posting: Any, source: str) -> None:
        self.add(TagKind.CITY, city_code(posting.division_code), source)
        self.add(TagKind.FUNCTION, posting.job_function, source)
        self.add(TagKind.INDUSTRY, posting.industry, source)
        self.add(TagKind.KEYWORD, posting.title, source)


#: Work-history years → the posting experience bands (upper bound exclusive).
EXPERIENCE_YEARS = ((1, "lt_1"), (3, "1_3"), (5, "3_5"), (10, "5_10"))
#: Job titles from the work history taken as keywords (most recent first).
WORK_TITLES = 2


def experience_band(work: list[Any], today: date) -> str:
    """The band of the total length of the work history; "" without one."""
    if not work:
        return ""
    days = sum(((entry.end_date or today) - entry.start_date).days for entry in work)
    years = max(days, 0) / 365.25
    return next((band for limit, band in EXPERIENCE_YEARS if years < limit), "gt_10")


def highest_education(education: list[Any]) -> str:
    degrees = [e.degree for e in education if e.degree in EDUCATION_ORDER]
    return max(degrees, key=EDUCATION_ORDER.index, default="")


def _resume_tags(collector: _Collector, resume: Any) -> None:
    """Tags from the résumé's job intention, skills, work titles, education and experience
    (RES-1)."""
    from pinqiao.resumes.rendering import split_items

    collector.add(TagKind.CITY, city_code(resume.desired_city), "resume")
    collector.add(TagKind.FUNCTION, resume.desired_function, "resume")
    collector.add(TagKind.INDUSTRY, resume.desired_industry, "resume")
    for skill in split_items(resume.skills)[:20]:
        collector.add(TagKind.SKILL, skill, "resume")
    work = sorted(resume.work.all(), key=lambda e: e.start_date, reverse=True)
    for entry in work[:WORK_TITLES]:
        collector.add(TagKind.KEYWORD, entry.title, "resume")
    collector.add(TagKind.PAY, pay_value(resume.desired_pay_min, resume.desired_pay_max,
                                         "month"), "resume")
    collector.add(TagKind.EDUCATION, highest_education(list(resume.education.all())),
                  "resume")
    collector.add(TagKind.EXPERIENCE, experience_band(work, timezone.localdate()), "resume")


def _resume_of(seeker: Any) -> Any:
    from pinqiao.resumes.models import Resume

    return (Resume.objects.filter(owner=seeker).prefetch_related("education", "work")
            .first())


def derive(seeker: Any) -> tuple[list[Tag], list[Tag], SeekerProfile]:
    """``(live tags, deleted tags, profile)`` for ``seeker``, strongest tags first."""
    from pinqiao.applications.models import Application

    collector = _Collector()
    resume = _resume_of(seeker)
    if resume is not None:
        _resume_tags(collector, resume)
    applications = (Application.objects.filter(seeker=seeker).select_related("posting")
                    .order_by("-created_at")[:HISTORY_LIMIT])
    for application in applications:
        collector.add_posting(application.posting, "application")
    profile = SeekerProfile()
    feedback = (Feedback.objects.filter(seeker=seeker).select_related("posting")
                .order_by("-created_at")[:HISTORY_LIMIT])
    for item in feedback:
        posting = item.posting
        if item.kind == FeedbackKind.MORE_LIKE_THIS:
            collector.add_posting(posting, "feedback")
            profile.more_like_this.add(posting.pk)
            profile.liked_orgs.add(posting.organisation_id)
        else:
            profile.not_interested.add(posting.pk)
            profile.disliked_orgs[posting.organisation_id] = \
                profile.disliked_orgs.get(posting.organisation_id, 0) + 1
            if posting.job_function:
                profile.disliked_functions[posting.job_function] = \
                    profile.disliked_functions.get(posting.job_function, 0) + 1
    deleted = set(DeletedTag.objects.filter(seeker=seeker).values_list("kind", "value"))
    ordered = sorted(collector.tags.values(), key=lambda t: (-t.weight, t.kind, t.value))
    profile.tags = [t for t in ordered if (t.kind, t.value) not in deleted]
    removed = [Tag(kind, value, tag_label(kind, value)) for kind, value in sorted(deleted)]
    return profile.tags, removed, profile


def declared_city(seeker: Any) -> str:
    """The city on the seeker's résumé (a stated choice, not an inferred trait): the default
    of the non-personalised list; "" when none."""
    from pinqiao.resumes.models import Resume

    code = Resume.objects.filter(owner=seeker).values_list("desired_city", flat=True).first()
    return city_code(code or "")


def resume_profile(resume: Any) -> SeekerProfile:
    """A profile from the résumé alone (REC-4): what the seeker published, never their
    activity or feedback. ``resume`` should come with ``education`` and ``work`` prefetched."""
    collector = _Collector()
    _resume_tags(collector, resume)
    return SeekerProfile(tags=sorted(collector.tags.values(),
                                     key=lambda t: (-t.weight, t.kind, t.value)))
