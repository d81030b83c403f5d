"""The résumé index (SRCH-2, RES-4): what it holds and what it never holds, the blocked list as
an indexed field, outbox rows in the change's transaction, and the shared rebuild, reconcile
and indexer covering both indexes."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
import tantivy
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from pinqiao.accounts.services import account_close
from pinqiao.resumes import services as resume_services
from pinqiao.resumes.models import BlockedOrganisation, Resume
from pinqiao.search import services
from pinqiao.search.engine import SearchIndex
from pinqiao.search.models import SearchOutbox
from pinqiao.search.talent import index as talent_index
from pinqiao.search.talent.params import TalentQuery
from pinqiao.search.talent.selectors import build_query, talent_search, talent_searcher
from pinqiao.search.tasks import apply_outbox
from pinqiao.search.tests.talent_fixtures import *  # noqa: F403
from pinqiao.search.tests.talent_fixtures import DRIVER_FS, resume_made

pytestmark = pytest.mark.django_db


def index() -> SearchIndex:
    return SearchIndex(talent_index.SPEC)


def indexed() -> set[int]:
    return set(services._index_stamps(index()))


def ids_for(organisation: Any) -> set[int]:
    """Résumé ids the index returns for ``organisation`` with no words and no filters."""
    searcher = index().searcher()
    query = build_query([], TalentQuery(), organisation_id=organisation.pk, now=0,
                        today=timezone.localdate())
    hits = searcher.search(query, 100).hits
    return {int(pk) for pk in searcher.fast_field_values("id", [a for _s, a in hits])}


def found(recruiter: Any, q: str) -> list[str]:
    results = talent_search(TalentQuery(q=q), searcher=talent_searcher(viewer=recruiter))
    return [card.public_id for card in results.cards]


def test_it_indexes_only_public_approved_resumes_of_active_accounts(
        talent: dict[str, Resume], make_user: Any, org_reviewer: Any,
        search_index: Any) -> None:
    for visibility in ("applied_only", "hidden"):
        resume_made(make_user(), data={**DRIVER_FS, "full_name": "赵六"}, education=[
            {"school": "佛山一中", "major": "", "degree": "high_school",
             "start_date": "2018-09", "end_date": "2021-06"}], work=[],
            visibility=visibility, reviewer=org_reviewer)
    draft = resume_services.resume_ensure(owner=make_user())
    resume_services.visibility_set(actor=draft.owner, resume=draft, visibility="public")
    search_index()
    assert indexed() == {r.pk for r in talent.values()}

    # Hidden later, or the account closed: out of the index with the next indexer run.
    resume_services.visibility_set(actor=talent["java"].owner, resume=talent["java"],
                                   visibility="hidden")
    account_close(user=talent["driver"].owner, confirmation="确认注销")
    search_index()
    assert indexed() == {talent["python"].pk}
    resume_services.visibility_set(actor=talent["java"].owner, resume=talent["java"],
                                   visibility="public")
    search_index()
    assert indexed() == {talent["python"].pk, talent["java"].pk}


def test_the_blocked_list_is_an_indexed_field_the_query_excludes(
        talent: dict[str, Resume], employer: Any, blocked_employer: Any,
        search_index: Any) -> None:
    python = talent["python"]
    everyone = {r.pk for r in talent.values()}
    assert ids_for(blocked_employer) == everyone
    resume_services.block_add(actor=python.owner, resume=python,
                              organisation_id=blocked_employer.pk)
    assert SearchOutbox.objects.filter(index="resumes", object_id=python.pk).exists()
    search_index()
    searcher = index().searcher()
    schema = talent_index.SPEC.schema()
    hits = searcher.search(tantivy.Query.term_query(schema, "blocked", blocked_employer.pk),
                           10).hits
    assert searcher.fast_field_values("id", [a for _s, a in hits]) == [python.pk]
    assert ids_for(blocked_employer) == everyone - {python.pk}
    assert ids_for(employer) == everyone  # only the blocked organisation loses it
    block = BlockedOrganisation.objects.get(resume=python)
    resume_services.block_remove(actor=python.owner, resume=python, block_id=block.pk)
    search_index()
    assert ids_for(blocked_employer) == everyone


def test_names_and_identifiers_never_reach_the_index(
        make_user: Any, org_reviewer: Any, recruiter: Any, employer: Any,
        search_index: Any) -> None:
    resume = resume_made(make_user(), data={
        **DRIVER_FS, "full_name": "欧阳明月",
        "self_introduction": "我是欧阳明月，叉车司机，电话13912345678，微信 wx_ouyang88，"
                             "邮箱 ouyang@example.com，身份证440106199508152344。"},
        education=[{"school": "佛山一中", "major": "", "degree": "high_school",
                    "start_date": "2018-09", "end_date": "2021-06"}],
        work=[], reviewer=org_reviewer)
    search_index()
    assert found(recruiter, "叉车司机") == [str(resume.public_id)]
    for q in ("欧阳明月", "13912345678", "wx_ouyang88", "ouyang@example.com",
              "440106199508152344", "13800138000"):
        assert found(recruiter, q) == [], q
    document = talent_index.document(next(talent_index.rows([resume.pk])))
    text = " ".join(str(v) for v in document.values())
    for secret in ("欧阳", "明月", "13912345678", "ouyang", "440106199508152344",
                   "13812345678"):
        assert secret not in text, secret


def test_the_outbox_row_commits_or_rolls_back_with_the_change(
        talent: dict[str, Resume], blocked_employer: Any) -> None:
    java = talent["java"]
    with pytest.raises(RuntimeError), transaction.atomic():
        resume_services.visibility_set(actor=java.owner, resume=java, visibility="hidden")
        resume_services.block_add(actor=java.owner, resume=java,
                                  organisation_id=blocked_employer.pk)
        assert SearchOutbox.objects.filter(index="resumes", object_id=java.pk).count() >= 2
        raise RuntimeError("the request failed")
    assert not SearchOutbox.objects.filter(index="resumes").exists()
    assert Resume.objects.get(pk=java.pk).visibility == "public"


def test_the_indexer_task_applies_every_index(talent: dict[str, Resume],
                                              recruiter: Any, employer: Any) -> None:
    from pinqiao.jobs.testing import published_posting

    published_posting(recruiter, employer)
    resume_services.visibility_set(actor=talent["java"].owner, resume=talent["java"],
                                   visibility="hidden")
    assert {row for row in SearchOutbox.objects.values_list("index", flat=True)} == {
        "postings", "resumes"}
    assert apply_outbox.call() >= 2
    assert not SearchOutbox.objects.exists()
    assert talent["java"].pk not in indexed()


def test_rebuild_and_reconcile_cover_both_indexes(talent: dict[str, Resume],
                                                  blocked_employer: Any) -> None:
    out = StringIO()
    call_command("search_rebuild", "--quiet-progress", stdout=out)
    assert "search_rebuild: 0 postings indexed" in out.getvalue()
    assert "search_rebuild: 3 resumes indexed" in out.getvalue()

    # Changes that bypass the signals: the reconcile finds and repairs them.
    python, java, driver = talent["python"], talent["java"], talent["driver"]
    Resume.objects.filter(pk=java.pk).update(visibility="hidden")
    BlockedOrganisation.objects.bulk_create([BlockedOrganisation(
        resume=python, organisation=blocked_employer)])
    Resume.objects.filter(pk=driver.pk).update(desired_city="440100")
    assert services.index_reconcile(source=talent_index.SOURCE, dry_run=True) == {
        "missing": 0, "stale": 2, "extra": 1, "rebuilt": 0, "unavailable": 0}
    out = StringIO()
    call_command("search_reconcile", "--index", "resumes", stdout=out)
    assert out.getvalue().strip() == (
        "search_reconcile: resumes repaired 0 missing, 2 stale, 1 extra")
    assert indexed() == {python.pk, driver.pk}
    assert ids_for(blocked_employer) == {driver.pk}
    out = StringIO()
    call_command("search_reconcile", "--dry-run", stdout=out)
    assert out.getvalue().strip() == (
        "search_reconcile: postings would repair 0 missing, 0 stale, 0 extra; "
        "resumes would repair 0 missing, 0 stale, 0 extra")

    out = StringIO()
    call_command("search_rebuild", "--index", "resumes", "--quiet-progress", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("search_rebuild: 2 resumes indexed")


def test_the_index_command_reports_each_index_on_one_line(talent: dict[str, Resume]) -> None:
    resume_services.visibility_set(actor=talent["java"].owner, resume=talent["java"],
                                   visibility="hidden")
    out = StringIO()
    call_command("search_index", "--dry-run", stdout=out)
    assert out.getvalue().strip() == ("search_index: postings 0 changes pending; "
                                      "resumes 1 changes pending")
    out = StringIO()
    call_command("search_index", "--index", "resumes", stdout=out)
    assert out.getvalue().strip() == "search_index: resumes applied 1 changes"
