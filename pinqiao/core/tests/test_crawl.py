"""Chinese everywhere (issue 15, item 5): signed in as every role, with an English browser
(``Accept-Language: en-US``), every page reachable from the navigation and the URLconf answers
without a 5xx, in Chinese (English only for brand names and skills), and never shows a raw code
(a status, rule id, category, contact kind or time-zone name) instead of its Chinese label.

The site is the demo data (``manage.py load_demo``) with fewer generated postings.
"""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from pinqiao.accounts.models import User
from pinqiao.applications.models import Application
from pinqiao.applications.selectors import resume_url
from pinqiao.core.tests.crawl import argument_free_routes, crawl, page_problems
from pinqiao.search import demo as search_demo
from pinqiao.search.testing import search_index  # noqa: F401

USER_ROLES = ["demo_seeker", "demo_employer", "demo_agency"]
STAFF_ROLES = ["demo_reviewer", "demo_service", "demo_operator", "demo_auditor",
               "demo_regulator"]


@pytest.fixture
def demo_site(search_index: Any, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    monkeypatch.setattr(search_demo, "DEMO_POSTINGS", 60)
    call_command("load_demo", stdout=StringIO())


def _assert_clean(client: Client) -> None:
    report = crawl(client, ["/", *argument_free_routes()])
    assert len(report.visited) > 10
    assert not report.findings, "\n".join(str(f) for f in report.findings)


def test_the_checker_catches_english_raw_codes_and_time_zones() -> None:
    problems = page_problems("状态：submitted 规则 screening.discrimination.age 时区 Asia/Shanghai")
    assert "English 'submitted'" in problems
    assert "raw code 'screening.discrimination.age'" in problems
    assert "raw code 'Asia/Shanghai'" in problems
    assert page_problems("熟悉 Java、Python 和 Django；邮箱 a.b@x.example；编号 91440101MA") == []


@pytest.mark.django_db
def test_every_page_is_chinese_for_an_anonymous_visitor(demo_site: None) -> None:
    _assert_clean(Client())


@pytest.mark.django_db
@pytest.mark.parametrize("username", USER_ROLES)
def test_every_page_is_chinese_for_seekers_and_recruiters(demo_site: None,
                                                          username: str) -> None:
    client = Client()
    client.force_login(User.objects.get(username=username))
    _assert_clean(client)


@pytest.mark.django_db
@pytest.mark.parametrize("username", STAFF_ROLES)
def test_every_page_is_chinese_for_staff(demo_site: None, username: str,
                                         staff_client: Any) -> None:
    _assert_clean(staff_client(User.objects.get(username=username)))


@pytest.mark.django_db
def test_the_recruiters_resume_page_shows_the_gender_the_pdf_shows(demo_site: None) -> None:
    """Issue 15: the page said 「—」 where the PDF of the same résumé says 「男」."""
    application = Application.objects.get(seeker__username="demo_seeker",
                                          posting__title="Python开发工程师")
    client = Client()
    client.force_login(User.objects.get(username="demo_employer"))
    html = client.get(resume_url(application)).content.decode()
    assert '<dd id="resume-gender">男</dd>' in html
