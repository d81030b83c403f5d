"""The recruiter's talent-search page (SRCH-2): ``/talent/``. Thin: one service call, render.

Anonymous visitors are sent to log in; anyone who may not search (seekers, recruiters without
a verified organisation or without 「查看简历」) gets a 403 page saying why; over a limit a
429 page (both through ``ServiceErrorPageMiddleware``).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from pinqiao.accounts.services import client_ip
from pinqiao.search.models import TalentSearchChannel
from pinqiao.search.talent.forms import TalentSearchForm
from pinqiao.search.talent.params import SORTS
from pinqiao.search.talent.services import talent_search_run


@never_cache
@login_required
@require_GET
def talent_search_view(request: HttpRequest) -> HttpResponse:
    results = talent_search_run(viewer=request.user, data=request.GET,
                                channel=TalentSearchChannel.PAGE, ip=client_ip(request))
    query = results.query
    return render(request, "search/talent.html", {
        "results": results, "query": query,
        "form": TalentSearchForm(query, organisation=results.organisation,
                                 organisations=results.organisations),
        "sorts": [(sort, label, urlencode(query.as_params(sort=sort, page="")))
                  for sort, label in SORTS.items()],
        "previous_page": urlencode(query.as_params(page=results.page - 1)),
        "next_page": urlencode(query.as_params(page=results.page + 1))})
