"""Résumé downloads (RES-6, RES-7): a watermarked PDF with a hidden marker, recorded in the
trail and counted against the download limits; ``trace_leak`` names the download behind a
leaked file."""

from __future__ import annotations

import io
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from pypdf import PdfReader
from weasyprint import HTML

from pinqiao.core.models import AuditEntry
from pinqiao.privacy.models import AccessFlag, AccessKind, FlagReason, ResumeDownload
from pinqiao.privacy.testing import CONTACT, applied, released
from pinqiao.privacy.watermark import new_marker, read_marker, watermark_pdf
from pinqiao.resumes.testing import complete_resume

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(seeker: Any, employer: Any) -> Any:
    resume = complete_resume(seeker)
    applied(seeker, employer)
    return resume


def _pdf_url(resume: Any, query: str = "") -> str:
    return reverse("privacy:recruiter_resume_pdf", args=[resume.public_id]) + query


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _trace(path: Path) -> str:
    out = io.StringIO()
    call_command("trace_leak", str(path), stdout=out)
    return out.getvalue()


def test_a_download_is_watermarked_recorded_and_traced(
        user_client: Any, seeker: Any, shared: Any, recruiter: Any, employer: Any,
        tmp_path: Path) -> None:
    response = user_client(recruiter).get(_pdf_url(shared, "?template=business"),
                                          REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    pdf = response.content
    text = _text(pdf)
    assert "华南理工大学" in text and employer.name in text and recruiter.username in text
    assert CONTACT["phone"] not in text and "联系方式需经求职者同意后可见" in text

    download = ResumeDownload.objects.select_related("access").get()
    assert read_marker(pdf) == download.marker and download.marker in text
    assert (download.access.kind, download.access.viewer, download.access.organisation,
            download.template) == (AccessKind.DOWNLOAD, recruiter, employer, "business")
    assert download.access.fields == ["basic", "intention", "about", "education", "work"]
    assert AuditEntry.objects.filter(verb="privacy.resume_downloaded").count() == 1

    leaked = tmp_path / "leaked.pdf"
    leaked.write_bytes(pdf)
    report = _trace(leaked)
    assert f"下载记录 #{download.pk}" in report
    assert recruiter.username in report and employer.name in report
    assert str(shared.public_id) in report and "203.0.113.7" in report
    assert "与下载时的文件完全一致" in report
    assert AuditEntry.objects.get(verb="privacy.leak_traced").data["marker"] == download.marker


def test_released_contact_details_are_printed(user_client: Any, seeker: Any, shared: Any,
                                              recruiter: Any, employer: Any) -> None:
    released(seeker, employer)
    text = _text(user_client(recruiter).get(_pdf_url(shared)).content)
    assert "13912345678" in text
    assert ResumeDownload.objects.get().access.fields[-1] == "contact"


def test_another_organisation_gets_404_and_an_audit_entry(
        user_client: Any, shared: Any, other_recruiter: Any, other_employer: Any) -> None:
    response = user_client(other_recruiter).get(_pdf_url(shared))
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert AuditEntry.objects.get(verb="privacy.resume_denied").actor_id == other_recruiter.pk
    assert not ResumeDownload.objects.exists()


def test_it_rejects_anonymous(client: Any, shared: Any) -> None:
    assert client.get(_pdf_url(shared)).status_code == 302
    assert not ResumeDownload.objects.exists()


def test_an_unknown_template_is_refused(user_client: Any, shared: Any, recruiter: Any) -> None:
    response = user_client(recruiter).get(_pdf_url(shared, "?template=fancy"))
    assert response.status_code == 400
    assert not ResumeDownload.objects.exists()


def test_each_download_counts_and_the_limit_answers_429(
        settings: Any, user_client: Any, shared: Any, recruiter: Any) -> None:
    settings.PRIVACY_RESUME_LIMITS = {"user_downloads": 1}
    browser = user_client(recruiter)
    assert browser.get(_pdf_url(shared)).status_code == 200
    refused = browser.get(f"/api/v1/recruiter/resumes/{shared.public_id}/pdf")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "resume_quota_exceeded"
    assert ResumeDownload.objects.count() == 1
    assert AccessFlag.objects.get().reason == FlagReason.QUOTA


def test_the_api_download_is_the_same_file_kind(user_client: Any, shared: Any,
                                                recruiter: Any) -> None:
    response = user_client(recruiter).get(f"/api/v1/recruiter/resumes/{shared.public_id}/pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert read_marker(response.content) == ResumeDownload.objects.get().marker


def test_trace_leak_refuses_files_without_a_marker_or_record(tmp_path: Path) -> None:
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(HTML(string="<p>别处的简历</p>").write_pdf())
    with pytest.raises(CommandError, match="没有找到聘桥下载标记"):
        _trace(plain)
    foreign = tmp_path / "foreign.pdf"
    foreign.write_bytes(watermark_pdf(plain.read_bytes(), lines=["?"], marker=new_marker()))
    with pytest.raises(CommandError, match="没有与标记"):
        _trace(foreign)
    with pytest.raises(CommandError, match="文件不存在"):
        _trace(tmp_path / "missing.pdf")


def test_trace_leak_by_the_number_on_a_printout_and_on_an_altered_file(
        user_client: Any, shared: Any, recruiter: Any, tmp_path: Path) -> None:
    pdf = user_client(recruiter).get(_pdf_url(shared)).content
    marker = ResumeDownload.objects.get().marker
    out = io.StringIO()
    call_command("trace_leak", marker=marker.upper(), stdout=out)
    assert recruiter.username in out.getvalue()
    altered = tmp_path / "altered.pdf"
    altered.write_bytes(pdf + b"\n%edited\n")
    assert "文件已被改动" in _trace(altered)
    with pytest.raises(CommandError):
        call_command("trace_leak", marker=uuid.uuid4().hex[:24])
