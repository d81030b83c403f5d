"""Market insights (ANA-4): the salary index recomputed from raw postings, monthly pay only,
suppressed below the minimum; hiring trends; guides screened on save; bad filters refused."""

from __future__ import annotations

import statistics
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from pinqiao.analytics.suppression import min_cell
from pinqiao.core.errors import NotPermitted, ServiceError
from pinqiao.core.models import AuditEntry
from pinqiao.insights import selectors, services
from pinqiao.insights.models import Guide, SalaryCell, Snapshot
from pinqiao.jobs.models import Posting, PostingStatus
from pinqiao.jobs.tests.fixtures import otp_verified
from pinqiao.orgs.models import Organisation, OrgKind, OrgStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(recruiter: Any) -> Organisation:
    return Organisation.objects.create(
        name="洞察样本有限公司", credit_code="91440101MA00000001", kind=OrgKind.EMPLOYER,
        status=OrgStatus.VERIFIED, industry="software", address="天河路1号",
        contact_name="王经理", created_by=recruiter, verified_at=timezone.now())


@pytest.fixture
def post(org: Organisation, recruiter: Any) -> Any:
    def make(low: int, high: int, *, unit: str = "month", function: str = "python_dev",
             division: str = "440106", status: str = PostingStatus.PUBLISHED,
             days_ago: int = 3, headcount: int = 2) -> Posting:
        return Posting.objects.create(
            organisation=org, title="开发工程师", created_by=recruiter, status=status,
            pay_min=Decimal(low), pay_max=Decimal(high), pay_unit=unit, job_function=function,
            division_code=division, headcount=headcount,
            published_at=timezone.now() - timedelta(days=days_ago))
    return make


def test_the_salary_index_recomputed_from_raw_postings(post: Any) -> None:
    pays = [(8000, 12000), (10000, 14000), (12000, 18000), (9000, 11000), (15000, 25000),
            (7000, 9000)]
    for low, high in pays:
        post(low, high)
    post(300, 400, unit="day")             # a daily rate: never mixed into monthly pay
    post(50, 60, unit="hour")
    post(90000, 99000, status=PostingStatus.REMOVED)   # taken down: not posted pay
    post(90000, 99000, days_ago=400)                   # outside the window
    result = services.insights_refresh()
    mids = [(low + high) / 2 for low, high in pays]
    q1, q2, q3 = statistics.quantiles(mids, n=4, method="inclusive")
    cell = SalaryCell.objects.get(snapshot=result.snapshot, function="python_dev", city="440100")
    assert cell.postings == 6
    assert (cell.p25, cell.median, cell.p75) == (round(q1), round(q2), round(q3))
    assert result.postings == 6
    assert AuditEntry.objects.filter(verb="insights.refreshed").exists()


def test_a_small_cell_is_suppressed_not_rounded(post: Any, settings: Any) -> None:
    """The suppression rule on a small city: 2 postings in 佛山 show no figures."""
    for low in (8000, 9000, 10000, 11000, 12000):
        post(low, low + 2000)
    post(6000, 7000, division="440604")
    post(6500, 7500, division="440604")
    snapshot = services.insights_refresh().snapshot
    small = SalaryCell.objects.get(snapshot=snapshot, function="python_dev", city="440600")
    assert small.postings == 2 < min_cell()
    assert (small.p25, small.median, small.p75) == (None, None, None)
    index = selectors.salary_index(function="python_dev")
    labels = {row.label: row for row in index.rows}
    assert labels["广州市"].median is not None and labels["佛山市"].median is None
    assert "佛山市" not in index.chart["labels"]


def test_the_pages_read_the_snapshot_not_the_postings(client: Any, post: Any,
                                                      django_assert_max_num_queries: Any
                                                      ) -> None:
    for low in (8000, 9000, 10000, 11000, 12000):
        post(low, low + 2000)
    services.insights_refresh()
    with django_assert_max_num_queries(6):
        html = client.get(reverse("insights:salary") + "?city=440100").content.decode()
    assert 'id="salary-chart"' in html and 'id="salary-table"' in html
    assert "Python开发" in html and "vendor/echarts" in html
    body = client.get("/api/v1/insights/salary?city=440100").json()
    assert body["pay_unit"] == "month" and body["rows"][0]["median"] == 11000


