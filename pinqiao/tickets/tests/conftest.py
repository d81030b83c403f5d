"""Desk fixtures: a verified employer with a published posting, handlers past the second
factor, and a supervisor."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pinqiao.core.permissions import Role
from pinqiao.jobs.testing import published_posting
from pinqiao.jobs.tests.fixtures import (  # noqa: F401 - fixtures
    _media,
    employer,
    org_reviewer,
    otp_verified,
    reviewer2,
)
from pinqiao.orgs.testing import PDF_BYTES, PNG_BYTES


@pytest.fixture
def posting(recruiter: Any, employer: Any) -> Any:  # noqa: F811
    return published_posting(recruiter, employer)


@pytest.fixture
def handler(make_user: Any) -> Any:
    return otp_verified(make_user(role=Role.REVIEWER, phone=None, email="handler@test.example"))


@pytest.fixture
def handler2(make_user: Any) -> Any:
    return otp_verified(make_user(role=Role.REVIEWER, phone=None,
                                  email="handler2@test.example"))


@pytest.fixture
def supervisor(make_user: Any) -> Any:
    return otp_verified(make_user(role=Role.OPERATOR, phone=None, email="boss@test.example"))


@pytest.fixture
def service_agent(customer_service: Any) -> Any:
    return otp_verified(customer_service)


def png(name: str = "evidence.png") -> SimpleUploadedFile:
    """A real PNG: evidence files are decoded, not only sniffed (SEC-3)."""
    return SimpleUploadedFile(name, PNG_BYTES, "image/png")


def pdf(name: str = "form.pdf") -> SimpleUploadedFile:
    """A real one-page PDF: evidence files are opened, not only sniffed (SEC-3)."""
    return SimpleUploadedFile(name, PDF_BYTES, "application/pdf")
