"""Refusals as they show (issue 15): the event log names the rule that actually refused, in
Chinese; the poster sees a refusal as an error, never as a success banner."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from pinqiao.jobs import services
from pinqiao.jobs.models import PostingStatus
from pinqiao.jobs.templatetags.posting_labels import posting_reason
from pinqiao.jobs.tests.fixtures import posting_data

pytestmark = pytest.mark.django_db


def test_the_log_names_the_gender_rule_that_refused_not_the_age_rule(recruiter: Any,
                                                                      employer: Any) -> None:
    """MOD-2: an age limit (review) and a gender limit (refusal) in one text: the refusal is
    logged under the gender rule."""
    posting = services.posting_create(actor=recruiter, organisation=employer, data=posting_data(
        requirements="35岁以下，限男性，高中以上学历。"))
    posting = services.posting_submit(actor=recruiter, posting=posting)
    assert posting.status == PostingStatus.REJECTED
    assert posting.status_reason_code == "screening.discrimination.gender"
    assert posting_reason(posting.status_reason_code) == "机器审核：性别歧视"


def test_reason_codes_read_in_chinese() -> None:
    assert posting_reason("submitted") == "提交审核"
    assert posting_reason("approved") == "审核通过"
    assert posting_reason("screening.discrimination.age") == "机器审核：年龄限制"
    assert posting_reason("fee_charging") == "向求职者收费"
    assert posting_reason("something_new") == "其他"


def test_a_refused_posting_is_announced_as_an_error(recruiter: Any, employer: Any) -> None:
    client = Client()
    client.force_login(recruiter)
    response = client.post("/recruiter/jobs/new/", {
        **posting_data(requirements="限男性，高中以上学历。"), "organisation": employer.pk,
        "mode": "own", "action": "submit"}, follow=True)
    html = response.content.decode()
    assert "职位未通过审核" in html
    assert 'class="message error"' in html
    assert "机器审核：性别歧视" in html
    assert "screening." not in html.replace('data-category="', "").replace("title=", "")
