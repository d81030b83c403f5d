"""RISK-3 credit record and DISC-3 agency panel."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from pinqiao.core.errors import NotPermitted, ServiceError
from pinqiao.core.models import AuditEntry
from pinqiao.orgs.selectors import credit_grade, credit_record, licence_panel_for_organisation
from pinqiao.orgs.services import violation_record

pytestmark = pytest.mark.django_db


def test_it_starts_at_100_grade_a(employer):
    record = credit_record(employer)
    assert (record.score, record.grade, record.violations) == (100, "A", [])


def test_it_deducts_by_severity_and_audits(employer, reviewer):
    violation_record(actor=reviewer, organisation=employer, rule="招聘信息发布规则 第5条",
                     what="发布薪酬与实际不符的职位", sanction="警告并下架职位", severity="serious")
    violation_record(actor=reviewer, organisation=employer, rule="用户行为规范 第3条",
                     what="未及时回复求职者", sanction="提醒")
    employer.refresh_from_db()
    assert employer.credit_score == 100 - 15 - 5
    record = credit_record(employer)
    assert (record.score, record.grade) == (80, "B")
    assert AuditEntry.objects.filter(verb="orgs.violation_recorded").count() == 2


def test_it_stops_counting_violations_older_than_three_years(employer):
    violation_record(actor=None, organisation=employer, rule="旧规则", what="旧违规",
                     sanction="警告", severity="grave",
                     occurred_at=timezone.now() - timedelta(days=365 * 3 + 10))
    assert credit_record(employer).score == 100


def test_it_grades_by_the_documented_thresholds():
    assert [credit_grade(s) for s in (100, 90, 89, 75, 74, 60, 59, 0)] == [
        "A", "A", "B", "B", "C", "C", "D", "D"]


def test_it_requires_the_review_permission_and_all_fields(employer, recruiter, reviewer):
    with pytest.raises(NotPermitted):
        violation_record(actor=recruiter, organisation=employer, rule="x", what="y", sanction="z")
    with pytest.raises(ServiceError) as exc:
        violation_record(actor=reviewer, organisation=employer, rule="", what="y", sanction="z")
    assert "rule" in exc.value.fields


def test_it_builds_the_agency_panel_with_licence_score_and_violations(agency, reviewer):
    """DISC-3: licence, credit score, violation record, complaint hotline."""
    violation_record(actor=reviewer, organisation=agency, rule="代招信息与委托证明不符",
                     what="职位超出委托范围", sanction="下架并警告", severity="serious")
    panel = licence_panel_for_organisation(agency)
    assert panel.subject == agency.name and panel.credit_code == agency.credit_code
    assert panel.licence_no.startswith("(渝)人服证字")
    assert panel.credit_score == 85 and panel.credit_grade == "B"
    assert "代招信息与委托证明不符" in panel.violations
    assert panel.complaint_hotline
