"""Job alerts for saved searches (SRCH-3), sent through the notification service (MSG-3).

Daily: once a day after ``DIGEST_HOUR`` each daily search is run over the postings published
since its high-water mark (``alerted_until``) and before a cutoff ``SETTLE`` ago (so a
publishing transaction still committing is never skipped); one digest notice lists the best
``DIGEST_SIZE``. The notice and the new mark are written in one transaction (a crash sends
nothing and moves nothing; a second run finds nothing due and, even if forced, nothing new),
and nothing is sent when nothing is new.

Instant: a posting that becomes published is queued (``AlertQueue``) in the publishing
transaction and matched after it commits, against only the instant searches that could match
one of the new postings (location and job function pre-filtered in the database). Matches wait
in ``AlertMatch``; a seeker gets at most one instant notice per ``INSTANT_INTERVAL``, so a burst
of postings becomes one notice.

Both run the saved searches' queries — ``selectors.build_query`` over ``postings.document``, so
an alert matches exactly what the search page shows — against a small in-memory Tantivy index
of only the candidate postings (the batch of new postings, or those published in the digest
window), built from the database. On the full index every query pays for its range filters over
every document (≈3 ms a query at 86 k postings, growing with the index); on the small index a
query costs microseconds, and alerts neither wait for the indexer nor fail with the index.

Every posting is re-checked against the database before it is sent: a posting removed, closed
or expired in the meantime is never alerted.
"""

from __future__ import annotations

import functools
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import tantivy
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from tantivy import FieldType, Occur, Query

from pinqiao.jobs.models import Posting
from pinqiao.notifications.services import notify
from pinqiao.reference import divisions, taxonomy
from pinqiao.search import postings
from pinqiao.search.models import AlertFrequency, AlertMatch, AlertQueue, SavedSearch
from pinqiao.search.saved_searches import job_query, tokens_of, unsubscribe_token
from pinqiao.search.selectors import RESULT_FIELDS, build_query, public_postings

log = logging.getLogger(__name__)

#: Local hour after which the daily digest of a day is sent.
DIGEST_HOUR = 8
#: Postings listed in a notice; the rest are counted and linked.
DIGEST_SIZE = 5
INSTANT_LIST_SIZE = 10
#: At most this many new matches of one search are read per digest (the notice counts them).
DIGEST_READ = 200
#: A digest covers at most this far back (after a long pause of the scheduler, say).
MAX_WINDOW = timedelta(days=7)
#: At most one instant notice per seeker per interval; matches meanwhile wait for the next.
INSTANT_INTERVAL = timedelta(minutes=15)
#: A publishing transaction is assumed to commit within this time: the digest window ends this
#: long before now, so a posting whose transaction is still committing is never skipped.
SETTLE = timedelta(seconds=60)
QUEUE_BATCH = 500
BATCH_HEAP = 20_000_000


# --- the small index -------------------------------------------------------------------------

@functools.cache
def _schema() -> tantivy.Schema:
    return postings.SPEC.schema()


def batch_searcher(rows: Iterable[dict[str, Any]]) -> tantivy.Searcher:
    """A searcher over an in-memory index of ``rows`` (``postings.rows`` dicts): the documents
    are exactly those of the job index."""
    schema = _schema()
    index = tantivy.Index(schema)
    writer = index.writer(heap_size=BATCH_HEAP, num_threads=1)
    for row in rows:
        writer.add_document(tantivy.Document.from_dict(postings.document(row), schema))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return index.searcher()


def _clock() -> dict[str, int]:
    """``today`` and ``now`` as ``build_query`` takes them (once per run, not per search)."""
    return {"today": int(timezone.localdate().strftime("%Y%m%d")),
            "now": int(timezone.now().timestamp())}


def _matching_ids(searcher: tantivy.Searcher, saved: SavedSearch, clock: dict[str, int],
                  restrict: Query | None, limit: int) -> tuple[list[int], int]:
    """Ids of postings matching ``saved`` (within ``restrict``), best first (BM25 for keywords,
    ties newest first; newest first without keywords), and how many match in all."""
    tokens = tokens_of(saved.params)
    built = build_query(tokens, job_query(saved), **clock)
    if restrict is not None:
        built = Query.boolean_query([(Occur.Must, built),
                                     (Occur.Must, Query.const_score_query(restrict, 0.0))])
    if tokens:
        result = searcher.search(built, limit, count=True)
    else:
        result = searcher.search(built, limit, count=True, order_by_field="sort_key")
    addresses = [address for _key, address in result.hits]
    ids = [int(pk) for pk in searcher.fast_field_values("id", addresses)]
    if tokens:
        ranked = sorted(zip((score for score, _address in result.hits), ids, strict=True),
                        key=lambda item: (-item[0], -item[1]))
        ids = [pk for _score, pk in ranked]
    return ids, result.count or 0


