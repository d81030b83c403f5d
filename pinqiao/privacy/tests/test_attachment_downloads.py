"""Recruiters and the seeker's uploaded résumé file (RES-2, RES-5, RES-6, RES-7): the page shows
the extracted text with contact details masked; the original — which carries them — is handed
out only to an organisation the seeker released them to, watermarked (PDF and DOCX), recorded,
counted against the download limits and traceable with ``trace_leak``."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx
import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from pinqiao.core.models import AuditEntry
from pinqiao.privacy.models import AccessKind, DownloadSource, ResumeAccess, ResumeDownload
from pinqiao.privacy.testing import applied, released
from pinqiao.privacy.watermark import read_marker
from pinqiao.resumes import services as resume_services
from pinqiao.resumes.testing import complete_resume
from pinqiao.resumes.tests import files

pytestmark = pytest.mark.django_db

PHONE = "13700001111"  # not the résumé's own contact phone (139…)


def _with_attachment(seeker: Any, employer: Any, data: bytes, name: str) -> Any:
    resume = complete_resume(seeker)
    resume_services.attachment_upload(actor=seeker, resume=resume,
                                      upload=files.upload(data, name))
    applied(seeker, employer)
    return resume


@pytest.fixture
def pdf_resume(seeker: Any, employer: Any) -> Any:
    return _with_attachment(seeker, employer,
                            files.pdf_with_text(f"Zhang Xiaoming, forklift driver, tel {PHONE}"),
                            "cv.pdf")


@pytest.fixture
def docx_resume(seeker: Any, employer: Any) -> Any:
    return _with_attachment(seeker, employer,
                            files.docx_with_text("张小明 仓库管理员", f"手机：{PHONE}"), "cv.docx")


def _url(resume: Any) -> str:
    return reverse("privacy:recruiter_resume_attachment", args=[resume.public_id])


def _trace(path: Path) -> str:
    out = io.StringIO()
    call_command("trace_leak", str(path), stdout=out)
    return out.getvalue()


def test_before_release_the_page_shows_masked_text_and_the_original_is_refused(
        user_client: Any, pdf_resume: Any, recruiter: Any) -> None:
    browser = user_client(recruiter)
    page = browser.get(reverse("privacy:recruiter_resume", args=[pdf_resume.public_id]))
    html = page.content.decode()
    assert 'id="attachment-name">cv.pdf<' in html and 'id="attachment-locked"' in html
    assert "137****1111" in html and PHONE not in html
    assert ResumeAccess.objects.get().fields[-1] == "attachment"

    refused = browser.get(_url(pdf_resume), follow=True)
    assert refused.redirect_chain[-1][0] == reverse("privacy:recruiter_resume",
                                                     args=[pdf_resume.public_id])
    assert "求职者同意向贵单位提供联系方式后才能下载" in refused.content.decode()
    api = browser.get(f"/api/v1/recruiter/resumes/{pdf_resume.public_id}/attachment")
    assert api.status_code == 403 and api.json()["error"]["code"] == "contact_not_released"
    assert not ResumeDownload.objects.exists()
    assert not AuditEntry.objects.filter(verb="resume.attachment_read").exists()


def test_a_released_pdf_is_watermarked_recorded_and_traced(
        user_client: Any, seeker: Any, pdf_resume: Any, recruiter: Any, employer: Any,
        tmp_path: Path) -> None:
    released(seeker, employer)
    response = user_client(recruiter).get(_url(pdf_resume), REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert PHONE in text and employer.name in text and recruiter.username in text

    download = ResumeDownload.objects.select_related("access").get()
    assert response["Content-Disposition"] == (
        f'attachment; filename="resume-attachment-{download.marker[:8]}.pdf"')
    assert read_marker(response.content) == download.marker
    assert (download.source, download.access.kind, download.access.fields) == (
        DownloadSource.ATTACHMENT, AccessKind.DOWNLOAD, ["attachment", "contact"])
    read = AuditEntry.objects.get(verb="resume.attachment_read")
    assert (read.actor_id, read.data["organisation"], read.data["owner"]) == (
        recruiter.pk, employer.pk, False)

    leaked = tmp_path / "leaked.pdf"
    leaked.write_bytes(response.content)
    report = _trace(leaked)
    assert f"下载记录 #{download.pk}" in report and "附件简历原件" in report
    assert "203.0.113.9" in report and "与下载时的文件完全一致" in report


def test_a_released_docx_is_stamped_in_its_header_and_traced_after_a_resave(
        user_client: Any, seeker: Any, docx_resume: Any, recruiter: Any, employer: Any,
        tmp_path: Path) -> None:
    released(seeker, employer)
    response = user_client(recruiter).get(
        f"/api/v1/recruiter/resumes/{docx_resume.public_id}/attachment")
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    marker = ResumeDownload.objects.get().marker
    document = docx.Document(io.BytesIO(response.content))
    header = "\n".join(p.text for p in document.sections[0].header.paragraphs)
    assert employer.name in header and recruiter.username in header and marker in header
    body = "\n".join(p.text for p in document.paragraphs)
    assert f"手机：{PHONE}" in body and marker in body
    assert document.core_properties.identifier == f"PQWM:{marker}"

    document.core_properties.identifier = ""
    resaved = io.BytesIO()
    document.save(resaved)
    leaked = tmp_path / "forwarded.docx"
    leaked.write_bytes(resaved.getvalue())
    report = _trace(leaked)
    assert recruiter.username in report and "文件已被改动（标记仍在）" in report


def test_attachment_downloads_count_against_the_download_limit(
        settings: Any, user_client: Any, seeker: Any, pdf_resume: Any, recruiter: Any,
        employer: Any) -> None:
    settings.PRIVACY_RESUME_LIMITS = {"user_downloads": 1}
    released(seeker, employer)
    browser = user_client(recruiter)
    assert browser.get(reverse("privacy:recruiter_resume_pdf",
                               args=[pdf_resume.public_id])).status_code == 200
    refused = browser.get(f"/api/v1/recruiter/resumes/{pdf_resume.public_id}/attachment")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "resume_quota_exceeded"
    assert ResumeDownload.objects.count() == 1


def test_the_api_describes_the_attachment_with_its_text_masked(
        user_client: Any, seeker: Any, docx_resume: Any, recruiter: Any, employer: Any
        ) -> None:
    browser = user_client(recruiter)
    url = f"/api/v1/recruiter/resumes/{docx_resume.public_id}"
    attachment = browser.get(url).json()["attachment"]
    assert (attachment["kind"], attachment["original_name"], attachment["downloadable"]) == (
        "docx", "cv.docx", False)
    assert "137****1111" in attachment["text"] and PHONE not in attachment["text"]
    released(seeker, employer)
    assert browser.get(url).json()["attachment"]["downloadable"] is True


def test_a_resume_without_a_file_has_no_attachment_download(
        user_client: Any, seeker: Any, employer: Any, recruiter: Any) -> None:
    resume = complete_resume(seeker)
    applied(seeker, employer)
    released(seeker, employer)
    assert user_client(recruiter).get(_url(resume)).status_code == 404
    assert not ResumeDownload.objects.exists()


def test_another_organisation_gets_404_even_with_a_file(
        user_client: Any, pdf_resume: Any, other_recruiter: Any, other_employer: Any) -> None:
    assert user_client(other_recruiter).get(_url(pdf_resume)).status_code == 404
    assert AuditEntry.objects.filter(verb="privacy.resume_denied",
                                     actor_id=other_recruiter.pk).exists()
    assert not AuditEntry.objects.filter(verb="resume.attachment_read").exists()
