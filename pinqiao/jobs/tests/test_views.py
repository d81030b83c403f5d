"""Posting pages: public page (DISC-3, DISC-4, JSON-LD), report button (TKT-1), recruiter pages,
staff take-down (JOB-2, MOD-7). Every data-changing view rejects anonymous users and checks
the role."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.urls import reverse

from pinqiao.core.models import AuditEntry
from pinqiao.jobs import services
from pinqiao.jobs.models import Posting, PostingStatus
from pinqiao.jobs.tests.fixtures import posting_data
from pinqiao.moderation.models import CaseFile, Report, ReviewItem, Sanction

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(recruiter: Any, draft: Posting) -> Posting:
    return services.posting_submit(actor=recruiter, posting=draft)


def _jsonld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match
    return json.loads(match.group(1))


def test_it_shows_the_public_page_with_json_ld(client: Any, published: Posting) -> None:
    response = client.get(reverse("jobs:detail", args=[published.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "广东省广州市天河区" in html and "6000–8000 元/月" in html
    data = _jsonld(html)
    assert data["@type"] == "JobPosting"
    assert data["baseSalary"]["value"]["minValue"] == 6000.0
    assert data["baseSalary"]["value"]["unitText"] == "MONTH"
    assert data["jobLocation"]["address"]["addressRegion"] == "广东省"


def test_it_escapes_json_ld_so_text_cannot_close_the_script(client: Any, recruiter: Any,
                                                            employer: Any) -> None:
    """Cleaning keeps markup out of new text; a row stored before that (or written around the
    services) still cannot close the JSON-LD script."""
    posting = services.posting_create(actor=recruiter, organisation=employer, data=posting_data())
    posting = services.posting_submit(actor=recruiter, posting=posting)
    Posting.objects.filter(pk=posting.pk).update(work_content="负责仓库管理 </script><b>x 及盘点")
    html = client.get(reverse("jobs:detail", args=[posting.pk])).content.decode()
    assert "</script><b>" not in html
    assert "</script>" in _jsonld(html)["description"]


def test_it_hides_drafts_from_the_public(client: Any, draft: Posting) -> None:
    assert client.get(reverse("jobs:detail", args=[draft.pk])).status_code == 404


def test_it_shows_the_licence_panel_and_fee_on_agency_postings(client: Any, agency_owner: Any,
                                                               agency: Any) -> None:
    """DISC-3, DISC-4."""
    posting = services.posting_create(actor=agency_owner, organisation=agency,
                                      data=posting_data(), mode="agency",
                                      client=agency.client_auth)
    posting = services.posting_submit(actor=agency_owner, posting=posting)
    html = client.get(reverse("jobs:detail", args=[posting.pk])).content.decode()
    assert "许可及监管" in html and "人服证字" in html
    assert "求职者收费公示" in html and "200" in html
    assert agency.client_auth.client_name in html


def test_it_rejects_anonymous_reports(client: Any, published: Posting) -> None:
    response = client.post(reverse("jobs:report", args=[published.pk]), {"reason": "fraud"})
    assert response.status_code == 302 and "/login" in response["Location"]
    assert not Report.objects.exists()


def test_it_puts_reports_in_the_review_queue(user_client: Any, seeker: Any,
                                             published: Posting) -> None:
    """TKT-1."""
    response = user_client(seeker).post(reverse("jobs:report", args=[published.pk]),
                                        {"reason": "fee_charging", "detail": "面试时要交押金"})
    assert response.status_code == 302
    item = ReviewItem.objects.get(kind="report", object_id=str(published.pk))
    assert item.reports.get().reporter == seeker
    assert item.risk >= 80


def test_it_rejects_anonymous_recruiter_pages(client: Any) -> None:
    response = client.post(reverse("jobs:my_new"), {})
    assert response.status_code == 302 and "/login" in response["Location"]


def test_it_requires_recruiter_role(user_client: Any, seeker: Any) -> None:
    assert user_client(seeker).get(reverse("jobs:my_new")).status_code == 403


def test_it_creates_and_submits_from_the_form(user_client: Any, recruiter: Any,
                                               employer: Any) -> None:
    data = posting_data(organisation=employer.pk, mode="own", action="submit", province="440000",
                        city="440100")
    response = user_client(recruiter).post(reverse("jobs:my_new"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    posting = Posting.objects.get()
    assert posting.status == PostingStatus.PUBLISHED


def test_it_shows_field_errors_for_an_incomplete_submit(user_client: Any, recruiter: Any,
                                                        employer: Any) -> None:
    data = {"organisation": employer.pk, "mode": "own", "action": "submit", "title": "厨师"}
    response = user_client(recruiter).post(reverse("jobs:my_new"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "请填写招聘人数。" in html and "请填写最低薪资。" in html
    assert 'value="厨师"' in html
    assert not Posting.objects.exists()  # issue 15: no draft until the user saves one


def test_it_shows_the_rejection_with_words_highlighted(user_client: Any, recruiter: Any,
                                                        employer: Any) -> None:
    posting = services.posting_create(actor=recruiter, organisation=employer, data=posting_data(
        requirements="<b>限男性</b>，身体健康。"))
    services.posting_submit(actor=recruiter, posting=posting)
    html = user_client(recruiter).get(reverse("jobs:my_detail", args=[posting.pk])).content
    html = html.decode()
    assert '<mark class="hit" data-category="discrimination.gender"' in html
    assert "就业促进法" in html


def test_it_returns_404_for_another_organisations_posting(user_client: Any, make_user: Any,
                                                          draft: Posting) -> None:
    from pinqiao.core.permissions import Role

    other = make_user(role=Role.RECRUITER)
    assert user_client(other).get(reverse("jobs:my_detail", args=[draft.pk])).status_code == 404
    assert user_client(other).post(
        reverse("jobs:my_action", args=[draft.pk, "submit"])).status_code == 404


def test_it_refuses_a_form_post_for_a_foreign_organisation(user_client: Any, make_user: Any,
                                                           employer: Any) -> None:
    """Bad input: a posting for an organisation the user does not belong to (403, audited)."""
    from pinqiao.core.permissions import Role

    other = make_user(role=Role.RECRUITER)
    response = user_client(other).post(reverse("jobs:my_new"), posting_data(
        organisation=employer.pk, mode="own", action="save"))
    assert response.status_code in (302, 403)
    assert not Posting.objects.exists()


def test_it_rejects_anonymous_staff_removal(client: Any, published: Posting) -> None:
    response = client.post(reverse("jobs:staff_remove", args=[published.pk]),
                           {"reason_code": "fraud"})
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.status == PostingStatus.PUBLISHED


def test_it_requires_review_permission_to_remove(staff_client: Any, operator: Any,
                                                 published: Posting) -> None:
    response = staff_client(operator).post(reverse("jobs:staff_remove", args=[published.pk]),
                                           {"reason_code": "fraud"})
    assert response.status_code == 403


def test_it_removes_illegal_content_with_warning_and_case_file(staff_client: Any, reviewer: Any,
                                                               published: Posting) -> None:
    """MOD-7, RISK-2."""
    response = staff_client(reviewer).post(reverse("jobs:staff_remove", args=[published.pk]),
                                           {"reason_code": "illegal_content", "note": "涉赌"})
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.status == PostingStatus.REMOVED
    assert CaseFile.objects.get().organisation == published.organisation
    assert Sanction.objects.get().kind == "warning"
    assert published.organisation.violations.count() == 1
    assert AuditEntry.objects.filter(verb="casefile.prepare").exists()


def test_it_shows_base_field_changes_on_the_public_page(client: Any, recruiter: Any,
                                                        reviewer: Any, published: Posting) -> None:
    """JOB-5: the change history of base fields stays visible."""
    from pinqiao.jobs.tests.fixtures import otp_verified
    from pinqiao.moderation.services import review_decide

    services.posting_update(actor=recruiter, posting=published, data={"pay_max": "9000"})
    item = ReviewItem.objects.get(kind="base_change")
    review_decide(actor=otp_verified(reviewer), item=item, action="approve")
    html = client.get(reverse("jobs:detail", args=[published.pk])).content.decode()
    assert "信息变更记录" in html and "最高薪资（元）" in html


def test_it_rejects_anonymous_edits_and_actions(client: Any, draft: Posting) -> None:
    for url in (reverse("jobs:my_edit", args=[draft.pk]),
                reverse("jobs:my_action", args=[draft.pk, "submit"])):
        response = client.post(url, posting_data(title="改"))
        assert response.status_code == 302 and "/login" in response["Location"]
    draft.refresh_from_db()
    assert draft.status == PostingStatus.DRAFT and draft.title == "仓库管理员"


def test_it_requires_recruiter_for_edits_and_actions(staff_client: Any, reviewer: Any,
                                                     user_client: Any, seeker: Any,
                                                     draft: Posting) -> None:
    assert user_client(seeker).post(reverse("jobs:my_action",
                                            args=[draft.pk, "submit"])).status_code == 403
    assert staff_client(reviewer).post(reverse("jobs:my_edit", args=[draft.pk]),
                                       posting_data(title="改")).status_code == 403
    draft.refresh_from_db()
    assert draft.status == PostingStatus.DRAFT


def test_it_edits_a_draft_from_the_form(user_client: Any, recruiter: Any, draft: Posting) -> None:
    data = posting_data(title="高级仓库管理员", action="save")
    response = user_client(recruiter).post(reverse("jobs:my_edit", args=[draft.pk]), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "高级仓库管理员"


def test_it_serves_location_options(client: Any) -> None:
    html = client.get(reverse("jobs:divisions"), {"field": "province",
                                                  "province": "440000"}).content.decode()
    assert '<option value="440100">广州市</option>' in html


def test_it_accepts_one_report_per_day_per_reporter(user_client: Any, seeker: Any,
                                                   published: Posting) -> None:
    client = user_client(seeker)
    for _ in range(2):
        client.post(reverse("jobs:report", args=[published.pk]), {"reason": "fraud"})
    assert Report.objects.count() == 1


def test_it_shows_the_reviewers_reason_to_the_poster(user_client: Any, recruiter: Any,
                                                     reviewer: Any, employer: Any) -> None:
    """MOD-5: the poster sees the reviewer's reason, the rule and the words."""
    from pinqiao.jobs.tests.fixtures import otp_verified
    from pinqiao.moderation.services import review_decide

    posting = services.posting_submit(actor=recruiter, posting=services.posting_create(
        actor=recruiter, organisation=employer, data=posting_data(requirements="35岁以下。")))
    item = ReviewItem.objects.get(object_id=str(posting.pk))
    review_decide(actor=otp_verified(reviewer), item=item, action="reject",
                  reason_code="discrimination", note="请删除年龄限制")
    html = user_client(recruiter).get(reverse("jobs:my_detail", args=[posting.pk])).content
    html = html.decode()
    assert "请删除年龄限制" in html and "DB4401 6.2.1.9" in html
    assert '<mark class="hit">35岁以下</mark>' in html