# --- notices ---------------------------------------------------------------------------------

def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _pay(posting: Posting) -> str:
    if posting.pay_min is None:
        return "薪资面议"
    unit = posting.get_pay_unit_display()
    return f"{posting.pay_min:.0f}-{posting.pay_max:.0f}元/{unit}"


def _line(posting: Posting) -> dict[str, str]:
    return {"title": posting.title, "employer": posting.employer_name,
            "location": divisions.full_name(posting.division_code) or "",
            "pay": _pay(posting),
            "url": _absolute(reverse("jobs:detail", args=[posting.pk]))}


def _group(saved: SavedSearch, found: list[Posting], total: int, size: int) -> dict[str, Any]:
    shown = [_line(posting) for posting in found[:size]]
    return {"name": saved.name, "count": total, "postings": shown, "more": total - len(shown),
            "search_url": _absolute(reverse("search:saved_results", args=[saved.pk])),
            "unsubscribe_url": _absolute(reverse("search:unsubscribe",
                                                 args=[unsubscribe_token(saved)]))}


def _live(ids: Iterable[int]) -> dict[int, Posting]:
    """The postings among ``ids`` a job seeker may see right now (the database decides)."""
    ids = list(ids)
    if not ids:
        return {}
    return {p.pk: p for p in public_postings().filter(pk__in=ids).only(*RESULT_FIELDS)}


# --- daily -----------------------------------------------------------------------------------

def digest_boundary(now: datetime) -> datetime:
    """The latest ``DIGEST_HOUR`` o'clock (local time) at or before ``now``."""
    local = timezone.localtime(now)
    boundary = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    return boundary if boundary <= local else boundary - timedelta(days=1)


def daily_due(now: datetime) -> Any:
    """Daily searches not yet checked since the last digest boundary."""
    return SavedSearch.objects.filter(frequency=AlertFrequency.DAILY, owner__is_active=True,
                                      checked_at__lt=digest_boundary(now))


def daily_alerts_run(*, now: datetime | None = None, max_seconds: float | None = None
                     ) -> Counter[str]:
    """SRCH-3 daily digests: one notice per due daily search with new postings. Returns counts
    of ``sent``, ``nothing_new``, ``skipped`` (changed meanwhile), ``failed`` and ``deferred``
    (left due for the next run when ``max_seconds`` ran out)."""
    now = now or timezone.now()
    stats: Counter[str] = Counter()
    due = list(daily_due(now).select_related("owner").order_by("id"))
    if not due:
        return stats
    started = time.monotonic()
    cutoff = now - SETTLE
    since = max(min(saved.alerted_until for saved in due), cutoff - MAX_WINDOW)
    searcher = batch_searcher(
        postings.visible().filter(published_at__gte=since, published_at__lt=cutoff)
        .order_by("id").values(*postings.VALUES).iterator(chunk_size=2000))
    boundary = digest_boundary(now)
    clock = _clock()
    for done, saved in enumerate(due):
        if max_seconds is not None and time.monotonic() - started > max_seconds:
            stats["deferred"] = len(due) - done
            break
        try:
            stats[_digest_one(saved, searcher, clock=clock, cutoff=cutoff, boundary=boundary,
                              now=now)] += 1
        except Exception:  # one broken search or template must not stop the others
            log.exception("job alerts: daily digest of saved search %s failed", saved.pk)
            stats["failed"] += 1
    return stats


