"""Reads for the regulator (ANA-3, RISK-3 credit view): read-only and masked, each taking the
viewer and checking ``view.oversight``.

Personal data never leaves these selectors in clear: contact persons and phone numbers are
masked, staff-written texts pass through ``mask_contacts_in_text``, and a complaint shows its
handling and outcome but nothing about who complained (TKT-5). The regulator's reads are
audited like staff reads by the views and API (``services.access_record``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.accounts.models import User
from pinqiao.applications.models import Application, Offer, OfferOutcome
from pinqiao.core.crypto import decrypt
from pinqiao.core.errors import NotFound, ServiceError
from pinqiao.core.masking import mask_contacts_in_text, mask_name, mask_phone
from pinqiao.core.permissions import Role, require_perm
from pinqiao.jobs.models import Posting, PostingStatus
from pinqiao.moderation.models import Sanction as ModerationSanction
from pinqiao.moderation.models import ScreeningRecord
from pinqiao.orgs.models import Licence, Organisation, OrgStatus, Violation
from pinqiao.orgs.selectors import credit_record
from pinqiao.oversight.models import DrawStatus, SampledItem, SamplingDraw
from pinqiao.reference import divisions, taxonomy
from pinqiao.tickets.models import Case, CaseStatus

#: The longest period a list or export covers (a ten-year range is refused).
MAX_RANGE_DAYS = 366
#: Rows on one page of a list (the export has them all).
PAGE_ROWS = 200
FIRST_YEAR = 2020

PERM = "view.oversight"


@dataclass(frozen=True)
class Filters:
    """A validated filter: a date range (both ends included), a city and an industry."""

    date_from: date | None = None
    date_to: date | None = None
    city: str = ""
    industry: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"date_from": self.date_from.isoformat() if self.date_from else "",
                "date_to": self.date_to.isoformat() if self.date_to else "",
                "city": self.city, "industry": self.industry}

    def window(self) -> tuple[datetime | None, datetime | None]:
        """The range as aware datetimes [start, end) in the site's time zone."""
        zone = timezone.get_current_timezone()
        start = datetime.combine(self.date_from, time.min, zone) if self.date_from else None
        end = (datetime.combine(self.date_to + timedelta(days=1), time.min, zone)
               if self.date_to else None)
        return start, end

    def narrow(self, rows: QuerySet[Any], *, at: str, industry: str) -> QuerySet[Any]:
        """``rows`` within the date range, by the date field ``at``, and in the industry, by the
        field (or relation path) ``industry``."""
        start, end = self.window()
        if start:
            rows = rows.filter(**{f"{at}__gte": start})
        if end:
            rows = rows.filter(**{f"{at}__lt": end})
        if self.industry:
            rows = rows.filter(**{f"{industry}__in": industry_codes(self.industry)})
        return rows


