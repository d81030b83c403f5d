"""Saved searches and job alerts API (SRCH-3): ``/api/v1/saved-searches``.

Job seekers only (others: ``403 forbidden``; not logged in: ``401 not_authenticated``).
Errors follow ``{"error": {"code", "message", "fields"}}``: ``invalid_filter``,
``empty_search``, ``invalid_name``, ``invalid_frequency`` (400), ``saved_search_limit`` (400),
``duplicate_saved_search`` (409); another seeker's saved search is ``404 not_found``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema, Status

from pinqiao.api.auth import user_auth
from pinqiao.search import saved_searches
from pinqiao.search.models import AlertFrequency, SavedSearch

router = Router(tags=["职位订阅"])


class SavedSearchOut(Schema):
    id: int
    name: str
    params: dict[str, str]
    conditions: list[str]
    frequency: str
    created_at: datetime
    updated_at: datetime
    last_alert_at: datetime | None
    results_url: str


class SavedSearchIn(Schema):
    params: dict[str, str | int]
    name: str = ""
    frequency: str = AlertFrequency.DAILY


class SavedSearchPatch(Schema):
    name: str | None = None
    frequency: str | None = None


def _out(saved: SavedSearch) -> dict[str, Any]:
    return {"id": saved.pk, "name": saved.name, "params": saved.params,
            "conditions": saved_searches.describe(saved.params), "frequency": saved.frequency,
            "created_at": saved.created_at, "updated_at": saved.updated_at,
            "last_alert_at": saved.last_alert_at,
            "results_url": reverse("search:saved_results", args=[saved.pk])}


@router.get("/saved-searches", response=list[SavedSearchOut], auth=user_auth,
            summary="我的职位订阅")
def saved_list(request: HttpRequest) -> object:
    return [_out(saved) for saved in saved_searches.saved_searches_for(owner=request.auth)]


@router.post("/saved-searches", response={201: SavedSearchOut}, auth=user_auth,
             summary="保存搜索并订阅职位提醒")
def saved_create(request: HttpRequest, payload: SavedSearchIn) -> object:
    """``params`` are the job-search parameters of ``GET /api/v1/jobs/search`` (``q``,
    ``province``, ``city``, ``district``, ``industry``, ``function``, ``pay_min``, ``pay_max``,
    ``experience``, ``education``, ``employment_type``; order and paging are ignored);
    ``frequency``: ``daily`` (default), ``instant`` or ``off``."""
    saved = saved_searches.saved_search_create(
        owner=request.auth, params={k: str(v) for k, v in payload.params.items()},
        name=payload.name, frequency=payload.frequency)
    return Status(201, _out(saved))


@router.get("/saved-searches/{saved_search_id}", response=SavedSearchOut, auth=user_auth,
            summary="一个职位订阅")
def saved_get(request: HttpRequest, saved_search_id: int) -> object:
    return _out(saved_searches.saved_search_get(owner=request.auth,
                                                saved_search_id=saved_search_id))


@router.patch("/saved-searches/{saved_search_id}", response=SavedSearchOut, auth=user_auth,
              summary="重命名、修改提醒频率或暂停（off）")
def saved_update(request: HttpRequest, saved_search_id: int, payload: SavedSearchPatch
                 ) -> object:
    return _out(saved_searches.saved_search_update(
        owner=request.auth, saved_search_id=saved_search_id, name=payload.name,
        frequency=payload.frequency))


@router.delete("/saved-searches/{saved_search_id}", response={204: None}, auth=user_auth,
               summary="删除职位订阅")
def saved_delete(request: HttpRequest, saved_search_id: int) -> object:
    saved_searches.saved_search_delete(owner=request.auth, saved_search_id=saved_search_id)
    return Status(204, None)
