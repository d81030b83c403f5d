"""Checks of uploaded résumé files and photos (RES-2, PRIV-1).

The type is decided by the content, never by the name or the browser's Content-Type: a PDF
starts with ``%PDF-`` and pypdf must read its pages; a DOCX is a zip archive whose directory is
checked for bombs (member count, total uncompressed size, compression ratio) before python-docx
opens it; a photo must decode as PNG or JPEG within a pixel budget and is re-encoded, which drops
EXIF data such as the GPS position. Every refusal is a ``ServiceError`` with a Chinese message.

Text extraction is bounded in time and memory (RES-2, SEC-3): it stops as soon as it has
``MAX_TEXT_CHARS`` of text, after ``MAX_PDF_PAGES`` pages or ``MAX_DOCX_PARAGRAPHS`` paragraphs,
or at its deadline. A DOCX is read as a stream (lxml ``iterparse`` over ``word/document.xml``,
each paragraph freed once read), never loaded whole: a legal-sized file with a million short
paragraphs costs what its first few hundred cost. Files over ``INLINE_EXTRACT_BYTES`` are only
checked during the upload; their text is extracted by the task worker
(``resumes.tasks.extract_attachment_text``) with ``WORKER_EXTRACT_SECONDS``.

The text extracted from a résumé file is kept with phone numbers, e-mail addresses, ID and
bank-card numbers and labelled IM handles masked (``core.masking.mask_contacts_in_text``):
search and screening do not need them, and recruiters who see the text may not have been given
the contact details (RES-5). The file itself keeps them; it is encrypted at rest.
"""

from __future__ import annotations

import hashlib
import io
import time
import unicodedata
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from pinqiao.core.errors import ServiceError
from pinqiao.core.masking import mask_contacts_in_text

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PDF_PAGES = 30
#: DOCX archive limits: a real résumé has a few dozen members and a few MB of XML.
MAX_ZIP_MEMBERS = 500
MAX_ZIP_TOTAL = 50 * 1024 * 1024
MAX_ZIP_RATIO = 100
#: Extracted text kept for search and screening.
MAX_TEXT_CHARS = 15_000
#: DOCX paragraphs read at most (empty ones included), whatever text they hold.
MAX_DOCX_PARAGRAPHS = 20_000
#: Larger files are checked during the upload and their text extracted by the task worker.
INLINE_EXTRACT_BYTES = 1024 * 1024
INLINE_EXTRACT_SECONDS = 5.0
WORKER_EXTRACT_SECONDS = 30.0
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_PHOTO_PIXELS = 40_000_000
PHOTO_BOX = (600, 800)

_ACTIVE_PDF = (b"/JavaScript", b"/JS ", b"/JS(", b"/JS<", b"/Launch", b"/EmbeddedFile",
               b"/RichMedia", b"/XFA")


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    kind: str
    original_name: str
    sha256: str
    text: str
    #: True when the text is left to the task worker (a file over ``INLINE_EXTRACT_BYTES``).
    text_deferred: bool = False


def _refuse(code: str, message: str, field: str) -> ServiceError:
    return ServiceError(code, message, fields={field: [message]})


def _safe_name(name: str) -> str:
    name = unicodedata.normalize("NFKC", name or "").replace("/", "_").replace("\\", "_")
    name = "".join(ch for ch in name if ch.isprintable())
    return name[-120:] or "upload"


