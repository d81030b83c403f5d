"""Posting test fixtures (see ``fixtures.py``, shared with the moderation tests)."""

from pinqiao.jobs.tests.fixtures import *  # noqa: F403
