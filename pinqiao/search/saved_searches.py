"""Saved job searches (SRCH-3): the services and selectors behind 「我的订阅」, the save button on
the job search page, the unsubscribe link in alert notices and ``/api/v1/saved-searches``.

A saved search keeps what a posting must match (keywords and filters), not how results are
looked at (order, page, the posted-within window): alerts are about postings published since
the last one. Its key is a digest of the search's canonical tokens in sorted order plus the
filters, so 「Java 广州」 and 「广州  java」 are one search; a seeker holds each search once and at
most ``MAX_PER_SEEKER`` of them. Only job seekers save searches; another user's saved search
does not exist for the caller (404).
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pinqiao.core.audit import log_action
from pinqiao.core.errors import NotFound, NotPermitted, ServiceError
from pinqiao.core.permissions import Role
from pinqiao.reference import divisions, taxonomy
from pinqiao.search import analysis
from pinqiao.search.models import AlertFrequency, SavedSearch
from pinqiao.search.params import (
    MAX_QUERY_TOKENS,
    PAY_UNIT_LABELS,
    JobQuery,
    parse_job_query,
    pay_band_label,
)

MAX_PER_SEEKER = 20
NAME_MAX = SavedSearch._meta.get_field("name").max_length
#: Parameters a saved search keeps; ``sort``, ``page``, ``per_page`` and ``posted_within`` are
#: how results are looked at, not what a posting must match.
KEPT = ("q", "province", "city", "district", "industry", "function", "pay", "pay_min",
        "pay_max", "experience", "education", "employment_type")
UNSUBSCRIBE_SALT = "pinqiao.search.unsubscribe"


def require_seeker(user: Any) -> Any:
    if not getattr(user, "is_authenticated", False) or user.role != Role.SEEKER:
        raise NotPermitted(_("只有求职者可以订阅职位提醒。"))
    return user


# --- normalising -----------------------------------------------------------------------------

def search_params(query: JobQuery) -> dict[str, str]:
    """The parameters of ``query`` a saved search keeps (non-empty values only)."""
    q = " ".join(unicodedata.normalize("NFKC", query.q).split())
    params = {name: value for name, value in query.as_params(q=q).items() if name in KEPT}
    return params


def tokens_of(params: Mapping[str, str]) -> list[str]:
    return analysis.query_tokens(params.get("q", ""))[:MAX_QUERY_TOKENS]


def saveable(params: Mapping[str, str]) -> bool:
    """A search worth alerting on has searchable words or a filter (not every posting)."""
    return bool(tokens_of(params)) or any(name != "q" for name in params)


def query_key(params: Mapping[str, str]) -> str:
    """The digest that makes one search one search: sorted canonical tokens plus filters."""
    filters = {name: value for name, value in params.items() if name != "q"}
    text = json.dumps({"tokens": sorted(tokens_of(params)), "filters": filters},
                      sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def job_query(saved: SavedSearch) -> JobQuery:
    """The saved search as a job query (leniently parsed: a value the taxonomy no longer knows
    is dropped rather than failing the alert)."""
    return parse_job_query(saved.params, strict=False)


def describe(params: Mapping[str, str]) -> list[str]:
    """The conditions in words, for names, the list page and notices."""
    parts: list[str] = []
    if params.get("q"):
        parts.append(params["q"])
    code = params.get("district") or params.get("city") or params.get("province")
    division = divisions.get(code) if code else None
    if division is not None:
        parts.append(division.name)
    if params.get("industry"):
        industry = taxonomy.industry(params["industry"])
        parts.append(industry.name if industry else params["industry"])
    if params.get("function"):
        function = taxonomy.job_function(params["function"])
        family = next((f for f in taxonomy.job_families() if f.slug == params["function"]),
                      None)
        parts.append(function.name if function else family.name if family else "")
    unit = PAY_UNIT_LABELS.get(params.get("pay_unit", ""), PAY_UNIT_LABELS["month"])
    if params.get("pay"):
        parts.append(pay_band_label(params["pay"]).replace(" ", "") or params["pay"])
    elif params.get("pay_min") and params.get("pay_max"):
        parts.append(_("%(unit)s%(low)s-%(high)s元") % {"unit": unit, "low": params["pay_min"],
                                                       "high": params["pay_max"]})
    elif params.get("pay_min"):
        parts.append(_("%(unit)s%(low)s元以上") % {"unit": unit, "low": params["pay_min"]})
    elif params.get("pay_max"):
        parts.append(_("%(unit)s%(high)s元以下") % {"unit": unit, "high": params["pay_max"]})
    for name, choices in (("experience", taxonomy.EXPERIENCE_BANDS),
                          ("education", taxonomy.EDUCATION_LEVELS),
                          ("employment_type", taxonomy.EMPLOYMENT_TYPES)):
        if params.get(name):
            label = next((c.label for c in choices if c.value == params[name]), params[name])
            parts.append(label)
    return [part for part in parts if part]


def _clean_name(name: str) -> str:
    name = " ".join(unicodedata.normalize("NFKC", name or "").split())
    if len(name) > NAME_MAX:
        raise ServiceError("invalid_name", _("名称最多%(n)s个字。") % {"n": NAME_MAX},
                           fields={"name": [_("名称最多%(n)s个字。") % {"n": NAME_MAX}]})
    return name


def _clean_frequency(frequency: str) -> str:
    if frequency not in AlertFrequency.values:
        message = _("提醒频率只能是即时（instant）、每日（daily）或暂停（off）。")
        raise ServiceError("invalid_frequency", message, fields={"frequency": [message]})
    return frequency


def _filters(query: JobQuery) -> tuple[str, str]:
    return (query.district or query.city or query.province), query.function


# --- selectors -------------------------------------------------------------------------------

def saved_searches_for(*, owner: Any) -> QuerySet[SavedSearch]:
    """The seeker's saved searches, newest first."""
    require_seeker(owner)
    return SavedSearch.objects.filter(owner=owner).order_by("-created_at", "-id")


