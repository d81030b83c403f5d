"""Keeping the index in step (SRCH-1): rebuild and swap, corrupt or missing index recovery,
reconcile after bulk updates, a crash mid-batch, one writer at a time, the commands."""

from __future__ import annotations

import shutil
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from pinqiao.core.models import AuditEntry
from pinqiao.core.scheduler import SCHEDULE
from pinqiao.jobs.models import Posting
from pinqiao.jobs.testing import published_posting
from pinqiao.search import postings as posting_index
from pinqiao.search.engine import SearchIndex, Source, WriterBusy
from pinqiao.search.models import SearchOutbox
from pinqiao.search.params import JobQuery
from pinqiao.search.selectors import job_search
from pinqiao.search.services import (
    index_rebuild,
    index_reconcile,
    outbox_apply,
    outbox_record,
)

pytestmark = pytest.mark.django_db

CHEF = {"title": "中餐厨师", "job_function": "chef", "industry": "hotel",
        "requirements": "有健康证，三年以上中餐经验。", "work_content": "负责热菜制作和出品。"}
NURSE = {"title": "养老护理员", "job_function": "elderly_caregiver", "industry": "elderly_care",
         "requirements": "有爱心，能上夜班。", "work_content": "照顾老人日常起居。"}


@pytest.fixture
def two(recruiter: Any, employer: Any, search_index: Any) -> list[Posting]:
    made = [published_posting(recruiter, employer, **CHEF),
            published_posting(recruiter, employer, **NURSE)]
    search_index()
    return made


def found(q: str = "") -> list[int]:
    return [hit.posting.pk for hit in job_search(JobQuery(q=q)).hits]


def index() -> SearchIndex:
    return SearchIndex(posting_index.SPEC)


def test_it_rebuilds_into_a_fresh_directory_and_swaps_it_in(two: list[Posting]) -> None:
    before = index().generation()
    assert index_rebuild() == 2
    after = index().generation()
    assert after != before and after.parent == before.parent
    assert found("厨师") == [two[0].pk]
    index_rebuild()
    assert not before.exists()  # only the previous generation is kept
    assert AuditEntry.objects.filter(verb="search.rebuild").count() == 2


def test_it_recovers_from_a_corrupt_index_and_says_so(client: Any, two: list[Posting]) -> None:
    (index().generation() / "meta.json").write_text("{not json", encoding="utf-8")
    index().forget()
    response = client.get(reverse("jobs:list"), {"q": "厨师"})
    html = response.content.decode()
    assert response.status_code == 200 and "搜索服务正在重建索引" in html
    assert f'href="/jobs/{two[1].pk}/"' in html  # newest postings from the database meanwhile
    # The rebuild ran as a task (immediately in tests); the next request searches again.
    html = client.get(reverse("jobs:list"), {"q": "厨师"}).content.decode()
    assert "搜索服务正在重建索引" not in html
    assert f'href="/jobs/{two[0].pk}/"' in html and f'href="/jobs/{two[1].pk}/"' not in html


def test_it_recovers_from_damaged_segment_files(client: Any, two: list[Posting]) -> None:
    generation = index().generation()
    for path in generation.iterdir():
        if path.suffix in (".idx", ".term", ".store"):
            path.write_bytes(b"\0" * 16)
    index().forget()
    body = client.get("/api/v1/jobs/search", {"q": "护理"}).json()
    assert body["degraded"] is True and body["notices"]
    body = client.get("/api/v1/jobs/search", {"q": "护理"}).json()
    assert body["degraded"] is False and [r["id"] for r in body["results"]] == [two[1].pk]


def test_it_recovers_from_a_missing_index_directory(client: Any, two: list[Posting]) -> None:
    shutil.rmtree(index().root)
    index().forget()
    assert client.get("/api/v1/jobs/search", {"q": "厨师"}).json()["degraded"] is True
    assert client.get("/api/v1/jobs/search", {"q": "厨师"}).json()["degraded"] is False


