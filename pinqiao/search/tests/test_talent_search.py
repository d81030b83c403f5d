"""Talent search (SRCH-2): words and filters over the résumé index, ranking, masked cards, the
database re-check before display, and the fallback when the index is broken."""

from __future__ import annotations

import shutil
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from pinqiao.accounts.services import account_close
from pinqiao.privacy.selectors import organisation_may_see
from pinqiao.resumes import services as resume_services
from pinqiao.resumes.models import Resume
from pinqiao.search.engine import SearchIndex
from pinqiao.search.models import SearchOutbox
from pinqiao.search.talent import index as talent_index
from pinqiao.search.talent.params import parse_talent_query
from pinqiao.search.talent.selectors import (
    searchable_resumes,
    talent_search,
    talent_searcher,
)
from pinqiao.search.tests.talent_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def search(recruiter: Any, **params: Any) -> Any:
    return talent_search(parse_talent_query(params, strict=True),
                         searcher=talent_searcher(viewer=recruiter))


def names(results: Any, talent: dict[str, Resume]) -> list[str]:
    by_id = {str(r.public_id): key for key, r in talent.items()}
    return [by_id[card.public_id] for card in results.cards]


def test_it_finds_resumes_by_function_skill_title_company_and_school(
        talent: dict[str, Resume], recruiter: Any, employer: Any) -> None:
    assert names(search(recruiter, q="Python"), talent) == ["python"]
    assert names(search(recruiter, q="java开发"), talent) == ["java"]  # function, title
    assert names(search(recruiter, q="Spring Boot"), talent) == ["java"]  # skill
    assert names(search(recruiter, q="叉车"), talent) == ["driver"]
    assert names(search(recruiter, q="支付"), talent) == ["java"]  # company, description
    assert names(search(recruiter, q="华南理工大学"), talent) == ["python"]  # school
    assert names(search(recruiter, q="深圳"), talent) == ["java"]  # desired city
    assert names(search(recruiter, q="Python 深圳"), talent) == []  # every word must match
    results = search(recruiter, q="开发")
    assert set(names(results, talent)) == {"python", "java"} and results.total == 2


def test_the_default_order_is_most_recently_updated(talent: dict[str, Resume],
                                                    recruiter: Any, employer: Any) -> None:
    for days, name in enumerate(("driver", "java", "python"), start=1):
        Resume.objects.filter(pk=talent[name].pk).update(
            updated_at=timezone.now() - timedelta(days=days))
        talent_index_now_for(talent[name])
    assert names(search(recruiter), talent) == ["driver", "java", "python"]
    python = talent["python"]
    resume_services.resume_update(actor=python.owner, resume=python,
                                  data={"skills": "Python，Django，PostgreSQL，Redis"})
    talent_index_now()
    assert names(search(recruiter), talent)[0] == "python"
    assert names(search(recruiter, sort="time"), talent)[0] == "python"


def talent_index_now() -> None:
    from pinqiao.search.testing import index_now

    index_now()


@pytest.mark.parametrize(("params", "expected"), [
    ({"city": "440100"}, {"python"}),
    ({"province": "440000"}, {"python", "java", "driver"}),
    ({"province": "110000"}, set()),
    ({"function": "java_dev"}, {"java"}),
    ({"function": "logistics"}, {"driver"}),  # a family: every function in it
    ({"experience": "graduate"}, {"driver"}),
    ({"experience": "1_3"}, {"java"}),
    ({"experience": "5_10"}, {"python"}),
    ({"experience": "gt_10"}, set()),
    ({"education": "bachelor"}, {"python", "java"}),
    ({"education": "master"}, {"java"}),
    ({"education": "high_school"}, {"python", "java", "driver"}),
    ({"pay": "5000-8000"}, {"driver"}),
    ({"pay_min": "15000", "pay_max": "22000"}, {"python", "java"}),  # ranges overlap
    ({"pay": "30000-"}, {"java"}),
    ({"updated_within": "3"}, {"python", "java", "driver"}),
    ({"q": "开发", "education": "master", "city": "440300"}, {"java"}),
])
def test_filters(talent: dict[str, Resume], recruiter: Any, employer: Any,
                 params: dict[str, str], expected: set[str]) -> None:
    assert set(names(search(recruiter, **params), talent)) == expected


