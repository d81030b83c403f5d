"""Résumé rendering (RES-2): HTML in one of the templates, PDF through WeasyPrint with the CJK
font Noto Sans CJK SC, and the plain text kept for search.

The renderer never decrypts contact details: callers pass the ``ResumeContact`` the viewer may
see (full for the owner, masked or full for a recruiter per consent), or ``None``, in which case
the page says 「联系方式需经求职者同意后可见」. The photo, when there is one, is part of the
résumé's content and is embedded as a ``data:`` URI.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from pinqiao.core.crypto import DecryptionError, decrypt_bytes, encrypt_bytes, keyed_digest
from pinqiao.reference import divisions, taxonomy
from pinqiao.resumes.models import PHOTO_CONTEXT, Gender, Resume, Template

#: Template code → label shown to the seeker.
TEMPLATES: dict[str, str] = {t.value: str(t.label) for t in Template}

CONTACT_HIDDEN = "联系方式需经求职者同意后可见"


@dataclass(frozen=True)
class ResumeContact:
    """What the rendered résumé prints as contact details (already masked or released)."""

    phone: str
    email: str
    im: str


def _label(choices: tuple[taxonomy.Choice, ...], value: str) -> str:
    return next((c.label for c in choices if c.value == value), "")


def pay_label(resume: Resume) -> str:
    """``8000–12000 元/月``, ``8000 元/月起`` or ``面议``."""
    low, high = resume.desired_pay_min, resume.desired_pay_max
    if low is not None and high is not None:
        return f"{low}–{high} 元/月" if low != high else f"{low} 元/月"
    if low is not None:
        return f"{low} 元/月起"
    if high is not None:
        return f"{high} 元/月以内"
    return _("面议")


def city_label(code: str) -> str:
    """The desired city's full name (``广东省广州市``), "" when none or unknown."""
    city = divisions.get(code) if code else None
    return (divisions.full_name(city.code) or city.name) if city else ""


def labels(resume: Resume) -> dict[str, str]:
    """Display names of the coded fields (taxonomy, divisions, choices)."""
    function = taxonomy.job_function(resume.desired_function) if resume.desired_function else None
    industry = taxonomy.industry(resume.desired_industry) if resume.desired_industry else None
    return {
        "function": function.name if function else "",
        "industry": industry.name if industry else "",
        "city": city_label(resume.desired_city),
        "employment_type": _label(taxonomy.EMPLOYMENT_TYPES, resume.desired_employment_type),
        "gender": str(Gender(resume.gender).label) if resume.gender else "",
        "pay": pay_label(resume),
    }


def photo_bytes(resume: Resume) -> bytes | None:
    """The decrypted JPEG of the résumé photo, or None."""
    if not resume.photo:
        return None
    with resume.photo.open("rb") as handle:
        return decrypt_bytes(handle.read(), context=PHOTO_CONTEXT)


def _photo_uri(resume: Resume) -> str:
    data = photo_bytes(resume)
    return f"data:image/jpeg;base64,{base64.b64encode(data).decode()}" if data else ""


def _entries(resume: Resume) -> dict[str, list[Any]]:
    return {
        "education": list(resume.education.all()),
        "work": list(resume.work.all()),
        "certificates": list(resume.certificates.all()),
        "honours": list(resume.honours.all()),
    }


def split_items(value: str) -> list[str]:
    """Skills and interests are stored as one line separated by 、，, or ;."""
    for sep in ("，", "、", ";", "；"):
        value = value.replace(sep, ",")
    return [part.strip() for part in value.split(",") if part.strip()]


def context(resume: Resume, *, contact: ResumeContact | None) -> dict[str, Any]:
    """Everything the print templates show."""
    return {
        "resume": resume, "labels": labels(resume), "contact": contact,
        "contact_hidden": CONTACT_HIDDEN, "photo": _photo_uri(resume),
        "skills": split_items(resume.skills), "interests": split_items(resume.interests),
        **_entries(resume),
    }


def resume_html(resume: Resume, *, template: str | None = None,
                contact: ResumeContact | None = None) -> str:
    """A self-contained HTML page of the résumé in ``template`` (the résumé's choice when None);
    styles inline, photo as a ``data:`` URI, nothing fetched from elsewhere."""
    code = template or resume.template
    if code not in TEMPLATES:
        code = Template.SIMPLE
    return render_to_string(f"resumes/print/{code}.html", context(resume, contact=contact))


#: How long a rendered PDF is kept (issue 15, item 7): any edit of the résumé changes its
#: HTML and so its key; the time limit only bounds what an idle résumé occupies.
PDF_CACHE_SECONDS = 7 * 24 * 3600


def resume_pdf(resume: Resume, *, template: str | None = None,
               contact: ResumeContact | None = None) -> bytes:
    """The résumé as an A4 PDF with the CJK font embedded. WeasyPrint may read ``data:`` URIs
    (the photo) and nothing else: any other URL is refused, so nothing comes from the network
    or the disk.

    Rendered once per version (issue 15, item 7): the PDF is cached under a keyed digest of
    its HTML — a new version of the résumé, another template or other contact lines make
    another key — and kept encrypted (PRIV-1: the released contact details may be in it).
    Callers stamp each download on the copy they get (the watermark and marker of RES-6)."""
    html = resume_html(resume, template=template, contact=contact)
    key = f"resume-pdf:{keyed_digest(html, purpose='resume-pdf-cache')}"
    sealed = cache.get(key)
    if sealed is not None:
        try:
            return decrypt_bytes(sealed, context=key)
        except DecryptionError:  # a rotated key: render again
            cache.delete(key)
    pdf = render_pdf(html)
    cache.set(key, encrypt_bytes(pdf, context=key), PDF_CACHE_SECONDS)
    return pdf


def render_pdf(html: str) -> bytes:
    """WeasyPrint, reading ``data:`` URIs only."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()


def resume_text(resume: Resume) -> str:
    """All searchable text of the résumé, one section per line. No contact details, and neither
    the name nor the photo (search needs neither: PIPL Art. 6, minimum necessary)."""
    names = labels(resume)
    entries = _entries(resume)
    lines = [
        " ".join(filter(None, [names["function"], names["industry"], names["city"],
                               names["employment_type"]])),
        resume.skills, resume.interests, resume.self_introduction,
    ]
    for row in entries["education"]:
        lines.append(" ".join(filter(None, [row.school, row.major, row.get_degree_display(),
                                            row.description])))
    for row in entries["work"]:
        lines.append(" ".join(filter(None, [row.company, row.title, row.description,
                                            row.achievements])))
    lines += [" ".join(filter(None, [c.name, c.issuer])) for c in entries["certificates"]]
    lines += [" ".join(filter(None, [h.title, h.awarder, h.summary]))
              for h in entries["honours"]]
    attachment = getattr(resume, "attachment", None)
    if attachment is not None:
        lines.append(attachment.text)
    return "\n".join(line for line in lines if line)
