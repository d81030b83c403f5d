"""Job search (SRCH-1) on the public page and the API: outbox → index → search, ranking,
highlights, filters, stable pagination, the database re-check, and bad input."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from pinqiao.jobs import services
from pinqiao.jobs.models import Posting
from pinqiao.jobs.testing import published_posting
from pinqiao.jobs.tests.fixtures import otp_verified, posting_data
from pinqiao.search.models import SearchOutbox
from pinqiao.search.params import parse_job_query
from pinqiao.search.selectors import job_search
from pinqiao.search.services import outbox_record

pytestmark = pytest.mark.django_db

JAVA_GZ = {"title": "Java开发工程师", "job_function": "java_dev", "industry": "software",
           "requirements": "本科及以上学历，熟悉Spring Boot和MySQL。",
           "work_content": "负责招聘平台后端服务的设计与开发，编写单元测试。",
           "pay_min": "15000", "pay_max": "25000", "education": "bachelor"}
JAVA_SZ = {**JAVA_GZ, "title": "高级Java工程师", "division_code": "440305",
           "address": "南山区科技园1号", "pay_min": "25000", "pay_max": "35000",
           "work_content": "负责支付系统的架构设计和核心模块开发。"}
TESTER = {"title": "软件测试工程师", "job_function": "qa_testing", "industry": "software",
          "requirements": "熟悉Java或Python，会写自动化测试脚本。",
          "work_content": "负责功能测试和接口测试，跟踪缺陷直至关闭。",
          "pay_min": "9000", "pay_max": "13000", "experience": "graduate"}
DRIVER = {"title": "叉车司机", "job_function": "forklift_driver",
          "industry": "manufacturing", "requirements": "持有叉车证，能吃苦耐劳。",
          "work_content": "负责仓库货物的装卸和搬运。",
          "pay_min": "6000", "pay_max": "7500", "education": "any", "experience": "any",
          "division_code": "440606", "address": "佛山市顺德区物流园"}


@pytest.fixture
def postings(recruiter: Any, employer: Any, search_index: Any) -> dict[str, Posting]:
    made = {name: published_posting(recruiter, employer, **data) for name, data in
            (("java_gz", JAVA_GZ), ("java_sz", JAVA_SZ), ("tester", TESTER),
             ("driver", DRIVER))}
    search_index()
    return made


def search(**params: Any) -> Any:
    return job_search(parse_job_query(params, strict=True))


def ids(results: Any) -> list[int]:
    return [hit.posting.pk for hit in results.hits]


def test_it_finds_a_posting_once_the_indexer_has_run(recruiter: Any, employer: Any,
                                                     search_index: Any) -> None:
    """outbox → index → search: the posting's change is queued in its transaction."""
    search_index()  # an empty index
    posting = published_posting(recruiter, employer, **DRIVER)
    assert SearchOutbox.objects.filter(object_id=posting.pk).exists()
    assert search(q="叉车").hits == []
    assert search_index() >= 1
    assert ids(search(q="叉车")) == [posting.pk]
    assert not SearchOutbox.objects.exists()


def test_it_writes_the_outbox_row_in_the_postings_transaction(recruiter: Any,
                                                              employer: Any) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        services.posting_create(actor=recruiter, organisation=employer, data=posting_data())
        assert SearchOutbox.objects.count() == 1
        raise RuntimeError("rolled back")
    assert not SearchOutbox.objects.exists()


def test_it_ranks_title_matches_first_and_marks_the_words(postings: dict[str, Posting]
                                                          ) -> None:
    results = search(q="java")
    assert ids(results)[:2] != [] and postings["tester"].pk == ids(results)[-1]
    assert set(ids(results)[:2]) == {postings["java_gz"].pk, postings["java_sz"].pk}
    first = results.hits[0]
    assert "<mark>Java</mark>" in first.title_html
    tester = results.hits[-1]
    assert "<mark>Java</mark>" in tester.snippet_html


def test_it_combines_words_and_place_names(postings: dict[str, Posting]) -> None:
    assert ids(search(q="Java 广州")) == [postings["java_gz"].pk, postings["tester"].pk]
    assert ids(search(q="java 深圳 南山")) == [postings["java_sz"].pk]
    assert ids(search(q="驾驶员")) == [postings["driver"].pk]


@pytest.mark.parametrize(("params", "expected"), [
    ({"city": "440100"}, {"java_gz", "tester"}),
    ({"province": "440000", "city": "440300", "district": "440305"}, {"java_sz"}),
    ({"pay_min": "20000"}, {"java_gz", "java_sz"}),
    ({"pay_min": "8000", "pay_max": "12000"}, {"tester"}),
    ({"experience": "graduate"}, {"tester"}),
    ({"education": "any"}, {"driver"}),
    ({"employment_type": "full_time", "industry": "C"}, {"driver"}),
    ({"industry": "I"}, {"java_gz", "java_sz", "tester"}),
    ({"function": "tech"}, {"java_gz", "java_sz", "tester"}),
    ({"function": "forklift_driver"}, {"driver"}),
    ({"posted_within": "1", "q": "工程师"}, {"java_gz", "java_sz", "tester"}),
])
def test_it_filters(postings: dict[str, Posting], params: dict[str, str],
                    expected: set[str]) -> None:
    assert set(ids(search(**params))) == {postings[name].pk for name in expected}


