"""Saved-search pages (SRCH-3): save from the job search page, 「我的订阅」 (list, rename, change
frequency, pause, delete), the way back to a search's results, and the unsubscribe link of
alert notices. Views are thin: parse input, call one service or selector, render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pinqiao.core.errors import ServiceError
from pinqiao.core.permissions import Role, role_required
from pinqiao.search import saved_searches
from pinqiao.search.alerts import DIGEST_HOUR, INSTANT_INTERVAL
from pinqiao.search.models import AlertFrequency


def frequency_help() -> dict[str, str]:
    """How each frequency behaves, in words (for messages and the 「我的订阅」 page)."""
    minutes = int(INSTANT_INTERVAL.total_seconds() // 60)
    return {AlertFrequency.INSTANT: _("有新职位时尽快通知，每%(minutes)s分钟最多一条")
            % {"minutes": minutes},
            AlertFrequency.DAILY: _("每天%(hour)s点汇总一次新职位") % {"hour": DIGEST_HOUR},
            AlertFrequency.OFF: _("已暂停，不发送提醒")}


def _back_to_search(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target.startswith("/jobs/") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("search:saved_list")


@role_required(Role.SEEKER)
@require_POST
def saved_create_view(request: HttpRequest) -> HttpResponse:
    """The 「保存搜索 / 订阅职位提醒」 button: the search's parameters come as hidden fields."""
    try:
        saved = saved_searches.saved_search_create(
            owner=request.user, params=request.POST.dict(),
            name=request.POST.get("name", ""),
            frequency=request.POST.get("frequency", AlertFrequency.DAILY))
    except ServiceError as exc:
        if exc.status == 403:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已订阅「%(name)s」：%(how)s。可在「我的订阅」中修改或退订。")
                         % {"name": saved.name, "how": frequency_help()[saved.frequency]})
    return _back_to_search(request)


@role_required(Role.SEEKER)
@require_http_methods(["GET"])
def saved_list_view(request: HttpRequest) -> HttpResponse:
    items = list(saved_searches.saved_searches_for(owner=request.user))
    help_texts = frequency_help()
    return render(request, "search/saved_list.html", {
        "rows": [(saved, saved_searches.describe(saved.params), help_texts[saved.frequency])
                 for saved in items],
        "limit": saved_searches.MAX_PER_SEEKER, "name_max": saved_searches.NAME_MAX,
        "frequencies": [(value, label, help_texts[value])
                        for value, label in AlertFrequency.choices]})


@role_required(Role.SEEKER)
@require_POST
def saved_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Rename (``name``) and/or change the frequency (``frequency``; ``off`` pauses)."""
    name = request.POST.get("name")
    frequency = request.POST.get("frequency")
    try:
        saved = saved_searches.saved_search_update(owner=request.user, saved_search_id=pk,
                                                   name=name, frequency=frequency)
    except ServiceError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.message)
    else:
        if frequency is not None:
            messages.success(request, _("「%(name)s」：%(how)s。")
                             % {"name": saved.name, "how": frequency_help()[saved.frequency]})
        else:
            messages.success(request, _("已重命名为「%(name)s」。") % {"name": saved.name})
    return redirect("search:saved_list")


@role_required(Role.SEEKER)
@require_POST
def saved_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    saved = saved_searches.saved_search_get(owner=request.user, saved_search_id=pk)
    saved_searches.saved_search_delete(owner=request.user, saved_search_id=pk)
    messages.success(request, _("已删除订阅「%(name)s」，不会再收到它的提醒。")
                     % {"name": saved.name})
    return redirect("search:saved_list")


@role_required(Role.SEEKER)
@require_http_methods(["GET"])
def saved_results_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The link in alert notices: the saved search on the job search page, newest first."""
    saved = saved_searches.saved_search_get(owner=request.user, saved_search_id=pk)
    return redirect(f"{reverse('jobs:list')}?{urlencode({**saved.params, 'sort': 'time'})}")


@require_http_methods(["GET", "POST"])
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    """The unsubscribe link of alert notices, usable without logging in: a page that asks,
    then pauses the search's alerts on POST (a mail scanner following the link changes
    nothing)."""
    if request.method == "POST":
        saved = saved_searches.saved_search_unsubscribe(token=token)
        return render(request, "search/unsubscribe.html", {"saved": saved, "done": True})
    saved = saved_searches.saved_search_from_token(token)
    return render(request, "search/unsubscribe.html", {
        "saved": saved, "conditions": saved_searches.describe(saved.params), "done": False})