def saved_search_get(*, owner: Any, saved_search_id: int) -> SavedSearch:
    """One of the seeker's saved searches; anyone else's does not exist (``NotFound``)."""
    require_seeker(owner)
    saved = SavedSearch.objects.filter(owner=owner, pk=saved_search_id).first()
    if saved is None:
        raise NotFound(_("没有找到这个订阅。"))
    return saved


def saved_search_for_query(*, owner: Any, query: JobQuery) -> SavedSearch | None:
    """The seeker's saved search for this job query, if any (the save button's state)."""
    if not getattr(owner, "is_authenticated", False) or owner.role != Role.SEEKER:
        return None
    params = search_params(query)
    return SavedSearch.objects.filter(owner=owner, query_key=query_key(params)).first()


def unsubscribe_token(saved: SavedSearch) -> str:
    """A signed token for the unsubscribe link in alert notices (no log-in needed)."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(f"{saved.pk}.{saved.owner_id}")


def saved_search_from_token(token: str) -> SavedSearch:
    """The saved search an unsubscribe token names; ``NotFound`` when the token is forged or
    the search was deleted."""
    try:
        value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature as exc:
        raise NotFound(_("退订链接无效，请登录后在「我的订阅」中管理。")) from exc
    pk, _sep, owner_id = value.partition(".")
    saved = SavedSearch.objects.filter(pk=int(pk), owner_id=int(owner_id)).first()
    if saved is None:
        raise NotFound(_("这个订阅已经删除，不会再收到它的提醒。"))
    return saved


# --- services --------------------------------------------------------------------------------

def saved_search_create(*, owner: Any, params: Mapping[str, Any], name: str = "",
                        frequency: str = AlertFrequency.DAILY) -> SavedSearch:
    """SRCH-3: save a job search with alerts. ``params`` are job-search parameters (as on the
    search page); invalid ones are refused (``invalid_filter``). Refuses a search with neither
    keywords nor filters (``empty_search``), one the seeker already saved
    (``duplicate_saved_search``, 409) and more than ``MAX_PER_SEEKER`` (``saved_search_limit``).
    Alerts cover postings published from now on."""
    require_seeker(owner)
    query = parse_job_query({k: v for k, v in params.items() if k in KEPT}, strict=True)
    kept = search_params(query)
    if not saveable(kept):
        raise ServiceError("empty_search", _("请先输入关键词或选择筛选条件，再订阅职位提醒。"))
    frequency = _clean_frequency(frequency)
    name = _clean_name(name) or _clean_name("·".join(describe(kept))[:NAME_MAX])
    key = query_key(kept)
    location_code, function = _filters(query)
    try:
        with transaction.atomic():
            # Serialise one seeker's saves, so two at once cannot pass the cap together.
            get_user_model().objects.select_for_update().filter(pk=owner.pk).first()
            existing = SavedSearch.objects.filter(owner=owner, query_key=key).first()
            if existing is not None:
                message = _("您已经订阅过这个搜索（%(name)s）。") % {"name": existing.name}
                raise ServiceError("duplicate_saved_search", message, status=409)
            if SavedSearch.objects.filter(owner=owner).count() >= MAX_PER_SEEKER:
                raise ServiceError("saved_search_limit",
                                   _("最多只能保存%(n)s个订阅，请先删除不再需要的订阅。")
                                   % {"n": MAX_PER_SEEKER})
            now = timezone.now()
            saved = SavedSearch.objects.create(
                owner=owner, name=name, params=kept, query_key=key, frequency=frequency,
                location_code=location_code, function=function, created_at=now,
                updated_at=now, alerted_until=now, checked_at=now)
            log_action(owner, "search.saved_search_created", saved, {"frequency": frequency})
    except IntegrityError as exc:  # the same search saved by a concurrent request
        raise ServiceError("duplicate_saved_search", _("您已经订阅过这个搜索。"),
                           status=409) from exc
    return saved


@transaction.atomic
def saved_search_update(*, owner: Any, saved_search_id: int, name: str | None = None,
                        frequency: str | None = None) -> SavedSearch:
    """Rename and/or change how often alerts come (``off`` pauses them). A new frequency
    starts from now: postings published while paused are not sent afterwards, and switching
    between instant and daily never sends a posting twice."""
    saved = saved_search_get(owner=owner, saved_search_id=saved_search_id)
    saved = SavedSearch.objects.select_for_update().get(pk=saved.pk)
    changes: dict[str, str] = {}
    if name is not None:
        cleaned = _clean_name(name)
        if not cleaned:
            message = _("请填写名称。")
            raise ServiceError("invalid_name", message, fields={"name": [message]})
        if cleaned != saved.name:
            saved.name = changes["name"] = cleaned
    if frequency is not None and _clean_frequency(frequency) != saved.frequency:
        saved.frequency = changes["frequency"] = frequency
        saved.alerted_until = saved.checked_at = timezone.now()
    if changes:
        saved.updated_at = timezone.now()
        saved.save()
        log_action(owner, "search.saved_search_updated", saved,
                   {"fields": sorted(changes), "frequency": saved.frequency})
    return saved


@transaction.atomic
def saved_search_delete(*, owner: Any, saved_search_id: int) -> None:
    saved = saved_search_get(owner=owner, saved_search_id=saved_search_id)
    log_action(owner, "search.saved_search_deleted", saved, {})
    saved.delete()


@transaction.atomic
def saved_search_unsubscribe(*, token: str) -> SavedSearch:
    """The unsubscribe link of an alert notice: pause the search's alerts (no log-in; the
    signed token proves the link came from the notice)."""
    saved = saved_search_from_token(token)
    saved = SavedSearch.objects.select_for_update().get(pk=saved.pk)
    if saved.frequency != AlertFrequency.OFF:
        saved.frequency = AlertFrequency.OFF
        saved.updated_at = timezone.now()
        saved.save(update_fields=["frequency", "updated_at"])
        log_action(saved.owner, "search.saved_search_unsubscribed", saved, {"via": "link"})
    return saved
