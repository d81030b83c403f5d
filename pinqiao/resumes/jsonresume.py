"""PRIV-4: the seeker's résumé as JSON Resume (https://jsonresume.org, schema v1.0.0).

The export is for the owner only and carries the full contact details (decrypted through the
audited selector) and the photo as a ``data:`` URI. Dates are ``YYYY-MM`` as the schema allows.
Fields without a place in the schema (desired job, visibility) go under ``meta`` as the schema's
open objects allow, so the file still validates.
"""

from __future__ import annotations

import base64
from datetime import date
from typing import Any

from django.utils import timezone

from pinqiao.core.audit import log_action
from pinqiao.resumes.models import Resume
from pinqiao.resumes.rendering import labels, photo_bytes, split_items
from pinqiao.resumes.selectors import resume_contact_for_owner

SCHEMA_URL = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"


def _month(value: date | None) -> str:
    return value.strftime("%Y-%m") if value else ""


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in ("", None, [], {})}


def resume_json_export(*, actor: Any, resume: Resume) -> dict[str, Any]:
    """The JSON Resume document for the owner; the export is audited. The owner's own
    download must be a listed export destination (PRIV-9)."""
    from pinqiao.rights.destinations import SELF_DOWNLOAD, destination_check
    from pinqiao.rights.models import DestinationKind

    destination_check(kind=DestinationKind.DATA_SUBJECT, target=SELF_DOWNLOAD,
                      what="resume_json", actor=actor)
    contact = resume_contact_for_owner(actor=actor, resume=resume, reason="json_export")
    names = labels(resume)
    photo = photo_bytes(resume)
    basics = _drop_empty({
        "name": resume.full_name, "label": names["function"],
        "image": f"data:image/jpeg;base64,{base64.b64encode(photo).decode()}" if photo else "",
        "email": contact.email, "phone": contact.phone, "summary": resume.self_introduction,
        "location": _drop_empty({"city": names["city"], "countryCode": "CN"}),
        "profiles": [{"network": "即时通讯", "username": contact.im}] if contact.im else [],
    })
    document: dict[str, Any] = {
        "$schema": SCHEMA_URL,
        "basics": basics,
        "work": [_drop_empty({
            "name": w.company, "position": w.title, "startDate": _month(w.start_date),
            "endDate": _month(w.end_date), "summary": w.description,
            "highlights": [line.strip() for line in w.achievements.splitlines() if line.strip()],
        }) for w in resume.work.all()],
        "education": [_drop_empty({
            "institution": e.school, "area": e.major, "studyType": e.get_degree_display(),
            "startDate": _month(e.start_date), "endDate": _month(e.end_date),
            "courses": [e.description] if e.description else [],
        }) for e in resume.education.all()],
        "awards": [_drop_empty({
            "title": h.title, "date": _month(h.awarded_on), "awarder": h.awarder,
            "summary": h.summary}) for h in resume.honours.all()],
        "certificates": [_drop_empty({
            "name": c.name, "date": _month(c.obtained_on), "issuer": c.issuer})
            for c in resume.certificates.all()],
        "skills": [{"name": s} for s in split_items(resume.skills)],
        "interests": [{"name": s} for s in split_items(resume.interests)],
        "meta": _drop_empty({
            "version": "v1.0.0", "lastModified": resume.updated_at.isoformat(timespec="seconds"),
            "desiredJob": _drop_empty({
                "function": names["function"], "industry": names["industry"],
                "city": names["city"], "employmentType": names["employment_type"],
                "pay": names["pay"]}),
            "gender": names["gender"],
            "birthDate": resume.birth_date.isoformat() if resume.birth_date else "",
            "exportedAt": timezone.now().isoformat(timespec="seconds"),
        }),
    }
    log_action(actor, "resume.export_json", resume, {"format": "jsonresume-v1.0.0"})
    return document
