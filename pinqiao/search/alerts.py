"""Job alerts for saved searches (SRCH-3), sent through the notification service (MSG-3).

Daily: once a day after ``DIGEST_HOUR`` each daily search is run over the postings published
since its high-water mark (``alerted_until``) and before a cutoff up to which the index is
known to be complete; one digest notice lists the best ``DIGEST_SIZE``. The notice and the new
mark are written in one transaction (a crash sends nothing and moves nothing; a second run
finds nothing due and, even if forced, nothing new), and nothing is sent when nothing is new.

Instant: a posting that becomes published is queued (``AlertQueue``) in the publishing
transaction. The matcher waits until the indexer has committed the posting, then runs only
the instant searches that could match one of the new postings (location and job function
pre-filtered in the database) — each restricted to the new ids, so one batch of new postings
costs one small query per candidate search, not a search of the whole index per posting.
Matches wait in ``AlertMatch``; a seeker gets at most one instant notice per
``INSTANT_INTERVAL``, so a burst of postings becomes one notice.

Every posting is re-checked against the database before it is sent: a posting removed, closed
or expired in the meantime is never alerted.
"""

from __future__ import annotations

import functools
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import tantivy
from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from tantivy import FieldType, Occur, Query

from pinqiao.jobs.models import Posting
from pinqiao.notifications.services import notify
from pinqiao.reference import divisions, taxonomy
from pinqiao.search import postings
from pinqiao.search.engine import IndexUnavailable, SearchIndex, WriterBusy
from pinqiao.search.models import AlertFrequency, AlertMatch, AlertQueue, SavedSearch, SearchOutbox
from pinqiao.search.params import JobQuery
from pinqiao.search.saved_searches import job_query, tokens_of, unsubscribe_token
from pinqiao.search.selectors import build_query, public_postings
from pinqiao.search.services import outbox_apply

log = logging.getLogger(__name__)

#: Local hour after which the daily digest of a day is sent.
DIGEST_HOUR = 8
#: Postings listed in a notice; the rest are counted and linked.
DIGEST_SIZE = 5
INSTANT_LIST_SIZE = 10
#: At most this many new matches of one search are read per digest (the notice counts them).
DIGEST_WINDOW = 200
#: At most one instant notice per seeker per interval; matches meanwhile wait for the next.
INSTANT_INTERVAL = timedelta(minutes=15)
#: A publishing transaction is assumed to commit within this time (the daily cutoff lags now
#: by it, so a posting published just before the cutoff is never missed).
SETTLE = timedelta(seconds=60)
QUEUE_BATCH = 500


# --- the index -------------------------------------------------------------------------------

@functools.cache
def _schema() -> tantivy.Schema:
    return postings.SPEC.schema()


def _searcher() -> tantivy.Searcher:
    return SearchIndex(postings.SPEC).searcher()


def _matching_ids(searcher: tantivy.Searcher, query: JobQuery, tokens: list[str],
                  restrict: Query, limit: int) -> tuple[list[int], int]:
    """Ids of postings matching the saved ``query`` within ``restrict``, best first (BM25 for
    keywords, ties newest first; newest first without keywords), and how many match in all."""
    now = timezone.now()
    built = build_query(tokens, query, today=int(timezone.localdate().strftime("%Y%m%d")),
                        now=int(now.timestamp()))
    combined = Query.boolean_query([(Occur.Must, built),
                                    (Occur.Must, Query.const_score_query(restrict, 0.0))])
    try:
        if tokens:
            result = searcher.search(combined, limit, count=True)
        else:
            result = searcher.search(combined, limit, count=True, order_by_field="sort_key")
        addresses = [address for _key, address in result.hits]
        ids = [int(pk) for pk in searcher.fast_field_values("id", addresses)]
        if tokens:
            ranked = sorted(zip((score for score, _address in result.hits), ids, strict=True),
                            key=lambda item: (-item[0], -item[1]))
            ids = [pk for _score, pk in ranked]
    except ValueError as exc:  # a segment vanished or is damaged under the reader
        SearchIndex(postings.SPEC).forget()
        raise IndexUnavailable("corrupt", str(exc)) from exc
    return ids, result.count or 0


def index_complete_before(now: datetime) -> datetime:
    """A time before which every published posting is in the index: ``SETTLE`` ago, or the
    oldest change the indexer has not applied yet if that is earlier."""
    oldest = (SearchOutbox.objects.filter(index=postings.SPEC.name).order_by("id")
              .values_list("created_at", flat=True).first())
    cutoff = now - SETTLE
    return min(cutoff, oldest) if oldest is not None else cutoff


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
    return {p.pk: p for p in public_postings().filter(pk__in=ids)}


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


def daily_alerts_run(*, now: datetime | None = None) -> Counter[str]:
    """SRCH-3 daily digests: one notice per due daily search with new postings. Returns counts
    of ``sent``, ``nothing_new``, ``skipped`` (changed meanwhile), ``unavailable`` (the index
    could not be read: those searches stay due) and ``failed``."""
    now = now or timezone.now()
    stats: Counter[str] = Counter()
    due = list(daily_due(now).select_related("owner").order_by("id"))
    if not due:
        return stats
    cutoff = index_complete_before(now)
    try:
        searcher = _searcher()
    except IndexUnavailable as exc:
        log.warning("job alerts: index unavailable (%s), daily digests wait", exc)
        stats["unavailable"] = len(due)
        return stats
    boundary = digest_boundary(now)
    for saved in due:
        try:
            stats[_digest_one(saved, searcher, cutoff=cutoff, boundary=boundary, now=now)] += 1
        except IndexUnavailable as exc:
            log.warning("job alerts: index unavailable (%s), daily digests wait", exc)
            stats["unavailable"] += 1
            break
        except Exception:  # one broken search or template must not stop the others
            log.exception("job alerts: daily digest of saved search %s failed", saved.pk)
            stats["failed"] += 1
    return stats