def test_it_filters_by_posting_date(postings: dict[str, Posting], search_index: Any) -> None:
    driver = Posting.objects.get(pk=postings["driver"].pk)
    driver.published_at = timezone.now() - timedelta(days=10)
    driver.save()
    search_index()
    assert postings["driver"].pk not in ids(search(posted_within="7"))
    assert postings["driver"].pk in ids(search(posted_within="15"))


def test_it_sorts_by_time_and_pages_stably(postings: dict[str, Posting]) -> None:
    newest_first = sorted(postings.values(), key=lambda p: (p.published_at, p.pk), reverse=True)
    assert ids(search(sort="time")) == [p.pk for p in newest_first]
    assert ids(search(q="工程师 OR 司机")) == []  # OR is a plain word: both words required
    everything = ids(search())
    pages = [ids(search(per_page="1", page=str(n))) for n in range(1, 5)]
    assert [page[0] for page in pages] == everything
    relevance = ids(search(q="工程师"))
    assert [ids(search(q="工程师", per_page="1", page=str(n)))[0] for n in (1, 2, 3)] == relevance


def test_the_default_list_shows_quality_postings_first(postings: dict[str, Posting],
                                                       search_index: Any) -> None:
    """JOB-7: 优质职位 first, then newest; an explicit time order is plain time."""
    for posting in Posting.objects.all():
        posting.quality_label = posting.pk == postings["java_gz"].pk
        posting.save()
    search_index()
    oldest = postings["java_gz"]
    assert ids(search())[0] == oldest.pk
    assert ids(search(sort="time"))[-1] == oldest.pk


def test_it_hides_a_removed_posting_on_the_next_request_before_indexing(
        client: Any, postings: dict[str, Posting], reviewer: Any) -> None:
    driver = postings["driver"]
    link = f'href="/jobs/{driver.pk}/"'
    assert link in client.get(reverse("jobs:list"), {"q": "叉车"}).content.decode()
    services.posting_remove(actor=otp_verified(reviewer), posting=driver,
                            reason_code="fraud")
    assert SearchOutbox.objects.filter(object_id=driver.pk).exists()  # not indexed yet
    assert link not in client.get(reverse("jobs:list"), {"q": "叉车"}).content.decode()
    assert client.get("/api/v1/jobs/search", {"q": "叉车"}).json()["results"] == []


def test_it_hides_a_posting_past_its_validity_date_before_expiry_runs(
        postings: dict[str, Posting]) -> None:
    Posting.objects.filter(pk=postings["tester"].pk).update(
        valid_until=timezone.localdate() - timedelta(days=1))
    assert postings["tester"].pk not in ids(search(q="测试"))


def test_the_index_leaves_out_postings_past_their_date_before_expiry_runs(
        postings: dict[str, Posting], search_index: Any) -> None:
    """Still published and still indexed, but past its date: not counted, not paged."""
    tester = postings["tester"]
    Posting.objects.filter(pk=tester.pk).update(
        valid_until=timezone.localdate() - timedelta(days=1))
    outbox_record(index="postings", object_ids=[tester.pk])
    search_index()
    for params in ({"q": "工程师"}, {"q": "工程师", "sort": "time"}, {}):
        everything = ids(search(**params))
        assert tester.pk not in everything
        paged = search(**params, per_page="1")
        assert paged.total == paged.pages == len(everything)  # counted without it, no holes
        assert [ids(search(**params, per_page="1", page=str(n)))[0]
                for n in range(1, paged.pages + 1)] == everything
    assert search().total == 3 and search(q="工程师").total == 2


def test_it_shows_recent_postings_for_an_empty_query(client: Any,
                                                     postings: dict[str, Posting]) -> None:
    results = search(q="")
    assert results.sort == "default" and len(results.hits) == 4
    html = client.get(reverse("jobs:list")).content.decode()
    assert html.count('class="card posting-card"') == 4


def test_it_truncates_a_10000_character_query_with_a_notice(client: Any,
                                                            postings: dict[str, Posting]
                                                            ) -> None:
    response = client.get(reverse("jobs:list"), {"q": "叉车" + "的" * 9998})
    html = response.content.decode()
    assert response.status_code == 200 and "只按前100个字搜索" in html
    assert f'href="/jobs/{postings["driver"].pk}/"' in html
    api = client.get("/api/v1/jobs/search", {"q": "司机" * 5000}).json()
    assert api["q"] == "司机" * 50 and api["notices"]


@pytest.mark.parametrize(("q", "finds_java"), [
    ('Java AND 广州', True), ('Java OR', True), ('"Java', True), ('java*', True),
    ('+java -广州', True), ('(java)', True), ('{java}', True), ('~java', True),
    ('title:java', False), ('[java TO z]', False), ('java^3', False), ('NOT', False),
    ('\\', False), ('/ /', False), (':', False), ('"', False)])
