"""Search tests: every test gets its own index directory; posting builders from the jobs
tests (verified employer, lawful posting data)."""

from typing import Any

import pytest

from pinqiao.jobs.tests.fixtures import *  # noqa: F403
from pinqiao.search.testing import search_index  # noqa: F401


@pytest.fixture(autouse=True)
def _own_index(search_index: Any) -> None:  # noqa: F811
    """A fresh index directory per test (``search_index`` sets it)."""
