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
"""

from __future__ import annotations

import io
import re
import secrets

from django.utils.html import escape
from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.errors import PdfReadError
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

METADATA_KEY = "/PinqiaoMarker"
_MARKER = re.compile(r"^[0-9a-f]{24}$")
_IN_TEXT = re.compile(r"PQWM:([0-9a-f]{24})")
_TILE_X, _TILE_Y = 210, 150  # points between watermark blocks


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


def read_marker(pdf: bytes) -> str | None:
    """The download marker in ``pdf``: from the invisible page text, else the metadata."""
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
