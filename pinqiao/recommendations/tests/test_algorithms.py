"""The algorithm register (ALG-2): seeded with the algorithms in use, a staff page with the
history of changes, and a public summary for users (ALG Art. 16)."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.conf import settings

from pinqiao.core.errors import NotPermitted, ServiceError
from pinqiao.core.models import AuditEntry
from pinqiao.jobs.tests.fixtures import otp_verified
from pinqiao.recommendations import candidates, scoring, services, talent
from pinqiao.recommendations.models import Algorithm
from pinqiao.search import postings, selectors

pytestmark = pytest.mark.django_db

STAFF = "/staff/algorithms/"


def test_the_register_holds_the_algorithms_in_use() -> None:
    slugs = set(Algorithm.objects.values_list("slug", flat=True))
    assert {"job-search-ranking", "job-recommendation", "posting-screening",
            "duplicate-detection", "credit-score"} <= slugs
    for algorithm in Algorithm.objects.all():
        assert algorithm.purpose and algorithm.principle and algorithm.inputs
        assert algorithm.code_path.startswith("pinqiao/")
        for path in algorithm.code_path.split(", "):
            assert (settings.BASE_DIR / path.split(":")[0]).is_file(), path
        assert algorithm.changes.count() >= 1
        assert algorithm.changes.first().version == algorithm.version


def _number(value: float) -> str:
    return f"{value:g}"


def test_job_search_ranking_describes_the_index_ranking_in_code() -> None:
    search = Algorithm.objects.get(slug="job-search-ranking")
    assert search.version == "1.0" and "pinqiao/search/selectors.py" in search.code_path
    assert "BM25" in search.principle and "数据库核对" in search.principle
    for name, boost in postings.TEXT_FIELDS.items():
        assert f"权重{_number(boost)}" in search.principle, name
    assert f"前{selectors.RELEVANCE_WINDOW}个" in search.principle
    assert (f"1 + {_number(selectors.FRESHNESS_BOOST)} × 2^(−发布天数/"
            f"{_number(selectors.FRESHNESS_HALF_LIFE_DAYS)})") in search.principle
    assert f"乘以{_number(selectors.QUALITY_BOOST)}" in search.principle
    assert [c.version for c in search.changes.all()] == ["1.0", "0.1"]


def test_job_recommendation_describes_candidates_from_the_index() -> None:
    recommendation = Algorithm.objects.get(slug="job-recommendation")
    assert recommendation.version == "1.1"
    assert recommendation.code_path.startswith("pinqiao/recommendations/candidates.py")
    principle = recommendation.principle
    assert "全文索引" in principle and "BM25" in principle and "与数据库核对" in principle
    assert f"前{candidates.INDEX_WINDOW}个" in principle
    assert f"前{candidates.CANDIDATE_LIMIT}个" in principle
    assert f"最多提高{candidates.FRESHNESS_BOOST:.0%}" in principle
    assert f"每{_number(scoring.FRESHNESS_HALF_LIFE_DAYS)}天减半" in principle
    assert "索引暂时不可用时" in principle
    assert [c.version for c in recommendation.changes.all()] == ["1.1", "1.0"]


def test_candidate_recommendation_describes_the_pool_from_the_resume_index() -> None:
    candidate = Algorithm.objects.get(slug="candidate-recommendation")
    assert candidate.version == "1.1"
    assert candidate.code_path.startswith("pinqiao/recommendations/talent.py")
    principle = candidate.principle
    assert "简历全文索引" in principle and "BM25" in principle and "与数据库核对" in principle
    assert f"前{talent.INDEX_WINDOW}个" in principle and f"前{talent.POOL_LIMIT}份" in principle
    assert f"最多提高{talent.RECENCY_BOOST:.0%}" in principle
    assert "不使用姓名、联系方式、性别、年龄" in candidate.inputs
    assert [c.version for c in candidate.changes.all()] == ["1.1", "1.0"]


def test_the_change_migration_can_be_undone_and_redone() -> None:
    migration = importlib.import_module(
        "pinqiao.recommendations.migrations.0005_index_based_ranking")
    migration.backward(django_apps, None)
    search = Algorithm.objects.get(slug="job-search-ranking")
    assert search.version == "0.1" and "BM25" not in search.principle
    assert search.changes.count() == 1
    candidate = Algorithm.objects.get(slug="candidate-recommendation")
    assert candidate.version == "1.0" and "简历全文索引" not in candidate.principle
    migration.forward(django_apps, None)
    migration.forward(django_apps, None)  # once only
    assert Algorithm.objects.get(slug="job-search-ranking").changes.count() == 2
    assert Algorithm.objects.get(slug="job-recommendation").version == "1.1"
    assert Algorithm.objects.get(slug="candidate-recommendation").changes.count() == 2


def test_the_public_summary_shows_principle_and_controls_but_not_internal_entries(
        client: Any) -> None:
    page = client.get("/algorithms/").content.decode()
    assert "职位推荐" in page and "基本原理与主要运行机制" in page
    assert "关闭个性化推荐" in page
    assert "职位全文索引中按兴趣标签检索候选职位" in page and "1.1（" in page
    assert "按BM25相关度打分" in page and "1.0（" in page
    assert "单位注册风险分" not in page
    assert [a["slug"] for a in client.get("/api/v1/algorithms").json()] == list(
        Algorithm.objects.filter(public=True).values_list("slug", flat=True))


def test_it_rejects_anonymous(client: Any) -> None:
    assert client.get(STAFF).status_code == 302


@pytest.mark.parametrize("role", ["seeker", "recruiter"])
def test_it_requires_staff(user_client: Any, make_user: Any, role: str) -> None:
    assert user_client(make_user(role=role)).get(STAFF).status_code == 403


def test_customer_service_may_not_see_it(staff_client: Any, customer_service: Any) -> None:
    assert staff_client(customer_service).get(STAFF).status_code == 403


@pytest.mark.parametrize("role", ["reviewer", "operator", "auditor"])
def test_reviewers_operators_and_auditors_see_the_register(
        staff_client: Any, request: Any, role: str) -> None:
    client = staff_client(request.getfixturevalue(role))
    page = client.get(STAFF).content.decode()
    assert "职位推荐" in page and "pinqiao/recommendations/candidates.py" in page
    assert "1.1：候选职位改为从全文索引" in page and "1.0：全文检索上线" in page
    assert "pinqiao/search/selectors.py" in page and "共 2 条" in page and "共 1 条" in page
    detail = client.get(f"{STAFF}job-recommendation/").content.decode()
    assert "变更记录" in detail and "登记：结构化匹配" in detail
    assert detail.index("候选职位改为从全文索引") < detail.index("登记：结构化匹配")
    search = client.get(f"{STAFF}job-search-ranking/").content.decode()
    assert "按BM25相关度打分" in search and "全文检索上线" in search
    assert "<td>1.0</td>" in search and "<td>0.1</td>" in search
    assert ('name="summary"' in detail) is (role == "operator")


def test_an_operator_records_a_new_version_with_history(staff_client: Any,
                                                        operator: Any) -> None:
    client = staff_client(operator)
    response = client.post(f"{STAFF}credit-score/", {
        "version": "1.1", "summary": "较重违规扣分由15分调整为20分。",
        "filing_status": "not_required", "filing_number": ""}, follow=True)
    assert "已记录新版本" in response.content.decode()
    algorithm = Algorithm.objects.get(slug="credit-score")
    assert algorithm.version == "1.1"
    assert [c.version for c in algorithm.changes.all()] == ["1.1", "1.0"]
    assert algorithm.changes.first().actor == operator
    assert AuditEntry.objects.filter(verb="recommendations.algorithm_changed").exists()


def test_a_reviewer_may_not_record_a_change(staff_client: Any, reviewer: Any) -> None:
    response = staff_client(reviewer).post(f"{STAFF}credit-score/", {
        "version": "9", "summary": "x", "filing_status": "filed"})
    assert response.status_code == 403
    assert Algorithm.objects.get(slug="credit-score").version == "1.0"


def test_a_change_needs_a_new_version_and_a_summary(operator: Any, reviewer: Any) -> None:
    algorithm = Algorithm.objects.get(slug="credit-score")
    with pytest.raises(ServiceError) as caught:
        services.algorithm_change_record(actor=otp_verified(operator), algorithm=algorithm,
                                         version="1.0", summary="", filing_status="filed")
    assert set(caught.value.fields) == {"version", "summary"}
    with pytest.raises(NotPermitted):
        services.algorithm_change_record(actor=otp_verified(reviewer), algorithm=algorithm,
                                         version="2", summary="x", filing_status="filed")


def test_an_unknown_algorithm_is_not_found(staff_client: Any, auditor: Any) -> None:
    assert staff_client(auditor).get(f"{STAFF}no-such-thing/").status_code == 404
