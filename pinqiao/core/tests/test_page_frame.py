"""Every page's frame (head links, navigation, footer) is rendered once per process and kept
by what it shows (issue 14): the right navigation for each role, and a footer that follows the
operator's record at once."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from pinqiao.core.permissions import Role
from pinqiao.disclosure import demo
from pinqiao.disclosure.models import OperatorProfile
from pinqiao.disclosure.selectors import operator_profile

pytestmark = pytest.mark.django_db


def _nav(html: str) -> str:
    return html.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]


def test_each_role_gets_its_own_navigation_from_the_held_frame(
        client: Client, user_client: Callable[[Any], Client],
        make_user: Callable[..., Any]) -> None:
    visitor = _nav(client.get("/jobs/").content.decode())
    seeker = _nav(user_client(make_user(role=Role.SEEKER)).get("/jobs/").content.decode())
    recruiter = _nav(user_client(make_user(role=Role.RECRUITER)).get("/jobs/").content.decode())
    visitor_again = _nav(client.get("/jobs/").content.decode())
    assert "注册" in visitor and "我的投递" not in visitor and "退出" not in visitor
    assert "我的投递" in seeker and "为我推荐" in seeker and "投递管理" not in seeker
    assert "投递管理" in recruiter and "我的投递" not in recruiter and "退出" in recruiter
    assert visitor_again == visitor


def test_the_sign_out_form_keeps_each_request_s_own_csrf_token(
        user_client: Callable[[Any], Client], make_user: Callable[..., Any]) -> None:
    first = user_client(make_user(role=Role.SEEKER)).get("/jobs/")
    second = user_client(make_user(role=Role.SEEKER)).get("/jobs/")
    tokens = [_nav(page.content.decode()).split('name="csrfmiddlewaretoken" value="')[1][:20]
              for page in (first, second)]
    assert tokens[0] != tokens[1]


def test_the_footer_follows_a_change_of_the_operator_s_record(client: Client) -> None:
    demo.load(io.StringIO())  # the operator's record of the demo
    assert "运营主体" in client.get("/jobs/").content.decode()
    assert "12333-0000" not in client.get("/jobs/").content.decode()
    record = operator_profile()
    record.complaint_hotline = "12333-0000"
    record.save()  # the save raises the record's version: the next page reads it again
    assert "12333-0000" in client.get("/jobs/").content.decode()
    OperatorProfile.objects.all().delete()
    page = client.get("/jobs/").content.decode()
    assert "12333-0000" not in page and "运营主体" not in page
