"""PRIV-4: download my data — a ZIP of JSON files with a README, built by a background task with
visible progress, behind an expiring owner-only link; requests, downloads and refusals audited;
a second request while one is being built joins it."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from pinqiao.core.models import AuditEntry
from pinqiao.notifications.models import Notification
from pinqiao.rights import exports
from pinqiao.rights.models import DataExport, ExportStatus, RightsRequest
from pinqiao.rights.registry import EXPORTERS, Exporter, register_exporter

pytestmark = pytest.mark.django_db


def _built(user: Any, capture: Any) -> DataExport:
    with capture(execute=True):
        requested = exports.export_request(user=user)
    return DataExport.objects.get(pk=requested.export.pk)


def _zip(response: Any) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)
                                      if response.streaming else response.content))


def test_it_builds_a_zip_with_the_resume_as_json_resume_and_the_applications(
        seeker: Any, application: Any, user_client: Any,
        django_capture_on_commit_callbacks: Any) -> None:
    export = _built(seeker, django_capture_on_commit_callbacks)
    assert export.status == ExportStatus.READY and export.progress == 100
    assert export.expires_at > timezone.now() + timedelta(days=6)
    assert RightsRequest.objects.get(pk=export.request_id).status == "completed"
    response = user_client(seeker).get(f"/me/privacy/exports/{export.token}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = _zip(response)
    names = set(archive.namelist())
    assert {"README.txt", "account.json", "resume.json", "applications.json", "consents.json",
            "login_log.json", "resume_access_trail.json", "interviews.json"} <= names
    resume = json.loads(archive.read("resume.json"))
    assert resume["$schema"].endswith("schema.json") and resume["basics"]["name"]
    rows = json.loads(archive.read("applications.json"))
    assert [r["posting"] for r in rows] == [application.posting.title]
    assert json.loads(archive.read("account.json"))["phone"] == seeker.test_phone
    readme = archive.read("README.txt").decode()
    assert "JSON Resume" in readme and "applications.json" in readme
    verbs = set(AuditEntry.objects.values_list("verb", flat=True))
    assert {"rights.export_requested", "rights.export_ready", "rights.export_downloaded"} <= verbs
    assert Notification.objects.filter(user=seeker, event="data_export_ready").exists()


def test_the_stored_file_is_encrypted_at_rest(seeker: Any, application: Any,
                                              django_capture_on_commit_callbacks: Any) -> None:
    from pinqiao.resumes.models import private_storage

    export = _built(seeker, django_capture_on_commit_callbacks)
    with private_storage.open(export.file, "rb") as handle:
        stored = handle.read()
    assert not stored.startswith(b"PK") and b"applications.json" not in stored


def test_a_second_request_while_one_is_being_built_joins_it(seeker: Any) -> None:
    first = exports.export_request(user=seeker)
    second = exports.export_request(user=seeker)
    assert not first.joined and second.joined and first.export.pk == second.export.pk
    assert DataExport.objects.filter(user=seeker).count() == 1
    assert RightsRequest.objects.filter(user=seeker, kind="copy").count() == 1
    assert AuditEntry.objects.filter(verb="rights.export_joined").exists()


def test_the_page_shows_progress_while_the_export_is_built(seeker: Any,
                                                           user_client: Any) -> None:
    requested = exports.export_request(user=seeker)
    DataExport.objects.filter(pk=requested.export.pk).update(
        status=ExportStatus.RUNNING, progress=45, step="投递记录")
    client = user_client(seeker)
    page = client.get("/me/privacy/rights/").content.decode()
    assert 'value="45"' in page and "投递记录" in page and "hx-get" in page
    fragment = client.get(f"/me/privacy/rights/export/{requested.export.pk}/progress/")
    assert fragment.status_code == 200 and "45%" in fragment.content.decode()


def test_someone_elses_link_is_not_found_and_audited(
        seeker: Any, application: Any, make_user: Any, user_client: Any,
        django_capture_on_commit_callbacks: Any) -> None:
    export = _built(seeker, django_capture_on_commit_callbacks)
    stranger = make_user()
    assert user_client(stranger).get(f"/me/privacy/exports/{export.token}/").status_code == 404
    refused = AuditEntry.objects.get(verb="rights.export_download_refused")
    assert refused.actor_id == stranger.pk and refused.data == {"reason": "not_owner"}
    progress = user_client(stranger).get(f"/me/privacy/rights/export/{export.pk}/progress/")
    assert progress.status_code == 404


def test_an_expired_link_is_not_found_and_audited(
        seeker: Any, application: Any, user_client: Any,
        django_capture_on_commit_callbacks: Any) -> None:
    export = _built(seeker, django_capture_on_commit_callbacks)
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now())
    assert user_client(seeker).get(f"/me/privacy/exports/{export.token}/").status_code == 404
    assert AuditEntry.objects.get(verb="rights.export_download_refused").data == {
        "reason": "expired"}


def test_the_nightly_job_deletes_expired_files(seeker: Any, application: Any,
                                               django_capture_on_commit_callbacks: Any) -> None:
    from pinqiao.resumes.models import private_storage

    export = _built(seeker, django_capture_on_commit_callbacks)
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now())
    assert exports.export_files_delete(expired_only=True) == 1
    assert not private_storage.exists(export.file)


def test_an_app_adds_its_data_through_the_exporter_registry(
        seeker: Any, user_client: Any, django_capture_on_commit_callbacks: Any) -> None:
    register_exporter(Exporter("chats", "chats.json", "聊天记录",
                               lambda user: [{"with": "单位", "text": "您好"}]))
    try:
        export = _built(seeker, django_capture_on_commit_callbacks)
        archive = _zip(user_client(seeker).get(f"/me/privacy/exports/{export.token}/"))
        assert json.loads(archive.read("chats.json")) == [{"with": "单位", "text": "您好"}]
    finally:
        EXPORTERS.pop("chats")


def test_the_api_starts_joins_and_reports_progress(seeker: Any, user_client: Any) -> None:
    client = user_client(seeker)
    first = client.post("/api/v1/me/data-exports")
    second = client.post("/api/v1/me/data-exports")
    assert first.status_code == second.status_code == 202
    assert second.json()["joined"] and second.json()["id"] == first.json()["id"]
    status = client.get(f"/api/v1/me/data-exports/{first.json()['id']}").json()
    assert status["status"] == "queued" and status["download_url"] == ""
    assert client.get("/api/v1/me/data-exports/download/nope").status_code == 404


def test_it_rejects_anonymous(client: Any) -> None:
    assert client.post("/me/privacy/rights/export/").status_code == 302
    assert client.post("/api/v1/me/data-exports").status_code == 401
