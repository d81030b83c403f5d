"""Small real files for the upload tests: PDFs, DOCX documents, archive bombs, images."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile


def pdf_with_text(text: str = "Resume of Zhang Xiaoming, Python developer") -> bytes:
    """A one-page PDF whose content stream shows ``text`` (ASCII) in Helvetica."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()


def docx_with_text(*paragraphs: str) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "技能"
    table.rows[0].cells[1].text = "Excel 叉车"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_bomb(*, members: int = 1, member_size: int = 2 * 1024 * 1024) -> bytes:
    """A DOCX-shaped zip whose members expand far beyond their compressed size."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        zeros = b"\0" * member_size
        for index in range(members):
            archive.writestr(f"word/media/pad{index}.bin", zeros)
    return out.getvalue()


def upload(data: bytes, name: str, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def jpeg_with_exif(size: tuple[int, int] = (1200, 1600)) -> bytes:
    from PIL import Image

    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "SpyCamMaker"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


HTML_AS_PDF = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
SVG_AS_PDF = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
              b'<script>alert(1)</script></svg>')


def docx_of_many_paragraphs(count: int = 1_150_000, text: str = "{n}") -> bytes:
    """The probe's pathological DOCX: ``count`` short paragraphs (≈45 MB of XML for the
    default), which stays inside every archive limit (total size, ratio, member count)."""
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t>{text.format(n=n)}</w:t></w:r></w:p>" for n in range(count))
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f'<w:document xmlns:w="{ns}"><w:body>{body}</w:body></w:document>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", document.encode())
    return out.getvalue()
