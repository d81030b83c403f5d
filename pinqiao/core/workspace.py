"""Each role's own home page (issue 15, item 1): what a signed-in seeker or recruiter sees at
``/`` instead of the visitors' page with its sign-up links. Reads only, through the owning
apps' selectors, each scoped to the actor."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from pinqiao.applications.models import Application, Stage
from pinqiao.applications.selectors import (
    applications_listed_for_seeker,
    handler_organisations,
    organisation_responsiveness,
)
from pinqiao.interviews.selectors import interviews_coming_for_seeker, interviews_for_recruiter
from pinqiao.jobs.models import Posting, PostingStatus
from pinqiao.jobs.selectors import postings_for_recruiter
from pinqiao.moderation.services import daily_posting_limit
from pinqiao.notifications.selectors import unread_count
from pinqiao.orgs.selectors import organisations_for_user
from pinqiao.recommendations.selectors import recommendations_for_seeker
from pinqiao.risk.selectors import popup_warnings
from pinqiao.tickets.help_selectors import tickets_answered_count

#: Postings the 工作台 lists: those still in play.
ACTIVE = (PostingStatus.PUBLISHED, PostingStatus.PENDING_REVIEW, PostingStatus.PAUSED,
          PostingStatus.REJECTED, PostingStatus.DRAFT)
#: Applications the seeker's home lists (the rest are on their own page).
SHOWN_APPLICATIONS = 6


def seeker_workspace(*, seeker: Any) -> dict[str, Any]:
    """Recommended jobs, application progress, coming interviews and unread messages."""
    now = timezone.now()
    listed = applications_listed_for_seeker(seeker=seeker)
    # Six are shown; a seventh row tells whether the count needs a query of its own.
    applications = list(listed[:SHOWN_APPLICATIONS + 1])
    return {
        "recommended": recommendations_for_seeker(seeker=seeker, size=5).items,
        "applications": applications[:SHOWN_APPLICATIONS],
        "application_count": (len(applications) if len(applications) <= SHOWN_APPLICATIONS
                              else listed.count()),
        "interviews": interviews_coming_for_seeker(user=seeker, now=now, limit=5),
        "unread": unread_count(user=seeker),
        # TKT-8: the help centre in the workspace, with the tickets customer service answered.
        "tickets_answered": tickets_answered_count(user=seeker),
    }


def recruiter_workspace(*, user: Any) -> dict[str, Any]:
    """The 工作台: postings with their counts, new applicants, today's interviews, the reply
    rate and the daily posting quota of each organisation."""
    now = timezone.localtime()
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    postings = list(postings_for_recruiter(user=user).filter(status__in=ACTIVE).annotate(
        applied=Count("applications"),
        new=Count("applications", filter=Q(applications__stage=Stage.NEW)))[:10])
    handled = handler_organisations(user=user)
    new_applicants = list(Application.objects.filter(organisation__in=handled, stage=Stage.NEW)
                          .select_related("posting").order_by("-created_at")[:8])
    today = list(interviews_for_recruiter(user=user, status="open").filter(
        starts_at__gte=start, starts_at__lt=start + timedelta(days=1)))
    organisations = []
    for organisation in organisations_for_user(user=user):
        limit = daily_posting_limit(organisation)
        organisations.append({
            "organisation": organisation,
            "responsiveness": organisation_responsiveness(organisation=organisation),
            "limit": limit,
            "submitted_today": Posting.objects.filter(organisation=organisation,
                                                      submitted_at__gte=start).count(),
        })
    return {"postings": postings, "new_applicants": new_applicants,
            "new_total": Application.objects.filter(organisation__in=handled,
                                                    stage=Stage.NEW).count(),
            "today_interviews": today, "organisations": organisations,
            "unread": unread_count(user=user),
            "tickets_answered": tickets_answered_count(user=user),
            # RISK-2: a warning pops up here until a member of the organisation has read it.
            "popup_warnings": list(popup_warnings(viewer=user))}
