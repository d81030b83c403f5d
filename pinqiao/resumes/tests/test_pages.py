"""The seeker's pages under /me/resume/ (RES-1 … RES-3): owner only, sections, PDF, preview."""

from __future__ import annotations

from typing import Any

import pytest

from pinqiao.core.models import AuditEntry
from pinqiao.resumes import services
from pinqiao.resumes.models import Resume

pytestmark = pytest.mark.django_db


def test_it_rejects_anonymous(client: Any) -> None:
    response = client.get("/me/resume/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post("/me/resume/submit/").status_code == 302


def test_it_requires_the_seeker_role(user_client: Any, recruiter: Any) -> None:
    assert user_client(recruiter).get("/me/resume/").status_code == 403
    assert not Resume.objects.exists()


def test_the_overview_shows_status_score_and_hints(user_client: Any, seeker: Any) -> None:
    response = user_client(seeker).get("/me/resume/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "未提交" in html and 'id="completeness-score">0<' in html
    assert "工作经历：添加单位" in html and 'href="/me/resume/work/new/"' in html


def test_it_saves_sections_and_shows_field_errors(user_client: Any, seeker: Any) -> None:
    client = user_client(seeker)
    response = client.post("/me/resume/basic/", {"full_name": "李雷", "gender": "male",
                                                 "birth_date": "2015-01-01"})
    assert response.status_code == 200
    assert "未满 16 周岁" in response.content.decode()
    assert Resume.objects.get(owner=seeker).full_name == ""
    response = client.post("/me/resume/basic/", {"full_name": "李雷", "gender": "male",
                                                 "birth_date": "1995-01-01"})
    assert response.status_code == 302
    response = client.post("/me/resume/intention/", {
        "desired_function": "python_dev", "province": "440000", "desired_city": "440100",
        "desired_pay_min": "9000", "desired_pay_max": "8000"})
    assert "下限不能高于上限" in response.content.decode()
    response = client.post("/me/resume/work/new/", {"company": "某公司", "title": "",
                                                    "start_date": "2019-03"})
    assert "请填写职位" in response.content.decode()
    resume = Resume.objects.get(owner=seeker)
    assert resume.full_name == "李雷" and resume.desired_pay_min is None
    assert not resume.work.exists()


def test_the_contact_form_decrypts_for_the_owner_with_an_audit_entry(
        user_client: Any, seeker: Any, complete: Any) -> None:
    client = user_client(seeker)
    overview = client.get("/me/resume/").content.decode()
    assert "139****5678" in overview and "13912345678" not in overview
    assert not AuditEntry.objects.filter(verb="resume.contact_read").exists()
    form = client.get("/me/resume/contact/").content.decode()
    assert 'value="13912345678"' in form
    entry = AuditEntry.objects.get(verb="resume.contact_read")
    assert entry.actor_id == seeker.pk and entry.data["reason"] == "owner_edit"


def test_another_seekers_entry_is_not_found_and_audited(
        user_client: Any, seeker: Any, complete: Any, other_seeker: Any) -> None:
    entry = complete.work.get()
    client = user_client(other_seeker)
    assert client.get(f"/me/resume/work/{entry.pk}/").status_code == 404
    assert client.post(f"/me/resume/work/{entry.pk}/delete/").status_code == 404
    assert client.post(f"/me/resume/work/{entry.pk}/up/").status_code == 404
    assert complete.work.count() == 1
    denied = AuditEntry.objects.filter(verb="resume.access_denied", actor_id=other_seeker.pk)
    assert denied.count() == 3


def test_entries_can_be_reordered(user_client: Any, seeker: Any, complete: Any) -> None:
    second = services.entry_add(actor=seeker, resume=complete, kind="work", data={
        "company": "第二家公司", "title": "实习生", "start_date": "2017-07",
        "end_date": "2017-09"})
    client = user_client(seeker)
    assert client.post(f"/me/resume/work/{second.pk}/up/").status_code == 302
    assert [w.company for w in complete.work.all()] == ["第二家公司", "广州某科技有限公司"]


def test_the_preview_is_framed_by_our_own_pages_only(user_client: Any, seeker: Any,
                                                     complete: Any) -> None:
    response = user_client(seeker).get("/me/resume/preview/business/")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert "script-src" not in response["Content-Security-Policy"]
    html = response.content.decode()
    assert "139****5678" in html and "13912345678" not in html


def test_the_template_choice_is_saved(user_client: Any, seeker: Any, complete: Any) -> None:
    client = user_client(seeker)
    page = client.get("/me/resume/template/?template=two_column").content.decode()
    assert 'src="/me/resume/preview/two_column/"' in page
    assert client.post("/me/resume/template/", {"template": "two_column"}).status_code == 302
    assert Resume.objects.get(pk=complete.pk).template == "two_column"
    assert client.post("/me/resume/template/", {"template": "nonsense"}).status_code == 200
    assert Resume.objects.get(pk=complete.pk).template == "two_column"


def test_the_owner_downloads_the_pdf_with_full_contact(user_client: Any, seeker: Any,
                                                       complete: Any) -> None:
    response = user_client(seeker).get("/me/resume/pdf/?template=simple")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(b"%PDF-")
    assert AuditEntry.objects.filter(verb="resume.contact_read",
                                     data__reason="owner_pdf").exists()
    assert AuditEntry.objects.filter(verb="resume.pdf_download").exists()
