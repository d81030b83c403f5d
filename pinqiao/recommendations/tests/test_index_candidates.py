"""Candidates from the job index (REC-1, REC-3): the seeker's tags as one query, the scorer's
weights per clause, feedback and applications excluded in the index, the database re-check,
and the database path when the index cannot be read."""

from __future__ import annotations

import logging
import shutil
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from pinqiao.jobs.models import Posting, PostingStatus
from pinqiao.jobs.testing import published_posting
from pinqiao.recommendations import candidates, services
from pinqiao.recommendations.profile import SeekerProfile, Tag
from pinqiao.recommendations.selectors import recommendations_for_seeker
from pinqiao.recommendations.testing import application, resume_for
from pinqiao.search.engine import SearchIndex
from pinqiao.search.postings import SPEC
from pinqiao.search.services import outbox_record

pytestmark = pytest.mark.django_db


def profile(*tags: tuple[str, str], weight: float = 3.0) -> SeekerProfile:
    return SeekerProfile(tags=[Tag(kind, value, value, weight, {"resume"})
                               for kind, value in tags])


def from_index(seeker_profile: SeekerProfile, excluded: frozenset[int] = frozenset()
               ) -> list[int]:
    return candidates.index_candidate_ids(seeker_profile, excluded=set(excluded), limit=300,
                                          now=timezone.now())


def ids(postings: dict, *titles: str) -> list[int]:
    return [postings[title].pk for title in titles]


def titles(seeker: Any) -> list[str]:
    return [item.posting.title for item in recommendations_for_seeker(seeker=seeker).items]


@pytest.fixture
def java_seeker(seeker: Any) -> Any:
    resume_for(seeker, desired_city="440100", desired_function="java_dev",
               skills="Java，MySQL")
    services.personalisation_set(seeker=seeker, enabled=True)
    return seeker


def test_the_index_order_follows_the_scorers_weights(postings: dict) -> None:
    found = from_index(profile(("city", "440100"), ("function", "warehouse_keeper")))
    # city and function (0.40) › city (0.20) › same province and family (0.08);
    # 北京 is neither.
    assert set(found[:2]) == set(ids(postings, "仓库管理员", "仓储主管"))
    assert found[2] == postings["Java开发工程师"].pk
    assert set(found[3:]) == set(ids(postings, "Java后端开发", "叉车司机"))
    assert postings["在线客服专员"].pk not in found


def test_a_newer_posting_wins_a_tie(postings: dict, search_index: Any) -> None:
    keeper, lead = postings["仓库管理员"], postings["仓储主管"]
    tags = profile(("city", "440100"), ("function", "warehouse_keeper"))
    for old, new in ((keeper, lead), (lead, keeper)):
        Posting.objects.filter(pk=old.pk).update(
            published_at=timezone.now() - timedelta(days=20))
        Posting.objects.filter(pk=new.pk).update(published_at=timezone.now())
        outbox_record(index=SPEC.name, object_ids=[old.pk, new.pk])
        search_index()
        assert from_index(tags)[:2] == [new.pk, old.pk]


def test_words_of_the_skills_find_postings_outside_the_tagged_city_and_function(
        postings: dict) -> None:
    tags = profile(("city", "110100"), ("function", "online_customer_service"),
                   ("skill", "Kafka"))
    assert set(from_index(tags)) == set(ids(postings, "在线客服专员", "Java后端开发"))
    database = candidates.database_candidates(tags, excluded=set())
    assert [p.title for p in database] == ["在线客服专员"]


def test_a_skill_word_alone_is_enough(postings: dict) -> None:
    assert from_index(profile(("skill", "叉车"))) == ids(postings, "叉车司机", "仓库管理员")


