"""Candidate recommendation for a posting (REC-4): only résumés the organisation may see,
from the résumé index (the database when it cannot be read), scored with reasons, masked;
only the posting's recruiters with the résumé right."""

from __future__ import annotations

import logging
import shutil
from typing import Any

import pytest
from django.utils import timezone

from pinqiao.core.errors import NotFound, NotPermitted
from pinqiao.orgs.models import Membership
from pinqiao.recommendations import talent
from pinqiao.recommendations.models import Exposure
from pinqiao.recommendations.selectors import candidates_for_posting
from pinqiao.recommendations.testing import application
from pinqiao.resumes import services as resumes
from pinqiao.resumes.models import Resume
from pinqiao.resumes.testing import approved_resume
from pinqiao.search.engine import SearchIndex
from pinqiao.search.talent import index as talent_index

pytestmark = pytest.mark.django_db

JAVA = {"desired_function": "java_dev", "desired_city": "440100",
        "skills": "Java，Spring Boot，MySQL", "full_name": "王小红", "gender": "female"}
WAREHOUSE = {"desired_function": "warehouse_keeper", "desired_city": "440100",
             "desired_industry": "wholesale_trade", "skills": "Excel，叉车",
             "desired_pay_min": "6000", "desired_pay_max": "8000"}


def public(seeker: Any, visibility: str = "public", **over: Any) -> Any:
    resume = approved_resume(seeker, **over)
    return resumes.visibility_set(actor=seeker, resume=resume, visibility=visibility)


@pytest.fixture
def pool(make_user: Any, employer: Any, postings: dict, search_index: Any) -> dict[str, Any]:
    people = {name: make_user() for name in
              ("java", "warehouse", "applied_only", "blocker", "applicant", "pending")}
    public(people["java"], **JAVA)
    public(people["warehouse"], **WAREHOUSE)
    public(people["applied_only"], "applied_only", **JAVA)
    blocker = public(people["blocker"], **JAVA)
    resumes.block_add(actor=people["blocker"], resume=blocker, organisation_id=employer.pk)
    public(people["applicant"], **JAVA)
    application(people["applicant"], postings["Java开发工程师"])
    resumes.resume_ensure(owner=people["pending"])
    search_index()
    return people


def names(page: Any) -> list[Any]:
    return [candidate.resume.owner for candidate in page.items]


def test_only_public_approved_resumes_the_organisation_may_see_are_recommended(
        recruiter: Any, postings: dict, pool: dict) -> None:
    page = candidates_for_posting(viewer=recruiter, posting_id=postings["Java开发工程师"].pk)
    assert names(page) == [pool["java"], pool["warehouse"]]
    best = page.items[0]
    assert best.reasons[:4] == ["城市匹配：广州", "薪资区间重叠", "职能：Java开发",
                                "技能：Java、MySQL、Spring Boot"]
    assert best.name_masked == "王**"
    assert best.summary["desired_function"] == "Java开发"


def test_the_ranking_follows_the_posting(recruiter: Any, postings: dict, pool: dict) -> None:
    page = candidates_for_posting(viewer=recruiter, posting_id=postings["仓库管理员"].pk)
    assert names(page)[0] == pool["warehouse"]
    assert "薪资区间重叠" in page.items[0].reasons


def test_the_page_is_masked_and_logs_exposures(user_client: Any, recruiter: Any,
                                               postings: dict, pool: dict) -> None:
    posting = postings["Java开发工程师"]
    page = user_client(recruiter).get(f"/recruiter/candidates/{posting.pk}/")
    body = page.content.decode()
    assert page.status_code == 200 and "王**" in body and "城市匹配：广州" in body
    assert "王小红" not in body and "13912345678" not in body and "xiaoming@" not in body
    assert "女" not in body.split('id="candidates"')[1]
    assert set(Exposure.objects.filter(surface="candidate", posting=posting)
               .values_list("seeker_id", flat=True)) == {pool["java"].pk, pool["warehouse"].pk}


