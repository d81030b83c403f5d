"""RES-4 visibility and blocked organisations, RES-3 suggestions with consent, PRIV-4 export
as JSON Resume."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from pinqiao.core.models import AuditEntry
from pinqiao.privacy.models import Consent
from pinqiao.resumes import quality, selectors, services
from pinqiao.resumes.models import BlockedOrganisation, Resume

pytestmark = pytest.mark.django_db


def test_the_visibility_is_saved_and_audited(user_client: Any, seeker: Any,
                                             resume: Any) -> None:
    client = user_client(seeker)
    response = client.post("/me/resume/settings/", {"visibility": "hidden"})
    assert response.status_code == 302
    assert Resume.objects.get(pk=resume.pk).visibility == "hidden"
    entry = AuditEntry.objects.get(verb="resume.visibility")
    assert entry.data == {"from": "applied_only", "to": "hidden"}
    response = client.post("/me/resume/settings/", {"visibility": "everyone"})
    assert response.status_code == 200
    assert Resume.objects.get(pk=resume.pk).visibility == "hidden"


def test_wording_hints_need_the_suggestions_consent(user_client: Any, seeker: Any,
                                                    complete: Any) -> None:
    services.resume_update(actor=seeker, resume=complete, data={"self_introduction": "认真负责"})
    client = user_client(seeker)
    page = client.get("/me/resume/").content.decode()
    assert "自我介绍较短" not in page and "在简历设置中开启" in page
    client.post("/me/resume/settings/", {"visibility": "applied_only", "suggestions": "on"})
    consent = Consent.objects.get(user=seeker, purpose="resume_suggestions")
    assert consent.source == "settings" and consent.withdrawn_at is None
    assert "自我介绍较短（4 字）" in client.get("/me/resume/").content.decode()
    client.post("/me/resume/settings/", {"visibility": "applied_only"})
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert "自我介绍较短" not in client.get("/me/resume/").content.decode()


def test_the_wording_hints_name_what_to_improve(seeker: Any, complete: Any) -> None:
    services.entry_add(actor=seeker, resume=complete, kind="work", data={
        "company": "甲公司", "title": "文员", "start_date": "2019-01", "end_date": "2020-06"})
    services.entry_add(actor=seeker, resume=complete, kind="work", data={
        "company": "乙公司", "title": "助理", "start_date": "2016-01", "end_date": "2017-01",
        "achievements": "整理档案，效率明显提高"})
    messages = [h.message for h in quality.wording_hints(complete, today=date(2026, 1, 1))]
    assert "“甲公司 · 文员”没有写工作成果" in messages[0]
    assert any("“乙公司 · 助理”的工作成果没有数字" in m for m in messages)
    assert any("“广州某科技有限公司”与“甲公司”的时间重叠" in m for m in messages)
    assert any("“乙公司”与“广州某科技有限公司”之间有 18 个月空档" in m for m in messages)


def test_the_completeness_score_adds_up(seeker: Any, complete: Any) -> None:
    assert quality.completeness(complete)[0] == 88
    resume = complete
    Resume.objects.filter(pk=resume.pk).delete()
    score, hints = quality.completeness(services.resume_ensure(owner=seeker))
    assert score == 0 and sum(h.points for h in hints) == 100


def test_blocking_a_verified_organisation(user_client: Any, seeker: Any, resume: Any,
                                          employer: Any) -> None:
    client = user_client(seeker)
    page = client.get("/me/resume/settings/?q=示范科技").content.decode()
    assert employer.name in page
    assert client.post("/me/resume/settings/block/",
                       {"organisation": employer.pk}).status_code == 302
    assert selectors.organisation_blocked(resume, employer)
    page = client.get("/me/resume/settings/?q=示范科技").content.decode()
    assert 'id="org-results"' not in page and 'id="blocked-list"' in page
    block = BlockedOrganisation.objects.get()
    assert client.post(f"/me/resume/settings/unblock/{block.pk}/").status_code == 302
    assert not selectors.organisation_blocked(resume, employer)
    verbs = set(AuditEntry.objects.values_list("verb", flat=True))
    assert {"resume.block_add", "resume.block_remove"} <= verbs


def test_only_verified_organisations_can_be_found_and_blocked(seeker: Any, resume: Any,
                                                              recruiter: Any) -> None:
    from pinqiao.core.errors import ServiceError
    from pinqiao.orgs import testing as org_testing

    pending = org_testing.register(recruiter, "聘桥示范科技")
    assert selectors.organisations_search(q="示范科技") == []
    with pytest.raises(ServiceError):
        services.block_add(actor=seeker, resume=resume, organisation_id=pending.pk)
    assert not BlockedOrganisation.objects.exists()


def test_another_seekers_block_is_not_found_and_audited(
        user_client: Any, seeker: Any, resume: Any, employer: Any, other_seeker: Any) -> None:
    block = services.block_add(actor=seeker, resume=resume, organisation_id=employer.pk)
    response = user_client(other_seeker).post(f"/me/resume/settings/unblock/{block.pk}/")
    assert response.status_code == 404
    assert BlockedOrganisation.objects.filter(pk=block.pk).exists()
    assert AuditEntry.objects.filter(verb="resume.access_denied",
                                     actor_id=other_seeker.pk).exists()


def test_the_api_settings_and_blocked_list(user_client: Any, seeker: Any,
                                           employer: Any) -> None:
    api = user_client(seeker)
    found = api.get("/api/v1/me/resume/organisations?q=示范科技").json()
    assert [o["id"] for o in found] == [employer.pk]
    added = api.post("/api/v1/me/resume/blocked", json.dumps({"organisation_id": employer.pk}),
                     content_type="application/json")
    assert added.status_code == 201 and added.json()["organisation_name"] == employer.name
    response = api.put("/api/v1/me/resume/settings",
                       json.dumps({"visibility": "public", "suggestions": True,
                                   "hide_employer": True}),
                       content_type="application/json")
    assert response.json() == {"visibility": "public", "suggestions": True,
                               "hide_employer": True}
    assert api.delete(f"/api/v1/me/resume/blocked/{added.json()['id']}").status_code == 204
    assert api.get("/api/v1/me/resume/blocked").json() == []


def test_the_json_resume_export(user_client: Any, seeker: Any, complete: Any) -> None:
    services.entry_add(actor=seeker, resume=complete, kind="certificate",
                       data={"name": "叉车操作证", "issuer": "市场监管局",
                             "obtained_on": "2019-05"})
    services.entry_add(actor=seeker, resume=complete, kind="honour",
                       data={"title": "优秀员工", "awarder": "广州某科技有限公司"})
    response = user_client(seeker).get("/me/resume/export.json")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert set(data) >= {"basics", "work", "education", "awards", "certificates", "skills",
                         "interests", "meta"}
    assert data["basics"]["name"] == "张小明" and data["basics"]["phone"] == "13912345678"
    assert data["basics"]["email"] == "xiaoming@example.com"
    assert data["basics"]["profiles"] == [{"network": "即时通讯", "username": "wx_xiaoming"}]
    assert data["basics"]["location"] == {"city": "广东省广州市", "countryCode": "CN"}
    assert data["work"][0] == {"name": "广州某科技有限公司", "position": "Python开发工程师",
                               "startDate": "2018-07",
                               "summary": "负责订单与库存服务的开发和维护。",
                               "highlights": ["把订单接口平均响应时间从 800 毫秒降到 120 毫秒。"]}
    assert data["education"][0]["studyType"] == "本科"
    assert data["certificates"] == [{"name": "叉车操作证", "date": "2019-05",
                                     "issuer": "市场监管局"}]
    assert data["awards"][0]["title"] == "优秀员工"
    assert data["skills"][0] == {"name": "Python"} and data["interests"][1] == {"name": "摄影"}
    assert data["meta"]["version"] == "v1.0.0"
    assert AuditEntry.objects.filter(verb="resume.export_json").exists()
    assert AuditEntry.objects.filter(verb="resume.contact_read",
                                     data__reason="json_export").exists()
