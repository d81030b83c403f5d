"""The signed-in pages under load (issue 14): the seeker's home, the seeker's applications and
the recruiter's applicant list. Their rows are built with fewer queries and less template work
(rows rendered in Python, fragments held per process by what they show); these tests pin the
queries, the escaping of what users wrote, the pages' bounds, and that a change shows at once."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pinqiao.applications import services, views
from pinqiao.applications.models import Application, PipelineStage, Stage, stage_name
from pinqiao.applications.testing import applied
from pinqiao.core import workspace
from pinqiao.disclosure import demo
from pinqiao.disclosure.models import OperatorProfile
from pinqiao.jobs.testing import published_posting
from pinqiao.tickets.models import SupportTicket, TicketCategory, TicketStatus

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _html(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


@pytest.fixture
def postings(recruiter: Any, employer: Any) -> Callable[[int], list[Any]]:
    def make(count: int) -> list[Any]:
        return [published_posting(recruiter, employer, title=f"仓储专员{n}")
                for n in range(count)]

    return make


def test_applicant_rows_escape_what_users_wrote(recruiter: Any, employer: Any,
                                                make_seeker: Callable[..., Any]) -> None:
    posting = published_posting(recruiter, employer, title="仓管&搬运")  # tags are stripped
    application = applied(make_seeker(), posting)
    services.tags_set(actor=recruiter, application=application, names=['优先"&'])
    html = _html(_client(recruiter), "/recruiter/applications/")
    assert '<td data-label="职位">仓管&amp;搬运</td>' in html
    assert '<span class="badge">优先&quot;&amp;</span>' in html
    assert f'href="/recruiter/applications/{application.pk}/"' in html
    assert f'id="pick-{application.pk}" aria-label="选择投递 {application.pk}"' in html


def test_applicant_rows_show_the_stage_badges_and_tags(recruiter: Any, employer: Any,
                                                       posting: Any,
                                                       make_seeker: Callable[..., Any]) -> None:
    late, own = applied(make_seeker(), posting), applied(make_seeker(), posting)
    Application.objects.filter(pk=late.pk).update(reminded_at=timezone.now(),
                                                  knockout_met=False)
    Application.objects.filter(pk=own.pk).update(knockout_met=True)
    step = PipelineStage.objects.create(organisation=employer, label="电话沟通",
                                        base_stage=Stage.SHORTLISTED, position=1)
    services.application_stage_set(actor=recruiter, application=own, pipeline_stage_id=step.pk)
    services.tags_set(actor=recruiter, application=own, names=["标签B", "标签A"])
    html = _html(_client(recruiter), "/recruiter/applications/")
    assert '<span class="badge">新投递</span> <span class="badge paid">超期未处理</span>' in html
    assert '<span class="badge paid">不符合</span>' in html
    assert '<span class="badge">电话沟通</span>' in html
    assert '<span class="badge free">符合</span>' in html
    assert '<span class="badge">标签A</span> <span class="badge">标签B</span> ' in html


def test_a_stage_change_shows_on_both_sides_at_once(recruiter: Any, ready_seeker: Any,
                                                    posting: Any) -> None:
    application = applied(ready_seeker, posting)
    recruiter_web, seeker_web = _client(recruiter), _client(ready_seeker)
    for web, path in ((recruiter_web, "/recruiter/applications/"), (seeker_web, "/"),
                      (seeker_web, "/me/applications/")):
        assert stage_name(Stage.NEW) in _html(web, path)
    services.application_stage_set(actor=recruiter, application=application,
                                   stage=Stage.SHORTLISTED)
    for web, path in ((recruiter_web, "/recruiter/applications/"), (seeker_web, "/"),
                      (seeker_web, "/me/applications/")):
        html = _html(web, path)
        assert '<span class="badge">初筛通过</span>' in html, path
    services.application_withdraw(seeker=ready_seeker, application=application)
    assert '<span class="badge">已撤回</span>' in _html(seeker_web, "/")
    assert '<span class="badge">已撤回</span>' in _html(recruiter_web, "/recruiter/applications/")


def test_the_home_lists_its_first_applications_and_counts_them_all(
        ready_seeker: Any, postings: Callable[[int], list[Any]], monkeypatch: Any,
        django_assert_max_num_queries: Any) -> None:
    monkeypatch.setattr(workspace, "SHOWN_APPLICATIONS", 2)
    made = postings(3)
    for posting in made[:2]:
        applied(ready_seeker, posting)
    web = _client(ready_seeker)
    html = _html(web, "/")
    assert "投递进度（2）" in html and "全部投递" not in html
    applied(ready_seeker, made[2])
    web.get("/")  # a new application: the shared recommendation list is counted again
    with django_assert_max_num_queries(11):  # the ten of test_query_counts and the count
        html = _html(web, "/")
    assert "投递进度（3）" in html and 'href="/me/applications/">全部投递' in html
    listed = html.split('id="ws-applications"')[1].split("</section>")[0]
    assert listed.count('<span class="badge">') == 2
    assert "仓储专员2" in listed and "仓储专员0" not in listed  # the newest first


def test_the_seekers_applications_come_a_page_at_a_time(
        ready_seeker: Any, postings: Callable[[int], list[Any]], monkeypatch: Any,
        django_assert_max_num_queries: Any) -> None:
    monkeypatch.setattr(views, "SEEKER_PAGE", 2)
    for posting in postings(3):
        applied(ready_seeker, posting)
    web = _client(ready_seeker)
    web.get("/me/applications/")
    with django_assert_max_num_queries(4):  # session, user, the page's rows, the chat badge
        first = _html(web, "/me/applications/")
    assert "仓储专员2" in first and "仓储专员1" in first and "仓储专员0" not in first
    assert 'href="?page=2">下一页' in first and "上一页" not in first
    second = _html(web, "/me/applications/?page=2")
    assert "仓储专员0" in second and "仓储专员2" not in second
    assert 'href="?page=1">上一页' in second and "下一页" not in second
    odd = _html(web, "/me/applications/?page=x")
    assert "仓储专员2" in odd and "仓储专员0" not in odd and 'href="?page=2">下一页' in odd
    past = web.get("/me/applications/?page=99999999999999999999")
    assert past.status_code == 302 and past["Location"] == "/me/applications/"


def test_the_homes_held_fragments_follow_what_they_show(ready_seeker: Any) -> None:
    demo.load(io.StringIO())  # the operator's record: the licence panel and the fraud tips
    web = _client(ready_seeker)
    html = _html(web, "/")
    assert "我的工单" in html and "个工单有客服回复" not in html
    SupportTicket.objects.create(reference="T-1", user=ready_seeker,
                                 category=TicketCategory.ACCOUNT, subject="问题",
                                 status=TicketStatus.ANSWERED, dedupe_key="t-1")
    assert "1 个工单有客服回复" in _html(web, "/")
    profile = OperatorProfile.objects.get()
    profile.complaint_hotline = "400-000-1234"
    profile.save()
    html = _html(web, "/")
    assert html.count("400-000-1234") >= 2  # the fraud tips and the licence panel


def test_applicant_list_queries_do_not_grow_with_tags(recruiter: Any, posting: Any,
                                                      make_seeker: Callable[..., Any],
                                                      django_assert_max_num_queries: Any
                                                      ) -> None:
    for n in range(3):
        services.tags_set(actor=recruiter, application=applied(make_seeker(), posting),
                          names=[f"标签{n}", "共同"])
    web = _client(recruiter)
    web.get("/recruiter/applications/")
    with django_assert_max_num_queries(14):  # as test_query_counts explains
        html = _html(web, "/recruiter/applications/")
    assert html.count('<span class="badge">共同</span>') == 3
