"""SEC-3 (finding 5): entity-encoded HTML cannot survive cleaning as raw markup. ``clean_text``
used to decode entities after stripping tags, so ``&lt;script&gt;`` was stored, and served by
the JSON API, as a raw ``<script>``; it now strips until nothing changes, in titles, bodies,
résumé fields and notes alike."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pinqiao.jobs import services
from pinqiao.jobs.services import clean_text
from pinqiao.jobs.tests.fixtures import posting_data

pytestmark = pytest.mark.django_db

ENCODED = "&lt;script&gt;alert(1)&lt;/script&gt;仓管&lt;img src=x onerror=alert(2)&gt;"
DOUBLE = "&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;仓管"


@pytest.mark.parametrize("value", [ENCODED, DOUBLE, "&#60;script&#62;alert(1)&#60;/script&#62;仓管",
                                   "&lt;b&gt;仓管&lt;/b&gt;"])
def test_encoded_markup_is_stripped_not_decoded_into_tags(value: str) -> None:
    cleaned = clean_text(value)
    assert cleaned == "仓管"


@pytest.mark.parametrize(("value", "expected"), [
    ("R&amp;D 工程师", "R&D 工程师"), ("薪资 <5000 元", "薪资 <5000 元"),
    ("a < b & c", "a < b & c"),
    ("&lt;&lt;劳动法&gt;&gt;", "<<劳动法>>")])
def test_plain_text_with_brackets_and_ampersands_stays_as_typed(value: str,
                                                                expected: str) -> None:
    assert clean_text(value) == expected


def test_posting_title_and_body_are_stored_without_markup(recruiter: Any,
                                                          employer: Any) -> None:
    posting = services.posting_create(actor=recruiter, organisation=employer, data=posting_data(
        title=ENCODED, work_content=f"负责盘点\n{DOUBLE}"))
    assert posting.title == "仓管"
    assert "<" not in posting.work_content and "script" not in posting.work_content


def test_the_json_api_returns_no_markup(user_client: Any, recruiter: Any,
                                        employer: Any) -> None:
    api = user_client(recruiter)
    created = api.post("/api/v1/my/jobs", json.dumps({
        **posting_data(), "organisation_id": employer.pk, "title": ENCODED}),
        content_type="application/json")
    assert created.status_code == 201
    assert created.json()["title"] == "仓管"
    assert "<script" not in created.content.decode()


def test_resume_fields_are_stored_without_markup(seeker: Any) -> None:
    from pinqiao.resumes import services as resumes
    from pinqiao.resumes import testing

    resume = resumes.resume_ensure(owner=seeker)
    resume = resumes.resume_update(actor=seeker, resume=resume, data={
        **testing.BASIC, **testing.INTENTION, **testing.ABOUT,
        "self_introduction": f"三年后端经验。{ENCODED}", "skills": DOUBLE})
    assert "<" not in resume.self_introduction and "script" not in resume.self_introduction
    assert resume.skills == "仓管"


def test_rows_stored_before_the_fix_are_cleaned_by_the_command(recruiter: Any,
                                                                employer: Any) -> None:
    """Existing rows: ``strip_stored_markup`` strips what the old cleaning let through, keeps
    plain text with brackets, audits each row and queues the posting for the search index."""
    from io import StringIO

    from django.core.management import call_command

    from pinqiao.core.models import AuditEntry
    from pinqiao.jobs.models import Posting
    from pinqiao.search.models import SearchOutbox

    posting = services.posting_create(actor=recruiter, organisation=employer,
                                      data=posting_data())
    Posting.objects.filter(pk=posting.pk).update(
        title="<script>alert(1)</script>仓管", housing="薪资 <5000 元")
    SearchOutbox.objects.all().delete()
    out = StringIO()
    call_command("strip_stored_markup", "--dry-run", stdout=out)
    assert "would clean 1 values in 1 rows" in out.getvalue()
    assert Posting.objects.get(pk=posting.pk).title.startswith("<script>")
    call_command("strip_stored_markup", stdout=out)
    posting.refresh_from_db()
    assert posting.title == "仓管" and posting.housing == "薪资 <5000 元"
    assert AuditEntry.objects.get(verb="core.markup_stripped").data == {"fields": ["title"]}
    assert SearchOutbox.objects.filter(index="postings", object_id=posting.pk).exists()
