"""RES-2 uploads and the PRIV-1 photo: checked by content, size-limited, bombs refused,
encrypted at rest, nothing half-saved."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from pinqiao.core.errors import ServiceError
from pinqiao.core.models import AuditEntry
from pinqiao.resumes import selectors, services
from pinqiao.resumes.models import Attachment, Resume
from pinqiao.resumes.tests import files
from pinqiao.resumes.uploads import MAX_FILE_BYTES

pytestmark = pytest.mark.django_db


def _stored() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _refused(seeker: Any, resume: Any, data: bytes, name: str) -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        services.attachment_upload(actor=seeker, resume=resume, upload=files.upload(data, name))
    assert not Attachment.objects.exists() and _stored() == []
    assert caught.value.fields["file"]
    return caught.value


def test_a_pdf_is_stored_encrypted_with_its_text(seeker: Any, resume: Any) -> None:
    data = files.pdf_with_text()
    attachment = services.attachment_upload(actor=seeker, resume=resume,
                                            upload=files.upload(data, "我的简历.pdf"))
    assert attachment.kind == "pdf" and attachment.original_name == "我的简历.pdf"
    assert "Python developer" in attachment.text
    [path] = _stored()
    assert path.read_bytes() != data and b"Python" not in path.read_bytes()
    record, plain = selectors.attachment_for_owner(actor=seeker, resume=resume)
    assert plain == data and record == attachment
    assert AuditEntry.objects.filter(verb="resume.attachment_upload").exists()


def test_a_docx_gives_its_paragraphs_and_tables(seeker: Any, resume: Any) -> None:
    data = files.docx_with_text("张小明 求职意向：仓库管理员", "三年仓储经验")
    attachment = services.attachment_upload(
        actor=seeker, resume=resume, upload=files.upload(data, "cv.docx", "application/zip"))
    assert attachment.kind == "docx"
    assert "三年仓储经验" in attachment.text and "Excel 叉车" in attachment.text


def test_contact_details_in_the_extracted_text_are_masked_before_it_is_saved(
        seeker: Any, resume: Any) -> None:
    data = files.docx_with_text("张小明 手机：13912345678 邮箱：xiaoming@example.com",
                                "身份证号 110105199003071239")
    attachment = services.attachment_upload(
        actor=seeker, resume=resume, upload=files.upload(data, "cv.docx", "application/zip"))
    stored = Attachment.objects.get(pk=attachment.pk).text
    assert "139****5678" in stored and "x***@example.com" in stored
    assert "1101**********1239" in stored
    for plain in ("13912345678", "xiaoming@example.com", "110105199003071239"):
        assert plain not in stored
    _record, original = selectors.attachment_for_owner(actor=seeker, resume=resume)
    assert original == data, "the file itself is kept as uploaded (encrypted)"


def test_a_new_upload_replaces_the_old_file(seeker: Any, resume: Any,
                                           django_capture_on_commit_callbacks: Any) -> None:
    services.attachment_upload(actor=seeker, resume=resume,
                               upload=files.upload(files.pdf_with_text("First"), "a.pdf"))
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_upload(actor=seeker, resume=resume,
                                   upload=files.upload(files.pdf_with_text("Second"), "b.pdf"))
    assert Attachment.objects.get().text == "Second"
    assert len(_stored()) == 1


@pytest.mark.parametrize(("data", "name"), [
    (files.HTML_AS_PDF, "resume.pdf"), (files.SVG_AS_PDF, "resume.pdf"),
    (b"GIF89a" + b"\0" * 100, "resume.docx"), (b"MZ\x90\0", "resume.pdf")])
def test_it_refuses_disguised_files(seeker: Any, resume: Any, data: bytes, name: str) -> None:
    error = _refused(seeker, resume, data, name)
    assert error.code == "file_type" and "PDF 或 Word" in error.message


def test_it_refuses_a_pdf_header_followed_by_html(seeker: Any, resume: Any) -> None:
    error = _refused(seeker, resume, b"%PDF-1.4\n" + files.HTML_AS_PDF, "x.pdf")
    assert error.code == "file_broken"


def test_it_refuses_a_pdf_with_javascript(seeker: Any, resume: Any) -> None:
    data = files.pdf_with_text().replace(
        b"<< /Type /Catalog", b"<< /OpenAction << /S /JavaScript /JS (x) >> /Type /Catalog")
    assert _refused(seeker, resume, data, "x.pdf").code == "file_active"


def test_it_refuses_an_oversize_file(seeker: Any, resume: Any) -> None:
    data = files.pdf_with_text() + b"%" * MAX_FILE_BYTES
    error = _refused(seeker, resume, data, "big.pdf")
    assert error.code == "file_too_large" and "10 MB" in error.message


def test_it_refuses_an_empty_file(seeker: Any, resume: Any) -> None:
    assert _refused(seeker, resume, b"", "empty.pdf").code == "file_empty"


def test_it_refuses_a_docx_bomb_by_ratio(seeker: Any, resume: Any) -> None:
    error = _refused(seeker, resume, files.docx_bomb(), "bomb.docx")
    assert error.code == "file_bomb" and "解压后过大" in error.message


def test_it_refuses_a_docx_bomb_by_total_size(seeker: Any, resume: Any) -> None:
    data = files.docx_bomb(members=60, member_size=1_000_000)
    assert len(data) < 1_000_000
    assert _refused(seeker, resume, data, "bomb.docx").code == "file_bomb"


def test_it_refuses_a_zip_with_too_many_members(seeker: Any, resume: Any) -> None:
    data = files.docx_bomb(members=600, member_size=10)
    assert _refused(seeker, resume, data, "many.docx").code == "file_bomb"


def test_it_refuses_a_zip_that_is_not_a_word_document(seeker: Any, resume: Any) -> None:
    out = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert _refused(seeker, resume, out.getvalue(), "x.docx").code == "file_type"


def test_a_refused_replacement_keeps_the_old_attachment(seeker: Any, resume: Any) -> None:
    services.attachment_upload(actor=seeker, resume=resume,
                               upload=files.upload(files.pdf_with_text("Keep"), "a.pdf"))
    with pytest.raises(ServiceError):
        services.attachment_upload(actor=seeker, resume=resume,
                                   upload=files.upload(files.HTML_AS_PDF, "b.pdf"))
    assert Attachment.objects.get().text == "Keep" and len(_stored()) == 1


def test_the_photo_is_re_encoded_without_metadata_and_encrypted(seeker: Any,
                                                                 resume: Any) -> None:
    from PIL import Image

    services.photo_set(actor=seeker, resume=resume,
                       upload=files.upload(files.jpeg_with_exif(), "me.jpg", "image/jpeg"))
    [path] = _stored()
    assert not path.read_bytes().startswith(b"\xff\xd8")
    plain = selectors.photo_for_owner(actor=seeker, resume=Resume.objects.get(pk=resume.pk))
    assert b"SpyCamMaker" not in plain
    with Image.open(io.BytesIO(plain)) as image:
        assert image.format == "JPEG" and image.size == (600, 800)


def test_it_refuses_a_fake_photo(seeker: Any, resume: Any) -> None:
    with pytest.raises(ServiceError) as caught:
        services.photo_set(actor=seeker, resume=resume,
                           upload=files.upload(files.SVG_AS_PDF, "me.png", "image/png"))
    assert caught.value.code == "file_type" and _stored() == []
    with pytest.raises(ServiceError) as caught:
        services.photo_set(actor=seeker, resume=resume,
                           upload=files.upload(b"\x89PNG\r\n\x1a\nbroken", "me.png"))
    assert caught.value.code == "file_broken" and _stored() == []


def test_another_user_cannot_read_the_photo_or_attachment(seeker: Any, resume: Any,
                                                          other_seeker: Any) -> None:
    from pinqiao.core.errors import NotFound

    services.attachment_upload(actor=seeker, resume=resume,
                               upload=files.upload(files.pdf_with_text(), "a.pdf"))
    with pytest.raises(NotFound):
        selectors.attachment_for_owner(actor=other_seeker, resume=resume)
    with pytest.raises(NotFound):
        selectors.photo_for_owner(actor=other_seeker, resume=resume)
    assert AuditEntry.objects.filter(verb="resume.access_denied",
                                     actor_id=other_seeker.pk).count() == 2


def test_the_upload_page_shows_a_clear_error(user_client: Any, seeker: Any) -> None:
    client = user_client(seeker)
    response = client.post("/me/resume/attachment/",
                           {"file": files.upload(files.SVG_AS_PDF, "resume.pdf")})
    assert response.status_code == 400
    assert "改后缀名的网页" in response.content.decode()
    response = client.post("/me/resume/attachment/",
                           {"file": files.upload(files.pdf_with_text(), "resume.pdf")})
    assert response.status_code == 302
    download = client.get("/me/resume/attachment/file/")
    assert download.content == files.pdf_with_text()
    assert download["Cache-Control"] == "no-store"


def test_our_own_pdf_can_be_uploaded_back(seeker: Any, complete: Any) -> None:
    from pinqiao.resumes.rendering import resume_pdf

    data = resume_pdf(complete)
    attachment = services.attachment_upload(actor=seeker, resume=complete,
                                            upload=files.upload(data, "简历.pdf"))
    assert "华南理工大学" in attachment.text