def _read(upload: UploadedFile | None, *, limit: int, field: str) -> bytes:
    if upload is None:
        raise _refuse("file_missing", _("请选择要上传的文件。"), field)
    size = upload.size or 0
    if size > limit:
        raise _refuse("file_too_large", _("文件过大：%(size).1f MB，上限为 %(limit)d MB。") % {
            "size": size / 1024 / 1024, "limit": limit // 1024 // 1024}, field)
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _refuse("file_too_large", _("文件过大，上限为 %(limit)d MB。") % {
            "limit": limit // 1024 // 1024}, field)
    if not data:
        raise _refuse("file_empty", _("文件是空的，请重新选择。"), field)
    return data


def _clip(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\x00", "")
    text = "\n".join(" ".join(line.split()) for line in text.splitlines())
    text = "\n".join(line for line in text.split("\n") if line)
    return text[:MAX_TEXT_CHARS]


def check_pdf(data: bytes, field: str) -> Any:
    """A readable, unencrypted PDF without active content and within the page limit (its
    ``PdfReader``); ``ServiceError`` naming ``field`` otherwise. Organisation documents are
    checked with it too (ORG-1)."""
    from pypdf import PdfReader

    broken = _pdf_broken(field)
    if b"%%EOF" not in data[-2048:]:
        raise broken
    if any(marker in data for marker in _ACTIVE_PDF):
        raise _refuse("file_active", _("该 PDF 含脚本、附件或交互表单，出于安全考虑不能上传。"
                                       "请用“打印为 PDF”重新导出后再上传。"), field)
    with _pdf_errors(field), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise _refuse("file_encrypted",
                          _("该 PDF 已加密或设置了密码，请上传未加密的文件。"), field)
        pages = len(reader.pages)
        if pages == 0:
            raise broken
        if pages > MAX_PDF_PAGES:
            raise _refuse("file_pages", _("简历最多 %(n)s 页，该文件有 %(m)s 页。") % {
                "n": MAX_PDF_PAGES, "m": pages}, field)
    return reader


def _pdf_broken(field: str) -> ServiceError:
    return _refuse("file_broken", _("无法读取该 PDF 文件，文件可能已损坏，请重新导出后上传。"),
                   field)


@contextmanager
def _pdf_errors(field: str) -> Iterator[None]:
    from pypdf.errors import PdfReadError

    try:
        yield
    except ServiceError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, OSError) as exc:
        raise _pdf_broken(field) from exc


def _pdf_text(data: bytes, field: str, *, deadline: float) -> str:
    reader = check_pdf(data, field)
    parts: list[str] = []
    size = 0
    with _pdf_errors(field), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for page in reader.pages:
            parts.append(page.extract_text() or "")
            size += len(parts[-1])
            if size > MAX_TEXT_CHARS or time.monotonic() > deadline:
                break
    return _clip("\n".join(parts))


def _check_zip(data: bytes, field: str) -> None:
    """Refuse archive bombs from the central directory, before anything is decompressed, and
    check each member's real output while reading it (declared sizes can lie)."""
    bomb = _refuse("file_bomb", _("该 DOCX 文件的压缩结构异常（解压后过大），不能上传。"), field)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _refuse("file_broken", _("无法读取该 Word 文件，请确认是 .docx 格式。"),
                      field) from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise bomb
        total = 0
        for member in members:
            total += member.file_size
            if total > MAX_ZIP_TOTAL:
                raise bomb
            if member.file_size > MAX_ZIP_RATIO * max(member.compress_size, 1) \
                    and member.file_size > 1024 * 1024:
                raise bomb
        names = {m.filename for m in members}
        if "word/document.xml" not in names or "[Content_Types].xml" not in names:
            raise _refuse("file_type", _("该文件不是 Word 文档（.docx）。"), field)
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise _refuse("file_macro", _("文档含宏，出于安全考虑不能上传，请另存为普通 .docx。"),
                          field)
        read = 0
        try:
            for member in members:
                with archive.open(member) as handle:
                    while chunk := handle.read(64 * 1024):
                        read += len(chunk)
                        if read > MAX_ZIP_TOTAL:
                            raise bomb
        except (zipfile.BadZipFile, EOFError, OSError, RuntimeError) as exc:
            raise _refuse("file_broken", _("无法读取该 Word 文件，文件可能已损坏。"),
                          field) from exc


def _docx_text(data: bytes, field: str, *, deadline: float) -> str:
    """The paragraphs of ``word/document.xml`` in order (table cells included), read as a
    stream and stopped at the first limit reached; no DTD, entities or network."""
    from lxml import etree

    parts: list[str] = []
    run: list[str] = []
    row: list[str] = []
    size = paragraphs = 0
    tags = (f"{_W}p", f"{_W}tr", f"{_W}t", f"{_W}tab", f"{_W}br")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, \
                archive.open("word/document.xml") as handle:
            for _event, element in etree.iterparse(
                    handle, events=("end",), tag=tags, resolve_entities=False, load_dtd=False,
                    no_network=True, huge_tree=False):
                if element.tag == f"{_W}t":
                    run.append(element.text or "")
                elif element.tag in (f"{_W}tab", f"{_W}br"):
                    run.append(" " if element.tag == f"{_W}tab" else "\n")
                else:
                    line = None
                    if element.tag == f"{_W}tr":  # a table row is one line, cells spaced
                        line = " ".join(cell for cell in row if cell)
                        row.clear()
                    elif element.getparent().tag == f"{_W}tc":
                        row.append("".join(run))
                    else:
                        line = "".join(run)
                    run.clear()
                    if line is not None:
                        parts.append(line)
                        size += len(line) + 1
                    paragraphs += 1
                    element.clear()
                    while element.getprevious() is not None:
                        del element.getparent()[0]
                    if size > MAX_TEXT_CHARS or paragraphs >= MAX_DOCX_PARAGRAPHS \
                            or time.monotonic() > deadline:
                        break
    except (etree.XMLSyntaxError, KeyError, zipfile.BadZipFile, EOFError, OSError,
            RuntimeError) as exc:
        raise _refuse("file_broken", _("无法读取该 Word 文件，文件可能已损坏。"), field) from exc
    return _clip("\n".join(parts))


def extract_text(data: bytes, kind: str, *, seconds: float, field: str = "file") -> str:
    """The text of a checked PDF or DOCX with contact details masked, stopped at
    ``MAX_TEXT_CHARS`` or after ``seconds`` (whatever was read by then is kept)."""
    deadline = time.monotonic() + seconds
    if kind == "pdf":
        text = _pdf_text(data, field, deadline=deadline)
    else:
        text = _docx_text(data, field, deadline=deadline)
    return mask_contacts_in_text(text)


def check_resume_file(upload: UploadedFile | None, *, field: str = "file") -> CheckedFile:
    """A PDF or DOCX résumé within the limits, with its text (contact details masked) when it
    is small; a larger file's text is left to the worker (``text_deferred``).
    ``ServiceError`` otherwise."""
    data = _read(upload, limit=MAX_FILE_BYTES, field=field)
    if data.startswith(b"%PDF-"):
        kind = "pdf"
        check_pdf(data, field)
    elif data.startswith(b"PK\x03\x04"):
        kind = "docx"
        _check_zip(data, field)
    else:
        raise _refuse("file_type", _("只能上传 PDF 或 Word（.docx）格式的简历。系统按文件内容识别，"
                                     "改后缀名的网页、图片等文件会被拒绝。"), field)
    deferred = len(data) > INLINE_EXTRACT_BYTES
    text = "" if deferred else extract_text(data, kind, seconds=INLINE_EXTRACT_SECONDS,
                                            field=field)
    return CheckedFile(data=data, kind=kind, original_name=_safe_name(upload.name or ""),
                       sha256=hashlib.sha256(data).hexdigest(), text=text,
                       text_deferred=deferred)


def check_photo(upload: UploadedFile | None, *, field: str = "photo") -> bytes:
    """A PNG or JPEG photo, decoded, turned upright, shrunk into 600×800 and re-encoded as JPEG
    without metadata; ``ServiceError`` otherwise."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    data = _read(upload, limit=MAX_PHOTO_BYTES, field=field)
    if not (data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff")):
        raise _refuse("file_type", _("照片只能是 JPEG 或 PNG 图片。"), field)
    broken = _refuse("file_broken", _("无法识别该图片，请换一张照片。"), field)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.width * probe.height > MAX_PHOTO_PIXELS:
                raise _refuse("photo_pixels", _("图片尺寸过大，请换一张较小的照片。"), field)
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image).convert("RGB")
            image.thumbnail(PHOTO_BOX)
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)
    except ServiceError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError,
            Image.DecompressionBombError) as exc:
        raise broken from exc
    return out.getvalue()
