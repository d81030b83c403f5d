"""Posting test fixtures (see ``fixtures.py``, shared with the moderation tests)."""

from pinqiao.jobs.tests.fixtures import *  # noqa: F403
from pinqiao.search.testing import search_index  # noqa: E402, F401
