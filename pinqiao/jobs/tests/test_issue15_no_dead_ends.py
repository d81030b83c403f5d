"""No dead ends (issue 15, item 4): a refused first submission comes back onto the form with the
input kept and the way forward, and leaves no 「未命名草稿」 behind; an agency sees all its 委托证明
and that one covers one posting; a missing or expired posting offers similar open postings."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from pinqiao.core.models import AuditEntry
from pinqiao.jobs import services
from pinqiao.jobs.models import Posting, PostingStatus
from pinqiao.jobs.tests.fixtures import posting_data

pytestmark = pytest.mark.django_db
NEW = "/recruiter/jobs/new/"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_special_permit_refusal_keeps_the_input_and_links_to_the_permit_upload(
        recruiter: Any, employer: Any) -> None:
    """ORG-12, JOB-2: catering needs a food-business permit; the form says so and keeps all."""
    data = {**posting_data(title="中餐厨师", industry="catering"), "organisation": employer.pk,
            "mode": "own", "action": "submit"}
    response = _client(recruiter).post(NEW, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="refusal"' in html and "食品经营许可证" in html
    assert reverse("orgs:licence_add", args=[employer.pk]) in html
    assert 'value="中餐厨师"' in html and "做五休二" in html
    assert not Posting.objects.exists()
    assert AuditEntry.objects.filter(verb="posting.submit.denied").exists()


def test_an_agency_without_a_client_authorisation_is_told_on_the_form(
        agency_owner: Any, agency: Any) -> None:
    """ORG-5: 代招 without a 委托证明 is refused on the form, with the link to add one."""
    data = {**posting_data(title="酒店前台（代招）"), "organisation": agency.pk, "mode": "agency",
            "client_authorisation": "", "action": "submit"}
    html = _client(agency_owner).post(NEW, data).content.decode()
    assert "代招职位必须对应本机构已上传的委托证明" in html
    assert reverse("orgs:client_add", args=[agency.pk]) in html
    assert 'value="酒店前台（代招）"' in html
    assert not Posting.objects.exists()


def test_an_empty_submission_creates_no_draft(recruiter: Any, employer: Any) -> None:
    """JOB-1: the missing fields are named; nothing is saved until the user saves a draft."""
    html = _client(recruiter).post(NEW, {"organisation": employer.pk, "mode": "own",
                                         "action": "submit"}).content.decode()
    assert "职位信息不完整" in html
    assert not Posting.objects.exists()
    _client(recruiter).post(NEW, {"organisation": employer.pk, "mode": "own",
                                  "title": "仓库管理员", "action": "save"})
    assert Posting.objects.get().status == PostingStatus.DRAFT


def test_the_agency_sees_every_client_authorisation_and_that_one_covers_one_posting(
        agency_owner: Any, agency: Any) -> None:
    """ORG-5: a used authorisation is listed with its posting, not hidden."""
    posting = services.posting_create_and_submit(
        actor=agency_owner, organisation=agency, data=posting_data(title="客房服务员（代招）"),
        mode="agency", client=agency.client_auth)
    html = _client(agency_owner).get(NEW).content.decode()
    assert agency.client_auth.client_name in html
    assert "已用于职位「客房服务员（代招）」" in html
    assert "一份委托证明只对应一个代招职位" in html
    assert reverse("jobs:my_detail", args=[posting.pk]) in html


def test_an_expired_posting_answers_404_with_similar_open_postings(recruiter: Any,
                                                                  employer: Any) -> None:
    open_one = services.posting_create_and_submit(
        actor=recruiter, organisation=employer, data=posting_data(title="仓库主管"))
    gone = services.posting_create_and_submit(
        actor=recruiter, organisation=employer, data=posting_data(title="仓库文员"))
    assert open_one.status == gone.status == PostingStatus.PUBLISHED
    Posting.objects.filter(pk=gone.pk).update(status=PostingStatus.EXPIRED)
    response = Client().get(reverse("jobs:detail", args=[gone.pk]))
    html = response.content.decode()
    assert response.status_code == 404
    assert "<title>职位已下线 · 聘桥</title>" in html
    assert "类似的在招职位" in html and "仓库主管" in html and "仓库文员" not in html