def test_the_api_lists_masked_candidates(user_client: Any, recruiter: Any, postings: dict,
                                         pool: dict) -> None:
    posting = postings["Java开发工程师"]
    body = user_client(recruiter).get(f"/api/v1/my/candidates/{posting.pk}").json()
    first = body["items"][0]
    assert first["name_masked"] == "王**" and "城市匹配：广州" in first["reasons"]
    assert not {"phone", "email", "gender", "full_name", "birth_date"} & set(first)


def test_another_organisations_recruiter_gets_not_found(make_user: Any, postings: dict,
                                                       user_client: Any) -> None:
    stranger = make_user(role="recruiter")
    with pytest.raises(NotFound):
        candidates_for_posting(viewer=stranger, posting_id=postings["叉车司机"].pk)
    assert user_client(stranger).get(
        f"/recruiter/candidates/{postings['叉车司机'].pk}/").status_code == 404


def test_a_member_without_the_resume_right_is_refused(make_user: Any, employer: Any,
                                                      postings: dict) -> None:
    member = make_user(role="recruiter")
    Membership.objects.create(organisation=employer, user=member, can_post_jobs=True)
    with pytest.raises(NotPermitted):
        candidates_for_posting(viewer=member, posting_id=postings["叉车司机"].pk)


def test_it_rejects_anonymous_and_seekers(client: Any, user_client: Any, seeker: Any,
                                          postings: dict) -> None:
    url = f"/recruiter/candidates/{postings['叉车司机'].pk}/"
    assert client.get(url).status_code == 302
    assert user_client(seeker).get(url).status_code == 403
    assert client.get(f"/api/v1/my/candidates/{postings['叉车司机'].pk}").status_code == 401


# --- the pool from the résumé index --------------------------------------------------------

def test_the_pool_comes_from_the_resume_index(recruiter: Any, make_user: Any, postings: dict,
                                              pool: dict, search_index: Any) -> None:
    posting = postings["Java开发工程师"]
    late = make_user()
    public(late, **JAVA)
    assert late not in names(candidates_for_posting(viewer=recruiter, posting_id=posting.pk))
    search_index()
    assert late in names(candidates_for_posting(viewer=recruiter, posting_id=posting.pk))


def test_skill_words_find_a_resume_wanting_another_city_and_function(
        make_user: Any, postings: dict, pool: dict, search_index: Any) -> None:
    posting = postings["Java后端开发"]  # 深圳, Kafka and Redis in the requirements
    assert {"java", "后端开发", "kafka", "redis"} <= set(talent.posting_words(posting))
    assert "熟悉" not in talent.posting_words(posting)
    kafka = public(make_user(), desired_function="online_customer_service",
                   desired_industry="ecommerce", desired_city="110100", skills="Kafka，Redis")
    search_index()
    assert kafka in talent.candidate_pool(posting=posting)
    assert kafka not in talent.database_pool(posting=posting)


def test_blocked_organisations_and_applicants_are_excluded_in_the_index(
        postings: dict, pool: dict) -> None:
    posting = postings["Java开发工程师"]
    applicant = Resume.objects.get(owner=pool["applicant"])
    blocker = Resume.objects.get(owner=pool["blocker"])
    found = talent.index_pool_ids(posting, excluded=set(), limit=300, now=timezone.now())
    assert applicant.pk in found and blocker.pk not in found
    found = talent.index_pool_ids(posting, excluded={applicant.pk}, limit=300,
                                  now=timezone.now())
    assert applicant.pk not in found
    assert set(found) == set(Resume.objects.filter(
        owner__in=[pool["java"], pool["warehouse"]]).values_list("pk", flat=True))


def test_without_the_resume_index_the_pool_comes_from_the_database(
        recruiter: Any, postings: dict, pool: dict, caplog: Any) -> None:
    index = SearchIndex(talent_index.SPEC)
    shutil.rmtree(index.root)
    index.forget()
    with caplog.at_level(logging.WARNING, logger="pinqiao.recommendations.talent"):
        page = candidates_for_posting(viewer=recruiter, posting_id=postings["Java开发工程师"].pk)
    assert names(page) == [pool["java"], pool["warehouse"]]
    assert "pool from the database" in caplog.text
