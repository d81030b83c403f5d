"""Issue 15, item 3: pay bands per unit that never mix (index and database fallback, page and
API), the active filters as removable chips, the filter sheet, and snippets cut on word and
sentence boundaries."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from pinqiao.jobs.models import Posting
from pinqiao.jobs.testing import published_posting
from pinqiao.search.highlight import snippet
from pinqiao.search.params import parse_job_query
from pinqiao.search.selectors import _database_filters, job_search

pytestmark = pytest.mark.django_db

BASE = {"job_function": "java_dev", "industry": "software",
        "requirements": "熟悉Spring Boot。", "work_content": "负责后端服务开发。"}


@pytest.fixture
def paid(recruiter: Any, employer: Any, search_index: Any) -> dict[str, Posting]:
    """A monthly, a daily and an hourly posting whose monthly equivalents all fall in
    8千-1.2万 (day: 450 × 21.75 ≈ 9,788; hour: 60 × 174 = 10,440)."""
    made = {
        "month": published_posting(recruiter, employer, **BASE, title="月薪开发",
                                   pay_min="9000", pay_max="11000", pay_unit="month"),
        "day": published_posting(recruiter, employer, **BASE, title="日薪开发",
                                 pay_min="400", pay_max="450", pay_unit="day"),
        "hour": published_posting(recruiter, employer, **BASE, title="时薪开发",
                                  pay_min="50", pay_max="60", pay_unit="hour")}
    search_index()
    return made


def found(**params: str) -> set[int]:
    return {hit.posting.pk for hit in job_search(parse_job_query(params, strict=True)).hits}


@pytest.mark.parametrize(("params", "expected"), [
    ({"pay": "8000-12000"}, "month"),  # a monthly band given the way saved searches keep it
    ({"pay": "month:8000-12000"}, "month"),
    ({"pay": "day:300-500"}, "day"),
    ({"pay": "hour:50-"}, "hour"),
    ({"pay_min": "8000"}, "month"),
    ({"pay_min": "400", "pay_unit": "day"}, "day"),
    ({"pay_max": "55", "pay_unit": "hour"}, "hour"),
])
def test_pay_filters_match_only_their_own_unit(paid: dict[str, Posting], params: dict[str, str],
                                               expected: str) -> None:
    assert found(**params) == {paid[expected].pk}
    # The database fallback (a missing index) applies the same rule.
    query = parse_job_query(params, strict=True)
    fallback = _database_filters(Posting.objects.filter(pk__in=[p.pk for p in paid.values()]),
                                 query)
    assert set(fallback.values_list("pk", flat=True)) == {paid[expected].pk}


def test_the_api_takes_the_unit_and_refuses_an_unknown_one(client: Any,
                                                           paid: dict[str, Posting]) -> None:
    body = client.get("/api/v1/jobs/search", {"pay_min": "300", "pay_unit": "day"}).json()
    assert [r["id"] for r in body["results"]] == [paid["day"].pk]
    assert body["results"][0]["pay_unit"] == "day"
    refused = client.get("/api/v1/jobs/search", {"pay_min": "300", "pay_unit": "week"})
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "invalid_filter"
    assert set(refused.json()["error"]["fields"]) == {"pay_unit"}


def test_the_page_shows_the_unit_the_sheet_and_removable_chips(client: Any,
                                                              paid: dict[str, Posting]) -> None:
    html = client.get(reverse("jobs:list"), {"q": "开发", "pay": "day:300-500",
                                             "education": "high_school"}).content.decode()
    assert '<dialog id="filter-sheet"' in html
    assert '<optgroup label="日薪">' in html and '<optgroup label="时薪">' in html
    assert 'value="day:300-500" selected' in html
    assert "400–450 元/日" in html  # every result shows its unit
    assert "月薪开发" not in html and "时薪开发" not in html
    # One chip per active filter; removing one keeps the keywords and the other filter.
    assert 'aria-label="移除筛选条件：日薪 300-500元"' in html
    assert 'href="?q=%E5%BC%80%E5%8F%91&amp;education=high_school"' in html
    assert 'href="?q=%E5%BC%80%E5%8F%91&amp;pay=day%3A300-500"' in html
    # The keyword form keeps the filters; the sheet keeps the keywords.
    assert '<input type="hidden" name="pay" value="day:300-500">' in html
    assert '<input type="hidden" name="q" value="开发">' in html


def test_a_custom_pay_range_chip_names_its_unit(client: Any, paid: dict[str, Posting]) -> None:
    html = client.get(reverse("jobs:list"), {"pay_min": "40", "pay_unit": "hour"}
                      ).content.decode()
    assert "时薪 40元以上" in html
    assert f'href="/jobs/{paid["hour"].pk}/"' in html
    assert f'href="/jobs/{paid["day"].pk}/"' not in html


TEXT = ("我们是一家专注于数据平台的公司，团队使用 Apache Kafka 和 Kubernetes 构建实时流处理系统。"
        "岗位要求：熟悉 Java，了解 Spark。负责招聘平台后端接口的开发和维护，参与架构设计。")


@pytest.mark.parametrize(("text", "tokens", "width"), [
    (TEXT, ("kubernetes",), 90),
    (TEXT, ("kafka",), 40),
    (TEXT, ("spark",), 30),
    ("x" * 30 + " Senior engineers build Kafka pipelines on Kubernetes clusters every day and "
     "night with care for the users of the platform", ("kubernetes",), 50),
])
def test_snippets_cut_on_word_and_sentence_boundaries(text: str, tokens: tuple[str, ...],
                                                      width: int) -> None:
    html = str(snippet(text, tokens, width=width))
    body = html.removeprefix("…").removesuffix("…").replace("<mark>", "").replace("</mark>", "")
    assert body and body in " ".join(text.split())
    start = text.index(body)
    end = start + len(body)
    latin = str.isascii
    # Never inside a Latin word at either end.
    assert start == 0 or not (latin(text[start - 1]) and text[start - 1].isalnum()
                              and text[start].isalnum())
    assert end == len(text) or not (latin(text[end]) and text[end].isalnum()
                                    and text[end - 1].isalnum())
    # A cut at the start follows a clause mark or a space.
    assert start == 0 or text[start - 1] in "。！？；，、：.!?;,: "
    assert "<mark>" in html


def test_a_snippet_without_a_match_is_the_start_of_the_text() -> None:
    assert str(snippet(TEXT, ("golang",), width=20)).startswith("我们是一家")
