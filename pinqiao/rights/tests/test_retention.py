"""RET-1: the retention schedule is data; a rule shorter than the legal minimum is refused; the
nightly job purges or anonymises what is past its period, keeps what a legal hold covers, prints
one summary line and leaves a report; anonymised rows keep the statistics."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from pinqiao.accounts.models import LoginRecord
from pinqiao.applications.models import Application, ApplicationNote
from pinqiao.core.errors import ServiceError
from pinqiao.core.scheduler import SCHEDULE
from pinqiao.rights.models import RetentionRule, RetentionRun
from pinqiao.rights.retention import keep_until, retention_apply, retention_rule_set
from pinqiao.rights.services import legal_hold_place

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - timedelta(days=3 * 365 + 30)


def test_the_schedule_is_data_with_three_years_for_service_records() -> None:
    rules = {r.kind: r for r in RetentionRule.objects.all()}
    for kind in ("applications", "evaluations", "login_logs", "access_trail"):
        assert rules[kind].days >= 3 * 365
    assert keep_until("login_logs", LONG_AGO) > LONG_AGO.date() + timedelta(days=3 * 365)


def test_a_rule_shorter_than_the_legal_minimum_is_refused(rights_operator: Any) -> None:
    with pytest.raises(ServiceError) as exc:
        retention_rule_set(actor=rights_operator, kind="login_logs", days=365, action="purge")
    assert exc.value.code == "below_legal_minimum" and "days" in exc.value.fields
    rule = retention_rule_set(actor=rights_operator, kind="login_logs", days=1500,
                              action="purge")
    assert rule.days == 1500


def test_the_page_refuses_a_short_rule_and_keeps_the_input(make_user: Any,
                                                           staff_client: Any) -> None:
    from pinqiao.core.permissions import Role

    operator = make_user(role=Role.OPERATOR, phone=None, email="op2@test.example")
    client = staff_client(operator)
    response = client.post("/staff/privacy/retention/", {
        "kind": "applications", "applications-days": "30", "applications-action": "anonymise"})
    page = response.content.decode()
    assert response.status_code == 400 and "依法至少保存" in page and 'value="30"' in page


def _old_history(seeker: Any, application: Any) -> None:
    LoginRecord.objects.create(user=seeker, method="password", login_at=LONG_AGO)
    LoginRecord.objects.create(user=seeker, method="password")
    ApplicationNote.objects.create(application=application, body="候选人家住天河")
    Application.objects.filter(pk=application.pk).update(
        stage="rejected", updated_at=LONG_AGO, answers=[{"q": 1, "a": "我有驾照"}])


def test_a_dry_run_counts_and_changes_nothing(seeker: Any, application: Any) -> None:
    _old_history(seeker, application)
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    line = out.getvalue().strip()
    assert "\n" not in line and "dry run" in line and "2 rows due" in line
    assert LoginRecord.objects.count() == 2
    assert Application.objects.get(pk=application.pk).answers
    run = RetentionRun.objects.get()
    assert run.dry_run and run.report["login_logs"]["count"] == 1


def test_the_job_purges_and_anonymises_keeping_the_statistics(seeker: Any, application: Any,
                                                              tmp_path: Any) -> None:
    _old_history(seeker, application)
    report = tmp_path / "report.json"
    call_command("apply_retention", "--report", str(report), stdout=io.StringIO())
    assert LoginRecord.objects.count() == 1
    kept = Application.objects.get(pk=application.pk)
    assert kept.answers == [] and kept.stage == "rejected" and kept.posting_id
    assert not ApplicationNote.objects.exists()
    assert json.loads(report.read_text())["kinds"]["applications"]["count"] == 1


def test_a_legal_hold_on_the_organisation_or_person_stops_it(
        seeker: Any, application: Any, rights_operator: Any) -> None:
    _old_history(seeker, application)
    legal_hold_place(actor=rights_operator, scope="organisation",
                     organisation=application.organisation, reason="劳动争议仲裁")
    legal_hold_place(actor=rights_operator, scope="case", case_ref="穗劳仲案 2026-88",
                     user=seeker, reason="劳动争议仲裁")
    run = retention_apply(dry_run=False)
    assert run.report["applications"] == {**run.report["applications"], "count": 0, "held": 1}
    assert run.report["login_logs"]["held"] == 1
    assert LoginRecord.objects.count() == 2
    assert Application.objects.get(pk=application.pk).answers


def test_the_jobs_are_in_the_scheduler_table() -> None:
    commands = {job.command for job in SCHEDULE}
    assert {"apply_retention", "alert_overdue_rights_requests"} <= commands
