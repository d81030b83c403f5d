"""RISK-3 credit-sharing export for regulators and reviewers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pinqiao.core.models import AuditEntry
from pinqiao.orgs.services import violation_record

pytestmark = pytest.mark.django_db


def test_it_exports_scores_and_violations_as_csv(employer, reviewer, regulator, staff_client):
    violation_record(actor=reviewer, organisation=employer, rule="招聘信息发布规则",
                     what="虚假薪酬", sanction="警告", severity="serious")
    response = staff_client(regulator).get(reverse("orgs:credit_export"))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("credit_code,name,kind,status,credit_score")
    assert f"{employer.credit_code},{employer.name},employer,verified,85,B,1" in text
    assert AuditEntry.objects.filter(verb="orgs.credit_exported").exists()


def test_it_rejects_anonymous(client):
    response = client.get(reverse("orgs:credit_export"))
    assert response.status_code == 302


def test_it_requires_regulator_or_reviewer(auditor, staff_client, recruiter, user_client):
    assert staff_client(auditor).get(reverse("orgs:credit_export")).status_code == 403
    assert user_client(recruiter).get(reverse("orgs:credit_export")).status_code == 403
