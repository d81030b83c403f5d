"""Applications API (APP-1, APP-2, APP-6, APP-7) with the pages' permissions: a seeker sees
only their own applications; a recruiter only those of verified organisations where they
may view résumés. Anyone else gets 404 and an audit entry, never data. Errors follow
``{"error": {"code", "message", "fields"}}``."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from pinqiao.api.auth import user_auth
from pinqiao.api.params import Offset
from pinqiao.applications import selectors, services
from pinqiao.applications.models import (
    Application,
    ApplicationEvent,
    Offer,
)
from pinqiao.core.errors import NotFound, NotPermitted
from pinqiao.core.masking import mask_name
from pinqiao.core.permissions import Role
from pinqiao.jobs import selectors as job_selectors
from pinqiao.orgs.selectors import public_organisation_get

router = Router(tags=["投递与招聘流程"])


# --- schemas ---------------------------------------------------------------------------------

class QuestionOut(Schema):
    id: int
    kind: str
    text: str
    choices: list[str]
    required: bool


class PosterQuestionOut(QuestionOut):
    knockout_answer: str


class QuestionIn(Schema):
    kind: str
    text: str
    choices: list[str] = []
    knockout_answer: str = ""
    required: bool = True


class ApplyIn(Schema):
    posting_id: int
    answers: dict[str, str] = {}
    consent_resume: bool = False
    consent_contact: bool = False


class EventOut(Schema):
    to_stage: str
    to_stage_label: str
    label: str
    reason_code: str
    note: str
    created_at: datetime


class OfferOut(Schema):
    id: int
    position: str
    pay_amount: Decimal
    pay_unit: str
    start_date: date
    reply_by: date
    note: str
    status: str
    outcome: str


class AnswerOut(Schema):
    question_id: int
    text: str
    answer: str
    answer_label: str


class SeekerApplicationOut(Schema):
    id: int
    posting_id: int
    posting_title: str
    employer_name: str
    stage: str
    stage_label: str
    unhandled: bool
    created_at: datetime

    @staticmethod
    def resolve_posting_title(obj: Application) -> str:
        return obj.posting.title

    @staticmethod
    def resolve_employer_name(obj: Application) -> str:
        return obj.posting.employer_name

    @staticmethod
    def resolve_stage_label(obj: Application) -> str:
        return obj.get_stage_display()

    @staticmethod
    def resolve_unhandled(obj: Application) -> bool:
        return obj.is_unhandled


class SeekerApplicationDetailOut(SeekerApplicationOut):
    answers: list[AnswerOut]
    history: list[EventOut]
    offer: OfferOut | None

    @staticmethod
    def resolve_history(obj: Application) -> list[ApplicationEvent]:
        return selectors.seeker_history(obj)

    @staticmethod
    def resolve_offer(obj: Application) -> Offer | None:
        return selectors.offer_current(obj)


class RecruiterAnswerOut(AnswerOut):
    expected: str
    met: bool | None


class RecruiterApplicationOut(Schema):
    id: int
    posting_id: int
    posting_title: str
    organisation_id: int
    candidate: str
    stage: str
    stage_label: str
    pipeline_stage_id: int | None
    knockout_met: bool | None
    tags: list[str]
    unhandled: bool
    created_at: datetime
    first_response_at: datetime | None

    @staticmethod
    def resolve_posting_title(obj: Application) -> str:
        return obj.posting.title

    @staticmethod
    def resolve_candidate(obj: Application) -> str:
        return mask_name(obj.resume.full_name)

    @staticmethod
    def resolve_stage_label(obj: Application) -> str:
        return obj.stage_label

    @staticmethod
    def resolve_tags(obj: Application) -> list[str]:
        return [t.name for t in obj.tags.all()]

    @staticmethod
    def resolve_unhandled(obj: Application) -> bool:
        return obj.is_unhandled


class NoteOut(Schema):
    id: int
    body: str
    author: str
    created_at: datetime

    @staticmethod
    def resolve_author(obj: Any) -> str:
        return obj.author.display_name if obj.author else ""


class RecruiterEventOut(EventOut):
    from_stage: str
    visible_to_seeker: bool


class RecruiterApplicationDetailOut(RecruiterApplicationOut):
    answers: list[RecruiterAnswerOut]
    events: list[RecruiterEventOut]
    notes: list[NoteOut]
    offer: OfferOut | None
    resume_url: str

    @staticmethod
    def resolve_events(obj: Application) -> list[ApplicationEvent]:
        return list(obj.events.all())

    @staticmethod
    def resolve_notes(obj: Application) -> list[Any]:
        return list(obj.notes.select_related("author"))

    @staticmethod
    def resolve_offer(obj: Application) -> Offer | None:
        return selectors.offer_current(obj)

    @staticmethod
    def resolve_resume_url(obj: Application) -> str:
        return selectors.resume_url(obj)


class StageIn(Schema):
    stage: str = ""
    pipeline_stage_id: int | None = None
    message: str = ""


class RejectIn(Schema):
    template: str = "fit"
    message: str = ""


class NoteIn(Schema):
    body: str


class TagsIn(Schema):
    tags: list[str]


class BulkMoveIn(StageIn):
    application_ids: list[int]


class BulkRejectIn(RejectIn):
    application_ids: list[int]


class BulkOut(Schema):
    moved: int
    skipped: int


class OfferIn(Schema):
    position: str = ""
    pay_amount: Decimal
    pay_unit: str
    start_date: date
    reply_by: date
    note: str = ""


class OutcomeIn(Schema):
    outcome: str


class PipelineStageIO(Schema):
    id: int | None = None
    label: str
    base_stage: str


class TemplateIn(Schema):
    title: str
    body: str


class TemplateOut(Schema):
    key: str
    title: str
    body: str
    own: bool


class ResponsivenessOut(Schema):
    organisation_id: int
    counted: int
    replied: int
    reply_rate_percent: int | None
    median_hours_to_first_response: float | None


# --- helpers ---------------------------------------------------------------------------------

def _seeker_application(request: HttpRequest, application_id: int) -> Application:
    return selectors.application_for_seeker(seeker=request.auth, application_id=application_id)


def _recruiter_application(request: HttpRequest, application_id: int) -> Application:
    return selectors.application_for_recruiter(user=request.auth,
                                               application_id=application_id)


def _handled_organisation(request: HttpRequest, org_id: int) -> Any:
    return selectors.organisation_for_handler(user=request.auth, organisation_id=org_id)


def _require_recruiter(request: HttpRequest) -> Any:
    if request.auth.role != Role.RECRUITER:
        raise NotPermitted(_("只有招聘者可以处理投递。"))
    return request.auth


# --- the seeker ------------------------------------------------------------------------------

@router.get("/jobs/{int:posting_id}/questions", response=list[QuestionOut],
            summary="职位的筛选问题")
def job_questions(request: HttpRequest, posting_id: int) -> object:
    posting = job_selectors.posting_public_get(posting_id=posting_id)
    return selectors.questions_for_posting(posting=posting)


@router.post("/applications", response={201: SeekerApplicationDetailOut}, auth=user_auth,
             summary="投递职位（APP-1）：回答筛选问题，分别同意提供简历和联系方式")
def apply(request: HttpRequest, payload: ApplyIn) -> object:
    application = services.application_submit(
        seeker=request.auth, posting_id=payload.posting_id, answers=payload.answers,
        resume_consent=payload.consent_resume, contact_consent=payload.consent_contact)
    return Status(201, application)


@router.get("/applications", response=list[SeekerApplicationOut], auth=user_auth,
            summary="我的投递")
def my_applications(request: HttpRequest) -> object:
    return selectors.applications_for_seeker(seeker=request.auth)


@router.get("/applications/{int:application_id}", response=SeekerApplicationDetailOut,
            auth=user_auth, summary="我的投递详情与进度")
def my_application(request: HttpRequest, application_id: int) -> object:
    return _seeker_application(request, application_id)


@router.post("/applications/{int:application_id}/withdraw", response=SeekerApplicationDetailOut,
             auth=user_auth, summary="撤回投递")
def withdraw(request: HttpRequest, application_id: int) -> object:
    application = _seeker_application(request, application_id)
    return services.application_withdraw(seeker=request.auth, application=application)


@router.post("/applications/{int:application_id}/offer/{answer}", response=OfferOut,
             auth=user_auth, summary="接受（accept）或婉拒（decline）录用通知")
def offer_answer(request: HttpRequest, application_id: int, answer: str) -> object:
    application = _seeker_application(request, application_id)
    if answer not in ("accept", "decline"):
        raise NotFound(_("未知的操作。"))
    return services.offer_respond(seeker=request.auth, application=application,
                                  accept=answer == "accept")


@router.get("/orgs/{int:org_id}/responsiveness", response=ResponsivenessOut,
            summary="单位回复率与首次回复用时中位数")
def responsiveness(request: HttpRequest, org_id: int) -> object:
    organisation = public_organisation_get(organisation_id=org_id)
    stats = selectors.organisation_responsiveness(organisation=organisation)
    return {"organisation_id": organisation.pk, "counted": stats.counted,
            "replied": stats.replied, "reply_rate_percent": stats.rate_percent,
            "median_hours_to_first_response": (round(stats.median_hours, 1)
                                               if stats.enough and stats.median_hours is not None
                                               else None)}


# --- the recruiter ---------------------------------------------------------------------------

@router.get("/recruiter/applications", response=list[RecruiterApplicationOut], auth=user_auth,
            summary="投递管理列表（按职位、阶段、标签、必要条件筛选）")
def pipeline(request: HttpRequest, posting_id: int | None = None, stage: str = "",
             pipeline_stage_id: int | None = None, tag_id: int | None = None,
             knockout: str = "", unhandled: bool = False, outcome_due: bool = False,
             limit: int = 50, offset: Offset = 0) -> object:
    user = _require_recruiter(request)
    filters = selectors.PipelineFilters(
        posting_id=posting_id, stage=stage, pipeline_stage_id=pipeline_stage_id,
        tag_id=tag_id, knockout=knockout, unhandled=unhandled, outcome_due=outcome_due)
    limit, offset = max(1, min(limit, 200)), max(0, offset)
    return list(selectors.applications_for_recruiter(user=user, filters=filters)
                [offset:offset + limit])


@router.get("/recruiter/applications/{int:application_id}", response=RecruiterApplicationDetailOut,
            auth=user_auth, summary="投递详情：回答、记录、备注、标签、录用通知")
def pipeline_detail(request: HttpRequest, application_id: int) -> object:
    return _recruiter_application(request, application_id)


@router.post("/recruiter/applications/bulk-move", response=BulkOut, auth=user_auth,
             summary="批量移动阶段")
def bulk_move(request: HttpRequest, payload: BulkMoveIn) -> object:
    return services.applications_bulk_move(
        actor=_require_recruiter(request), application_ids=payload.application_ids,
        stage=payload.stage, pipeline_stage_id=payload.pipeline_stage_id)


@router.post("/recruiter/applications/bulk-reject", response=BulkOut, auth=user_auth,
             summary="批量婉拒（模板或自定义说明）")
def bulk_reject(request: HttpRequest, payload: BulkRejectIn) -> object:
    return services.applications_bulk_reject(
        actor=_require_recruiter(request), application_ids=payload.application_ids,
        template=payload.template, message=payload.message)


@router.post("/recruiter/applications/{int:application_id}/stage",
             response=RecruiterApplicationDetailOut, auth=user_auth, summary="移动阶段")
def move(request: HttpRequest, application_id: int, payload: StageIn) -> object:
    application = _recruiter_application(request, application_id)
    services.application_stage_set(actor=request.auth, application=application,
                                   stage=payload.stage,
                                   pipeline_stage_id=payload.pipeline_stage_id,
                                   note=payload.message)
    return _recruiter_application(request, application_id)


@router.post("/recruiter/applications/{int:application_id}/reject",
             response=RecruiterApplicationDetailOut, auth=user_auth, summary="婉拒")
def reject(request: HttpRequest, application_id: int, payload: RejectIn) -> object:
    application = _recruiter_application(request, application_id)
    services.application_reject(actor=request.auth, application=application,
                                template=payload.template, message=payload.message)
    return _recruiter_application(request, application_id)


@router.post("/recruiter/applications/{int:application_id}/notes", response={201: NoteOut},
             auth=user_auth, summary="添加备注（仅本单位可见）")
def add_note(request: HttpRequest, application_id: int, payload: NoteIn) -> object:
    application = _recruiter_application(request, application_id)
    return Status(201, services.note_add(actor=request.auth, application=application,
                                         body=payload.body))


@router.put("/recruiter/applications/{int:application_id}/tags", response=list[str],
            auth=user_auth, summary="设置标签")
def set_tags(request: HttpRequest, application_id: int, payload: TagsIn) -> object:
    application = _recruiter_application(request, application_id)
    return services.tags_set(actor=request.auth, application=application, names=payload.tags)


@router.post("/recruiter/applications/{int:application_id}/offer", response={201: OfferOut},
             auth=user_auth, summary="发出录用通知（APP-6）")
def send_offer(request: HttpRequest, application_id: int, payload: OfferIn) -> object:
    application = _recruiter_application(request, application_id)
    return Status(201, services.offer_send(actor=request.auth, application=application,
                                           data=payload.dict()))


@router.post("/recruiter/applications/{int:application_id}/outcome",
             response=RecruiterApplicationDetailOut, auth=user_auth,
             summary="记录入职结果（hired / no_show）")
def record_outcome(request: HttpRequest, application_id: int, payload: OutcomeIn) -> object:
    application = _recruiter_application(request, application_id)
    services.offer_outcome_record(actor=request.auth, application=application,
                                  outcome=payload.outcome)
    return _recruiter_application(request, application_id)


# --- screening questions and the organisation's settings --------------------------------------

@router.get("/recruiter/jobs/{int:posting_id}/questions", response=list[PosterQuestionOut],
            auth=user_auth, summary="职位的筛选问题（含期望回答）")
def poster_questions(request: HttpRequest, posting_id: int) -> object:
    posting = job_selectors.posting_for_recruiter(user=request.auth, posting_id=posting_id)
    return selectors.questions_for_posting(posting=posting)


@router.post("/recruiter/jobs/{int:posting_id}/questions", response={201: PosterQuestionOut},
             auth=user_auth, summary="添加筛选问题（APP-7）")
def add_question(request: HttpRequest, posting_id: int, payload: QuestionIn) -> object:
    posting = job_selectors.posting_for_recruiter(user=request.auth, posting_id=posting_id)
    question = services.question_add(actor=request.auth, posting=posting, data=payload.dict())
    return Status(201, question)


@router.delete("/recruiter/jobs/{int:posting_id}/questions/{int:question_id}", response={204: None},
               auth=user_auth, summary="删除筛选问题")
def delete_question(request: HttpRequest, posting_id: int, question_id: int) -> object:
    posting = job_selectors.posting_for_recruiter(user=request.auth, posting_id=posting_id)
    question = selectors.question_for_poster(posting=posting, question_id=question_id)
    services.question_delete(actor=request.auth, question=question)
    return Status(204, None)


@router.get("/recruiter/orgs/{int:org_id}/pipeline-stages", response=list[PipelineStageIO],
            auth=user_auth, summary="本单位的自定义流程阶段")
def stages(request: HttpRequest, org_id: int) -> object:
    return selectors.pipeline_stages_for(organisation=_handled_organisation(request, org_id))


@router.put("/recruiter/orgs/{int:org_id}/pipeline-stages", response=list[PipelineStageIO],
            auth=user_auth, summary="设置自定义流程阶段（按顺序）")
def set_stages(request: HttpRequest, org_id: int, payload: list[PipelineStageIO]) -> object:
    organisation = _handled_organisation(request, org_id)
    return services.pipeline_stages_set(actor=request.auth, organisation=organisation,
                                        rows=[row.dict() for row in payload])


@router.get("/recruiter/orgs/{int:org_id}/rejection-templates", response=list[TemplateOut],
            auth=user_auth, summary="婉拒模板（平台默认与本单位）")
def templates(request: HttpRequest, org_id: int) -> object:
    organisation = _handled_organisation(request, org_id)
    return [{"key": key, "title": title, "body": body, "own": key.startswith("org-")}
            for key, title, body in selectors.rejection_templates_for(organisation=organisation)]


@router.post("/recruiter/orgs/{int:org_id}/rejection-templates", response={201: TemplateOut},
             auth=user_auth, summary="添加婉拒模板")
def add_template(request: HttpRequest, org_id: int, payload: TemplateIn) -> object:
    organisation = _handled_organisation(request, org_id)
    template = services.rejection_template_save(actor=request.auth, organisation=organisation,
                                                title=payload.title, body=payload.body)
    return Status(201, {"key": f"org-{template.pk}", "title": template.title, "body": template.body,
                        "own": True})


@router.delete("/recruiter/orgs/{int:org_id}/rejection-templates/{int:template_id}",
               response={204: None}, auth=user_auth, summary="删除婉拒模板")
def delete_template(request: HttpRequest, org_id: int, template_id: int) -> object:
    organisation = _handled_organisation(request, org_id)
    template = selectors.rejection_template_get(organisation=organisation,
                                                template_id=template_id)
    services.rejection_template_delete(actor=request.auth, template=template)
    return Status(204, None)
