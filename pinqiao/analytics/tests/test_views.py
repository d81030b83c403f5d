"""The operations dashboard, its exports and drill-down, the figures API and the live page
(ANA-1, ANA-2): who may see what, refusals in Chinese with the form kept, suppression in what
is downloaded, every look audited, and no write on the live read path."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pinqiao.analytics import rollup
from pinqiao.analytics.tests.conftest import YUNFU
from pinqiao.core.models import AuditEntry
from pinqiao.risk.models import RiskScore

pytestmark = pytest.mark.django_db


@pytest.fixture
def rolled(world: dict[str, Any]) -> dict[str, Any]:
    rollup.rollup_day(timezone.localdate())
    rollup.rollup_day(timezone.localdate() - timedelta(days=1))
    return world


def test_it_sends_anonymous_visitors_to_log_in(client: Any) -> None:
    response = client.get(reverse("analytics:dashboard"))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_it_refuses_seekers_and_customer_service(user_client: Any, seeker: Any,
                                                 staff_client: Any,
                                                 customer_service: Any) -> None:
    assert user_client(seeker).get(reverse("analytics:dashboard")).status_code == 403
    assert staff_client(customer_service).get(reverse("analytics:dashboard")).status_code == 403


def test_it_shows_the_operator_every_chart_with_a_table(rolled: Any, staff_client: Any,
                                                       operator: Any) -> None:
    response = staff_client(operator).get(reverse("analytics:dashboard"))
    page = response.content.decode()
    assert response.status_code == 200
    for name in ("trend", "funnel", "city", "industry", "moderation", "categories",
                 "complaints"):
        assert f'id="chart-{name}"' in page and f'id="table-{name}"' in page
    assert "vendor/echarts.min.js" in page and "<script>" not in page
    assert "少于 5 人的数据以「&lt;5」显示" in page
    assert "云浮市" in page and "&lt;5" in page
    assert AuditEntry.objects.filter(verb="analytics.view", actor_id=operator.pk).exists()
    assert "运营数据" in page, "the navigation names the dashboard"


@pytest.mark.parametrize(("params", "message"), [
    ({"start": "2026-05-10", "end": "2026-05-01"}, "开始日期晚于结束日期"),
    ({"start": "2016-01-01", "end": "2026-01-01"}, "日期范围最长一年"),
    ({"city": "999999"}, "未知的城市代码「999999」"),
    ({"industry": "Z"}, "未知的行业「Z」"),
    ({"start": "2026-02-30"}, "请按 YYYY-MM-DD 填写开始日期"),
])
def test_it_refuses_bad_filters_in_chinese_and_keeps_them(staff_client: Any, operator: Any,
                                                           params: dict, message: str) -> None:
    response = staff_client(operator).get(reverse("analytics:dashboard"), params)
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert 'id="chart-trend"' not in page
    for value in params.values():
        assert f'value="{value}"' in page


def test_it_exports_csv_with_small_cells_hidden_and_the_reason_audited(
        rolled: Any, staff_client: Any, operator: Any) -> None:
    today = timezone.localdate().isoformat()
    response = staff_client(operator).post(reverse("analytics:export"), {
        "chart": "city", "start": today, "end": today, "city": "", "industry": "",
        "format": "csv", "reason": "月度运营分析"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "城市"
    yunfu = next(r for r in rows if r and r[0].startswith("广东省云浮市"))
    assert yunfu[1] == "<5"
    assert any("少于 5 人" in r[0] for r in rows if r)
    entry = AuditEntry.objects.get(verb="analytics.export")
    assert entry.data["reason"] == "月度运营分析" and entry.data["format"] == "csv"


def test_it_exports_xlsx(rolled: Any, staff_client: Any, operator: Any) -> None:
    today = timezone.localdate().isoformat()
    response = staff_client(operator).post(reverse("analytics:export"), {
        "chart": "funnel", "start": today, "end": today, "format": "xlsx",
        "reason": "季度监管报送"})
    with zipfile.ZipFile(io.BytesIO(response.content)) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
        strings = re.findall(r"<t[^>]*>([^<]*)</t>", book.read("xl/sharedStrings.xml").decode())
    assert strings[:3] == ["环节", "数量", "较上一环节"] and "发布职位" in strings
    assert "&lt;5" in strings, "the applications cell is hidden"
    assert "<v>15</v>" in sheet, "15 postings published: a number cell"


def test_it_refuses_an_export_without_a_reason_and_keeps_the_form(
        rolled: Any, staff_client: Any, operator: Any) -> None:
    response = staff_client(operator).post(reverse("analytics:export"), {
        "chart": "trend", "start": "2026-01-01", "end": "2026-01-31", "city": "440100",
        "format": "xlsx", "reason": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert "请填写导出事由" in page
    assert 'value="440100"' in page and 'value="2026-01-01"' in page
    assert not AuditEntry.objects.filter(verb="analytics.export").exists()


def test_reviewers_may_look_but_not_export(rolled: Any, staff_client: Any,
                                           reviewer: Any) -> None:
    client = staff_client(reviewer)
    assert client.get(reverse("analytics:dashboard")).status_code == 200
    response = client.post(reverse("analytics:export"), {
        "chart": "trend", "format": "csv", "reason": "想看看数据"})
    assert response.status_code == 403


def test_the_drilldown_lists_the_postings_behind_a_figure(rolled: Any, staff_client: Any,
                                                         operator: Any) -> None:
    today = timezone.localdate().isoformat()
    response = staff_client(operator).get(reverse("analytics:drilldown"), {
        "metric": "postings_published", "start": today, "end": today, "city": YUNFU})
    page = response.content.decode()
    assert response.status_code == 200
    assert "共 2 条" in page
    assert reverse("jobs:staff_posting", args=[rolled["yunfu"][0].pk]) in page
    assert AuditEntry.objects.filter(verb="analytics.view",
                                     target_id="drilldown:postings_published").exists()


def test_auditors_may_not_drill_down(staff_client: Any, auditor: Any) -> None:
    assert staff_client(auditor).get(reverse("analytics:drilldown"),
                                     {"metric": "applications"}).status_code == 403


def test_the_api_returns_a_chart_and_refuses_bad_input_with_a_code(
        rolled: Any, staff_client: Any, operator: Any) -> None:
    client = staff_client(operator)
    today = timezone.localdate().isoformat()
    body = client.get("/api/v1/analytics/charts/funnel", {"start": today, "end": today}).json()
    assert body["rows"][0]["value"] == 15 and body["rows"][1]["value"] is None
    refused = client.get("/api/v1/analytics/charts/trend",
                         {"start": "2026-05-10", "end": "2026-05-01"})
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "invalid_filter"
    assert "开始日期晚于结束日期" in refused.json()["error"]["message"]
    assert client.get("/api/v1/analytics/charts/nope").json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/analytics/charts", {"city": "999999"}).status_code == 400


def test_the_live_feed_shows_todays_postings_and_writes_nothing(
        rolled: Any, staff_client: Any, operator: Any) -> None:
    client = staff_client(operator)
    with CaptureQueriesContext(connection) as queries:
        body = client.get(reverse("analytics:live_feed")).json()
    writes = [q["sql"] for q in queries.captured_queries
              if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
              and "django_session" not in q["sql"]]
    assert writes == []
    assert body["published_today"] == 15
    assert sum(body["per_minute"]["counts"]) == body["published_last_hour"] == 15
    assert body["latest"][0]["title"]


def test_a_burst_of_postings_is_an_anomaly_linked_to_its_objects_and_risk(
        rolled: Any, staff_client: Any, operator: Any, settings: Any, employer: Any) -> None:
    settings.ANALYTICS_BURST_POSTINGS = 10
    RiskScore.objects.create(subject="organisation", subject_id=employer.pk, score=72,
                             level="高", formula_version="test")
    body = staff_client(operator).get("/api/v1/analytics/live").json()
    burst = next(a for a in body["anomalies"] if a["kind"] == "posting_burst")
    assert burst["count"] == 15 and burst["subject_id"] == employer.pk
    assert burst["risk_score"] == 72 and "subject=organisation" in burst["risk_url"]
    assert f"organisation={employer.pk}" in burst["objects_url"]
    listed = staff_client(operator).get(burst["objects_url"]).content.decode()
    assert "共 15 条" in listed


def test_the_live_page_opens_for_reviewers_and_is_audited(rolled: Any, staff_client: Any,
                                                          reviewer: Any) -> None:
    page = staff_client(reviewer).get(reverse("analytics:live")).content.decode()
    assert 'id="live-published-today">15<' in page and "analytics/live.js" in page
    assert AuditEntry.objects.filter(verb="analytics.view", target_id="live").exists()
