"""Job-search input (SRCH-1): one parser for the page and the API.

The page is lenient (an unknown filter value is ignored and the user told so); the API is
strict (``ServiceError("invalid_filter")`` naming each bad field). Query text is never passed
to a query parser: it is cut into tokens, so AND, OR, quotes, ``*``, ``:``, ``+``, ``-`` and
brackets are just characters, and SQL never sees it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from pinqiao.core.errors import ServiceError
from pinqiao.reference import divisions, taxonomy

MAX_QUERY_CHARS = 100
MAX_QUERY_TOKENS = 12
MAX_PAY = 1_000_000
PER_PAGE = 20
MAX_PER_PAGE = 50
POSTED_WITHIN = {1: "24小时内", 3: "3天内", 7: "7天内", 15: "15天内", 30: "30天内"}
SORTS = {"relevance": "相关度", "time": "最新发布"}
#: Monthly pay bands offered on the page (元/月, upper bound open when empty). The talent
#: search (expected pay) offers only these.
PAY_BANDS = {"0-3000": "3千以下", "3000-5000": "3千-5千", "5000-8000": "5千-8千",
             "8000-12000": "8千-1.2万", "12000-20000": "1.2万-2万", "20000-30000": "2万-3万",
             "30000-": "3万以上"}
#: What each pay unit is called on a filter (issue 15: 月薪, 日薪 and 时薪 never mix).
PAY_UNIT_LABELS = {"month": "月薪", "day": "日薪", "hour": "时薪"}
#: The job search's bands per unit: ``pay`` values are ``<unit>:<low>-<high>`` in 元 per that
#: unit, the monthly ones also without the prefix (saved searches and links made before).
JOB_PAY_BANDS: dict[str, dict[str, str]] = {
    "month": {f"month:{key}": label for key, label in PAY_BANDS.items()},
    "day": {"day:0-150": "150元以下", "day:150-200": "150-200元", "day:200-300": "200-300元",
            "day:300-500": "300-500元", "day:500-": "500元以上"},
    "hour": {"hour:0-20": "20元以下", "hour:20-25": "20-25元", "hour:25-35": "25-35元",
             "hour:35-50": "35-50元", "hour:50-": "50元以上"},
}
FILTER_NAMES = ("province", "city", "district", "industry", "function", "pay", "pay_unit",
                "pay_min", "pay_max", "experience", "education", "employment_type",
                "posted_within", "sort")


def pay_band_label(pay: str) -> str:
    """「月薪 8千-1.2万」 for a ``pay`` value, with its unit; empty when unknown."""
    unit, _sep, band = pay.rpartition(":")
    unit = unit or "month"
    label = JOB_PAY_BANDS.get(unit, {}).get(f"{unit}:{band}")
    return f"{PAY_UNIT_LABELS[unit]} {label}" if label else ""


@dataclass
class JobQuery:
    """Clean job-search input. ``location`` is the most specific division given."""

    q: str = ""
    province: str = ""
    city: str = ""
    district: str = ""
    industry: str = ""
    function: str = ""
    pay_min: int | None = None
    pay_max: int | None = None
    pay: str = ""
    #: ``month``, ``day`` or ``hour`` whenever a pay bound is set: only postings paid in that
    #: unit match, bounds in 元 per that unit.
    pay_unit: str = ""
    experience: str = ""
    education: str = ""
    employment_type: str = ""
    posted_within: int | None = None
    sort: str = ""
    page: int = 1
    per_page: int = PER_PAGE
    notices: list[str] = field(default_factory=list)

    @property
    def location(self) -> divisions.Division | None:
        code = self.district or self.city or self.province
        return divisions.get(code) if code else None

    @property
    def has_filters(self) -> bool:
        return any((self.location, self.industry, self.function, self.pay_min is not None,
                    self.pay_max is not None, self.experience, self.education,
                    self.employment_type, self.posted_within))

    def effective_sort(self, has_tokens: bool) -> str:
        """``relevance`` or ``time`` as asked; by default relevance for keywords, otherwise
        ``default``: 优质职位 first (JOB-7), then newest."""
        return self.sort or ("relevance" if has_tokens else "default")

    def as_params(self, **over: Any) -> dict[str, str]:
        """The non-empty parameters, for links (pagination, sort) that keep the filters."""
        values: dict[str, Any] = {
            "q": self.q, "province": self.province, "city": self.city,
            "district": self.district, "industry": self.industry, "function": self.function,
            "pay": self.pay, "experience": self.experience, "education": self.education,
            "employment_type": self.employment_type, "posted_within": self.posted_within or "",
            "sort": self.sort, "page": self.page if self.page > 1 else ""}
        if not self.pay:
            values["pay_min"] = "" if self.pay_min is None else self.pay_min
            values["pay_max"] = "" if self.pay_max is None else self.pay_max
            if self.pay_unit not in ("", "month"):
                values["pay_unit"] = self.pay_unit
        values.update(over)
        return {k: str(v) for k, v in values.items() if v not in ("", None)}


_LABELS = {"province": "省份", "city": "城市", "district": "区县", "industry": "行业",
           "function": "职能", "pay": "薪资", "pay_unit": "薪资单位", "pay_min": "最低薪资",
           "pay_max": "最高薪资",
           "experience": "经验", "education": "学历", "employment_type": "用工类型",
           "posted_within": "发布时间", "sort": "排序", "page": "页码", "per_page": "每页数量"}


def _values(choices: tuple[taxonomy.Choice, ...]) -> set[str]:
    return {c.value for c in choices}


def parse_int(raw: str) -> int | None:
    """A whole number of at most nine digits (thousands commas allowed), else ``None``."""
    raw = raw.strip().replace(",", "")
    return int(raw) if raw.isdigit() and len(raw) <= 9 else None


def _division(raw: str, level: str) -> str | None:
    division = divisions.get(raw) if raw.isdigit() and len(raw) == 6 else None
    return division.code if division is not None and division.level == level else None


def parse_pay(get: Callable[[str], str], bad: Callable[[str, str], None], query: Any) -> None:
    """``pay`` (one of :data:`PAY_BANDS`) or ``pay_min`` / ``pay_max`` in 元/月, for the talent
    search (expected monthly pay): sets ``pay``, ``pay_min`` and ``pay_max`` on ``query`` or
    reports each bad one through ``bad``."""
    raw = get("pay")
    if raw:
        if raw not in PAY_BANDS:
            bad("pay", _("没有这个薪资范围。"))
        else:
            query.pay = raw
            _set_band(query, raw)
    _parse_bounds(get, bad, query, _("元/月"))


def _set_band(query: Any, band: str) -> None:
    low, _sep, high = band.partition("-")
    query.pay_min = int(low) if low and int(low) > 0 else None
    query.pay_max = int(high) if high else None


def _parse_bounds(get: Callable[[str], str], bad: Callable[[str, str], None], query: Any,
                  unit_text: str) -> None:
    for name in ("pay_min", "pay_max"):
        raw = get(name)
        if raw and not query.pay:
            value = parse_int(raw)
            if value is None or value > MAX_PAY:
                bad(name, _("请输入0到%(max)s之间的整数（%(unit)s）。")
                    % {"max": MAX_PAY, "unit": unit_text})
            else:
                setattr(query, name, value)
    if query.pay_min is not None and query.pay_max is not None and query.pay_min > query.pay_max:
        bad("pay_max", _("最高薪资不能低于最低薪资。"))
        query.pay_max = None


def parse_job_pay(get: Callable[[str], str], bad: Callable[[str, str], None],
                  query: JobQuery) -> None:
    """The job search's pay: ``pay`` (a band of :data:`JOB_PAY_BANDS`, which names its unit)
    or ``pay_min`` / ``pay_max`` in 元 per ``pay_unit`` (``month`` when not given). A pay
    filter only ever matches postings paid in its unit."""
    raw = get("pay")
    if raw:
        key = raw if ":" in raw else f"month:{raw}"
        unit = key.partition(":")[0]
        if key not in JOB_PAY_BANDS.get(unit, {}):
            bad("pay", _("没有这个薪资范围。"))
        else:
            query.pay = raw
            query.pay_unit = unit
            _set_band(query, key.partition(":")[2])
    raw_unit = get("pay_unit")
    if raw_unit and raw_unit not in PAY_UNIT_LABELS:
        bad("pay_unit", _("薪资单位只能是月（month）、日（day）或时（hour）。"))
        raw_unit = ""
    if not query.pay:
        unit = raw_unit or "month"
        _parse_bounds(get, bad, query, _("元/%(unit)s") % {
            "unit": dict(taxonomy.as_choices(taxonomy.PAY_UNITS))[unit]})
        if query.pay_min is not None or query.pay_max is not None:
            query.pay_unit = unit


def parse_order_and_page(get: Callable[[str], str], bad: Callable[[str, str], None],
                         query: Any, *, sorts: Mapping[str, str], sort_error: str) -> None:
    """``sort``, ``page`` and ``per_page``, the same for the job and the talent search: sets
    them on ``query`` or reports each bad one through ``bad``."""
    raw = get("sort")
    if raw:
        if raw not in sorts:
            bad("sort", sort_error)
        else:
            query.sort = raw
    raw = get("page")
    if raw:
        page = parse_int(raw)
        if not page:
            bad("page", _("页码必须是正整数。"))
        else:
            query.page = page
    raw = get("per_page")
    if raw:
        per_page = parse_int(raw)
        if not per_page or per_page > MAX_PER_PAGE:
            bad("per_page", _("每页数量必须在1到%(max)s之间。") % {"max": MAX_PER_PAGE})
        else:
            query.per_page = per_page


def parse_job_query(data: Mapping[str, Any], *, strict: bool) -> JobQuery:
    """Parse request parameters. ``strict`` raises on any unknown value (API); otherwise bad
    values are dropped with a notice (page)."""
    errors: dict[str, list[str]] = {}
    query = JobQuery()

    def get(name: str) -> str:
        value = data.get(name)
        return "" if value is None else str(value).strip()

    def bad(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    q = " ".join(get("q").split())
    if len(q) > MAX_QUERY_CHARS:
        q = q[:MAX_QUERY_CHARS]
        query.notices.append(_("搜索词过长，只按前%(n)s个字搜索。") % {"n": MAX_QUERY_CHARS})
    query.q = q

    for level in ("province", "city", "district"):
        raw = get(level)
        if raw:
            code = _division(raw, level)
            if code is None:
                bad(level, _("没有这个%(what)s。") % {"what": _LABELS[level]})
            else:
                setattr(query, level, code)
    if query.city and query.province and not query.city.startswith(query.province[:2]):
        bad("city", _("城市不属于所选省份。"))
        query.city = query.district = ""
    if query.district and (query.city or query.province) and not query.district.startswith(
            (query.city or query.province)[:4 if query.city else 2]):
        bad("district", _("区县不属于所选城市。"))
        query.district = ""

    raw = get("industry")
    if raw:
        if taxonomy.industry(raw) is None:
            bad("industry", _("没有这个行业。"))
        else:
            query.industry = raw
    raw = get("function")
    if raw:
        families = {f.slug for f in taxonomy.job_families()}
        if taxonomy.job_function(raw) is None and raw not in families:
            bad("function", _("没有这个职能。"))
        else:
            query.function = raw

    parse_job_pay(get, bad, query)

    for name, choices in (("experience", taxonomy.EXPERIENCE_BANDS),
                          ("education", taxonomy.EDUCATION_LEVELS),
                          ("employment_type", taxonomy.EMPLOYMENT_TYPES)):
        raw = get(name)
        if raw:
            if raw not in _values(choices):
                bad(name, _("没有这个%(what)s选项。") % {"what": _LABELS[name]})
            else:
                setattr(query, name, raw)

    raw = get("posted_within")
    if raw:
        days = parse_int(raw)
        if days not in POSTED_WITHIN:
            bad("posted_within", _("发布时间只能选1、3、7、15或30天内。"))
        else:
            query.posted_within = days
    parse_order_and_page(get, bad, query, sorts=SORTS,
                         sort_error=_("排序只能是相关度（relevance）或最新发布（time）。"))

    if errors:
        if strict:
            first = next(iter(errors.values()))[0]
            raise ServiceError("invalid_filter", _("筛选条件无效：%(m)s") % {"m": first},
                               fields=errors)
        names = "、".join(_LABELS[name] for name in errors)
        query.notices.append(_("已忽略无法识别的筛选条件：%(names)s。") % {"names": names})
    return query
