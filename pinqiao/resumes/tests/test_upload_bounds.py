"""RES-2, SEC-3 (finding 1): text extraction is bounded in time and memory. A legal-sized DOCX
with 1.15 million short paragraphs (45 MB of XML, inside every archive limit) used to be parsed
whole by python-docx in the request: minutes and ~700 MB. Now the upload only checks it, and the
task worker reads the XML as a stream that stops at the text limit or its deadline."""

from __future__ import annotations

import resource
import zipfile
from io import BytesIO
from typing import Any

import pytest

from pinqiao.core.models import AuditEntry
from pinqiao.resumes import uploads
from pinqiao.resumes.models import Attachment
from pinqiao.resumes.tests import files

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pathological() -> bytes:
    data = files.docx_of_many_paragraphs()
    [_types, document] = zipfile.ZipFile(BytesIO(data)).infolist()
    assert document.file_size > 40 * 1024 * 1024  # the probe's 45 MB of XML
    assert document.file_size <= uploads.MAX_ZIP_TOTAL
    assert document.file_size < uploads.MAX_ZIP_RATIO * document.compress_size
    assert len(data) <= uploads.MAX_FILE_BYTES
    return data


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_the_pathological_docx_is_uploaded_and_extracted_within_bounds(
        user_client: Any, seeker: Any, pathological: bytes,
        django_capture_on_commit_callbacks: Any) -> None:
    api = user_client(seeker)
    before = _peak_rss_mb()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = api.post("/api/v1/me/resume/attachment",
                            {"file": files.upload(pathological, "cv.docx", "application/zip")})
    assert response.status_code == 201, response.content
    assert len(callbacks) >= 1  # the extraction went to the task worker
    attachment = Attachment.objects.get()
    assert attachment.text.startswith("0\n1\n2\n")
    assert len(attachment.text) <= uploads.MAX_TEXT_CHARS
    entry = AuditEntry.objects.get(verb="resume.attachment_text_extracted")
    assert entry.data["failure"] == "" and entry.data["text_chars"] == len(attachment.text)
    assert AuditEntry.objects.get(verb="resume.attachment_upload").data["text_deferred"] is True
    # Parsing the 45 MB of XML whole took ~700 MB; reading it as a stream takes next to nothing.
    assert _peak_rss_mb() - before < 150


def test_the_worker_keeps_what_it_read_by_its_deadline(pathological: bytes) -> None:
    assert uploads.extract_text(pathological, "docx", seconds=0) == "0"


def test_empty_paragraphs_stop_at_the_paragraph_limit() -> None:
    data = files.docx_of_many_paragraphs(uploads.MAX_DOCX_PARAGRAPHS * 3, text="")
    assert uploads.extract_text(data, "docx", seconds=60) == ""


def test_small_files_are_still_read_during_the_upload(seeker: Any) -> None:
    checked = uploads.check_resume_file(files.upload(files.docx_with_text("三年仓储经验"),
                                                     "cv.docx"))
    assert not checked.text_deferred and "三年仓储经验" in checked.text


def test_a_large_file_is_checked_during_the_upload_and_its_text_deferred(
        pathological: bytes) -> None:
    checked = uploads.check_resume_file(files.upload(pathological, "cv.docx"))
    assert checked.text_deferred and checked.text == ""
