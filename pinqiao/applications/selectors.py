"""Application reads. Every read of one application checks the reader: the seeker who sent it,
or a recruiter of a verified organisation allowed to view résumés. Anyone else gets
``NotFound`` and an audit entry (SEC-1) — never the data, never a hint that it exists."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from pinqiao.applications.models import (
    CONFIGURABLE_STAGES,
    OPEN_STAGES,
    Application,
    ApplicationEvent,
    ApplicationTag,
    Offer,
    PipelineStage,
    RejectionTemplate,
    ScreeningQuestion,
    Stage,
)
from pinqiao.applications.services import (
    DEFAULT_REJECTION_TEMPLATES,
    UNHANDLED_STAGES,
    handler_membership,
    outcome_due_query,
)
from pinqiao.core.audit import log_action
from pinqiao.core.errors import NotFound
from pinqiao.core.permissions import Role
from pinqiao.jobs.models import Posting
from pinqiao.orgs.models import Organisation, OrgStatus
from pinqiao.reference import taxonomy
from pinqiao.resumes.models import Education, WorkExperience

#: Reply rate window and grace (docs/decisions/0008-applications.md).
RESPONSE_WINDOW = timedelta(days=90)
RESPONSE_GRACE = timedelta(days=7)
RESPONSE_MIN_SAMPLE = 5


def _denied(user: Any, application_id: int, reason: str) -> NotFound:
    log_action(user if getattr(user, "is_authenticated", False) else None,
               "application.access_denied", ("applications.application", application_id),
               {"reason": reason})
    return NotFound(_("没有找到该投递。"))


def _with_related(qs: QuerySet[Application]) -> QuerySet[Application]:
    return qs.select_related("posting", "organisation", "posting__organisation",
                             "posting__client_authorisation", "pipeline_stage", "resume")


# --- the seeker ------------------------------------------------------------------------------

def applications_for_seeker(*, seeker: Any) -> list[Application]:
    """The seeker's applications with their status, newest first (APP-1)."""
    return list(_with_related(Application.objects.filter(seeker=seeker))
                .order_by("-created_at", "-pk"))


#: What a list of the seeker's applications shows (their page and home): the posting's title
#: and employer, the stage, when. The ORM compiling every column of six joined tables cost
#: 5 ms for three applications; these columns 1.3 ms.
_LISTED = ("id", "stage", "reminded_at", "created_at", "pipeline_stage_id", "posting_id",
           "posting__title", "posting__mode", "posting__organisation_id",
           "posting__client_authorisation_id", "posting__organisation__name",
           "posting__client_authorisation__client_name")


def applications_listed_for_seeker(*, seeker: Any) -> QuerySet[Application]:
    """``applications_for_seeker`` with only what the lists show (``_LISTED``), unevaluated:
    the pages read one page of it, the home its first rows."""
    return (Application.objects.filter(seeker=seeker)
            .select_related("posting__organisation", "posting__client_authorisation")
            .only(*_LISTED).order_by("-created_at", "-pk"))


def application_for_seeker(*, seeker: Any, application_id: int) -> Application:
    application = _with_related(Application.objects.filter(pk=application_id)).first()
    if application is None or application.seeker_id != getattr(seeker, "pk", None):
        raise _denied(seeker, application_id, "not_owner")
    return application


def seeker_history(application: Application) -> list[ApplicationEvent]:
    """The steps the seeker may see, oldest first (``known_history``: those of an application
    just made, set by the service)."""
    known = getattr(application, "known_history", None)
    if known is not None:
        return [event for event in known if event.visible_to_seeker]
    return list(application.events.filter(visible_to_seeker=True))


def application_for_posting(*, seeker: Any, posting: Any) -> Application | None:
    """The seeker's application to ``posting``, if any (for the posting page)."""
    if not getattr(seeker, "is_authenticated", False):
        return None
    return Application.objects.filter(seeker=seeker, posting=posting).first()


def offer_current(application: Application) -> Offer | None:
    """The latest offer, if any (an application just made has none: ``known_offer``)."""
    if hasattr(application, "known_offer"):
        return application.known_offer
    return application.offers.order_by("-created_at", "-pk").first()


