"""The demo résumé loader: approved, idempotent, contact details only as ciphertext."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection

from pinqiao.core.permissions import Role
from pinqiao.resumes import demo
from pinqiao.resumes.models import Resume

pytestmark = pytest.mark.django_db


def test_the_demo_resume_is_approved_and_loaded_once(make_user: Any) -> None:
    seeker = make_user(role=Role.SEEKER, username="demo_seeker")
    out = io.StringIO()
    demo.load(out)
    demo.load(out)
    resume = Resume.objects.get(owner=seeker)
    assert resume.review_status == "approved", resume.review_reasons
    assert resume.work.count() == 2 and resume.certificates.count() == 1
    assert "already present" in out.getvalue()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM resumes_resume")
        row = " ".join(str(value) for value in cursor.fetchone())
    for secret in demo.CONTACT.values():
        assert secret not in row
