"""Test helpers for any app whose tests search: a fresh index directory per test and
``index_now()``, which does what the task worker does after each commit (tests inside a
transaction never reach the on-commit hook)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pinqiao.search.engine import SearchIndex
from pinqiao.search.services import SOURCES, outbox_apply


def index_now() -> int:
    """Apply the search outbox of every index now; returns the number of changes applied."""
    return sum(outbox_apply(source=source) for source in SOURCES.values())


@pytest.fixture
def search_index(settings: Any, tmp_path: Path) -> Iterator[Callable[[], int]]:
    """A fresh, empty index directory for this test; call the fixture's value to index."""
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    yield index_now
    for source in SOURCES.values():
        SearchIndex(source.spec).forget()