def questions_for_posting(*, posting: Any) -> list[ScreeningQuestion]:
    return list(ScreeningQuestion.objects.filter(posting=posting))


def question_for_poster(*, posting: Any, question_id: int) -> ScreeningQuestion:
    """A question of ``posting`` (which the caller got through the poster's selector)."""
    question = ScreeningQuestion.objects.filter(pk=question_id, posting=posting).first()
    if question is None:
        raise NotFound(_("没有找到该问题。"))
    return question


# --- the recruiter ---------------------------------------------------------------------------

def handler_organisations(*, user: Any) -> list[Organisation]:
    """Organisations whose applications ``user`` may handle."""
    if not getattr(user, "is_authenticated", False) or user.role != Role.RECRUITER:
        return []
    orgs = Organisation.objects.filter(memberships__user=user,
                                       memberships__can_view_resumes=True,
                                       status=OrgStatus.VERIFIED).order_by("name", "pk")
    return [o for o in orgs if handler_membership(user, o) is not None]


@dataclass(frozen=True)
class PipelineFilters:
    posting_id: int | None = None
    stage: str = ""
    pipeline_stage_id: int | None = None
    tag_id: int | None = None
    knockout: str = ""  # "met", "not_met", "none"
    unhandled: bool = False
    outcome_due: bool = False
    #: The candidate cards' filter and order (issue 15): the lowest education wanted, and
    #: ``""`` (newest application first), ``active`` (last sign-in), ``experience`` (earliest
    #: career start) or ``pay`` (lowest expected pay first).
    education: str = ""
    sort: str = ""


#: How the applicant list can be ordered, as its cards show (issue 15).
PIPELINE_SORTS = {"": _l("最新投递"), "active": _l("最近活跃"), "experience": _l("经验从多到少"),
                  "pay": _l("期望薪资从低到高")}
_DEGREES = [c.value for c in taxonomy.EDUCATION_LEVELS]


def _card_order(qs: QuerySet[Application], sort: str) -> QuerySet[Application]:
    if sort == "active":
        return qs.order_by(F("seeker__last_login").desc(nulls_last=True), "-pk")
    if sort == "experience":
        first_job = WorkExperience.objects.filter(resume_id=OuterRef("resume_id")).order_by(
            "start_date").values("start_date")[:1]
        return qs.annotate(career_start=Subquery(first_job)).order_by(
            F("career_start").asc(nulls_last=True), "-pk")
    if sort == "pay":
        return qs.order_by(F("resume__desired_pay_min").asc(nulls_last=True), "-pk")
    return qs.order_by("-created_at", "-pk")


def applications_for_recruiter(*, user: Any, filters: PipelineFilters | None = None,
                               organisations: list[Organisation] | None = None
                               ) -> QuerySet[Application]:
    """The pipeline (APP-2): applications to the user's organisations (``organisations``:
    ``handler_organisations(user=user)`` already read for the page, if any), filtered by
    posting, stage (base or the organisation's own), tag and knockout answers (APP-7)."""
    filters = filters or PipelineFilters()
    if organisations is None:
        organisations = handler_organisations(user=user)
    qs = Application.objects.filter(organisation__in=organisations)
    if filters.posting_id:
        qs = qs.filter(posting_id=filters.posting_id)
    if filters.pipeline_stage_id:
        qs = qs.filter(pipeline_stage_id=filters.pipeline_stage_id)
    elif filters.stage == "open":
        qs = qs.filter(stage__in=OPEN_STAGES)
    elif filters.stage in Stage.values:
        qs = qs.filter(stage=filters.stage)
    if filters.tag_id:
        # A subquery, not a join: a join may repeat a row, and the DISTINCT that undid it
        # compared whole wide rows (seven joined tables) — 25-40 ms of CPU for 50 cards.
        qs = qs.filter(Exists(Application.tags.through.objects.filter(
            application_id=OuterRef("pk"), applicationtag_id=filters.tag_id)))
    if filters.knockout == "met":
        qs = qs.filter(knockout_met=True)
    elif filters.knockout == "not_met":
        qs = qs.filter(knockout_met=False)
    elif filters.knockout == "none":
        qs = qs.filter(knockout_met__isnull=True)
    if filters.unhandled:
        qs = qs.filter(reminded_at__isnull=False, stage__in=UNHANDLED_STAGES)
    if filters.outcome_due:
        qs = qs.filter(pk__in=outcome_due_query().values("pk"))
    if filters.education in _DEGREES and filters.education != "any":
        wanted = _DEGREES[_DEGREES.index(filters.education):]
        qs = qs.filter(Exists(Education.objects.filter(resume_id=OuterRef("resume_id"),
                                                       degree__in=wanted)))
    qs = _with_related(qs).select_related("seeker").prefetch_related(
        Prefetch("tags", queryset=ApplicationTag.objects.order_by("name")))
    return _card_order(qs, filters.sort)


