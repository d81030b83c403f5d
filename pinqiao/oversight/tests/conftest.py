"""Oversight fixtures: organisations written directly (the draw reads only their status, risk
score and credit record), postings published through the real services where screening
history matters, and regulators past the second factor."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from pinqiao.core.permissions import Role
from pinqiao.jobs.tests.fixtures import (  # noqa: F401 - fixtures
    _media,
    employer,
    org_reviewer,
    otp_verified,
)
from pinqiao.orgs.models import Organisation, OrgKind, OrgStatus, Severity, Violation
from pinqiao.risk.models import RiskScore, Subject


@pytest.fixture
def inspector(regulator: Any) -> Any:
    return otp_verified(regulator)


@pytest.fixture
def inspector2(make_user: Any) -> Any:
    return otp_verified(make_user(role=Role.REGULATOR, phone=None, email="reg2@test.example",
                                  display_name="监管二"))


@pytest.fixture
def make_org(make_user: Any) -> Callable[..., Organisation]:
    owner = make_user(role=Role.RECRUITER)
    counter = iter(range(1, 10_000))

    def make(name: str = "", *, risk: int = 0, violations: int = 0,
             status: str = OrgStatus.VERIFIED, industry: str = "software") -> Organisation:
        n = next(counter)
        org = Organisation.objects.create(
            name=name or f"抽查样本单位{n}", credit_code=f"91440101MA{n:08d}",
            kind=OrgKind.EMPLOYER, status=status, industry=industry, address="天河路1号",
            contact_name="王经理", created_by=owner,
            verified_at=timezone.now() if status == OrgStatus.VERIFIED else None)
        if risk:
            RiskScore.objects.create(subject=Subject.ORGANISATION, subject_id=org.pk,
                                     score=risk, level="high" if risk >= 60 else "low",
                                     formula_version="test", contributions=[])
        for i in range(violations):
            Violation.objects.create(organisation=org, rule="《网络招聘服务管理规定》第十二条",
                                     what="发布虚假招聘信息，联系人电话13812345678",
                                     severity=Severity.SERIOUS,
                                     occurred_at=timezone.now() - timedelta(days=10 + i),
                                     sanction="警告")
        return org

    return make