def test_updated_within_leaves_out_stale_resumes(talent: dict[str, Resume], recruiter: Any,
                                                 employer: Any) -> None:
    Resume.objects.filter(pk=talent["driver"].pk).update(
        updated_at=timezone.now() - timedelta(days=40))
    talent_index_now_for(talent["driver"])
    assert set(names(search(recruiter, updated_within="30"), talent)) == {"python", "java"}
    assert set(names(search(recruiter, updated_within="90"), talent)) == {
        "python", "java", "driver"}


def talent_index_now_for(resume: Resume) -> None:
    from pinqiao.search.services import outbox_record

    outbox_record(index="resumes", object_ids=[resume.pk])
    talent_index_now()


def test_cards_are_masked(talent: dict[str, Resume], recruiter: Any, employer: Any) -> None:
    card = search(recruiter, q="Python").cards[0]
    assert card.masked_name == "张**"
    assert (card.function, card.city, card.education) == ("Python开发", "广州市", "本科")
    assert card.experience == "8年工作经验" and card.experience_years == 8
    assert card.pay == "12000–18000 元/月" and card.skills == ["Python", "Django",
                                                             "PostgreSQL"]
    assert card.latest_title == "Python开发工程师"
    assert "<mark>Python</mark>" in card.snippet_html
    assert card.url == (f"/recruiter/resumes/{talent['python'].public_id}/"
                        f"?organisation={employer.pk}")
    shown = " ".join(str(value) for value in vars(card).values())
    for secret in ("张小明", "小明", "13812345678", "138****5678", "zhangsan",
                   "1994", "男", "male"):
        assert secret not in shown, secret
    driver = search(recruiter, q="叉车").cards[0]
    assert (driver.masked_name, driver.experience, driver.education) == (
        "王**", "无工作经验", "高中/中专/中技")


def test_identifiers_in_free_text_are_hidden_on_the_card(
        make_user: Any, org_reviewer: Any, recruiter: Any, employer: Any,
        search_index: Any) -> None:
    from pinqiao.search.tests.talent_fixtures import DRIVER_FS, resume_made

    resume_made(make_user(), data={
        **DRIVER_FS, "full_name": "欧阳明月",
        "self_introduction": "我是欧阳明月，叉车司机，电话 139 1234 5678，QQ 123456789。"},
        education=[{"school": "佛山一中", "major": "", "degree": "high_school",
                    "start_date": "2018-09", "end_date": "2021-06"}],
        work=[], reviewer=org_reviewer)
    search_index()
    card = search(recruiter, q="叉车司机").cards[0]
    assert card.masked_name == "欧***"
    assert "我是***" in card.snippet_html and "电话 ***" in card.snippet_html
    for secret in ("欧阳明月", "139 1234 5678", "123456789"):
        assert secret not in card.snippet_html


def test_a_resume_hidden_or_blocked_disappears_before_the_indexer_runs(
        talent: dict[str, Resume], recruiter: Any, employer: Any) -> None:
    python, java, driver = talent["python"], talent["java"], talent["driver"]
    resume_services.visibility_set(actor=java.owner, resume=java, visibility="hidden")
    resume_services.block_add(actor=python.owner, resume=python, organisation_id=employer.pk)
    account_close(user=driver.owner, confirmation="确认注销")
    assert SearchOutbox.objects.filter(index="resumes").exists()  # not indexed yet
    results = search(recruiter)
    assert results.total == 3 and results.cards == []  # the index still has them …
    assert search(recruiter, q="开发").cards == []  # … the database re-check does not