#: What the applicant list shows of each application: its row and its candidate card
#: (``applications.listing``, ``applications.cards``). Instantiating every column of the
#: seven joined tables for 50 rows was about a third of the page's CPU time (issue 14).
_PIPELINE_LISTED = ("id", "stage", "pipeline_stage_id", "reminded_at", "knockout_met",
                    "created_at", "answers", "posting_id", "resume_id", "seeker_id",
                    "posting__title", "pipeline_stage__label", "resume__full_name",
                    "resume__birth_date", "resume__hide_employer", "resume__desired_pay_min",
                    "resume__desired_pay_max", "resume__desired_city", "seeker__last_login")


def applications_listed_for_recruiter(*, user: Any, filters: PipelineFilters | None = None,
                                      organisations: list[Organisation] | None = None
                                      ) -> QuerySet[Application]:
    """``applications_for_recruiter`` with only what the list shows (``_PIPELINE_LISTED``;
    the tags' names come with the rows, ``applications.listing``)."""
    return (applications_for_recruiter(user=user, filters=filters, organisations=organisations)
            .select_related(None).select_related("posting", "pipeline_stage", "resume", "seeker")
            .prefetch_related(None).only(*_PIPELINE_LISTED))


def application_for_recruiter(*, user: Any, application_id: int) -> Application:
    """One application for a recruiter who may handle it; audited refusal otherwise."""
    application = _with_related(Application.objects.filter(pk=application_id)
                                .select_related("seeker")).first()
    if application is None:
        raise _denied(user, application_id, "missing")
    if handler_membership(user, application.organisation) is None:
        raise _denied(user, application_id, "not_handler")
    return application


def recruiter_detail(application: Application) -> dict[str, Any]:
    """Everything the recruiter's page shows beside the application itself."""
    return {
        "events": list(application.events.select_related("actor")),
        "notes": list(application.notes.select_related("author")),
        "tags": [t.name for t in application.tags.order_by("name")],
        "offer": offer_current(application),
        "resume_url": resume_url(application),
    }


def resume_url(application: Application) -> str:
    """The recruiter's résumé page for this application (the privacy app builds it: access
    trail, masking); empty until that page exists."""
    try:
        url = reverse("privacy:recruiter_resume", args=[application.resume.public_id])
    except NoReverseMatch:
        return ""
    return f"{url}?application={application.pk}"


def organisation_for_handler(*, user: Any, organisation_id: int) -> Organisation:
    """One of the organisations whose applications ``user`` may handle."""
    found = next((o for o in handler_organisations(user=user) if o.pk == organisation_id), None)
    if found is None:
        raise NotFound(_("单位不存在，或您没有处理投递的权限。"))
    return found


def postings_for_pipeline(*, organisations: list[Organisation]) -> list[Posting]:
    """The postings to filter the pipeline by, newest first: their id and title only."""
    if not organisations:
        return []
    return list(Posting.objects.filter(organisation__in=organisations).only("id", "title")
                .order_by("-created_at", "-pk")[:200])


def pipeline_stages_for(*, organisation: Any) -> list[PipelineStage]:
    return list(PipelineStage.objects.filter(organisation=organisation))


