"""SRCH-1, SEC-3: a transaction queues each changed object for the index once (a submitted
posting is saved and changes status twice in one transaction), and a row written in a
savepoint that was rolled back is written again."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from pinqiao.search.models import SearchOutbox
from pinqiao.search.services import outbox_record

pytestmark = pytest.mark.django_db


def _rows(pk: int) -> int:
    return SearchOutbox.objects.filter(index="postings", object_id=pk).count()


def test_one_row_per_object_and_transaction() -> None:
    with transaction.atomic():
        outbox_record(index="postings", object_ids=[101, 101])
        outbox_record(index="postings", object_ids=[101, 102])
        with transaction.atomic():  # a savepoint inside: still covered by the outer row
            outbox_record(index="postings", object_ids=[101])
    assert (_rows(101), _rows(102)) == (1, 1)


def test_a_row_rolled_back_with_its_savepoint_is_written_again() -> None:
    with transaction.atomic():
        try:
            with transaction.atomic():
                outbox_record(index="postings", object_ids=[103])
                raise RuntimeError("refused")
        except RuntimeError:
            pass
        outbox_record(index="postings", object_ids=[103])
    assert _rows(103) == 1


def test_a_released_savepoint_leaves_its_row_and_the_next_one_is_kept(
        django_assert_num_queries: Any) -> None:
    with transaction.atomic():
        with transaction.atomic():
            outbox_record(index="postings", object_ids=[104])
        with transaction.atomic():
            outbox_record(index="postings", object_ids=[104])
            with django_assert_num_queries(0):
                outbox_record(index="postings", object_ids=[104])
    assert _rows(104) == 2  # one per savepoint that wrote it: harmless, the indexer re-reads


def test_an_object_queued_again_after_the_indexer_ran_in_the_same_transaction_gets_a_row(
        search_index: Any) -> None:
    with transaction.atomic():
        outbox_record(index="postings", object_ids=[105])
        search_index()  # consumes the row inside this transaction (as a test or a command may)
        assert _rows(105) == 0
        outbox_record(index="postings", object_ids=[105])
    assert _rows(105) == 1