def _parse_date(value: Any, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ServiceError("invalid_date", _("日期格式应为 YYYY-MM-DD。"),
                           fields={field: [_("日期格式应为 YYYY-MM-DD。")]}) from None


def parse_filters(*, date_from: Any = None, date_to: Any = None, city: str = "",
                  industry: str = "") -> Filters:
    """Validate a filter; refuses a reversed range, a range longer than a year, an unknown city
    or industry, each with its own code and the field it concerns."""
    start, end = _parse_date(date_from, "date_from"), _parse_date(date_to, "date_to")
    if start and end and start > end:
        message = _("开始日期晚于结束日期，请调换后再查询。")
        raise ServiceError("date_range_reversed", message, fields={"date_to": [message]})
    if start and end and (end - start).days + 1 > MAX_RANGE_DAYS:
        message = (_("查询范围不能超过 %(d)s 天，请缩短日期范围（可分年度导出）。")
                   % {"d": MAX_RANGE_DAYS})
        raise ServiceError("date_range_too_long", message, fields={"date_from": [message]})
    city = (city or "").strip()
    if city:
        division = divisions.get(city)
        if division is None or division.level != "city":
            raise ServiceError("unknown_city", _("没有这个城市，请从列表中选择。"),
                               fields={"city": [_("没有这个城市，请从列表中选择。")]})
    industry = (industry or "").strip()
    if industry and taxonomy.industry(industry) is None:
        raise ServiceError("unknown_industry", _("没有这个行业，请从列表中选择。"),
                           fields={"industry": [_("没有这个行业，请从列表中选择。")]})
    return Filters(start, end, city, industry)


def city_choices() -> list[tuple[str, str]]:
    """Cities (prefecture level and the municipalities) for the filter lists."""
    rows = []
    for province in divisions.provinces():
        for child in divisions.children(province.code):
            if child.level == "city":
                rows.append((child.code, child.name if child.name == province.name
                             else f"{province.name}{child.name}"))
    return rows


def industry_choices() -> list[tuple[str, str]]:
    rows = []
    for section in taxonomy.industries():
        rows.append((section.code, section.name))
        rows.extend((child.code, f"{section.name} · {child.name}")
                    for child in taxonomy.industry_children(section.code))
    return rows


def industry_codes(code: str) -> list[str]:
    """A 门类 letter stands for itself and all its sub-industries."""
    return [code, *(child.code for child in taxonomy.industry_children(code))]


def _city_prefix(code: str) -> str:
    """Districts of a city share its first four digits (municipalities: 1101xx for 110100)."""
    return code[:4]


# --- organisations ------------------------------------------------------------------------------

def organisations(*, viewer: Any, filters: Filters) -> QuerySet[Organisation]:
    """Organisations that were ever submitted for verification, newest first."""
    require_perm(viewer, PERM)
    rows = Organisation.objects.exclude(status=OrgStatus.DRAFT).prefetch_related(
        Prefetch("licences", queryset=Licence.objects.order_by("kind", "-valid_until")),
        "violations")
    rows = filters.narrow(rows, at="created_at", industry="industry")
    if filters.city:
        rows = rows.filter(postings__division_code__startswith=_city_prefix(filters.city)
                           ).distinct()
    return rows.order_by("-created_at", "-id")


@dataclass(frozen=True)
class OrganisationView:
    organisation: Organisation
    contact_name: str
    contact_phone: str
    credit_score: int
    credit_grade: str
    violations: list[Violation]
    licences: list[Licence]
    sanctions: list[ModerationSanction]


def organisation_view(*, viewer: Any, organisation_id: int) -> OrganisationView:
    """One organisation with its licences, credit record (RISK-3), sanctions; contact masked."""
    require_perm(viewer, PERM)
    org = (Organisation.objects.exclude(status=OrgStatus.DRAFT)
           .prefetch_related("licences", "violations").filter(pk=organisation_id).first())
    if org is None:
        raise NotFound(_("单位不存在。"))
    record = credit_record(org)
    phone = decrypt(org.contact_phone_ciphertext, context="org_contact_phone") \
        if org.contact_phone_ciphertext else ""
    return OrganisationView(
        organisation=org, contact_name=mask_name(org.contact_name),
        contact_phone=mask_phone(phone) if phone else "", credit_score=record.score,
        credit_grade=record.grade, violations=record.violations,
        licences=list(org.licences.order_by("kind", "-valid_until")),
        sanctions=list(ModerationSanction.objects.filter(organisation=org)
                       .order_by("-created_at")[:50]))


# --- postings -----------------------------------------------------------------------------------

def postings(*, viewer: Any, filters: Filters) -> QuerySet[Posting]:
    """Postings that reached screening (never drafts), newest first."""
    require_perm(viewer, PERM)
    rows = (Posting.objects.exclude(status=PostingStatus.DRAFT)
            .select_related("organisation", "last_screening")
            .annotate(screenings=Count("events", filter=Q(events__to_status__in=[
                PostingStatus.PUBLISHED, PostingStatus.PENDING_REVIEW,
                PostingStatus.REJECTED, PostingStatus.REMOVED]))))
    rows = filters.narrow(rows, at="submitted_at", industry="industry")
    if filters.city:
        rows = rows.filter(division_code__startswith=_city_prefix(filters.city))
    return rows.order_by("-submitted_at", "-id")


@dataclass(frozen=True)
class PostingView:
    posting: Posting
    screenings: list[ScreeningRecord]
    events: list[Any]


def posting_view(*, viewer: Any, posting_id: int) -> PostingView:
    """One posting with its screening history (every machine screening and every status change
    with its reason)."""
    require_perm(viewer, PERM)
    posting = (Posting.objects.exclude(status=PostingStatus.DRAFT)
               .select_related("organisation").filter(pk=posting_id).first())
    if posting is None:
        raise NotFound(_("职位不存在。"))
    kind = ContentType.objects.get_for_model(Posting)
    screenings = list(ScreeningRecord.objects.filter(content_type=kind,
                                                     object_id=str(posting.pk))
                      .order_by("-created_at")[:50])
    events = list(posting.events.order_by("-at", "-id")[:100])
    return PostingView(posting=posting, screenings=screenings, events=events)


# --- violations, sanctions, complaints -----------------------------------------------------------

def violations(*, viewer: Any, filters: Filters) -> QuerySet[Violation]:
    require_perm(viewer, PERM)
    rows = Violation.objects.select_related("organisation")
    rows = filters.narrow(rows, at="occurred_at", industry="organisation__industry")
    return rows.order_by("-occurred_at", "-id")


def sanctions(*, viewer: Any, filters: Filters) -> QuerySet[ModerationSanction]:
    require_perm(viewer, PERM)
    rows = ModerationSanction.objects.select_related("organisation")
    rows = filters.narrow(rows, at="created_at", industry="organisation__industry")
    return rows.order_by("-created_at", "-id")


def complaints(*, viewer: Any, filters: Filters) -> QuerySet[Case]:
    """Cases with their handling and outcome; the complainant is not part of the regulator's
    view (TKT-5: the desk keeps the complainant's identity to itself)."""
    require_perm(viewer, PERM)
    rows = Case.objects.select_related("organisation").only(
        "id", "reference", "kind", "channel", "status", "reason_code", "target_label",
        "organisation__name", "organisation__credit_code", "received_at", "deadline",
        "upheld", "result", "closed_at", "resolved_at", "referred_to")
    rows = filters.narrow(rows, at="received_at", industry="organisation__industry")
    return rows.order_by("-received_at", "-id")


def masked_text(text: str) -> str:
    """Staff-written text for the regulator: contact details inside it masked."""
    return mask_contacts_in_text(text or "")


# --- statistics and the annual report -------------------------------------------------------------

@dataclass(frozen=True)
class Overview:
    organisations_verified: int
    postings_published: int
    cases_open: int
    violations_year: int
    sanctions_active: int
    draws_open: int


def overview(*, viewer: Any) -> Overview:
    """Today's figures for the regulator's home (platform totals, no person described)."""
    require_perm(viewer, PERM)
    year_ago = timezone.now() - timedelta(days=365)
    return Overview(
        organisations_verified=Organisation.objects.filter(status=OrgStatus.VERIFIED).count(),
        postings_published=Posting.objects.filter(status=PostingStatus.PUBLISHED).count(),
        cases_open=Case.objects.exclude(status__in=[CaseStatus.CLOSED]).count(),
        violations_year=Violation.objects.filter(occurred_at__gte=year_ago).count(),
        sanctions_active=ModerationSanction.objects.filter(
            status=ModerationSanction.Status.ACTIVE).count(),
        draws_open=SamplingDraw.objects.filter(status=DrawStatus.OPEN).count())


def parse_year(value: Any) -> int:
    """A year from FIRST_YEAR to this year; anything else is refused."""
    this_year = timezone.localdate().year
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        year = 0
    if not FIRST_YEAR <= year <= this_year:
        raise ServiceError("invalid_year",
                           _("年度应在 %(a)s 至 %(b)s 之间。") % {"a": FIRST_YEAR, "b": this_year},
                           fields={"year": [_("请选择 %(a)s 至 %(b)s 之间的年度。")
                                            % {"a": FIRST_YEAR, "b": this_year}]})
    return year


#: The annual report's figures, in the order of 年度报告公示 (key, Chinese label).
ANNUAL_FIELDS: tuple[tuple[str, str], ...] = (
    ("organisations_served", "服务用人单位数"),
    ("postings_published", "发布招聘信息数"),
    ("headcount_offered", "招聘岗位人数"),
    ("seekers_served", "服务求职者人数"),
    ("placements", "实现就业（入职）人数"),
    ("complaints_received", "受理投诉举报数"),
    ("complaints_handled", "办结投诉举报数"),
    ("violations_handled", "查处违法违规行为数"),
    ("sanctions_taken", "采取处置措施数"),
)


def annual_report(*, viewer: Any, year: int) -> dict[str, int]:
    """The annual report data set (年度报告, Shandong notice 三(三); ANA-3) for ``year``:

    * organisations served: organisations that published at least one posting in the year;
    * postings published: postings first published in the year, and their headcount;
    * seekers served: distinct seekers who applied in the year;
    * placements: offers whose outcome 「已入职」 was recorded in the year;
    * complaints received / handled: cases received / closed in the year;
    * violations handled: violation records dated in the year; sanctions taken in the year.
    """
    require_perm(viewer, PERM)
    filters = Filters(date(year, 1, 1), date(year, 12, 31))
    start, end = filters.window()
    published = Posting.objects.filter(published_at__gte=start, published_at__lt=end)
    figures = published.aggregate(
        postings=Count("id"), organisations=Count("organisation", distinct=True))
    headcount = sum(published.exclude(headcount=None).values_list("headcount", flat=True))
    return {
        "organisations_served": figures["organisations"],
        "postings_published": figures["postings"],
        "headcount_offered": headcount,
        "seekers_served": Application.objects.filter(
            created_at__gte=start, created_at__lt=end,
            seeker__role=Role.SEEKER).values("seeker").distinct().count(),
        "placements": Offer.objects.filter(outcome=OfferOutcome.HIRED, outcome_at__gte=start,
                                           outcome_at__lt=end).count(),
        "complaints_received": Case.objects.filter(received_at__gte=start,
                                                   received_at__lt=end).count(),
        "complaints_handled": Case.objects.filter(closed_at__gte=start,
                                                  closed_at__lt=end).count(),
        "violations_handled": Violation.objects.filter(occurred_at__gte=start,
                                                       occurred_at__lt=end).count(),
        "sanctions_taken": ModerationSanction.objects.filter(
            created_at__gte=start, created_at__lt=end,
            status__in=[ModerationSanction.Status.ACTIVE,
                        ModerationSanction.Status.LIFTED]).count(),
    }


# --- 双随机 -------------------------------------------------------------------------------------

def inspectors() -> QuerySet[User]:
    """Who may be dealt a sampled object: the active regulator accounts."""
    return User.objects.filter(role=Role.REGULATOR, is_active=True).order_by("id")


def draws(*, viewer: Any) -> QuerySet[SamplingDraw]:
    require_perm(viewer, PERM)
    return SamplingDraw.objects.select_related("created_by").annotate(
        pending=Count("items", filter=Q(items__outcome="pending"))).order_by("-created_at")


def draw_get(*, viewer: Any, draw_id: int) -> SamplingDraw:
    require_perm(viewer, PERM)
    draw = SamplingDraw.objects.filter(pk=draw_id).first()
    if draw is None:
        raise NotFound(_("抽查任务不存在。"))
    return draw


def draw_items(draw: SamplingDraw) -> list[SampledItem]:
    return list(draw.items.select_related("organisation", "posting", "inspector")
                .order_by("position"))


def published_draws() -> QuerySet[SamplingDraw]:
    """一公开: published draws, for everyone (organisation names and outcomes only)."""
    return (SamplingDraw.objects.filter(status=DrawStatus.PUBLISHED)
            .prefetch_related(Prefetch("items", queryset=SampledItem.objects.select_related(
                "organisation", "posting").order_by("position")))
            .order_by("-published_at", "-id"))
