"""ORG-1/ORG-5 uploads: content-typed, size-limited, stored outside the web root under a
random name, read only through the permission-checked, audited view."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pinqiao.core.errors import ServiceError
from pinqiao.core.models import AuditEntry
from pinqiao.orgs import testing
from pinqiao.orgs.models import Document
from pinqiao.orgs.services import organisation_register
from pinqiao.orgs.uploads import check_upload
from pinqiao.resumes.tests import files

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name,content", [
    ("licence.pdf", b"<!DOCTYPE html><html><body>fake</body></html>"),
    ("licence.pdf", b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'/>"),
    ("licence.pdf", b"<svg onload=alert(1)>"),
    ("licence.png", b"MZ\x90\x00executable"),
])
def test_it_refuses_files_whose_content_is_not_pdf_png_or_jpeg(name, content):
    with pytest.raises(ServiceError) as exc:
        check_upload(SimpleUploadedFile(name, content, "application/pdf"), field="f")
    assert exc.value.code == "file_type"
    assert "按内容识别" in exc.value.fields["f"][0]


@pytest.mark.parametrize("content,ctype", [
    (testing.PDF_BYTES, "application/pdf"), (testing.PNG_BYTES, "image/png"),
    (files.jpeg_with_exif((40, 30)), "image/jpeg")])
def test_it_accepts_pdf_png_and_jpeg_by_content(content, ctype):
    checked = check_upload(SimpleUploadedFile("anything.bin", content, "text/html"), field="f")
    assert checked.content_type == ctype


@pytest.mark.parametrize("content,code", [
    (b"%PDF-1.4\n<html><body><script>alert(1)</script></body></html>\n%%EOF\n",
     "file_broken"),
    (b"%PDF-1.4\n<html><body>fake licence</body></html>", "file_broken"),
    (files.pdf_with_text().replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction "
                                                      b"<< /S /JavaScript /JS (x) >>"),
     "file_active"),
    (b"\x89PNG\r\n\x1a\n<html><body>fake</body></html>", "file_broken"),
    (b"\xff\xd8\xff\xe0<html>fake</html>", "file_broken"),
])
def test_it_refuses_files_that_only_start_like_a_pdf_or_image(content, code):
    """SEC-3 (finding 10): the magic bytes are not enough; the whole file must be what they
    claim, with the résumé upload's PDF checks."""
    with pytest.raises(ServiceError) as exc:
        check_upload(SimpleUploadedFile("licence.pdf", content, "application/pdf"), field="f")
    assert exc.value.code == code
    assert exc.value.fields["f"]


def test_registration_with_html_behind_a_pdf_header_saves_nothing(recruiter):
    fake = SimpleUploadedFile("licence.pdf", b"%PDF-1.7\n<html><script>x</script></html>",
                              "application/pdf")
    materials = testing.materials_input("employer", "x", 1)
    materials.files["business_licence"] = fake
    with pytest.raises(ServiceError) as exc:
        data = testing.org_input(testing.company("聘桥示范科技"), "employer")
        organisation_register(actor=recruiter, data=data, materials=materials, pledge_signed=True,
                              agreement_version=testing.service_agreement_current().version)
    assert "business_licence" in exc.value.fields
    assert not Document.objects.exists()


def test_it_refuses_an_oversize_file(settings):
    settings.ORG_UPLOAD_MAX_BYTES = 1024
    big = SimpleUploadedFile("big.pdf", testing.PDF_BYTES + b"0" * 2000, "application/pdf")
    with pytest.raises(ServiceError) as exc:
        check_upload(big, field="f")
    assert exc.value.code == "file_too_large"
    assert "上限" in exc.value.message


def test_it_refuses_an_empty_or_missing_file():
    with pytest.raises(ServiceError):
        check_upload(None, field="f")
    with pytest.raises(ServiceError):
        check_upload(SimpleUploadedFile("e.pdf", b"", "application/pdf"), field="f")


def test_it_stores_under_a_random_name_outside_the_static_root(recruiter, settings):
    testing.register(recruiter, "聘桥示范科技")
    doc = Document.objects.filter(kind="business_licence").get()
    path = Path(doc.file.path)
    assert path.is_file() and str(path).startswith(str(settings.MEDIA_ROOT))
    assert "bl" not in path.name and path.suffix == ".pdf" and len(path.stem) == 32
    assert doc.original_name == "bl.pdf"
    assert not str(path).startswith(str(settings.STATIC_ROOT))


def test_it_serves_a_file_to_the_owner_and_audits_it(recruiter, user_client):
    testing.register(recruiter, "聘桥示范科技")
    doc = Document.objects.filter(kind="id_proof").get()
    response = user_client(recruiter).get(reverse("orgs:document", args=[doc.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert AuditEntry.objects.filter(verb="orgs.document_viewed", target_id=str(doc.pk)).exists()


def test_it_serves_a_file_to_a_reviewer_with_the_second_factor(recruiter, reviewer,
                                                                staff_client):
    testing.register(recruiter, "聘桥示范科技")
    doc = Document.objects.filter(kind="id_proof").get()
    assert staff_client(reviewer).get(reverse("orgs:document", args=[doc.pk])).status_code == 200


def test_it_hides_files_from_other_users_and_anonymous(recruiter, recruiter2, user_client,
                                                        client):
    testing.register(recruiter, "聘桥示范科技")
    doc = Document.objects.filter(kind="id_proof").get()
    assert user_client(recruiter2).get(reverse("orgs:document", args=[doc.pk])).status_code == 404
    assert client.get(reverse("orgs:document", args=[doc.pk])).status_code == 404
    assert not AuditEntry.objects.filter(verb="orgs.document_viewed").exists()