def test_the_pay_overlap_lifts_but_does_not_make_a_candidate(postings: dict) -> None:
    city_only = from_index(profile(("city", "110100")))
    assert city_only == ids(postings, "在线客服专员")
    assert from_index(profile(("city", "110100"), ("pay", "15000-22000-month"))) == city_only
    lifted = from_index(profile(("city", "440100"), ("pay", "15000-22000-month")))
    assert lifted[0] == postings["Java开发工程师"].pk


def test_place_names_in_keywords_are_left_to_the_city_clauses() -> None:
    words = candidates.profile_words(profile(("keyword", "广州仓库管理员"),
                                             ("skill", "Web前端")))
    assert list(words) == ["仓库管理员", "前端"]  # 广州 dropped; Web前端 → its canonical form


def test_not_interested_and_applied_postings_are_excluded_in_the_index(
        postings: dict) -> None:
    tags = profile(("city", "440100"))
    excluded = frozenset(ids(postings, "仓库管理员", "Java开发工程师"))
    found = from_index(tags, excluded)
    assert found[0] == postings["仓储主管"].pk and not excluded & set(found)
    assert set(found) == set(ids(postings, "仓储主管", "Java后端开发", "叉车司机"))


def test_candidates_come_from_the_index(java_seeker: Any, postings: dict, recruiter: Any,
                                        employer: Any, search_index: Any) -> None:
    assert titles(java_seeker)[0] == "Java开发工程师"
    newer = published_posting(recruiter, employer, title="Java高级开发工程师",
                              division_code="440106", job_function="java_dev",
                              industry="software", pay_min="20000", pay_max="30000",
                              requirements="精通Java和MySQL。", work_content="负责核心系统。")
    assert "Java高级开发工程师" not in titles(java_seeker)  # not indexed yet
    search_index()
    assert titles(java_seeker)[0] == newer.title


def test_what_the_index_still_holds_is_rechecked_against_the_database(
        java_seeker: Any, postings: dict) -> None:
    removed = postings["Java开发工程师"]
    Posting.objects.filter(pk=removed.pk).update(status=PostingStatus.REMOVED)  # no signal
    assert removed.pk in from_index(profile(("function", "java_dev")))
    shown = titles(java_seeker)
    assert "Java开发工程师" not in shown and shown[0] == "Java后端开发"


def test_feedback_and_applications_reach_the_index_query(java_seeker: Any,
                                                         postings: dict) -> None:
    application(java_seeker, postings["Java开发工程师"])
    services.feedback_record(seeker=java_seeker, posting_id=postings["Java后端开发"].pk,
                             kind="not_interested")
    shown = titles(java_seeker)
    assert "Java开发工程师" not in shown and "Java后端开发" not in shown
    assert shown  # the other postings in 广州 remain


@pytest.mark.parametrize("damage", ["missing", "corrupt", "segments"])
def test_without_a_readable_index_candidates_come_from_the_database(
        java_seeker: Any, postings: dict, recruiter: Any, employer: Any, caplog: Any,
        damage: str) -> None:
    index = SearchIndex(SPEC)
    if damage == "missing":
        shutil.rmtree(index.root)
    elif damage == "corrupt":
        (index.generation() / "meta.json").write_text("{not json", encoding="utf-8")
    else:
        for path in index.generation().iterdir():
            if path.suffix in (".idx", ".term", ".store"):
                path.write_bytes(b"\0" * 16)
    index.forget()
    published_posting(recruiter, employer, title="Java高级开发工程师", division_code="440106",
                      job_function="java_dev", industry="software", pay_min="20000",
                      pay_max="30000", requirements="精通Java和MySQL。",
                      work_content="负责核心系统。")
    with caplog.at_level(logging.WARNING, logger="pinqiao.recommendations.candidates"):
        page = recommendations_for_seeker(seeker=java_seeker)
    assert page.personalised
    shown = [item.posting.title for item in page.items]
    assert shown[0] == "Java高级开发工程师"  # the database has it; the index never did
    assert "在线客服专员" not in shown
    assert "candidates from the database" in caplog.text
