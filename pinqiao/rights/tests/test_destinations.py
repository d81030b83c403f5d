"""PRIV-9: export destinations, none abroad by default. Every path that sends personal data off
the platform — the data download, the JSON Resume export, the credit-sharing exports (CSV, JSON,
API), backups to a directory and any HTTP export — checks its destination and refuses an
unlisted, disabled or abroad one with a clear error, audited."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from pinqiao.core.errors import ServiceError
from pinqiao.core.models import AuditEntry
from pinqiao.rights import exports
from pinqiao.rights.destinations import (
    CREDIT_SHARING,
    SELF_DOWNLOAD,
    destination_check,
    destination_record,
    destination_set_enabled,
)
from pinqiao.rights.models import DataExport, ExportDestination

pytestmark = pytest.mark.django_db


def _switch_off(target: str) -> None:
    ExportDestination.objects.filter(target=target).update(enabled=False)


def _refusals() -> list[dict[str, Any]]:
    return [e.data for e in AuditEntry.objects.filter(verb="rights.export_refused")]


def test_the_seeded_list_is_domestic_and_names_every_path() -> None:
    rows = ExportDestination.objects.all()
    assert {(r.kind, r.target) for r in rows} >= {
        ("data_subject", "self"), ("regulator", "credit-sharing"),
        ("regulator", "case-referral"), ("backup", "var/backups")}
    assert {r.region for r in rows} == {"cn"} and all(r.enabled for r in rows)


def test_the_data_download_is_refused_when_its_destination_is_switched_off(
        seeker: Any, user_client: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        export = exports.export_request(user=seeker).export
    export.refresh_from_db()
    _switch_off(SELF_DOWNLOAD)
    client = user_client(seeker)

    page = client.get(f"/me/privacy/exports/{export.token}/", follow=True)
    assert page.status_code == 200 and "已停用" in page.content.decode()
    api = client.post("/api/v1/me/data-exports")
    assert api.status_code == 403
    assert api.json()["error"]["code"] == "export_destination_disabled"
    again = client.post("/me/privacy/rights/export/", follow=True)
    assert "已拒绝导出" in again.content.decode()
    assert DataExport.objects.filter(user=seeker).count() == 1
    assert [r["what"] for r in _refusals()] == ["data_export"] * 3


def test_the_json_resume_export_is_refused_when_unlisted(seeker: Any, application: Any,
                                                         user_client: Any) -> None:
    ExportDestination.objects.filter(target=SELF_DOWNLOAD).delete()
    response = user_client(seeker).get(reverse("resumes:export_json"), follow=True)
    assert response.status_code == 200
    assert "不在个人信息导出目的地清单中" in response.content.decode()
    assert _refusals()[0]["reason"] == "export_destination_unlisted"


def test_the_credit_exports_are_refused_when_the_channel_is_switched_off(
        regulator: Any, staff_client: Any, employer: Any) -> None:
    client = staff_client(regulator)
    assert client.get(reverse("orgs:credit_export")).status_code == 200
    _switch_off(CREDIT_SHARING)
    for url in (reverse("orgs:credit_export"), reverse("risk:credit_export_json")):
        refused = client.get(url)
        assert refused.status_code == 403 and "已停用" in refused.content.decode()
    api = client.get("/api/v1/cases/credit-export")
    assert api.status_code == 403 and api.json()["error"]["code"] == "export_destination_disabled"
    assert len(_refusals()) == 3
    assert AuditEntry.objects.filter(verb="orgs.credit_exported").count() == 1


@pytest.mark.django_db(transaction=True)  # SQLite's online backup needs no open transaction
def test_a_backup_goes_only_to_a_listed_directory(tmp_path: Path, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    with pytest.raises(CommandError, match="不在个人信息导出目的地清单中"):
        call_command("backup", "--to", str(tmp_path / "elsewhere"), stdout=io.StringIO())
    assert not (tmp_path / "elsewhere").exists()
    ExportDestination.objects.create(kind="backup", target=str(tmp_path / "listed"),
                                     name="测试备份盘", recipient="本机", basis="RET-2")
    out = io.StringIO()
    call_command("backup", "--to", str(tmp_path / "listed" / "nightly"), stdout=out)
    assert "written to" in out.getvalue()
    assert _refusals()[0]["kind"] == "backup"


def test_an_http_export_goes_only_to_a_listed_domestic_origin(operator: Any) -> None:
    from pinqiao.jobs.tests.fixtures import otp_verified

    staff = otp_verified(operator)
    with pytest.raises(ServiceError) as unlisted:
        destination_check(kind="http", target="https://api.example.cn/v1/push", what="push")
    assert unlisted.value.code == "export_destination_unlisted"
    destination_record(actor=staff, kind="http", target="https://API.example.cn/anything",
                       name="政务接口", recipient="某主管部门", region="cn", basis="测试")
    assert destination_check(kind="http", target="https://api.example.cn/v1/push",
                             what="push").name == "政务接口"
    with pytest.raises(ServiceError):  # another port is another origin
        destination_check(kind="http", target="https://api.example.cn:8443/v1", what="push")

    abroad = destination_record(actor=staff, kind="http", target="https://eu.example.com",
                                name="境外云", recipient="境外公司", region="abroad",
                                basis="申请中")
    assert not abroad.enabled
    with pytest.raises(ServiceError) as refused:
        destination_check(kind="http", target="https://eu.example.com/in", what="push")
    assert refused.value.code == "export_destination_abroad" and "境外" in refused.value.message
    with pytest.raises(ServiceError):
        destination_set_enabled(actor=staff, destination_id=abroad.pk, enabled=True)
    assert [r["reason"] for r in _refusals()] == [
        "export_destination_unlisted", "export_destination_unlisted", "export_destination_abroad"]


def test_staff_list_record_and_switch_destinations(operator: Any, staff_client: Any,
                                                   recruiter: Any, user_client: Any) -> None:
    client = staff_client(operator)
    url = reverse("rights:staff_destinations")
    assert "var/backups" in client.get(url).content.decode()
    bad = client.post(url, {"kind": "http", "target": "ftp://files.example.cn", "name": "文件站",
                            "recipient": "y", "region": "cn", "basis": "z"})
    assert bad.status_code == 400
    assert "请填写目的地" in bad.content.decode() and "文件站" in bad.content.decode()
    good = client.post(url, {"kind": "backup", "target": "/srv/backups", "name": "异地备份",
                             "recipient": "本公司广州机房", "region": "cn", "basis": "RET-2"})
    assert good.status_code == 302
    row = ExportDestination.objects.get(name="异地备份")
    client.post(reverse("rights:staff_destination_toggle", args=[row.pk]), {"enabled": "0"})
    row.refresh_from_db()
    assert not row.enabled
    assert {"rights.destination_recorded", "rights.destination_disabled"} <= set(
        AuditEntry.objects.values_list("verb", flat=True))
    api = client.get("/api/v1/staff/export-destinations")
    assert api.status_code == 200 and "异地备份" in {d["name"] for d in api.json()}
    created = client.post("/api/v1/staff/export-destinations", {
        "kind": "http", "target": "ftp://nope", "name": "n", "recipient": "r", "basis": "b"},
        content_type="application/json")
    assert created.status_code == 400 and created.json()["error"]["code"] == "invalid_destination"
    assert user_client(recruiter).get(url).status_code in (302, 403)