@pytest.mark.parametrize(("query", "code"), [("function=astronaut", "unknown_function"),
                                             ("city=999999", "unknown_city"),
                                             ("city=440106", "unknown_city")])
def test_unknown_functions_and_cities_are_refused(client: Any, query: str, code: str) -> None:
    response = client.get(reverse("insights:salary") + "?" + query)
    assert response.status_code == 400
    assert "没有这个" in response.content.decode()
    assert f'value="{query.split("=")[1]}"' in response.content.decode()
    api = client.get("/api/v1/insights/salary?" + query)
    assert api.status_code == 400 and api.json()["error"]["code"] == code


def test_hiring_trends_count_postings_per_month(client: Any, post: Any) -> None:
    post(8000, 9000, headcount=3)
    post(8000, 9000, headcount=2, days_ago=0)
    post(8000, 9000, headcount=4, status=PostingStatus.EXPIRED)
    services.insights_refresh()
    trends = selectors.hiring_trends()
    assert sum(trends.postings) == 3 and sum(trends.headcount) == 9
    html = client.get(reverse("insights:trends")).content.decode()
    assert 'id="trend-chart"' in html and 'id="trend-table"' in html
    refused = client.get(reverse("insights:trends") + "?city=999999")
    assert refused.status_code == 400 and "没有这个城市" in refused.content.decode()


def test_the_pages_wait_for_the_first_snapshot(client: Any) -> None:
    assert not Snapshot.objects.exists()
    assert "正在生成" in client.get(reverse("insights:salary")).content.decode()


def test_only_the_newest_snapshots_are_kept(post: Any) -> None:
    post(8000, 9000)
    for _n in range(services.KEEP_SNAPSHOTS + 2):
        services.insights_refresh()
    assert Snapshot.objects.count() == services.KEEP_SNAPSHOTS


GUIDE = {"slug": "interview-tips", "title": "面试前的五项准备",
         "summary": "了解岗位、准备作品、核实单位资质，安全求职。",
         "body": "先在聘桥查看单位的认证信息和许可证。\n\n正规招聘不会以任何名义收取押金或培训费。"}


def test_a_guide_is_screened_on_save_and_published(client: Any, operator: Any) -> None:
    staff = otp_verified(operator)
    with pytest.raises(ServiceError) as refused:
        services.guide_save(actor=staff, **{**GUIDE, "body": "想要高薪加微信abc12345了解"},
                            status="published")
    assert refused.value.code == "content_refused" and "body" in refused.value.fields
    assert not Guide.objects.exists()
    guide = services.guide_save(actor=staff, **GUIDE, status="published")
    assert guide.published_at is not None
    html = client.get(reverse("insights:guide", args=["interview-tips"])).content.decode()
    assert "面试前的五项准备" in html and "押金" in html
    assert client.get("/api/v1/insights/guides").json()[0]["slug"] == "interview-tips"
    assert AuditEntry.objects.filter(verb="insights.guide_created").exists()


def test_a_draft_guide_is_not_public(client: Any, operator: Any) -> None:
    services.guide_save(actor=otp_verified(operator), **GUIDE)
    assert client.get(reverse("insights:guide", args=["interview-tips"])).status_code == 404


def test_only_operators_edit_guides(seeker: Any, regulator: Any, staff_client: Any) -> None:
    with pytest.raises(NotPermitted):
        services.guide_save(actor=otp_verified(regulator), **GUIDE)
    assert staff_client(regulator).get(reverse("insights:staff_guides")).status_code == 403


def test_the_guide_editor_keeps_the_input_on_refusal(staff_client: Any, operator: Any) -> None:
    client = staff_client(operator)
    response = client.post(reverse("insights:staff_guide_new"),
                           {**GUIDE, "slug": "Bad Slug", "status": "published"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "网址标识只能使用小写字母" in html and "面试前的五项准备" in html
    response = client.post(reverse("insights:staff_guide_new"), {**GUIDE, "status": "draft"})
    assert response.status_code == 302
    api = client.post("/api/v1/insights/staff/guides", {**GUIDE, "slug": "interview-tips"},
                      content_type="application/json")
    assert api.status_code == 400 and api.json()["error"]["code"] == "invalid_guide"
