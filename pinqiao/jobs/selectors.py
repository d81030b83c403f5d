"""Posting reads: the public list and page, a recruiter's own postings, history (JOB-2, JOB-5).

Public reads show only published postings of organisations that are not suspended or closed.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from pinqiao.core.errors import NotFound
from pinqiao.core.permissions import require_perm
from pinqiao.jobs.models import Posting, PostingStatus
from pinqiao.moderation.selectors import hidden_ids
from pinqiao.orgs.selectors import organisations_for_user


def _with_related(qs: QuerySet[Posting]) -> QuerySet[Posting]:
    return qs.select_related("organisation", "client_authorisation", "last_screening")


def postings_public(*, division_prefix: str = "") -> QuerySet[Posting]:
    """Published postings, newest first. Keyword search is ``pinqiao.search`` (SRCH-1)."""
    qs = _with_related(Posting.objects.filter(status=PostingStatus.PUBLISHED)
                       .exclude(organisation__status__in=("suspended", "closed"))
                       .exclude(pk__in=hidden_ids("jobs.posting")))
    if division_prefix:
        qs = qs.filter(division_code__startswith=division_prefix.rstrip("0") or "x")
    return qs.order_by("-quality_label", "-published_at", "-id")


def posting_public_get(*, posting_id: int) -> Posting:
    """One public posting with its organisation and client: no order (one row by key) and no
    screening record (the public never sees it) — what the ORM compiled for nothing cost
    about a millisecond a page."""
    posting = next(iter(postings_public().select_related(None)
                        .select_related("organisation", "client_authorisation")
                        .filter(pk=posting_id).order_by()[:1]), None)
    if posting is None:
        raise NotFound(_("职位不存在或已下线。"))
    return posting


def postings_for_recruiter(*, user: Any, status: str = "") -> QuerySet[Posting]:
    qs = _with_related(Posting.objects.filter(
        organisation__in=organisations_for_user(user=user)))
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-updated_at", "-id")


def posting_for_recruiter(*, user: Any, posting_id: int, for_action: bool = False) -> Posting:
    """A posting of one of the user's organisations; others' postings are 404 (not 403).
    ``for_action``: for a service that reads it again in its write transaction, with its
    organisation only (not the screening record and client shown on its page)."""
    if for_action:
        qs = Posting.objects.filter(organisation__in=organisations_for_user(user=user))
        posting = qs.select_related("organisation").filter(pk=posting_id).first()
    else:
        posting = postings_for_recruiter(user=user).filter(pk=posting_id).first()
    if posting is None:
        raise NotFound(_("职位不存在，或不属于您所在的单位。"))
    return posting


def postings_for_staff(*, viewer: Any, q: str = "", status: str = "") -> QuerySet[Posting]:
    """All postings for reviewers, newest first, by title or organisation name."""
    require_perm(viewer, "review.content")
    qs = _with_related(Posting.objects.all())
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(title__icontains=q[:30]) | Q(organisation__name__icontains=q[:30]))
    return qs.order_by("-updated_at", "-id")


def posting_for_staff(*, viewer: Any, posting_id: int) -> Posting:
    require_perm(viewer, "review.content")
    posting = _with_related(Posting.objects.all()).filter(pk=posting_id).first()
    if posting is None:
        raise NotFound(_("职位不存在。"))
    return posting


def posting_history(posting: Posting) -> dict[str, Any]:
    """Events and versions, shown to the poster and to staff (JOB-2, JOB-5)."""
    return {"events": list(posting.events.select_related("actor")),
            "versions": list(posting.versions.all())}


def clients_available(*, user: Any) -> list[Any]:
    """Client authorisations of the user's agencies not yet used by a posting (ORG-5)."""
    from pinqiao.orgs.models import ClientAuthorisation

    return list(ClientAuthorisation.objects.filter(
        agency__in=organisations_for_user(user=user), posting__isnull=True,
    ).select_related("agency").order_by("-created_at"))


def postings_similar_to_missing(*, posting_id: int, limit: int = 6) -> list[Posting]:
    """Open postings like a missing, expired or closed one (issue 15: no dead ends): the same
    job function in the same city first, then the same function anywhere, then the newest. Only
    the gone posting's function and place are used; nothing of it is shown."""
    gone = Posting.objects.filter(pk=posting_id).values("job_function", "division_code").first()
    found: list[Posting] = []
    tiers: list[Q] = []
    if gone and gone["job_function"]:
        city = (gone["division_code"] or "")[:4]
        if city:
            tiers.append(Q(job_function=gone["job_function"], division_code__startswith=city))
        tiers.append(Q(job_function=gone["job_function"]))
    tiers.append(Q())
    for tier in tiers:
        if len(found) >= limit:
            break
        found += list(postings_public().filter(tier).exclude(pk__in=[p.pk for p in found])
                      .exclude(pk=posting_id)[:limit - len(found)])
    return found


def client_authorisations_overview(*, user: Any) -> list[dict[str, Any]]:
    """Every 委托证明 of the user's agencies with what it can still be used for (ORG-5): one
    authorisation covers exactly one 代招 posting (``Posting.client_authorisation`` is one to
    one), so a used one names its posting and an unverified or expired one says so."""
    from pinqiao.orgs.models import ClientAuthorisation

    rows = []
    for client in (ClientAuthorisation.objects
                   .filter(agency__in=organisations_for_user(user=user))
                   .select_related("agency", "posting").order_by("-created_at")):
        posting = getattr(client, "posting", None)
        if posting is not None:
            state = _("已用于职位「%(t)s」") % {"t": posting.title or _("未命名草稿")}
        elif client.is_usable():
            state = _("可用于一个新的代招职位")
        else:
            state = client.get_status_display() if client.status != "verified" else \
                _("不在委托期限内")
        rows.append({"client": client, "posting": posting, "usable": posting is None
                     and client.is_usable(), "state": state})
    return rows