def _digest_one(saved: SavedSearch, searcher: tantivy.Searcher, *, clock: dict[str, int],
                cutoff: datetime, boundary: datetime, now: datetime) -> str:
    mark = saved.alerted_until
    since = max(mark, cutoff - MAX_WINDOW)
    found: list[Posting] = []
    total = 0
    if since < cutoff:
        restrict = Query.range_query(_schema(), "published", FieldType.Integer,
                                     int(since.timestamp()), int(cutoff.timestamp()))
        ids, count = _matching_ids(searcher, saved, clock, restrict, DIGEST_READ)
        alerted = set(AlertMatch.objects.filter(saved_search=saved, posting_id__in=ids)
                      .values_list("posting_id", flat=True))
        live = _live(pk for pk in ids if pk not in alerted)
        found = [live[pk] for pk in ids if pk in live
                 and since <= live[pk].published_at < cutoff]
        total = len(found) + max(0, count - len(ids))
    with transaction.atomic():
        locked = (SavedSearch.objects.select_for_update()
                  .filter(pk=saved.pk, frequency=AlertFrequency.DAILY, alerted_until=mark,
                          checked_at__lt=boundary).first())
        if locked is None:
            return "skipped"
        if found:
            notification = notify(saved.owner, "job_alert_daily", {
                "search": saved.name, "count": total,
                "groups": [_group(saved, found, total, DIGEST_SIZE)]},
                link=reverse("search:saved_results", args=[saved.pk]))
            AlertMatch.objects.bulk_create(
                [AlertMatch(saved_search=locked, posting=posting,
                            frequency=AlertFrequency.DAILY, created_at=now, sent_at=now,
                            notification=notification) for posting in found[:DIGEST_SIZE]],
                ignore_conflicts=True)
            locked.last_alert_at = now
        locked.alerted_until = max(mark, cutoff)
        locked.checked_at = now
        locked.save(update_fields=["alerted_until", "checked_at", "last_alert_at"])
    return "sent" if found else "nothing_new"


# --- instant ---------------------------------------------------------------------------------

def alert_queue_record(*, posting_id: int) -> None:
    """Queue a posting that became published; the matcher runs after the transaction commits
    (once per transaction, however many postings it published)."""
    AlertQueue.objects.create(posting_id=posting_id)
    if not connection.in_atomic_block:
        _enqueue()
    elif not any(item[1] is _enqueue for item in connection.run_on_commit):
        transaction.on_commit(_enqueue)


def _enqueue() -> None:
    """After the commit: the matcher, unless one is already waiting to start (it reads the
    whole queue, these rows included; SEC-3: one write less per publication under load)."""
    from pinqiao.search.alert_tasks import send_instant_alerts
    from pinqiao.search.services import task_waiting

    try:
        if task_waiting(send_instant_alerts.module_path):
            return
        send_instant_alerts.enqueue()
    except Exception:  # the periodic `send_job_alerts` picks the queue up instead
        log.exception("job alerts: could not enqueue the instant matcher")


def _candidates(rows: Iterable[dict[str, Any]]) -> list[SavedSearch]:
    """Instant searches that could match one of ``rows``: their location is empty or one of
    the postings' divisions (or a parent), their job function empty or one of the postings'
    functions (or its family). Keywords and the other filters are left to the query."""
    locations, functions = {""}, {""}
    for row in rows:
        locations.update(d.code for d in divisions.chain(row["division_code"]))
        function = taxonomy.job_function(row["job_function"])
        functions.update([row["job_function"], function.family_slug] if function else
                         [row["job_function"]])
    return list(SavedSearch.objects.filter(
        frequency=AlertFrequency.INSTANT, owner__is_active=True,
        location_code__in=locations, function__in=functions)
        .only("id", "params", "alerted_until").order_by("id"))


def instant_alerts_match(*, batch_size: int = QUEUE_BATCH) -> Counter[str]:
    """Match queued postings against instant searches, a batch at a time; a posting no longer
    visible is dropped. Returns counts of ``postings`` matched, ``searches`` run and
    ``matches`` found."""
    stats: Counter[str] = Counter()
    while True:
        rows = list(AlertQueue.objects.order_by("id").values_list("id", "posting_id")
                    [:batch_size])
        if not rows:
            return stats
        matches = _match({pk for _row_id, pk in rows}, stats)
        with transaction.atomic():
            AlertMatch.objects.bulk_create(matches, ignore_conflicts=True)
            AlertQueue.objects.filter(id__in=[row_id for row_id, _pk in rows]).delete()
        stats["matches"] += len(matches)
        if len(rows) < batch_size:
            return stats


