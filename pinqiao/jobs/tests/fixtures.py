"""Fixtures for posting and moderation tests: verified organisations through the real services.

Imported by ``pinqiao/jobs/tests/conftest.py`` and by the moderation Django tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from pinqiao.jobs import services
from pinqiao.orgs import testing as org_testing


def posting_data(**over: Any) -> dict[str, Any]:
    """A complete, lawful posting (JOB-1) in 广州市天河区."""
    data = {
        "title": "仓库管理员", "headcount": 3, "employment_type": "full_time",
        "requirements": "高中及以上学历，熟悉Excel，有叉车证者优先。",
        "work_content": "负责货物出入库登记、库存盘点和单据整理，配合物流部门安排发货。",
        "working_hours": "做五休二，9:00-18:00", "social_insurance": "入职缴纳五险一金",
        "housing": "提供员工宿舍", "division_code": "440106", "address": "天河路100号",
        "pay_min": "6000", "pay_max": "8000", "pay_unit": "month", "education": "high_school",
        "experience": "1_3", "job_function": "warehouse_keeper", "industry": "software",
        "valid_until": (timezone.localdate() + timedelta(days=30)).isoformat(),
    }
    data.update(over)
    return data


def otp_verified(user: Any) -> Any:
    """Mark a staff user object as past the second factor, as OTPMiddleware does per request."""
    user.is_verified = lambda: True
    return user


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def org_reviewer(make_user: Any) -> Any:
    from pinqiao.core.permissions import Role

    return otp_verified(make_user(role=Role.REVIEWER, phone=None, email="orgrev@test.example"))


@pytest.fixture
def reviewer2(make_user: Any) -> Any:
    from pinqiao.core.permissions import Role

    return otp_verified(make_user(role=Role.REVIEWER, phone=None, email="rev2@test.example"))


@pytest.fixture
def employer(recruiter: Any, org_reviewer: Any) -> Any:
    return org_testing.verified_employer(recruiter, org_reviewer)


@pytest.fixture
def agency_owner(make_user: Any) -> Any:
    from pinqiao.core.permissions import Role

    return make_user(role=Role.RECRUITER, display_name="代招顾问")


@pytest.fixture
def agency(agency_owner: Any, org_reviewer: Any) -> Any:
    org = org_testing.verified_agency(agency_owner, org_reviewer)
    org.client_auth = org_testing.client_for(org, agency_owner, org_reviewer)
    return org


@pytest.fixture
def draft(recruiter: Any, employer: Any) -> Any:
    return services.posting_create(actor=recruiter, organisation=employer, data=posting_data())