def test_the_recheck_agrees_with_the_privacy_access_rule(
        talent: dict[str, Resume], employer: Any, blocked_employer: Any) -> None:
    """``searchable_resumes`` is ``organisation_may_see(...) == "public"`` for every résumé
    (the consent branch never adds a résumé to the talent pool)."""
    from pinqiao.privacy.testing import applied

    python, java = talent["python"], talent["java"]
    resume_services.block_add(actor=python.owner, resume=python,
                              organisation_id=blocked_employer.pk)
    resume_services.visibility_set(actor=java.owner, resume=java, visibility="applied_only")
    applied(java.owner, employer)  # java applied to the employer: visible by consent there
    for organisation in (employer, blocked_employer):
        pool = set(searchable_resumes(organisation).values_list("pk", flat=True))
        for resume in Resume.objects.all():
            rule = organisation_may_see(resume=resume, organisation=organisation)
            assert (resume.pk in pool) == (rule == "public"
                                          and resume.owner.is_active), (organisation, resume)
    assert java.pk not in set(searchable_resumes(employer).values_list("pk", flat=True))


def test_pages_are_stable_and_a_page_past_the_end(talent: dict[str, Resume], recruiter: Any,
                                                  employer: Any) -> None:
    first = search(recruiter, per_page="2")
    second = search(recruiter, per_page="2", page="2")
    assert (first.pages, len(first.cards), len(second.cards)) == (2, 2, 1)
    assert not {c.public_id for c in first.cards} & {c.public_id for c in second.cards}
    past = search(recruiter, per_page="2", page="9")
    assert past.page == 2 and "没有第9页，已显示最后一页。" in past.notices
    api = talent_search(parse_talent_query({"page": "9", "per_page": "2"}, strict=True),
                        searcher=talent_searcher(viewer=recruiter), clamp_page=False)
    assert api.cards == [] and "没有第9页。" in api.notices


@pytest.mark.parametrize(("q", "expected", "notice"), [
    ('AND OR NOT "Python" * : + - ( ) [ ] { } ^ ~', ["python"], ""),
    ("Python'; DROP TABLE resumes_resume; --", [], ""),
    ("x" * 10_000, ["driver", "java", "python"], "搜索词过长，只按前100个字搜索。"),
    ("*** ::: ---", ["driver", "java", "python"], "没有可以搜索的词，下面是最近更新的简历。"),
    ("   ", ["driver", "java", "python"], ""),
])
def test_odd_queries_are_plain_words(talent: dict[str, Resume], recruiter: Any,
                                     employer: Any, q: str, expected: list[str],
                                     notice: str) -> None:
    results = search(recruiter, q=q)
    assert names(results, talent) == expected
    assert Resume.objects.count() == 3
    if notice:
        assert notice in results.notices


def test_a_broken_index_falls_back_to_the_database_and_is_rebuilt(
        talent: dict[str, Resume], recruiter: Any, employer: Any,
        blocked_employer: Any) -> None:
    python = talent["python"]
    resume_services.block_add(actor=python.owner, resume=python, organisation_id=employer.pk)
    index = SearchIndex(talent_index.SPEC)
    shutil.rmtree(index.root)
    index.forget()
    results = search(recruiter, q="Python", education="bachelor")
    assert results.degraded and any("重建索引" in n for n in results.notices)
    assert names(results, talent) == ["java"]  # filters applied, words not, block honoured
    assert set(names(search(recruiter, experience="graduate"), talent)) == {"driver"}
    # The rebuild ran as a task (immediately in tests); the next request uses the index.
    results = search(recruiter, q="Python")
    assert not results.degraded and results.cards == []
    assert names(search(recruiter, q="Java"), talent) == ["java"]


@pytest.mark.parametrize(("params", "expected"), [
    ({"city": "440100"}, {"python"}),
    ({"experience": "1_3"}, {"java"}),
    ({"experience": "5_10"}, {"python"}),
    ({"experience": "gt_10"}, set()),
    ({"experience": "lt_1"}, set()),
    ({"education": "master"}, {"java"}),
    ({"pay_min": "15000", "pay_max": "22000"}, {"python", "java"}),
    ({"function": "logistics"}, {"driver"}),
])
def test_the_fallback_filters_mean_what_the_index_filters_mean(
        talent: dict[str, Resume], recruiter: Any, employer: Any, params: dict[str, str],
        expected: set[str]) -> None:
    from pinqiao.search.talent.selectors import _database_filters

    query = parse_talent_query(params, strict=True)
    fallback = set(_database_filters(searchable_resumes(employer), query)
                   .values_list("pk", flat=True))
    assert fallback == {talent[name].pk for name in expected}
    assert set(names(search(recruiter, **params), talent)) == expected
