"""Bounded paging parameters shared by the list endpoints (API contract, issue 11 finding 6).

An ``offset`` or ``limit`` outside its range is refused with the 422 error body before any
query runs: 9223372036854775808 once reached SQLite as "datatype mismatch" and came back as a
500. Beyond ``MAX_OFFSET`` a client narrows its filters instead of paging.
"""

from __future__ import annotations

from typing import Annotated

from ninja import Query

#: The deepest row a plain list lets a client page to.
MAX_OFFSET = 100_000

Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description=f"跳过的条数（0–{MAX_OFFSET}）")]

