"""ORG-11 public profile; DISC-3 「许可及监管」 panel and DISC-4 fee statement for agencies."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pinqiao.orgs import testing
from pinqiao.orgs.services import organisation_profile_update, violation_record

pytestmark = pytest.mark.django_db


def test_it_shows_a_verified_employer_profile(employer, recruiter, client):
    organisation_profile_update(actor=recruiter, organisation=employer, changes={
        "highlights": "弹性工作制", "benefits": "六险一金", "team": "创始团队来自一线互联网公司"},
        logo=testing.png())
    page = client.get(reverse("orgs:public", args=[employer.pk])).content.decode()
    for text in (employer.name, "弹性工作制", "六险一金", "创始团队", "已认证"):
        assert text in page
    employer.refresh_from_db()
    assert client.get(reverse("orgs:document", args=[employer.logo_id])).status_code == 200
    assert "panel-licence" not in page


def test_it_shows_the_agency_panel_and_fees(agency, reviewer, client):
    violation_record(actor=reviewer, organisation=agency, rule="代招信息与委托证明不符",
                     what="超范围代招", sanction="警告", severity="serious")
    page = client.get(reverse("orgs:public", args=[agency.pk])).content.decode()
    for text in ("许可及监管", "(渝)人服证字", "85", "代招信息与委托证明不符", "投诉举报电话",
                 "求职者收费说明", "200元"):
        assert text in page


def test_it_hides_pending_organisations(recruiter, client):
    org = testing.register(recruiter, "聘桥示范科技")
    assert client.get(reverse("orgs:public", args=[org.pk])).status_code == 404
