"""Workspaces by role (issue 15, item 1): after signing in each role lands on its own home —
the seeker's (recommendations, application progress, interviews, messages), the recruiter's
工作台 (postings with counts, new applicants, today's interviews, reply rate, quota), staff on
their queues — never on the visitors' page with its sign-up links."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pinqiao.applications import services

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _apply(seeker: Any, posting: Any) -> Any:
    return services.application_submit(seeker=seeker, posting_id=posting.pk, answers={},
                                       resume_consent=True, contact_consent=True)


def test_a_visitor_sees_the_sign_up_links() -> None:
    html = Client().get("/").content.decode()
    assert "求职者注册" in html and "招聘者注册" in html


def test_a_seeker_lands_on_the_seeker_home(ready_seeker: Any, posting: Any) -> None:
    _apply(ready_seeker, posting)
    html = _client(ready_seeker).get("/").content.decode()
    for block in ("ws-recommended", "ws-applications", "ws-interviews", "ws-messages"):
        assert f'id="{block}"' in html
    assert posting.title in html and "新投递" in html
    assert "求职者注册" not in html


def test_a_recruiter_lands_on_the_workbench(recruiter: Any, ready_seeker: Any,
                                           posting: Any) -> None:
    _apply(ready_seeker, posting)
    html = _client(recruiter).get("/").content.decode()
    assert "<title>工作台 · 聘桥</title>" in html
    assert "新投递（1）" in html and f"投递「{posting.title}」" in html
    assert "近90天答复率" in html and "今日已提交" in html
    assert f'href="/recruiter/jobs/{posting.pk}/"' in html
    assert "求职者注册" not in html and "为我推荐" not in html


def test_staff_land_on_their_queues(reviewer: Any, staff_client: Any) -> None:
    response = staff_client(reviewer).get("/")
    assert response.status_code == 302 and response["Location"] == "/staff/"
    html = staff_client(reviewer).get("/staff/").content.decode()
    assert "内容审核队列" in html and "单位审核队列" in html
