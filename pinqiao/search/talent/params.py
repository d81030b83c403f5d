"""Talent-search input (SRCH-2): one parser for the page and the API.

The page is lenient (an unknown value is ignored and the recruiter told so); the API is strict
(``ServiceError("invalid_filter")`` naming each bad field, unknown parameter names included,
so a client asking for a filter that does not exist — gender, age — is told so rather than
silently ignored). Query text is never given to a query parser: it is cut into tokens, so
AND, OR, quotes, ``*``, ``:``, ``+``, ``-`` and brackets are just characters, and SQL never
sees it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from pinqiao.core.errors import ServiceError
from pinqiao.reference import divisions, taxonomy
from pinqiao.search.params import (
    MAX_QUERY_CHARS,
    PER_PAGE,
    parse_int,
    parse_order_and_page,
    parse_pay,
)

UPDATED_WITHIN = {3: "3天内", 7: "7天内", 30: "30天内", 90: "3个月内", 180: "半年内"}
SORTS = {"relevance": "相关度", "time": "最近更新", "experience": "经验从多到少"}
#: Every parameter the search takes; the API refuses any other name.
PARAMETERS = ("q", "province", "city", "function", "experience", "education", "pay",
              "pay_min", "pay_max", "updated_within", "sort", "page", "per_page",
              "organisation")

LABELS = {"q": "关键词", "province": "省份", "city": "城市", "function": "职能",
          "experience": "工作经验", "education": "最低学历", "pay": "期望月薪",
          "pay_min": "最低月薪", "pay_max": "最高月薪", "updated_within": "简历更新时间",
          "sort": "排序", "page": "页码", "per_page": "每页数量", "organisation": "单位"}


@dataclass
class TalentQuery:
    """Clean talent-search input. ``city`` wins over ``province``."""

    q: str = ""
    province: str = ""
    city: str = ""
    function: str = ""
    experience: str = ""
    education: str = ""
    pay: str = ""
    pay_min: int | None = None
    pay_max: int | None = None
    updated_within: int | None = None
    sort: str = ""
    page: int = 1
    per_page: int = PER_PAGE
    organisation: int | None = None
    notices: list[str] = field(default_factory=list)

    @property
    def location(self) -> divisions.Division | None:
        code = self.city or self.province
        return divisions.get(code) if code else None

    @property
    def has_filters(self) -> bool:
        return any((self.location, self.function, self.experience, self.education,
                    self.pay_min is not None, self.pay_max is not None, self.updated_within))

    def effective_sort(self, has_tokens: bool) -> str:
        """As asked; by default relevance with keywords, otherwise most recently updated."""
        return self.sort or ("relevance" if has_tokens else "time")

    def as_params(self, **over: Any) -> dict[str, str]:
        """The non-empty parameters, for links (pagination, sort) that keep the filters."""
        values: dict[str, Any] = {
            "q": self.q, "province": self.province, "city": self.city,
            "function": self.function, "experience": self.experience,
            "education": self.education, "pay": self.pay,
            "updated_within": self.updated_within or "", "sort": self.sort,
            "organisation": self.organisation or "",
            "page": self.page if self.page > 1 else ""}
        if not self.pay:
            values["pay_min"] = "" if self.pay_min is None else self.pay_min
            values["pay_max"] = "" if self.pay_max is None else self.pay_max
        values.update(over)
        return {k: str(v) for k, v in values.items() if v not in ("", None)}

    def logged_filters(self) -> dict[str, Any]:
        """The filters as recorded in the search log (keywords and paging apart)."""
        params = self.as_params(q="", page="")
        params.pop("organisation", None)
        return params


def _values(choices: tuple[taxonomy.Choice, ...]) -> set[str]:
    return {c.value for c in choices}


def parse_talent_query(data: Mapping[str, Any], *, strict: bool) -> TalentQuery:
    """Parse request parameters. ``strict`` raises on any unknown name or value (API);
    otherwise bad values are dropped with a notice (page)."""
    errors: dict[str, list[str]] = {}
    query = TalentQuery()

    def get(name: str) -> str:
        value = data.get(name)
        return "" if value is None else str(value).strip()

    def bad(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if strict:
        for name in data:
            if name not in PARAMETERS:
                bad(name, _("不支持这个筛选条件。"))

    q = " ".join(get("q").split())
    if len(q) > MAX_QUERY_CHARS:
        q = q[:MAX_QUERY_CHARS]
        query.notices.append(_("搜索词过长，只按前%(n)s个字搜索。") % {"n": MAX_QUERY_CHARS})
    query.q = q

    for level in ("province", "city"):
        raw = get(level)
        if raw:
            division = divisions.get(raw) if raw.isdigit() and len(raw) == 6 else None
            if division is None or division.level != level:
                bad(level, _("没有这个%(what)s。") % {"what": LABELS[level]})
            else:
                setattr(query, level, division.code)
    if query.city and query.province and not query.city.startswith(query.province[:2]):
        bad("city", _("城市不属于所选省份。"))
        query.city = ""

    raw = get("function")
    if raw:
        families = {f.slug for f in taxonomy.job_families()}
        if taxonomy.job_function(raw) is None and raw not in families:
            bad("function", _("没有这个职能。"))
        else:
            query.function = raw

    for name, choices in (("experience", taxonomy.EXPERIENCE_BANDS),
                          ("education", taxonomy.EDUCATION_LEVELS)):
        raw = get(name)
        if raw:
            if raw not in _values(choices):
                bad(name, _("没有这个%(what)s选项。") % {"what": LABELS[name]})
            elif raw != "any":
                setattr(query, name, raw)

    parse_pay(get, bad, query)

    raw = get("updated_within")
    if raw:
        days = parse_int(raw)
        if days not in UPDATED_WITHIN:
            bad("updated_within", _("简历更新时间只能选3、7、30、90或180天内。"))
        else:
            query.updated_within = days
    parse_order_and_page(get, bad, query, sorts=SORTS,
                         sort_error=_("排序只能是相关度（relevance）、最近更新（time）或经验从多到少"
                                      "（experience）。"))
    raw = get("organisation")
    if raw:
        organisation = parse_int(raw)
        if not organisation:
            bad("organisation", _("单位编号必须是正整数。"))
        else:
            query.organisation = organisation

    if errors:
        if strict:
            first = next(iter(errors.values()))[0]
            raise ServiceError("invalid_filter", _("筛选条件无效：%(m)s") % {"m": first},
                               fields=errors)
        names = "、".join(LABELS.get(name, name) for name in errors)
        query.notices.append(_("已忽略无法识别的筛选条件：%(names)s。") % {"names": names})
    return query
