"""REC-5: recruiters, too, can turn personalised candidate recommendations off; the list is then
the same pool by résumé update time, without scores; each choice is a recorded consent row."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from pinqiao.privacy.models import Consent
from pinqiao.recommendations.selectors import (
    candidates_for_posting,
    recruiter_personalisation_on,
)
from pinqiao.recommendations.services import recruiter_personalisation_set
from pinqiao.recommendations.tests.test_candidates import JAVA, WAREHOUSE, public

pytestmark = pytest.mark.django_db


def test_turning_it_off_and_on_is_recorded(recruiter: Any) -> None:
    assert recruiter_personalisation_on(recruiter=recruiter)
    recruiter_personalisation_set(recruiter=recruiter, enabled=False)
    assert not recruiter_personalisation_on(recruiter=recruiter)
    row = Consent.objects.get(user=recruiter)
    assert row.withdrawn_at is not None and "个性化人才推荐" in row.wording
    recruiter_personalisation_set(recruiter=recruiter, enabled=True)
    assert recruiter_personalisation_on(recruiter=recruiter)
    assert Consent.objects.filter(user=recruiter).count() == 2


def test_off_gives_the_non_personalised_list_on_the_page(recruiter: Any, make_user: Any,
                                                         postings: dict,
                                                         search_index: Any) -> None:
    public(make_user(), **JAVA)
    public(make_user(), **WAREHOUSE)
    search_index()
    posting = postings["Java开发工程师"]
    client = Client()
    client.force_login(recruiter)
    client.post(reverse("recommendations:recruiter_personalisation", args=[posting.pk]),
                {"enabled": "off"})
    page = candidates_for_posting(viewer=recruiter, posting_id=posting.pk)
    assert not page.personalised and page.items
    assert all(c.score == 0.0 for c in page.items)
    updated = [c.resume.updated_at for c in page.items]
    assert updated == sorted(updated, reverse=True)
    html = client.get(reverse("recommendations:candidates", args=[posting.pk])).content.decode()
    assert "个性化人才推荐：已关闭" in html and "开启个性化推荐" in html
