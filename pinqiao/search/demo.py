"""Demo data for search: 2,000 generated postings across 40 cities (the same every time) so
the job search, its filters, alerts and recommendations have something to find, then both
indexes rebuilt from the database. Idempotent: skipped once the generated postings exist."""

from __future__ import annotations

from typing import Any

from pinqiao.jobs.models import Posting
from pinqiao.search.seeding import SEED_USERNAME, seed_postings
from pinqiao.search.services import SOURCES, index_rebuild

DEMO_POSTINGS = 2000
DEMO_SEED = 2026


def load(stdout: Any) -> None:
    if Posting.objects.filter(created_by__username=SEED_USERNAME).exists():
        stdout.write("search: generated postings already present")
    else:
        organisations, postings = seed_postings(count=DEMO_POSTINGS, seed=DEMO_SEED)
        stdout.write(f"search: {postings} generated postings, {organisations} organisations")
    for source in SOURCES.values():
        documents = index_rebuild(source=source)
        stdout.write(f"search: index {source.spec.name} rebuilt with {documents} documents")
