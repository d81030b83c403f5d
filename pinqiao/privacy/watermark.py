"""Download watermarks (RES-6; DB4401 7.4.1 简历水印, 7.3.3 traceability).

Every downloaded résumé PDF carries
* a visible diagonal watermark on every page — the caller's lines (organisation, account, time,
  download number), light grey, tiled so that cropping one corner does not remove it; rendered
  by WeasyPrint with the CJK font and merged over each page with pypdf;
* a hidden per-download marker, twice: as invisible text (PDF text render mode 3, as OCR layers
  use) at the foot of every page, which survives metadata stripping and re-saving, and in the
  document information dictionary under ``/PinqiaoMarker``.

``read_marker`` finds the marker again, page text first, then the metadata. A file that was
rasterised (printed and scanned, screenshots) loses the hidden marker; the visible lines then
still name the organisation, the account and the download number.

An uploaded Word résumé (DOCX) handed to a recruiter is stamped the same way in Word's terms
(``watermark_docx``): the visible lines in the page header, so on every page, and again at the
end of the text; the marker as hidden text (``w:vanish``) in the header and at the end, and as
the document's ``identifier`` property. ``read_marker`` reads a DOCX as XML with the tags
removed, so a marker split over several runs by a later save in Word is still found.
"""

from __future__ import annotations

import io
import re
import secrets
import zipfile
from typing import Any

from django.utils.html import escape
from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.errors import PdfReadError
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

METADATA_KEY = "/PinqiaoMarker"
_MARKER = re.compile(r"^[0-9a-f]{24}$")
_IN_TEXT = re.compile(r"PQWM:([0-9a-f]{24})")
_TILE_X, _TILE_Y = 210, 150  # points between watermark blocks
_ZIP = b"PK\x03\x04"
#: Reading a DOCX someone hands in: at most this much XML per part and in total.
_MAX_PART, _MAX_XML = 20 * 1024 * 1024, 50 * 1024 * 1024


class WatermarkError(ValueError):
    """The input is not a PDF that can be stamped (malformed or encrypted)."""


def new_marker() -> str:
    """A random per-download marker: 96 bits, lowercase hex."""
    return secrets.token_hex(12)


def _overlay(width: float, height: float, lines: list[str]) -> PageObject:
    from weasyprint import HTML

    text = "<br>".join(escape(line) for line in lines)
    blocks = "".join(f'<div class="w" style="left:{x}pt;top:{y}pt">{text}</div>'
                     for x in range(-60, int(width), _TILE_X)
                     for y in range(20, int(height), _TILE_Y))
    html = (
        "<html><head><style>"
        f"@page {{ size: {width:.2f}pt {height:.2f}pt; margin: 0 }}"
        "body { margin: 0 }"
        ".w { position: absolute; white-space: nowrap; transform: rotate(-30deg);"
        " transform-origin: left top; color: rgba(100, 100, 100, .22); font-size: 10pt;"
        " line-height: 1.35; font-family: 'Noto Sans CJK SC', sans-serif }"
        f"</style></head><body>{blocks}</body></html>")
    return PdfReader(io.BytesIO(HTML(string=html).write_pdf())).pages[0]