def test_it_treats_query_syntax_as_plain_text(client: Any, postings: dict[str, Posting],
                                               q: str, finds_java: bool) -> None:
    """Operators are ordinary characters: dropped as punctuation or searched as words
    (「title:java」 needs the word 「title」 too), never a parse error."""
    page = client.get(reverse("jobs:list"), {"q": q})
    api = client.get("/api/v1/jobs/search", {"q": q})
    assert page.status_code == 200 and api.status_code == 200, q
    found = postings["java_gz"].pk in [r["id"] for r in api.json()["results"]]
    assert found is finds_java or not api.json()["tokens"], q


def test_it_is_not_fooled_by_sql_injection(client: Any, postings: dict[str, Posting]) -> None:
    for q in ("' OR '1'='1", "'; DROP TABLE jobs_posting; --", "1 UNION SELECT password",
              "叉车' OR 1=1 --"):
        assert client.get(reverse("jobs:list"), {"q": q}).status_code == 200
        body = client.get("/api/v1/jobs/search", {"q": q}).json()
        assert body["total"] <= 1, q  # words, not SQL: 「' OR '1'='1」 is the word 「1」
    assert client.get("/api/v1/jobs/search", {"q": "叉车' OR 1=1 --"}).json()["total"] == 0
    assert Posting.objects.count() == 4


def test_it_shows_the_last_page_for_a_page_past_the_end(client: Any,
                                                        postings: dict[str, Posting]) -> None:
    html = client.get(reverse("jobs:list"), {"page": "999"}).content.decode()
    assert "没有第999页，已显示最后一页" in html
    assert html.count('class="card posting-card"') == 4
    api = client.get("/api/v1/jobs/search", {"page": "999"}).json()
    assert api["results"] == [] and api["total"] == 4 and api["page"] == 999


def test_it_ignores_unknown_filters_on_the_page_with_a_notice(client: Any,
                                                              postings: dict[str, Posting]
                                                              ) -> None:
    html = client.get(reverse("jobs:list"), {
        "q": "叉车", "city": "999999", "industry": "nonsense", "pay_min": "-5",
        "experience": "forever", "sort": "random", "page": "abc"}).content.decode()
    assert "已忽略无法识别的筛选条件：城市、行业、最低薪资、经验、排序、页码" in html
    assert f'href="/jobs/{postings["driver"].pk}/"' in html


def test_it_refuses_unknown_filters_in_the_api(client: Any) -> None:
    response = client.get("/api/v1/jobs/search", {"city": "110101", "industry": "x",
                                                  "pay_min": "abc", "posted_within": "2"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_filter"
    assert set(error["fields"]) == {"city", "industry", "pay_min", "posted_within"}
    bad_order = client.get("/api/v1/jobs/search", {"pay_min": "9000", "pay_max": "5000"})
    assert bad_order.json()["error"]["fields"] == {"pay_max": ["最高薪资不能低于最低薪资。"]}
    mismatch = client.get("/api/v1/jobs/search", {"province": "110000", "city": "440100"})
    assert "city" in mismatch.json()["error"]["fields"]


def test_it_escapes_html_in_titles_and_snippets(recruiter: Any, employer: Any,
                                                search_index: Any) -> None:
    posting = published_posting(recruiter, employer, title="仓库文员",
                                requirements="熟悉Excel，月薪>6000元 & 包吃住。")
    search_index()
    hit = search(q="Excel").hits[0]
    assert hit.posting.pk == posting.pk
    assert "&gt;6000元 &amp; 包吃住" in hit.snippet_html
    assert "<mark>Excel</mark>" in hit.snippet_html


def test_the_api_returns_highlights_and_paging(client: Any, postings: dict[str, Posting]
                                               ) -> None:
    body = client.get("/api/v1/jobs/search", {"q": "Java", "city": "440100",
                                              "pay_min": "10000"}).json()
    assert body["total"] == 2 and body["sort"] == "relevance" and body["tokens"] == ["java"]
    first = body["results"][0]
    assert first["id"] == postings["java_gz"].pk and "<mark>Java</mark>" in first["title_html"]
    assert first["location"] == "广东省广州市天河区" and first["url"] == f"/jobs/{first['id']}/"


def test_the_plain_list_api_searches_with_q(client: Any, postings: dict[str, Posting]) -> None:
    listed = client.get("/api/v1/jobs", {"q": "叉车"}).json()
    assert [p["id"] for p in listed] == [postings["driver"].pk]
    assert len(client.get("/api/v1/jobs").json()) == 4


def test_the_page_keeps_filters_in_sort_and_page_links(client: Any,
                                                       postings: dict[str, Posting]) -> None:
    html = client.get(reverse("jobs:list"), {"q": "工程师", "city": "440100"}).content.decode()
    assert 'href="?q=%E5%B7%A5%E7%A8%8B%E5%B8%88&amp;city=440100&amp;sort=time"' in html
    assert '<option value="440106">天河区</option>' in html  # the city's districts
