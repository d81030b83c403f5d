"""``{% save_search_button query results %}``: the 「保存搜索 / 订阅职位提醒」 control of the job
search page (SRCH-3), in the state that fits the visitor and the search."""

from __future__ import annotations

from typing import Any

from django import template

from pinqiao.core.permissions import Role
from pinqiao.search.params import JobQuery
from pinqiao.search.saved_searches import saveable, saved_search_for_query, search_params

register = template.Library()


@register.inclusion_tag("search/_save_search.html", takes_context=True)
def save_search_button(context: template.Context, query: JobQuery) -> dict[str, Any]:
    request = context["request"]
    user = request.user
    shown: dict[str, Any] = {"next_url": request.get_full_path(),
                             "csrf_token": context.get("csrf_token")}
    if not user.is_authenticated:
        return {**shown, "state": "anonymous"}
    if user.role != Role.SEEKER:
        return {**shown, "state": "hidden"}
    params = search_params(query)
    if not saveable(params):
        return {**shown, "state": "empty"}
    saved = saved_search_for_query(owner=user, query=query)
    if saved is not None:
        return {**shown, "state": "saved", "saved": saved}
    return {**shown, "state": "ready", "params": sorted(params.items())}
