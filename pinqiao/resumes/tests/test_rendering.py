"""RES-2: three templates, PDF with the CJK font, the contact printed only as given."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from pinqiao.resumes.rendering import (
    CONTACT_HIDDEN,
    TEMPLATES,
    ResumeContact,
    resume_html,
    resume_pdf,
    resume_text,
)

pytestmark = pytest.mark.django_db


def test_it_offers_at_least_three_templates() -> None:
    assert set(TEMPLATES) >= {"simple", "business", "two_column"}
    assert TEMPLATES["simple"] == "简约"


@pytest.mark.parametrize("template", ["simple", "business", "two_column"])
def test_it_renders_every_template_with_the_sections(complete: Any, template: str) -> None:
    html = resume_html(complete, template=template)
    for text in ("张小明", "华南理工大学", "Python开发工程师", "800 毫秒", "广东省广州市",
                 "12000–18000 元/月", CONTACT_HIDDEN):
        assert text in html
    assert "13912345678" not in html and "<script" not in html


def test_it_prints_only_the_contact_it_is_given(complete: Any) -> None:
    masked = ResumeContact(phone="139****5678", email="x***@example.com", im="w***g")
    html = resume_html(complete, contact=masked)
    assert "139****5678" in html and CONTACT_HIDDEN not in html
    assert "13912345678" not in html


def test_it_escapes_what_the_seeker_typed(seeker: Any, complete: Any) -> None:
    from pinqiao.resumes import services

    services.resume_update(actor=seeker, resume=complete,
                           data={"interests": "<img src=x onerror=alert(1)>"})
    html = resume_html(complete)
    assert "<img src=x" not in html


def test_the_pdf_embeds_the_cjk_font_and_the_chinese_name(complete: Any) -> None:
    contact = ResumeContact(phone="13912345678", email="xiaoming@example.com", im="")
    data = resume_pdf(complete, template="two_column", contact=contact)
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "张小明" in text and "13912345678" in text
    fonts = {str(font) for page in reader.pages
             for font in page["/Resources"]["/Font"].values()
             for font in [font.get_object()["/BaseFont"]]}
    assert any("Noto-Sans-CJK-SC" in name for name in fonts), fonts


def test_the_search_text_has_no_contact_details_and_no_name(seeker: Any, complete: Any) -> None:
    text = resume_text(complete)
    assert "华南理工大学" in text and "Python" in text and "跑步" in text
    for secret in ("13912345678", "xiaoming@example.com", "wx_xiaoming", "张小明"):
        assert secret not in text


def test_the_pdf_shows_the_photo_read_from_its_data_uri(seeker: Any, complete: Any) -> None:
    from pinqiao.resumes import services
    from pinqiao.resumes.tests import files

    resume = services.photo_set(actor=seeker, resume=complete, upload=files.upload(
        files.jpeg_with_exif((300, 400)), "me.jpg", "image/jpeg"))
    assert 'src="data:image/jpeg;base64,' in resume_html(resume)
    reader = PdfReader(io.BytesIO(resume_pdf(resume)))
    assert [image.name for page in reader.pages for image in page.images]
