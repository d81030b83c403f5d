"""Talent search on the recruiter page ``/talent/`` and ``GET /api/v1/talent/search`` (SRCH-2):
who may search, masked results on both, bad input, and the search log with its limits and
flags (RES-7)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pinqiao.core.models import AuditEntry
from pinqiao.orgs.models import Membership
from pinqiao.privacy.models import AccessFlag, FlagReason
from pinqiao.resumes import services as resume_services
from pinqiao.resumes.models import Resume
from pinqiao.search.models import TalentSearch
from pinqiao.search.tests.talent_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

PAGE = "/talent/"
API = "/api/v1/talent/search"
SECRETS = ("张小明", "李华", "王建国", "13812345678", "138****5678", "zhangsan",
           "z***@example.com")


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def python_blocks(talent: dict[str, Resume], blocked_employer: Any) -> Resume:
    python = talent["python"]
    resume_services.block_add(actor=python.owner, resume=python,
                              organisation_id=blocked_employer.pk)
    return python


def test_it_rejects_anonymous(client: Any) -> None:
    response = client.get(PAGE, {"q": "Python"})
    assert response.status_code == 302 and "/login" in response["Location"]
    response = client.get(API, {"q": "Python"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert not TalentSearch.objects.exists()


@pytest.mark.parametrize("who", ["seeker", "unverified_recruiter", "member_without_resumes"])
def test_it_requires_a_recruiter_of_a_verified_organisation_with_resume_rights(
        request: Any, talent: dict[str, Resume], who: str) -> None:
    user = request.getfixturevalue(who)
    client = logged_in(user)
    response = client.get(PAGE, {"q": "Python"})
    html = response.content.decode()
    assert response.status_code == 403 and "人才搜索仅对已认证单位中拥有「查看简历」权限" in html
    assert not any(secret in html for secret in ("张**", "Python开发"))
    response = client.get(API, {"q": "Python", "gender": "female"})  # refused before input
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "talent_search_forbidden"
    assert AuditEntry.objects.filter(verb="search.talent_denied", actor_id=user.pk).count() == 2
    assert not TalentSearch.objects.exists()


def test_a_recruiter_of_a_blocked_organisation_never_sees_the_resume(
        python_blocks: Resume, talent: dict[str, Resume], blocked_recruiter: Any,
        recruiter: Any, employer: Any, search_index: Any) -> None:
    for indexed in (False, True):  # before and after the indexer ran
        if indexed:
            search_index()
        client = logged_in(blocked_recruiter)
        html = client.get(PAGE).content.decode()
        assert str(python_blocks.public_id) not in html
        assert str(talent["java"].public_id) in html
        body = client.get(API, {"q": "Python"}).json()
        assert body["results"] == []
        body = client.get(API).json()
        assert {r["public_id"] for r in body["results"]} == {
            str(talent["java"].public_id), str(talent["driver"].public_id)}
    body = logged_in(recruiter).get(API, {"q": "Python"}).json()
    assert [r["public_id"] for r in body["results"]] == [str(python_blocks.public_id)]


def test_the_page_shows_masked_cards_linking_to_the_audited_resume_page(
        talent: dict[str, Resume], recruiter: Any, employer: Any) -> None:
    client = logged_in(recruiter)
    response = client.get(PAGE, {"q": "开发", "city": "440100"})
    html = response.content.decode()
    assert response.status_code == 200 and "找到 1 份简历" in html
    assert "张** · Python开发" in html and "<mark>开发</mark>" in html
    python = talent["python"]
    assert f'href="/recruiter/resumes/{python.public_id}/?organisation={employer.pk}"' in html
    for secret in SECRETS:
        assert secret not in html, secret
    assert 'href="/talent/"' in client.get("/").content.decode()  # the recruiter nav


def test_the_api_returns_masked_cards_only(talent: dict[str, Resume], recruiter: Any,
                                           employer: Any) -> None:
    response = logged_in(recruiter).get(API, {"q": "Python"})
    assert response.status_code == 200
    body = response.json()
    assert body["organisation"] == {"id": employer.pk, "name": employer.name}
    assert body["total"] == 1 and body["tokens"] == ["python"]
    card = body["results"][0]
    assert set(card) == {"public_id", "masked_name", "function", "city", "experience",
                         "experience_years", "education", "pay", "skills", "latest_title",
                         "updated_at", "snippet_html", "url", "api_url"}
    assert card["masked_name"] == "张**"
    python = talent["python"]
    assert card["api_url"] == (f"/api/v1/recruiter/resumes/{python.public_id}"
                               f"?organisation={employer.pk}")
    text = response.content.decode()
    for secret in SECRETS:
        assert secret not in text, secret


@pytest.mark.parametrize(("params", "fields"), [
    ({"city": "999999"}, {"city"}),
    ({"province": "440100"}, {"province"}),  # a city code given as a province
    ({"function": "astronaut"}, {"function"}),
    ({"experience": "forever"}, {"experience"}),
    ({"education": "phd"}, {"education"}),
    ({"pay": "1-2"}, {"pay"}),
    ({"pay_min": "-5"}, {"pay_min"}),
    ({"pay_min": "9000", "pay_max": "3000"}, {"pay_max"}),
    ({"updated_within": "2"}, {"updated_within"}),
    ({"sort": "salary"}, {"sort"}),
    ({"page": "0"}, {"page"}),
    ({"per_page": "500"}, {"per_page"}),
    ({"organisation": "abc"}, {"organisation"}),
    ({"gender": "female", "age_max": "35"}, {"gender", "age_max"}),
])
def test_the_api_refuses_unknown_filters(talent: dict[str, Resume], recruiter: Any,
                                         employer: Any, params: dict[str, str],
                                         fields: set[str]) -> None:
    response = logged_in(recruiter).get(API, params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_filter" and set(error["fields"]) == fields
    assert error["message"].startswith("筛选条件无效")
    assert not TalentSearch.objects.exists()


@pytest.mark.parametrize("q", ["", "x" * 10_000, 'Python AND "(开发)" OR -*:+',
                               "' OR 1=1; DROP TABLE resumes_resume; --"])
def test_odd_words_are_searched_as_plain_text(talent: dict[str, Resume], recruiter: Any,
                                              employer: Any, q: str) -> None:
    client = logged_in(recruiter)
    assert client.get(API, {"q": q}).status_code == 200
    assert client.get(PAGE, {"q": q}).status_code == 200
    assert Resume.objects.count() == 3


def test_the_page_ignores_bad_filters_with_a_notice_and_clamps_the_page(
        talent: dict[str, Resume], recruiter: Any, employer: Any) -> None:
    client = logged_in(recruiter)
    html = client.get(PAGE, {"education": "phd", "pay": "x"}).content.decode()
    assert "已忽略无法识别的筛选条件：最低学历、期望月薪。" in html and "找到 3 份简历" in html
    html = client.get(PAGE, {"page": "99"}).content.decode()
    assert "没有第99页，已显示最后一页。" in html and "张**" in html
    body = client.get(API, {"page": "99"}).json()
    assert body["results"] == [] and body["page"] == 99 and body["pages"] == 1


def test_a_recruiter_of_two_organisations_chooses_one(
        talent: dict[str, Resume], recruiter: Any, employer: Any, blocked_recruiter: Any,
        blocked_employer: Any, python_blocks: Resume) -> None:
    Membership.objects.create(organisation=blocked_employer, user=recruiter,
                              can_view_resumes=True)
    client = logged_in(recruiter)
    html = client.get(PAGE).content.decode()
    assert 'name="organisation"' in html and blocked_employer.name in html
    body = client.get(API, {"organisation": str(blocked_employer.pk)}).json()
    assert body["organisation"]["id"] == blocked_employer.pk
    assert str(python_blocks.public_id) not in {r["public_id"] for r in body["results"]}
    assert all(f"organisation={blocked_employer.pk}" in r["url"] for r in body["results"])
    Membership.objects.filter(organisation=blocked_employer, user=recruiter).update(
        can_view_resumes=False)
    response = client.get(API, {"organisation": str(blocked_employer.pk)})
    assert response.status_code == 403


def test_every_search_is_logged(talent: dict[str, Resume], recruiter: Any,
                                employer: Any) -> None:
    client = logged_in(recruiter)
    client.get(PAGE, {"q": "开发", "education": "bachelor", "page": "1"},
               REMOTE_ADDR="203.0.113.7")
    client.get(API, {"q": "叉车"}, REMOTE_ADDR="203.0.113.7")
    page, api = TalentSearch.objects.order_by("pk")
    assert (page.viewer, page.organisation, page.channel, page.q) == (
        recruiter, employer, "page", "开发")
    assert page.filters == {"education": "bachelor"} and page.total == 2
    assert set(page.shown) == {str(talent["python"].public_id), str(talent["java"].public_id)}
    assert (api.channel, api.q, api.total, api.shown) == (
        "api", "叉车", 1, [str(talent["driver"].public_id)])
    assert page.ip == "203.0.113.7"


def test_a_burst_of_searches_is_throttled_and_flagged(
        talent: dict[str, Resume], recruiter: Any, employer: Any, settings: Any,
        staff_client: Any, reviewer: Any) -> None:
    settings.TALENT_SEARCH_LIMITS = {"burst_searches": 3}
    client = logged_in(recruiter)
    for q in ("Python", "Java", "叉车"):
        assert client.get(API, {"q": q}).status_code == 200
    response = client.get(API, {"q": "开发"})
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "talent_search_quota_exceeded"
    response = client.get(PAGE, {"q": "开发"})
    assert response.status_code == 429 and "操作过于频繁" in response.content.decode()
    assert TalentSearch.objects.count() == 3  # refused searches are not run
    flag = AccessFlag.objects.get()
    assert (flag.organisation, flag.user, flag.reason) == (employer, recruiter,
                                                           FlagReason.BURST)
    assert flag.evidence["kind"] == "search" and flag.evidence["counts"] == {
        "count": 3, "limit": 3}
    assert [row["kind_label"] for row in flag.evidence["sample"]][0] == (
        "人才搜索「叉车」第1页 · 1 份")
    assert AuditEntry.objects.filter(verb="search.talent_quota_exceeded").count() == 2
    html = staff_client(reviewer).get("/staff/privacy/flags/").content.decode()
    assert "人才搜索「叉车」第1页 · 1 份" in html


@pytest.mark.parametrize(("limit", "scope_user"), [("user_searches", True),
                                                   ("org_searches", False)])
def test_daily_limits_per_account_and_organisation(
        talent: dict[str, Resume], recruiter: Any, employer: Any, settings: Any,
        limit: str, scope_user: bool) -> None:
    settings.TALENT_SEARCH_LIMITS = {limit: 2}
    client = logged_in(recruiter)
    assert [client.get(API).status_code for _ in range(3)] == [200, 200, 429]
    flag = AccessFlag.objects.get()
    assert flag.reason == FlagReason.QUOTA
    assert (flag.user == recruiter) is scope_user