def test_the_indexer_rebuilds_a_missing_index_before_applying(two: list[Posting]) -> None:
    shutil.rmtree(index().root)
    index().forget()
    outbox_record(index="postings", object_ids=[two[0].pk])
    assert outbox_apply() == 1
    assert sorted(found()) == sorted(p.pk for p in two)


def test_reconcile_repairs_changes_that_bypassed_the_signals(two: list[Posting],
                                                             recruiter: Any) -> None:
    chef, nurse = two
    Posting.objects.filter(pk=chef.pk).update(status="closed")
    Posting.objects.filter(pk=nurse.pk).update(valid_until=nurse.valid_until - timedelta(days=1))
    copy = Posting.objects.get(pk=nurse.pk)
    copy.pk = None
    copy.title = "夜班护理员"
    Posting.objects.bulk_create([copy])
    assert index_reconcile(dry_run=True) == {"missing": 1, "stale": 1, "extra": 1,
                                             "rebuilt": 0, "unavailable": 0}
    assert not SearchOutbox.objects.exists()
    assert index_reconcile()["missing"] == 1
    assert index_reconcile() == {"missing": 0, "stale": 0, "extra": 0, "rebuilt": 0,
                                 "unavailable": 0}
    assert found("夜班")[0] == Posting.objects.get(title="夜班护理员").pk
    assert index().searcher().num_docs == 2  # the closed one is gone from the index too


def _failing_source() -> Source:
    """The posting source, except that reading the database fails half-way through a batch
    (a crash of the indexer)."""

    def rows(ids: Any = None, **kwargs: Any) -> Any:
        for number, row in enumerate(posting_index.rows(ids, **kwargs)):
            if number == 1:
                raise ConnectionError("database went away")
            yield row

    return Source(spec=posting_index.SPEC, rows=rows, document=posting_index.document,
                  stamps=posting_index.stamps, count=posting_index.SOURCE.count)


def test_a_crash_mid_batch_loses_nothing(two: list[Posting], recruiter: Any,
                                         employer: Any) -> None:
    chef, nurse = two
    for posting in two:
        posting.title = posting.title + "（急招）"
        posting.save()
    pending = SearchOutbox.objects.count()
    with pytest.raises(ConnectionError):
        outbox_apply(source=_failing_source())
    assert SearchOutbox.objects.count() == pending  # nothing deleted before a commit
    assert found("急招") == []  # and nothing half-written
    assert outbox_apply() == pending
    assert sorted(found("急招")) == sorted([chef.pk, nurse.pk])


def test_one_writer_at_a_time(two: list[Posting]) -> None:
    two[0].save()
    with index().writer_lock(), pytest.raises(WriterBusy):
        outbox_apply(lock_timeout=0.1)
    assert SearchOutbox.objects.count() == 1
    assert outbox_apply() == 1


def test_the_commands_report_one_line(two: list[Posting]) -> None:
    out = StringIO()
    call_command("search_rebuild", stdout=out)
    assert "search_rebuild: 2 postings indexed" in out.getvalue() and "[" in out.getvalue()
    two[0].save()
    out = StringIO()
    call_command("search_index", "--dry-run", stdout=out)
    assert out.getvalue().strip() == ("search_index: postings 1 changes pending; "
                                      "resumes 0 changes pending")
    call_command("search_index", "--index", "postings", stdout=out)
    assert "search_index: postings applied 1 changes\n" in out.getvalue()
    out = StringIO()
    call_command("search_reconcile", "--dry-run", stdout=out)
    assert out.getvalue().strip() == (
        "search_reconcile: postings would repair 0 missing, 0 stale, 0 extra; "
        "resumes would repair 0 missing, 0 stale, 0 extra")
    commands = {job.command for job in SCHEDULE}
    assert {"search_index", "search_reconcile"} <= commands
