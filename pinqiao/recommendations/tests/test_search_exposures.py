"""Job-search exposures (ALG-1): the search page and the search API record what a signed-in
seeker was shown, never visitors, recruiters or staff, never failing the search; the bias
monitor reports the search surface from them."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from pinqiao.accounts.services import api_token_issue
from pinqiao.core.permissions import Role
from pinqiao.recommendations import services
from pinqiao.recommendations.models import Exposure, Surface
from pinqiao.recommendations.testing import application
from pinqiao.resumes.models import Resume

pytestmark = pytest.mark.django_db

API = "/api/v1/jobs/search"


def logged(seeker: Any) -> list[tuple[int, int]]:
    return list(Exposure.objects.filter(surface=Surface.SEARCH, seeker=seeker)
                .order_by("rank").values_list("posting_id", "rank"))


def test_the_search_page_logs_what_a_seeker_was_shown(user_client: Any, seeker: Any,
                                                      postings: dict) -> None:
    response = user_client(seeker).get("/jobs/", {"q": "仓库"})
    assert response.status_code == 200
    shown = [hit.posting.pk for hit in response.context["results"].hits]
    assert len(shown) >= 2
    assert logged(seeker) == [(pk, rank) for rank, pk in enumerate(shown, 1)]
    assert not Exposure.objects.filter(personalised=True).exists()


def test_the_api_logs_with_the_rank_of_the_page(user_client: Any, seeker: Any,
                                                postings: dict) -> None:
    body = user_client(seeker).get(API, {"q": "Java", "per_page": 1, "page": 2}).json()
    assert logged(seeker) == [(body["results"][0]["id"], 2)]


def test_a_token_signed_seeker_is_logged_too(seeker: Any, postings: dict) -> None:
    token = api_token_issue(user=seeker, name="手机应用")
    body = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get(API, {"q": "Java"}).json()
    assert [pk for pk, _rank in logged(seeker)] == [r["id"] for r in body["results"]]
    assert len(body["results"]) == 2


def test_visitors_recruiters_and_staff_are_not_logged(client: Any, user_client: Any,
                                                      staff_client: Any, recruiter: Any,
                                                      operator: Any, postings: dict) -> None:
    assert client.get("/jobs/", {"q": "仓库"}).status_code == 200
    assert client.get(API, {"q": "仓库"}).json()["total"] >= 2
    bad = Client(HTTP_AUTHORIZATION="Bearer not-a-token").get(API, {"q": "仓库"})
    assert bad.status_code == 200  # a public search: an unknown token is a visitor
    assert user_client(recruiter).get("/jobs/", {"q": "仓库"}).status_code == 200
    assert staff_client(operator).get(API, {"q": "仓库"}).status_code == 200
    assert not Exposure.objects.exists()


def test_a_failed_log_never_fails_the_search(user_client: Any, seeker: Any, postings: dict,
                                             caplog: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {Exposure._meta.db_table}")
    with caplog.at_level(logging.ERROR, logger="pinqiao.recommendations.services"):
        page = user_client(seeker).get("/jobs/", {"q": "仓库"})
        api = user_client(seeker).get(API, {"q": "仓库"})
    assert page.status_code == 200 and "仓库管理员" in page.content.decode()
    assert api.status_code == 200 and api.json()["total"] >= 2
    assert caplog.text.count("search exposures not recorded") == 2


def test_the_bias_report_covers_search_exposures(user_client: Any, make_user: Any,
                                                 postings: dict) -> None:
    people: dict[str, list[Any]] = {"male": [], "female": []}
    for gender, searches in (("male", 3), ("female", 1)):
        for _ in range(3):
            user = make_user(role=Role.SEEKER)
            Resume.objects.create(owner=user, gender=gender, desired_city="440100")
            people[gender].append(user)
            client = user_client(user)
            for _ in range(searches):
                client.get("/jobs/", {"q": "仓库"})
    for man in people["male"]:
        application(man, postings["仓库管理员"])
    report = services.bias_report_run(now=timezone.now() + timedelta(seconds=1),
                                      min_exposures=5)
    search = report.data["search"]
    assert search["label"] == "职位搜索" and search["seekers"] == 6
    groups = {row["group"]: row for row in search["attributes"]["gender"]["groups"]}
    per_search = groups["女"]["exposures"] // 3
    assert per_search >= 2 and groups["男"]["exposures"] == 9 * per_search
    assert groups["女"]["exposure_ratio"] == round(1 / 3, 4)
    assert groups["男"]["applications"] == 3 and groups["女"]["applications"] == 0
    assert {(f["surface"], f["group"], f["metric"]) for f in report.flags} == {
        ("search", "女", "exposure"), ("search", "女", "apply")}
