"""The regulator's view (ANA-3, RISK-3 credit view): read-only, masked, every read audited;
exports only with a reason; unmasked data refused and audited; bad filters refused clearly."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from pinqiao.applications.testing import applied
from pinqiao.core.crypto import encrypt
from pinqiao.core.errors import ServiceError
from pinqiao.core.models import AuditEntry
from pinqiao.jobs.models import Posting
from pinqiao.jobs.testing import published_posting
from pinqiao.jobs.tests.fixtures import otp_verified
from pinqiao.moderation.models import ScreeningRecord
from pinqiao.oversight import selectors
from pinqiao.tickets.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(make_org: Any, seeker: Any) -> Case:
    org = make_org("被投诉科技有限公司", violations=1)
    return Case.objects.create(
        reference="TS-2026-000001", kind="complaint", reason_code="fraud",
        complainant=seeker, complainant_name_ciphertext=encrypt("李投诉", context="case"),
        contact_ciphertext=encrypt("13900001111", context="case"),
        content="该单位收取押金500元，我的电话13900001111", target_label="被投诉科技有限公司",
        organisation=org, dedupe_key="k1", escalate_on=date(2026, 1, 8),
        deadline=date(2026, 1, 12), status="closed", upheld=True,
        result="投诉成立，已责令退还押金，联系人电话13812345678",
        closed_at=timezone.now())


def test_every_list_page_opens_for_the_regulator_and_is_audited(
        staff_client: Any, regulator: Any, case: Case) -> None:
    client = staff_client(regulator)
    for name in ("home", "organisations", "postings", "violations", "complaints", "annual",
                 "samples", "export"):
        response = client.get(reverse(f"oversight:{name}"))
        assert response.status_code == 200, name
    pages = set(AuditEntry.objects.filter(verb="oversight.viewed", actor_id=regulator.pk)
                .values_list("data__page", flat=True))
    assert {"home", "organisations", "postings", "violations", "complaints", "annual",
            "samples"} <= pages


def test_other_roles_are_kept_out(client: Any, staff_client: Any, seeker: Any,
                                  reviewer: Any) -> None:
    assert client.get(reverse("oversight:organisations")).status_code == 302
    client.force_login(seeker)
    assert client.get(reverse("oversight:organisations")).status_code == 403
    assert staff_client(reviewer).get(reverse("oversight:organisations")).status_code == 403
    assert client.get("/api/v1/oversight/organisations").status_code == 403


def test_the_organisation_shows_licences_credit_and_masked_contact(
        staff_client: Any, regulator: Any, make_org: Any) -> None:
    org = make_org("信用样本有限公司", violations=2)
    org.contact_phone_ciphertext = encrypt("13812345678", context="org_contact_phone")
    org.save(update_fields=["contact_phone_ciphertext"])
    html = staff_client(regulator).get(reverse("oversight:organisation", args=[org.pk])
                                       ).content.decode()
    assert "信用样本有限公司" in html and "70" in html  # 100 − 2 × 15 (serious)
    assert "138****5678" in html and "13812345678" not in html
    assert "王*" in html and "王经理" not in html


def test_unmasked_data_is_refused_on_the_page_and_audited(staff_client: Any, regulator: Any,
                                                          make_org: Any) -> None:
    org = make_org()
    response = staff_client(regulator).get(
        reverse("oversight:organisation", args=[org.pk]) + "?reveal=contact")
    assert response.status_code == 403
    html = response.content.decode()
    assert "监管查看仅提供脱敏数据" in html and org.name in html
    entry = AuditEntry.objects.get(verb="oversight.unmasked_refused")
    assert entry.actor_id == regulator.pk and entry.target_id == str(org.pk)


def test_unmasked_data_is_refused_in_the_api_with_a_code(staff_client: Any, regulator: Any,
                                                         make_org: Any, case: Case) -> None:
    client = staff_client(regulator)
    org = make_org()
    response = client.get(f"/api/v1/oversight/organisations/{org.pk}?reveal=true")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "unmasked_refused"
    response = client.get("/api/v1/oversight/complaints?reveal=true")
    assert response.json()["error"]["code"] == "unmasked_refused"
    assert AuditEntry.objects.filter(verb="oversight.unmasked_refused").count() == 2


def test_complaints_show_outcomes_never_the_complainant(staff_client: Any, regulator: Any,
                                                        case: Case) -> None:
    client = staff_client(regulator)
    html = client.get(reverse("oversight:complaints")).content.decode()
    assert "TS-2026-000001" in html and "被投诉科技有限公司" in html
    assert "李投诉" not in html and "13900001111" not in html and "押金500元" not in html
    body = client.get("/api/v1/oversight/complaints").json()
    assert body[0]["upheld"] is True
    assert "13812345678" not in body[0]["result"] and "138****5678" in body[0]["result"]
    assert "complainant" not in str(body[0].keys())


@pytest.mark.parametrize(("query", "code", "words"), [
    ("date_from=2026-03-01&date_to=2026-01-01", "date_range_reversed", "开始日期晚于结束日期"),
    ("date_from=2016-01-01&date_to=2026-01-01", "date_range_too_long", "不能超过 366 天"),
    ("city=999999", "unknown_city", "没有这个城市"),
    ("city=440106", "unknown_city", "没有这个城市"),
    ("industry=spaceships", "unknown_industry", "没有这个行业"),
])
def test_bad_filters_are_refused_with_the_form_kept(staff_client: Any, regulator: Any,
                                                    query: str, code: str, words: str) -> None:
    client = staff_client(regulator)
    response = client.get(reverse("oversight:postings") + "?" + query)
    assert response.status_code == 400
    html = response.content.decode()
    assert words in html
    first_value = query.split("&")[0].split("=")[1]
    assert f'value="{first_value}"' in html
    api = client.get("/api/v1/oversight/postings?" + query)
    assert api.status_code == 400 and api.json()["error"]["code"] == code
    assert not AuditEntry.objects.filter(verb="oversight.viewed", data__page="postings").exists()


def test_a_year_long_range_and_a_known_city_are_accepted() -> None:
    filters = selectors.parse_filters(date_from="2025-01-01", date_to="2025-12-31",
                                      city="440100", industry="I")
    assert filters.city == "440100" and filters.industry == "I"


def test_an_export_without_a_reason_is_refused_and_nothing_recorded(
        staff_client: Any, regulator: Any, case: Case) -> None:
    client = staff_client(regulator)
    response = client.post(reverse("oversight:export"), {
        "dataset": "complaints", "fmt": "csv", "reason": "  ", "city": "440100"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "请填写导出事由" in html and 'value="440100"' in html
    api = client.post("/api/v1/oversight/exports", {"dataset": "complaints", "fmt": "csv"},
                      content_type="application/json")
    assert api.status_code == 400 and api.json()["error"]["code"] == "reason_required"
    assert not AuditEntry.objects.filter(verb="oversight.exported").exists()


def test_the_csv_export_is_masked_and_audited_with_its_reason(staff_client: Any,
                                                              regulator: Any,
                                                              case: Case) -> None:
    response = staff_client(regulator).post(reverse("oversight:export"), {
        "dataset": "complaints", "fmt": "csv", "reason": "2026年第四季度投诉处理情况检查"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="pinqiao-complaints')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "案件编号" and rows[1][0] == "TS-2026-000001"
    text = response.content.decode("utf-8-sig")
    assert "13812345678" not in text and "138****5678" in text and "李投诉" not in text
    entry = AuditEntry.objects.get(verb="oversight.exported")
    assert entry.data["reason"] == "2026年第四季度投诉处理情况检查" and entry.data["rows"] == 1


def test_the_xlsx_export_is_a_workbook(staff_client: Any, regulator: Any,
                                       make_org: Any) -> None:
    make_org("导出样本有限公司", violations=1)
    response = staff_client(regulator).post("/api/v1/oversight/exports", {
        "dataset": "organisations", "fmt": "xlsx", "reason": "年度信用记录共享"},
        content_type="application/json")
    assert response.status_code == 200
    book = zipfile.ZipFile(io.BytesIO(response.content))
    shared = book.read("xl/sharedStrings.xml").decode()
    assert "导出样本有限公司" in shared and "王*" in shared and "王经理" not in shared


def test_the_annual_report_counts_the_year(staff_client: Any, regulator: Any, recruiter: Any,
                                           employer: Any, seeker: Any, case: Case) -> None:
    posting = published_posting(recruiter, employer)
    applied(seeker, posting)
    otp_verified(regulator)
    year = timezone.localdate().year
    figures = selectors.annual_report(viewer=regulator, year=year)
    assert figures["postings_published"] == Posting.objects.filter(
        published_at__year=year).count() == 1
    assert figures["organisations_served"] == 1
    assert figures["seekers_served"] == 1
    assert figures["complaints_handled"] == 1 and figures["violations_handled"] == 1
    last_year = selectors.annual_report(viewer=regulator, year=year - 1)
    assert last_year["postings_published"] == 0
    response = staff_client(regulator).get(reverse("oversight:annual") + f"?year={year}")
    assert "服务求职者人数" in response.content.decode()


def test_an_impossible_year_is_refused(staff_client: Any, regulator: Any) -> None:
    client = staff_client(regulator)
    response = client.get(reverse("oversight:annual") + "?year=1999")
    assert response.status_code == 400 and "年度应在" in response.content.decode()
    api = client.get("/api/v1/oversight/annual-report?year=abc")
    assert api.json()["error"]["code"] == "invalid_year"
    with pytest.raises(ServiceError):
        selectors.parse_year(timezone.localdate().year + 1)


def test_the_posting_shows_its_screening_history(staff_client: Any, regulator: Any,
                                                 recruiter: Any, employer: Any) -> None:
    posting = published_posting(recruiter, employer)
    assert ScreeningRecord.objects.filter(object_id=str(posting.pk)).exists()
    client = staff_client(regulator)
    html = client.get(reverse("oversight:posting", args=[posting.pk])).content.decode()
    assert "机审记录" in html and "通过" in html
    body = client.get(f"/api/v1/oversight/postings/{posting.pk}").json()
    assert body["screenings"] and body["events"]


def test_reads_write_nothing_but_the_audit_entry(staff_client: Any, regulator: Any,
                                                 make_org: Any) -> None:
    org = make_org()
    before = AuditEntry.objects.count()
    staff_client(regulator).get(reverse("oversight:organisation", args=[org.pk]))
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.latest("seq")
    assert (entry.verb, entry.data["page"], entry.target_id) == (
        "oversight.viewed", "organisation", str(org.pk))
