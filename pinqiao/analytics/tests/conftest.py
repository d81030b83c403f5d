"""Fixtures of the analytics tests: a verified employer and its postings through the real
services (shared with the posting and ticket tests)."""

from pinqiao.tickets.tests.conftest import (  # noqa: F401 - fixtures
    _media,
    employer,
    org_reviewer,
)
