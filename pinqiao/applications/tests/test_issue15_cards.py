"""Candidate cards (issue 15, item 2): each applicant on the list shows what recruiters triage
by — masked name, age band, years of experience, education, last title and employer, expected
pay and city, last active, knockout answers — and no contact details before release."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from pinqiao.applications.cards import age_band
from pinqiao.applications.testing import applied
from pinqiao.core.models import AuditEntry
from pinqiao.resumes.models import Resume

pytestmark = pytest.mark.django_db


def test_age_is_shown_as_a_five_year_band() -> None:
    today = date(2026, 12, 7)
    assert age_band(date(1996, 5, 20), today) == "30–34 岁"
    assert age_band(date(2007, 1, 1), today) == "20 岁以下"
    assert age_band(None, today) == ""


def test_the_applicant_list_shows_a_card_per_candidate(recruiter: Any, seeker: Any,
                                                       posting: Any) -> None:
    applied(seeker, posting, contact=True)
    client = Client()
    client.force_login(recruiter)
    html = client.get("/recruiter/applications/").content.decode()
    assert 'class="candidate-card"' in html
    assert "张**" in html or "张*明" in html
    assert "岁 · " in html and "年经验" in html and "本科" in html
    assert "最近：Python开发工程师 · 广州某科技有限公司" in html
    assert "期望：12000–18000 元/月" in html and "广州市" in html
    assert "最近活跃" in html
    assert "13912345678" not in html and "xiaoming@example.com" not in html
    assert "wx_xiaoming" not in html


def test_a_seeker_can_keep_the_last_employer_off_the_cards(recruiter: Any, seeker: Any,
                                                           posting: Any) -> None:
    applied(seeker, posting)
    own = Client()
    own.force_login(seeker)
    response = own.post("/me/resume/settings/", {"visibility": "applied_only",
                                                  "hide_employer": "on"})
    assert response.status_code == 302
    assert Resume.objects.get(owner=seeker).hide_employer
    assert AuditEntry.objects.filter(verb="resume.hide_employer").count() == 1
    client = Client()
    client.force_login(recruiter)
    html = client.get("/recruiter/applications/").content.decode()
    assert "最近：Python开发工程师</li>" in html and "广州某科技有限公司" not in html
    own.post("/me/resume/settings/", {"visibility": "applied_only"})
    assert "最近：Python开发工程师 · 广州某科技有限公司" in client.get(
        "/recruiter/applications/").content.decode()