def _match(ids: set[int], stats: Counter[str]) -> list[AlertMatch]:
    rows = list(postings.rows(ids))
    if not rows:
        return []
    stats["postings"] += len(rows)
    published = {row["id"]: row["published_at"] for row in rows}
    searcher = batch_searcher(rows)
    matches = []
    now = timezone.now()
    clock = _clock()
    for saved in _candidates(rows):
        stats["searches"] += 1
        found, _count = _matching_ids(searcher, saved, clock, None, len(rows))
        matches.extend(AlertMatch(saved_search=saved, posting_id=pk,
                                  frequency=AlertFrequency.INSTANT, created_at=now)
                       for pk in found
                       if published[pk] is not None and published[pk] >= saved.alerted_until)
    return matches


def instant_alerts_send(*, now: datetime | None = None) -> Counter[str]:
    """Send waiting instant matches: one notice per seeker, at most one per
    ``INSTANT_INTERVAL``. Returns counts of ``sent`` notices, ``held`` seekers (rate limit),
    ``dropped`` matches (posting gone, search no longer instant, account closed) and
    ``failed``."""
    now = now or timezone.now()
    stats: Counter[str] = Counter()
    pending = AlertMatch.objects.filter(frequency=AlertFrequency.INSTANT, sent_at=None)
    stale = pending.filter(~Q(saved_search__frequency=AlertFrequency.INSTANT)
                           | Q(saved_search__owner__is_active=False)).delete()[0]
    if stale:
        stats["dropped"] += stale
    owners = set(pending.values_list("saved_search__owner_id", flat=True))
    for owner_id in sorted(owners):
        try:
            stats[_send_instant(owner_id, now, stats)] += 1
        except Exception:  # one broken notice must not stop the others
            log.exception("job alerts: instant notice to user %s failed", owner_id)
            stats["failed"] += 1
    return stats


def _recently_alerted(owner_id: int, now: datetime) -> bool:
    return AlertMatch.objects.filter(frequency=AlertFrequency.INSTANT,
                                     saved_search__owner_id=owner_id,
                                     sent_at__gt=now - INSTANT_INTERVAL).exists()


def _send_instant(owner_id: int, now: datetime, stats: Counter[str]) -> str:
    with transaction.atomic():
        rows = list(AlertMatch.objects.select_for_update(of=("self",))
                    .filter(frequency=AlertFrequency.INSTANT, sent_at=None,
                            saved_search__owner_id=owner_id,
                            saved_search__frequency=AlertFrequency.INSTANT)
                    .select_related("saved_search__owner").order_by("id"))
        if not rows:
            return "nothing"
        if _recently_alerted(owner_id, now):
            return "held"
        live = _live(row.posting_id for row in rows)
        gone = [row.pk for row in rows if row.posting_id not in live]
        if gone:
            stats["dropped"] += AlertMatch.objects.filter(pk__in=gone).delete()[0]
        rows = [row for row in rows if row.posting_id in live]
        if not rows:
            return "nothing"
        by_search: dict[int, list[AlertMatch]] = defaultdict(list)
        for row in rows:
            by_search[row.saved_search_id].append(row)
        groups = []
        room = INSTANT_LIST_SIZE
        for matched in by_search.values():
            found = [live[row.posting_id] for row in matched]
            groups.append(_group(matched[0].saved_search, found, len(found), room))
            room = max(0, room - len(found))
        searches = [matched[0].saved_search for matched in by_search.values()]
        link = (reverse("search:saved_results", args=[searches[0].pk]) if len(searches) == 1
                else reverse("search:saved_list"))
        notification = notify(searches[0].owner, "job_alert_instant", {
            "search": "、".join(s.name for s in searches),
            "count": len({row.posting_id for row in rows}),
            "groups": groups}, link=link)
        AlertMatch.objects.filter(pk__in=[row.pk for row in rows]).update(
            sent_at=now, notification=notification)
        SavedSearch.objects.filter(pk__in=[s.pk for s in searches]).update(last_alert_at=now)
    return "sent"


def job_alerts_pending(*, now: datetime | None = None) -> dict[str, int]:
    """What ``send_job_alerts`` would do (its ``--dry-run``)."""
    now = now or timezone.now()
    return {"daily_due": daily_due(now).count(), "queued": AlertQueue.objects.count(),
            "instant_waiting": AlertMatch.objects.filter(frequency=AlertFrequency.INSTANT,
                                                         sent_at=None).count()}