def _digest_one(saved: SavedSearch, searcher: tantivy.Searcher, *, cutoff: datetime,
                boundary: datetime, now: datetime) -> str:
    mark = saved.alerted_until
    found: list[Posting] = []
    total = 0
    if mark < cutoff:
        restrict = Query.range_query(_schema(), "published", FieldType.Integer,
                                     int(mark.timestamp()), int(cutoff.timestamp()) + 1)
        ids, count = _matching_ids(searcher, job_query(saved), tokens_of(saved.params),
                                   restrict, DIGEST_WINDOW)
        alerted = set(AlertMatch.objects.filter(saved_search=saved, posting_id__in=ids)
                      .values_list("posting_id", flat=True))
        live = _live(pk for pk in ids if pk not in alerted)
        found = [live[pk] for pk in ids if pk in live
                 and mark <= live[pk].published_at < cutoff]
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
    from pinqiao.search.alert_tasks import send_instant_alerts

    try:
        send_instant_alerts.enqueue()
    except Exception:  # the periodic `send_job_alerts` picks the queue up instead
        log.exception("job alerts: could not enqueue the instant matcher")


def _candidates(found: Iterable[Posting]) -> list[SavedSearch]:
    """Instant searches that could match one of ``found``: their location is empty or one of
    the postings' divisions (or a parent), their job function empty or one of the postings'
    functions (or its family). Keywords and the other filters are left to the index."""
    locations, functions = {""}, {""}
    for posting in found:
        locations.update(d.code for d in divisions.chain(posting.division_code))
        function = taxonomy.job_function(posting.job_function)
        functions.update([posting.job_function, function.family_slug] if function else
                         [posting.job_function])
    return list(SavedSearch.objects.filter(
        frequency=AlertFrequency.INSTANT, owner__is_active=True,
        location_code__in=locations, function__in=functions)
        .only("id", "params", "alerted_until").order_by("id"))


def instant_alerts_match(*, batch_size: int = QUEUE_BATCH) -> Counter[str]:
    """Match queued postings against instant searches. A posting whose index change has not
    been applied waits (the matcher applies the outbox first when it can); a posting no longer
    visible is dropped. Returns counts of ``postings`` matched, ``searches`` run, ``matches``
    found and ``waiting`` postings."""
    stats: Counter[str] = Counter()
    last_id = 0
    while True:
        rows = list(AlertQueue.objects.filter(id__gt=last_id).order_by("id")
                    .values_list("id", "posting_id")[:batch_size])
        if not rows:
            return stats
        last_id = rows[-1][0]
        waiting = _unindexed({pk for _row, pk in rows})
        ready = [(row_id, pk) for row_id, pk in rows if pk not in waiting]
        stats["waiting"] += len(rows) - len(ready)
        try:
            matches = _match({pk for _row, pk in ready}, stats)
        except IndexUnavailable as exc:
            log.warning("job alerts: index unavailable (%s), instant matching waits", exc)
            stats["waiting"] += len(ready)
            return stats
        with transaction.atomic():
            AlertMatch.objects.bulk_create(matches, ignore_conflicts=True)
            AlertQueue.objects.filter(id__in=[row_id for row_id, _pk in ready]).delete()
        stats["matches"] += len(matches)
        if len(rows) < batch_size:
            return stats


def _unindexed(ids: set[int]) -> set[int]:
    """Those of ``ids`` with index changes still in the outbox, after applying it if we can."""
    def pending() -> set[int]:
        return set(SearchOutbox.objects.filter(index=postings.SPEC.name, object_id__in=ids)
                   .values_list("object_id", flat=True))

    waiting = pending()
    if waiting:
        try:
            outbox_apply(lock_timeout=5.0)
        except WriterBusy:
            return waiting
        waiting = pending()
    return waiting


def _match(ids: set[int], stats: Counter[str]) -> list[AlertMatch]:
    live = {p.pk: p for p in public_postings().select_related(None).filter(pk__in=ids)
            .only("id", "division_code", "job_function", "published_at")}
    if not live:
        return []
    stats["postings"] += len(live)
    searcher = _searcher()
    restrict = Query.term_set_query(_schema(), "id", sorted(live))
    matches = []
    now = timezone.now()
    for saved in _candidates(live.values()):
        stats["searches"] += 1
        found, _count = _matching_ids(searcher, job_query(saved), tokens_of(saved.params),
                                      restrict, len(live))
        matches.extend(AlertMatch(saved_search=saved, posting_id=pk,
                                  frequency=AlertFrequency.INSTANT, created_at=now)
                       for pk in found
                       if pk in live and live[pk].published_at >= saved.alerted_until)
    return matches


def instant_alerts_send(*, now: datetime | None = None) -> Counter[str]:
    """Send waiting instant matches: one notice per seeker, at most one per
    ``INSTANT_INTERVAL``. Returns counts of ``sent`` notices, ``held`` seekers (rate limit),
    ``dropped`` matches (posting gone, or the search no longer instant) and ``failed``."""
    now = now or timezone.now()
    stats: Counter[str] = Counter()
    pending = AlertMatch.objects.filter(frequency=AlertFrequency.INSTANT, sent_at=None)
    stale = pending.exclude(saved_search__frequency=AlertFrequency.INSTANT).delete()[0]
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
