"""RET-3, JOB-2, JOB-5: a posting page's rendered parts are held per process under a digest of
what they show, so a repeat costs no rendering — and an edit, a status change and a moderation
decision show on the very next visit, signed in or not."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pinqiao.jobs import services as jobs
from pinqiao.jobs.models import Posting
from pinqiao.moderation.models import Sanction
from pinqiao.tickets import services as tickets
from pinqiao.tickets.services import Measures

pytestmark = pytest.mark.django_db

RULE = "《网络招聘服务管理规定》第十六条"


def _page(client: Client, posting: Any) -> tuple[int, str]:
    response = client.get(reverse("jobs:detail", args=[posting.pk]))
    return response.status_code, response.content.decode()


def _held_parts() -> int:
    return sum(1 for key in caches["chrome"]._cache if "posting_" in key)  # noqa: SLF001


def test_an_edit_a_pause_and_a_risk_label_show_on_the_next_visit(
        seeker: Any, recruiter: Any, posting: Any, handler: Any) -> None:
    caches["chrome"].clear()
    visitor = Client()
    status, first = _page(visitor, posting)
    assert status == 200 and _held_parts() == 4
    assert _page(visitor, posting)[1] == first and _held_parts() == 4

    jobs.posting_update(actor=recruiter, posting=posting,
                        data={"repost_source_name": "广州市人力资源市场"})
    assert "广州市人力资源市场" in _page(visitor, posting)[1]

    jobs.posting_pause(actor=recruiter, posting=Posting.objects.get(pk=posting.pk))
    assert _page(visitor, posting)[0] == 404
    jobs.posting_resume(actor=recruiter, posting=Posting.objects.get(pk=posting.pk))
    assert _page(visitor, posting)[0] == 200

    case = tickets.case_submit(actor=seeker, kind="complaint", reason_code="fee_charging",
                               content=f"面试时要求先交500元押金（{posting}）。", target=posting)
    tickets.case_resolve(actor=handler, case=tickets.case_accept(actor=handler, case=case),
                         upheld=True, finding="经核实，该单位要求求职者缴纳押金。",
                         result="已处置。",
                         measures=Measures(sanction_kind="risk_label", rule=RULE, days=30))
    seeker_client = Client()
    seeker_client.force_login(seeker)
    for client in (visitor, seeker_client):
        page = _page(client, posting)[1]
        assert "data-risk-label" in page and RULE in page
    # The label's end passing (no save, no signal) takes it off at once as well.
    Sanction.objects.filter(kind="risk_label").update(ends_at=timezone.now() - timedelta(days=1))
    assert "data-risk-label" not in _page(visitor, posting)[1]


def test_each_visitor_still_gets_their_own_apply_and_report_parts(
        seeker: Any, posting: Any) -> None:
    caches["chrome"].clear()
    _page(Client(), posting)  # the parts are held
    signed_in = Client()
    signed_in.force_login(seeker)
    page = _page(signed_in, posting)[1]
    assert reverse("jobs:report", args=[posting.pk]) in page  # the report form, with a token
    assert "csrfmiddlewaretoken" in page
    visitor = _page(Client(), posting)[1]
    assert "登录后举报" in visitor and "csrfmiddlewaretoken" not in visitor
