"""The résumé API under /api/v1/me/resume: owner only, masked contact by default, field
errors in the shared error format, uploads checked like the pages."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pinqiao.core.models import AuditEntry
from pinqiao.resumes import services
from pinqiao.resumes.models import Resume
from pinqiao.resumes.tests import files

pytestmark = pytest.mark.django_db


def _send(client: Any, method: str, url: str, body: dict | None = None) -> Any:
    return getattr(client, method)(url, json.dumps(body or {}), content_type="application/json")


def test_it_rejects_anonymous(client: Any) -> None:
    assert client.get("/api/v1/me/resume").status_code == 401


def test_it_requires_the_seeker_role(user_client: Any, recruiter: Any) -> None:
    response = user_client(recruiter).get("/api/v1/me/resume")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_a_seeker_builds_and_submits_a_resume(user_client: Any, seeker: Any) -> None:
    from pinqiao.resumes import testing

    api = user_client(seeker)
    assert api.get("/api/v1/me/resume").json()["review_status"] == "draft"
    response = _send(api, "patch", "/api/v1/me/resume",
                     {**testing.BASIC, **testing.INTENTION, **testing.ABOUT})
    assert response.status_code == 200, response.content
    assert response.json()["labels"]["city"] == "广东省广州市"
    response = _send(api, "put", "/api/v1/me/resume/contact", testing.CONTACT)
    assert response.json()["contact"] == {"phone": "139****5678",
                                          "email": "x***@example.com", "im": "w***g"}
    created = _send(api, "post", "/api/v1/me/resume/entries/education", testing.EDUCATION)
    assert created.status_code == 201 and created.json()["start_date"] == "2014-09-01"
    quality = api.get("/api/v1/me/resume/quality").json()
    assert quality["missing"] == {} and quality["wording"] is None
    assert any(h["section"] == "work" for h in quality["hints"])
    submitted = _send(api, "post", "/api/v1/me/resume/submit")
    assert submitted.json()["review_status"] == "approved"


def test_field_errors_use_the_shared_format(user_client: Any, seeker: Any) -> None:
    api = user_client(seeker)
    response = _send(api, "patch", "/api/v1/me/resume",
                     {"desired_city": "440106", "self_introduction": "字" * 2001})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_resume"
    assert "城市一级" in error["fields"]["desired_city"][0]
    assert "最多 2000 个字" in error["fields"]["self_introduction"][0]
    bad = _send(api, "post", "/api/v1/me/resume/entries/work",
                {"company": "某公司", "title": "文员", "start_date": "2020-13"})
    assert bad.status_code == 400 and "start_date" in bad.json()["error"]["fields"]
    assert _send(api, "post", "/api/v1/me/resume/entries/hobbies", {}).status_code == 404
    assert not Resume.objects.get(owner=seeker).work.exists()


def test_the_full_contact_is_decrypted_only_on_request_and_audited(
        user_client: Any, seeker: Any, complete: Any) -> None:
    api = user_client(seeker)
    assert "13912345678" not in api.get("/api/v1/me/resume").content.decode()
    assert not AuditEntry.objects.filter(verb="resume.contact_read").exists()
    assert api.get("/api/v1/me/resume/contact").json()["phone"] == "13912345678"
    assert AuditEntry.objects.filter(verb="resume.contact_read", actor_id=seeker.pk,
                                     data__reason="owner_api").count() == 1


def test_another_users_entries_are_not_found_and_audited(
        user_client: Any, complete: Any, other_seeker: Any) -> None:
    entry = complete.work.get()
    api = user_client(other_seeker)
    url = f"/api/v1/me/resume/entries/work/{entry.pk}"
    assert _send(api, "patch", url, {"title": "篡改"}).status_code == 404
    assert api.delete(url).status_code == 404
    assert _send(api, "post", f"{url}/move", {"direction": "up"}).status_code == 404
    assert complete.work.get().title == "Python开发工程师"
    assert AuditEntry.objects.filter(verb="resume.access_denied",
                                     actor_id=other_seeker.pk).count() == 3


def test_uploads_through_the_api(user_client: Any, seeker: Any) -> None:
    api = user_client(seeker)
    refused = api.post("/api/v1/me/resume/attachment",
                       {"file": files.upload(files.HTML_AS_PDF, "cv.pdf")})
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "file_type"
    created = api.post("/api/v1/me/resume/attachment",
                       {"file": files.upload(files.pdf_with_text(), "cv.pdf")})
    assert created.status_code == 201 and created.json()["kind"] == "pdf"
    assert api.get("/api/v1/me/resume/attachment/file").content == files.pdf_with_text()
    photo = api.post("/api/v1/me/resume/photo",
                     {"file": files.upload(files.jpeg_with_exif((300, 400)), "me.jpg")})
    assert photo.status_code == 200 and photo.json()["has_photo"] is True
    assert api.get("/api/v1/me/resume/photo")["Content-Type"] == "image/jpeg"
    assert api.delete("/api/v1/me/resume/photo").status_code == 204
    assert api.get("/api/v1/me/resume/photo").status_code == 404


def test_entries_move_and_delete(user_client: Any, seeker: Any, complete: Any) -> None:
    api = user_client(seeker)
    second = services.entry_add(actor=seeker, resume=complete, kind="work", data={
        "company": "第二家", "title": "实习生", "start_date": "2017-07", "end_date": "2017-09"})
    moved = _send(api, "post", f"/api/v1/me/resume/entries/work/{second.pk}/move",
                  {"direction": "up"})
    assert [e["company"] for e in moved.json()] == ["第二家", "广州某科技有限公司"]
    assert api.delete(f"/api/v1/me/resume/entries/work/{second.pk}").status_code == 204
    assert complete.work.count() == 1
