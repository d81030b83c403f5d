"""PRIV-7: impact-assessment records for sensitive processing, automated decisions (linked to
the algorithm register) and sharing — a form and a list for staff."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from pinqiao.core.errors import ServiceError
from pinqiao.core.models import AuditEntry
from pinqiao.jobs.tests.fixtures import otp_verified
from pinqiao.recommendations.models import Algorithm
from pinqiao.rights.assessments import assessment_record

pytestmark = pytest.mark.django_db

TEXT = {"title": "个性化职位推荐", "purpose": "依据求职意向推荐职位，经单独同意。",
        "impact": "可能形成信息茧房。", "measures": "提供不针对个人特征的选项，可关闭。",
        "conclusion": "风险可控，准予上线。"}


def test_an_automated_decision_must_name_its_algorithm(rights_operator: Any) -> None:
    with pytest.raises(ServiceError) as exc:
        assessment_record(actor=rights_operator, kind="automated", **TEXT)
    assert "algorithm" in exc.value.fields
    algorithm = Algorithm.objects.first()
    assert algorithm is not None, "the algorithm register is seeded by its data migration"
    recorded = assessment_record(actor=rights_operator, kind="automated", algorithm=algorithm,
                                 **TEXT)
    assert recorded.review_on > timezone.localdate()
    assert AuditEntry.objects.filter(verb="privacy.assessment_recorded").exists()


def test_a_recruiter_cannot_record_one(recruiter: Any) -> None:
    with pytest.raises(ServiceError) as exc:
        assessment_record(actor=recruiter, kind="sharing", **TEXT)
    assert exc.value.status == 403


def test_the_page_lists_and_refuses_with_the_input_kept(auditor: Any, staff_client: Any) -> None:
    client = staff_client(otp_verified(auditor))
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    bad = client.post("/staff/privacy/assessments/", {**TEXT, "kind": "sensitive",
                                                       "review_on": past})
    assert bad.status_code == 400 and "复评日期须晚于今天" in bad.content.decode()
    assert "个性化职位推荐" in bad.content.decode()
    future = (timezone.localdate() + timedelta(days=180)).isoformat()
    good = client.post("/staff/privacy/assessments/", {**TEXT, "kind": "sensitive",
                                                        "review_on": future})
    assert good.status_code == 302
    assert "个性化职位推荐" in client.get("/staff/privacy/assessments/").content.decode()
