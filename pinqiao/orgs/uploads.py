"""Upload checks (ORG-1, ORG-5, SEC-3): the type is decided by the file's content, never by its
name or the browser's Content-Type. The first bytes name the type, and the whole file must then
be what they claim: a PDF must open with its pages readable (no scripts, attachments or
encryption, the résumé upload's ``check_pdf``), an image must decode. HTML or SVG renamed to
.pdf, or HTML behind a ``%PDF-`` header, is refused, as is anything over the size limit."""

from __future__ import annotations

import hashlib
import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from pinqiao.core.errors import ServiceError
from pinqiao.resumes.uploads import check_pdf

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000

# (magic bytes, content type, extension)
_SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)
IMAGE_TYPES = ("image/png", "image/jpeg")


@dataclass(frozen=True)
class CheckedUpload:
    upload: UploadedFile
    content_type: str
    extension: str
    size: int
    sha256: str
    original_name: str


def max_upload_bytes() -> int:
    return int(getattr(settings, "ORG_UPLOAD_MAX_BYTES", MAX_UPLOAD_BYTES))


def _safe_name(name: str) -> str:
    name = unicodedata.normalize("NFKC", name or "").replace("/", "_").replace("\\", "_")
    name = "".join(ch for ch in name if ch.isprintable())
    return name[-120:] or "upload"


def _check_image(data: bytes, refuse: Callable[[str, str], ServiceError]) -> None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise refuse("file_pixels", _("图片尺寸过大，请换一张较小的扫描件或照片。"))
            image.verify()
    except ServiceError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError,
            Image.DecompressionBombError) as exc:
        raise refuse("file_broken",
                     _("无法识别该图片，文件可能已损坏，请重新拍摄或扫描后上传。")) from exc


def check_upload(upload: UploadedFile | None, *, field: str,
                 allowed: tuple[str, ...] | None = None) -> CheckedUpload:
    """Return what the file really is, or raise ``ServiceError`` naming ``field``."""

    def refuse(code: str, message: str) -> ServiceError:
        return ServiceError(code, message, fields={field: [message]})

    if upload is None:
        raise refuse("file_missing", _("请上传文件。"))
    limit = max_upload_bytes()
    size = upload.size or 0
    if size > limit:
        raise refuse("file_too_large", _("文件过大：%(size).1f MB，上限为 %(limit)d MB。") % {
            "size": size / 1024 / 1024, "limit": limit // 1024 // 1024})
    if size == 0:
        raise refuse("file_empty", _("文件是空的，请重新选择。"))
    upload.seek(0)
    head = upload.read(16)
    kind = next(((ctype, ext) for magic, ctype, ext in _SIGNATURES if head.startswith(magic)),
                None)
    if kind is None:
        raise refuse("file_type", _(
            "文件内容不是 PDF、PNG 或 JPEG（无论文件名后缀是什么，系统按内容识别）。"
            "请上传证照的扫描件或照片。"))
    if allowed is not None and kind[0] not in allowed:
        raise refuse("file_type", _("此处只接受图片（PNG 或 JPEG）。"))
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    if kind[0] == "application/pdf":
        check_pdf(data, field)
    else:
        _check_image(data, refuse)
    digest = hashlib.sha256(data)
    return CheckedUpload(upload=upload, content_type=kind[0], extension=kind[1], size=size,
                         sha256=digest.hexdigest(), original_name=_safe_name(upload.name or ""))
