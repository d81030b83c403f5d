"""The download watermark (RES-6; DB4401 7.4.1): visible lines on every page and a hidden
marker in the page text and the metadata, found again by ``read_marker``."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

from pinqiao.privacy.watermark import (
    METADATA_KEY,
    WatermarkError,
    new_marker,
    read_marker,
    watermark_pdf,
)

LINES = ["广州市聘桥示范科技有限公司", "账号 u_hr01 · 2026-01-05 10:00", "下载编号 x"]


@pytest.fixture(scope="module")
def source() -> bytes:
    """Two pages of different sizes: A4 portrait, then A5 landscape."""
    return HTML(string=(
        "<style>@page { size: A4 } @page wide { size: A5 landscape } .w { page: wide }</style>"
        "<h1>张三的简历</h1><p>Python 开发</p><div class='w'>第二页</div>")).write_pdf()


@pytest.fixture(scope="module")
def stamped(source: bytes) -> tuple[bytes, str]:
    marker = new_marker()
    return watermark_pdf(source, lines=LINES, marker=marker), marker


def _strip_metadata(pdf: bytes) -> bytes:
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_every_page_carries_the_lines_and_the_marker(source: bytes,
                                                     stamped: tuple[bytes, str]) -> None:
    pdf, marker = stamped
    reader = PdfReader(io.BytesIO(pdf))
    original = PdfReader(io.BytesIO(source))
    assert len(reader.pages) == 2
    for page, before in zip(reader.pages, original.pages, strict=True):
        assert page.mediabox == before.mediabox
        text = page.extract_text()
        assert LINES[0] in text and "u_hr01" in text
        assert f"PQWM:{marker}" in text
    assert reader.metadata[METADATA_KEY] == marker
    assert read_marker(pdf) == marker


def test_the_marker_survives_metadata_stripping(stamped: tuple[bytes, str]) -> None:
    pdf, marker = stamped
    bare = _strip_metadata(pdf)
    assert METADATA_KEY not in (PdfReader(io.BytesIO(bare)).metadata or {})
    assert read_marker(bare) == marker


def test_the_metadata_is_the_fallback(source: bytes) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(source)))
    writer.add_metadata({METADATA_KEY: "ab" * 12})
    out = io.BytesIO()
    writer.write(out)
    assert read_marker(out.getvalue()) == "ab" * 12


def test_unmarked_or_broken_files_have_no_marker(source: bytes) -> None:
    assert read_marker(source) is None
    assert read_marker(b"%PDF-1.4 nothing here") is None
    assert read_marker(b"<html>not a pdf</html>") is None


def test_it_refuses_a_bad_marker_or_a_file_that_is_not_a_pdf(source: bytes) -> None:
    with pytest.raises(WatermarkError):
        watermark_pdf(source, lines=LINES, marker="not-hex")
    with pytest.raises(WatermarkError):
        watermark_pdf(b"<svg/>", lines=LINES, marker=new_marker())


def test_markers_are_random() -> None:
    assert len({new_marker() for _ in range(100)}) == 100