def _hidden_text(width: float, height: float, marker: str) -> PageObject:
    """A page holding only the marker as invisible text (render mode 3), base-14 font."""
    writer = PdfWriter()
    page = writer.add_blank_page(width, height)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                             NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/PQWM"): font})})
    stream = DecodedStreamObject()
    stream.set_data(f"q BT 3 Tr /PQWM 4 Tf 1 0 0 1 6 6 Tm (PQWM:{marker}) Tj ET Q".encode())
    page.replace_contents(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    return PdfReader(buffer).pages[0]


def watermark_pdf(pdf: bytes, *, lines: list[str], marker: str) -> bytes:
    """``pdf`` with the visible ``lines`` across every page and the hidden ``marker``."""
    if not _MARKER.match(marker):
        raise WatermarkError("marker must be 24 lowercase hex characters")
    try:
        reader = PdfReader(io.BytesIO(pdf))
        if reader.is_encrypted:
            raise WatermarkError("encrypted PDF")
        writer = PdfWriter(clone_from=reader)
    except PdfReadError as exc:
        raise WatermarkError(str(exc)) from exc
    stamps: dict[tuple[float, float], tuple[PageObject, PageObject]] = {}
    for page in writer.pages:
        box = page.mediabox
        size = (round(float(box.width), 2), round(float(box.height), 2))
        if size not in stamps:
            stamps[size] = (_overlay(*size, lines), _hidden_text(*size, marker))
        shift = Transformation().translate(float(box.left), float(box.bottom))
        for stamp in stamps[size]:
            page.merge_transformed_page(stamp, shift)
    writer.add_metadata({**{k: str(v) for k, v in (reader.metadata or {}).items()},
                         METADATA_KEY: marker})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _docx_stamp(container: Any, lines: list[str], marker: str) -> None:
    """One paragraph at the end of ``container`` (a header or the body): the visible lines in
    small grey type, then the marker as hidden text."""
    from docx.shared import Pt, RGBColor

    paragraph = container.add_paragraph()
    visible = paragraph.add_run(" · ".join(lines))
    visible.font.size = Pt(7)
    visible.font.color.rgb = RGBColor(0x80, 0x80, 0x80)
    hidden = paragraph.add_run(f"PQWM:{marker}")
    hidden.font.hidden = True
    hidden.font.size = Pt(1)


def watermark_docx(data: bytes, *, lines: list[str], marker: str) -> bytes:
    """The DOCX ``data`` with the visible ``lines`` in every page header and at the end, and
    the hidden ``marker`` beside them and in the document properties. A header inherited from
    the previous section is left to inherit the stamped one."""
    import docx
    from lxml.etree import LxmlError

    if not _MARKER.match(marker):
        raise WatermarkError("marker must be 24 lowercase hex characters")
    try:
        document = docx.Document(io.BytesIO(data))
        even_pages = document.settings.odd_and_even_pages_header_footer
        for index, section in enumerate(document.sections):
            headers = [section.header]
            if section.different_first_page_header_footer:
                headers.append(section.first_page_header)
            if even_pages:
                headers.append(section.even_page_header)
            for header in headers:
                if index == 0 or not header.is_linked_to_previous:
                    _docx_stamp(header, lines, marker)
        _docx_stamp(document, lines, marker)
        document.core_properties.identifier = f"PQWM:{marker}"
        out = io.BytesIO()
        document.save(out)
    except (ValueError, KeyError, LxmlError, zipfile.BadZipFile) as exc:
        raise WatermarkError(str(exc)) from exc
    return out.getvalue()


def _docx_marker(data: bytes) -> str | None:
    """The marker in a DOCX: its XML parts read with the tags removed, within size limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    total = 0
    with archive:
        for info in archive.infolist():
            name = info.filename
            if not (name.startswith("word/") and name.endswith(".xml")) \
                    and name != "docProps/core.xml":
                continue
            try:
                with archive.open(info) as handle:
                    xml = handle.read(_MAX_PART + 1)
            except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, ValueError):
                continue
            total += len(xml)
            if len(xml) > _MAX_PART or total > _MAX_XML:
                return None
            text = re.sub(rb"<[^>]*>", b"", xml).decode("utf-8", "replace")
            found = _IN_TEXT.search(re.sub(r"\s", "", text))
            if found:
                return found.group(1)
    return None


def read_marker(pdf: bytes) -> str | None:
    """The download marker in a downloaded file: in a PDF from the invisible page text, else
    the metadata; in a DOCX from its text and properties."""
    if pdf.startswith(_ZIP):
        return _docx_marker(pdf)
    try:
        reader = PdfReader(io.BytesIO(pdf))
        for page in reader.pages:
            found = _IN_TEXT.search(re.sub(r"\s", "", page.extract_text() or ""))
            if found:
                return found.group(1)
        value = str((reader.metadata or {}).get(METADATA_KEY, ""))
    except (PdfReadError, ValueError, KeyError):
        return None
    return value if _MARKER.match(value) else None