def stage_choices(*, organisations: list[Organisation]) -> list[tuple[str, str]]:
    """Filter and move targets: the base stages, then each organisation's own stages
    (value ``c<id>``)."""
    rows = [(s.value, str(s.label)) for s in Stage]
    multiple = len(organisations) > 1
    for stage in PipelineStage.objects.filter(organisation__in=organisations).select_related(
            "organisation"):
        label = f"{stage.organisation.name}·{stage.label}" if multiple else stage.label
        rows.append((f"c{stage.pk}", f"{label}（{Stage(stage.base_stage).label}）"))
    return rows


def move_choices(*, organisations: list[Organisation],
                 stages: list[tuple[str, str]] | None = None) -> list[tuple[str, str]]:
    """Targets of a plain move: the movable base stages and the organisations' own ones
    (``stages``: the ``stage_choices`` already read for the page, if any)."""
    rows = [(s.value, str(s.label)) for s in CONFIGURABLE_STAGES]
    if stages is None:
        stages = stage_choices(organisations=organisations)
    return rows + [r for r in stages if r[0][:1] == "c"]


def tags_for(*, organisations: list[Organisation]) -> list[ApplicationTag]:
    return list(ApplicationTag.objects.filter(organisation__in=organisations)
                .annotate(n=Count("applications")).order_by("name"))


def rejection_templates_for(*, organisation: Any) -> list[tuple[str, str, str]]:
    """(key, title, body): the courteous defaults, then the organisation's own."""
    rows = [(key, str(title), str(body))
            for key, (title, body) in DEFAULT_REJECTION_TEMPLATES.items()]
    if organisation is not None:
        rows += [(f"org-{t.pk}", t.title, t.body)
                 for t in RejectionTemplate.objects.filter(organisation=organisation)]
    return rows


def rejection_templates_own(*, organisation: Any) -> list[RejectionTemplate]:
    return list(RejectionTemplate.objects.filter(organisation=organisation))


def rejection_template_get(*, organisation: Any, template_id: int) -> RejectionTemplate:
    template = RejectionTemplate.objects.filter(pk=template_id,
                                                organisation=organisation).first()
    if template is None:
        raise NotFound(_("没有找到该模板。"))
    return template


# --- responsiveness (no black hole) ----------------------------------------------------------

@dataclass(frozen=True)
class Responsiveness:
    """An organisation's reply rate and median time to first response over the last 90 days
    (definitions in docs/decisions/0008-applications.md)."""

    counted: int
    replied: int
    median_hours: float | None

    @property
    def enough(self) -> bool:
        return self.counted >= RESPONSE_MIN_SAMPLE

    @property
    def rate_percent(self) -> int | None:
        return round(100 * self.replied / self.counted) if self.enough else None

    @property
    def median_label(self) -> str:
        if self.median_hours is None or not self.enough:
            return ""
        if self.median_hours < 1:
            return _("1 小时内")
        if self.median_hours < 48:
            return _("%(n)s 小时") % {"n": round(self.median_hours)}
        return _("%(n)s 天") % {"n": round(self.median_hours / 24)}


def organisation_responsiveness(*, organisation: Any,
                                now: datetime | None = None) -> Responsiveness:
    """Reply rate: of the applications received in the last 90 days that are due an answer
    (replied, or at least 7 days old) — leaving out those the seeker withdrew before any
    reply — the share the organisation replied to. A reply is the first move to shortlisted,
    interview, offer, hired or rejected; a mere view is not one, nor is the platform closing
    an application because the posting stopped. Median time to first response: over the
    replied ones, from applying to that reply."""
    now = now or timezone.now()
    rows = (Application.objects.filter(organisation=organisation,
                                       created_at__gte=now - RESPONSE_WINDOW)
            .filter(Q(first_response_at__isnull=False)
                    | Q(created_at__lte=now - RESPONSE_GRACE))
            .exclude(stage=Stage.WITHDRAWN, first_response_at__isnull=True)
            .values_list("created_at", "first_response_at"))
    counted = 0
    hours: list[float] = []
    for created_at, first_response_at in rows:
        counted += 1
        if first_response_at is not None:
            hours.append(max(0.0, (first_response_at - created_at).total_seconds() / 3600))
    return Responsiveness(counted=counted, replied=len(hours),
                          median_hours=statistics.median(hours) if hours else None)
