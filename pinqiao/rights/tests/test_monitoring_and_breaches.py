"""SEC-2: alerts on bulk reads of personal data, unusual exports and off-hours staff access,
shown on a staff page and sent to the auditors. PRIV-8: the breach register — the incident, the
notices to the people affected (through notifications) and the report to the regulator."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from pinqiao.core.audit import log_action
from pinqiao.core.errors import ServiceError
from pinqiao.core.permissions import Role
from pinqiao.interviews.workdays import CHINA
from pinqiao.notifications.models import Notification
from pinqiao.rights import monitoring
from pinqiao.rights.breaches import breach_notify, breach_record, breach_report
from pinqiao.rights.models import BreachNotice, SecurityAlert

pytestmark = pytest.mark.django_db


@pytest.fixture
def security(make_user: Any) -> Any:
    return make_user(role=Role.AUDITOR, phone=None, email="sec@test.example")


def test_bulk_reads_raise_one_alert_for_the_auditors(recruiter: Any, security: Any) -> None:
    for _ in range(monitoring.BULK_READS + 1):
        log_action(recruiter, "resume.contact_read", ("resumes.resume", 1), {})
    assert monitoring.access_monitor() == 1
    assert monitoring.access_monitor() == 0
    alert = SecurityAlert.objects.get()
    assert alert.kind == "bulk_read" and alert.evidence["count"] == monitoring.BULK_READS + 1
    assert Notification.objects.filter(user=security, event="security_alert").count() == 1


def test_a_few_reads_in_office_hours_raise_nothing(recruiter: Any) -> None:
    for _ in range(5):
        log_action(recruiter, "resume.contact_read", ("resumes.resume", 1), {})
    assert monitoring.access_monitor(dry_run=True) == 0


def test_unusual_exports_and_staff_out_of_hours_are_flagged(recruiter: Any,
                                                             reviewer: Any) -> None:
    from pinqiao.core.models import AuditEntry

    for _ in range(monitoring.DAILY_EXPORTS + 1):
        log_action(recruiter, "resume.pdf_download", ("resumes.resume", 1), {})
    entries = list(AuditEntry.objects.all())

    def staff_read(at: datetime) -> AuditEntry:
        return AuditEntry(actor_id=reviewer.pk, actor_role=reviewer.role,
                          verb="orgs.document_viewed", at=at)

    found = monitoring._findings([*entries, staff_read(datetime(2025, 6, 3, 23, 30,
                                                                tzinfo=CHINA))])
    assert {kind for kind, *_rest in found} == {"unusual_export", "off_hours"}
    holiday = monitoring._findings([staff_read(datetime(2025, 10, 1, 10, 0, tzinfo=CHINA))])
    assert [kind for kind, *_rest in holiday] == ["off_hours"]
    office = monitoring._findings([staff_read(datetime(2025, 6, 3, 10, 0, tzinfo=CHINA))])
    assert office == []


def test_the_alert_page_is_for_auditors(recruiter: Any, security: Any, reviewer: Any,
                                        staff_client: Any) -> None:
    for _ in range(monitoring.BULK_READS + 1):
        log_action(recruiter, "resume.contact_read", ("resumes.resume", 1), {})
    call_command("monitor_access", stdout=io.StringIO())
    page = staff_client(security).get("/staff/security/alerts/").content.decode()
    assert recruiter.username in page and "短时间内大量读取个人信息" in page
    assert staff_client(reviewer).get("/staff/security/alerts/").status_code == 403


def test_a_breach_is_recorded_the_people_told_once_and_the_report_kept(
        seeker: Any, security: Any, staff_client: Any) -> None:
    from pinqiao.jobs.tests.fixtures import otp_verified

    staff = otp_verified(security)
    with pytest.raises(ServiceError) as exc:
        breach_record(actor=staff, occurred_at=timezone.now(), title="", description="x",
                      data_involved="x", measures="x", advice="x")
    assert "title" in exc.value.fields
    breach = breach_record(actor=staff, occurred_at=timezone.now() - timedelta(hours=3),
                           title="导出文件误发", description="一份投递导出文件误发给第三方。",
                           data_involved="姓名、手机号（脱敏）", measures="已要求对方删除并确认。",
                           advice="留意冒充平台的电话和短信。")
    with pytest.raises(ServiceError) as exc:
        breach_notify(actor=staff, breach_id=breach.pk, usernames=[seeker.username, "nobody"])
    assert exc.value.code == "unknown_users"
    assert breach_notify(actor=staff, breach_id=breach.pk, usernames=[seeker.username]) == 1
    assert breach_notify(actor=staff, breach_id=breach.pk, usernames=[seeker.username]) == 0
    notice = Notification.objects.get(user=seeker, event="breach_notice")
    assert "导出文件误发" in notice.body and "留意冒充" in notice.body
    assert BreachNotice.objects.get().notification == notice
    breach_report(actor=staff, breach_id=breach.pk, report="已于当日报送市网信办、人社局。")
    page = staff_client(security).get("/staff/privacy/breaches/").content.decode()
    assert "已报告监管部门" in page and "已通知 1 人" in page.replace("\n", "")


def test_the_breach_form_keeps_the_input_on_refusal(security: Any, staff_client: Any) -> None:
    response = staff_client(security).post("/staff/privacy/breaches/", {
        "title": "测试事件", "occurred_at": "2099-01-01T10:00", "description": "经过",
        "data_involved": "手机号", "measures": "措施", "advice": "建议"})
    page = response.content.decode()
    assert response.status_code == 400 and "发生时间不能晚于现在" in page and "测试事件" in page