def test_it_lets_reviewers_find_postings(staff_client: Any, reviewer: Any, user_client: Any,
                                         recruiter: Any, published: Posting) -> None:
    html = staff_client(reviewer).get(reverse("jobs:staff_list"), {"q": "仓库"}).content
    assert "仓库管理员" in html.decode()
    assert user_client(recruiter).get(reverse("jobs:staff_list")).status_code == 403


def test_it_paginates_the_public_list(client: Any, published: Posting,
                                     search_index: Any) -> None:
    search_index()
    html = client.get(reverse("jobs:list"), {"page": "99"}).content.decode()
    assert f'href="/jobs/{published.pk}/"' in html


def test_it_searches_by_title_skill_employer_and_place(client: Any, published: Posting,
                                                      search_index: Any) -> None:
    """SRCH-1 through the public list: title, skill, district, employer, province."""
    search_index()
    link = f'href="/jobs/{published.pk}/"'
    for q in ("仓库", "Excel 广州", "天河", "聘桥示范", "广东 仓库"):
        html = client.get(reverse("jobs:list"), {"q": q}).content.decode()
        assert link in html, q
    html = client.get(reverse("jobs:list"), {"q": "仓库 北京"}).content.decode()
    assert link not in html


def test_it_takes_an_appeal_from_the_page(user_client: Any, recruiter: Any,
                                          employer: Any) -> None:
    posting = services.posting_submit(actor=recruiter, posting=services.posting_create(
        actor=recruiter, organisation=employer, data=posting_data(requirements="限女性。")))
    client = user_client(recruiter)
    assert "提交申诉" in client.get(reverse("jobs:my_detail", args=[posting.pk])).content.decode()
    client.post(reverse("jobs:my_action", args=[posting.pk, "appeal"]), {"reason": "误判"})
    posting.refresh_from_db()
    assert posting.status == PostingStatus.PENDING_REVIEW
    assert ReviewItem.objects.filter(kind="appeal", object_id=str(posting.pk)).exists()
