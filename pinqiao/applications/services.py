"""Application services: apply with screening answers and consents (APP-1, APP-7), the
organisation's pipeline (APP-2), offers and hires (APP-6), and the platform's guarantee that
every application reaches an outcome the seeker can see (「不让投递石沉大海」).

Lock order, to stay free of deadlocks on PostgreSQL: the posting first, then applications.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from pinqiao.applications.models import (
    CONFIGURABLE_STAGES,
    KNOCKOUT_KINDS,
    LIVE_OFFER_STATUSES,
    OPEN_STAGES,
    REPLY_STAGES,
    Application,
    ApplicationEvent,
    ApplicationNote,
    ApplicationTag,
    Offer,
    OfferOutcome,
    OfferStatus,
    PipelineStage,
    QuestionKind,
    RejectionTemplate,
    ScreeningQuestion,
    Stage,
)
from pinqiao.applications.signals import application_stage_changed
from pinqiao.core.audit import log_action
from pinqiao.core.errors import NotFound, NotPermitted, ServiceError
from pinqiao.core.permissions import Role
from pinqiao.jobs import services as jobs_services
from pinqiao.jobs.models import Posting, PostingMode, PostingStatus
from pinqiao.moderation.services import explain, screen_text
from pinqiao.notifications.services import notify
from pinqiao.orgs.models import Membership, OrgStatus
from pinqiao.orgs.selectors import membership_get
from pinqiao.privacy.models import ConsentPurpose, ConsentSource
from pinqiao.privacy.services import consent_grant
from pinqiao.reference import taxonomy
from pinqiao.resumes.models import BlockedOrganisation, Resume
from pinqiao.resumes.selectors import resume_application_check

clean_text = jobs_services.clean_text

#: Stages only the platform or the seeker may set.
NOT_FOR_RECRUITERS = (Stage.WITHDRAWN, Stage.CLOSED)
#: Stages a recruiter sets by a plain move; offers, hires and rejections have their own service.
MOVABLE_STAGES = (Stage.VIEWED, Stage.SHORTLISTED, Stage.INTERVIEW)

MAX_QUESTIONS = 10
MAX_CHOICES = 8
MAX_ANSWER = 200
MAX_MESSAGE = 500
MAX_NOTE = 2000
MAX_TAGS = 10
MAX_BULK = 200
MAX_PIPELINE_STAGES = 12

#: Applications with no stage change for this long remind the recruiter and then show as
#: 「未处理」 to the seeker.
UNHANDLED_AFTER = timedelta(days=14)
UNHANDLED_STAGES = (Stage.NEW, Stage.VIEWED, Stage.SHORTLISTED)
#: An interview stage this old, or an accepted offer past its start date, asks for an outcome.
OUTCOME_AFTER = timedelta(days=7)
OUTCOME_REMIND_EVERY = timedelta(days=7)

#: Courteous defaults offered to every organisation (APP-2); key → (title, body).
DEFAULT_REJECTION_TEMPLATES: dict[str, tuple[Any, Any]] = {
    "fit": (_l("岗位匹配"), _l(
        "感谢您投递本职位并花时间了解我们。经过认真评估，您的经历与该岗位目前的要求暂不完全匹配，"
        "这次未能进入下一轮。我们已留意到您的优势，期待今后有更合适的机会再与您联系。祝您求职顺利！")),
    "filled": (_l("名额已定"), _l(
        "感谢您的投递。该岗位的人选已经确定，这次未能与您继续推进。感谢您对我们的关注，"
        "祝您早日找到理想的工作！")),
    "after_interview": (_l("面试后"), _l(
        "感谢您参加面试并与我们深入交流。经综合考虑，我们这次未能向您发出录用通知。"
        "您的认真准备给我们留下了很好的印象，祝您前程似锦！")),
}

#: Courteous closing notices when a posting stops (no black hole); status → (code, text).
CLOSING_NOTICES: dict[str, tuple[str, Any]] = {
    "filled": ("posting_filled", _l("该职位的招聘名额已满，本次招聘已结束。")),
    PostingStatus.CLOSED: ("posting_closed", _l("招聘单位已停止该职位的招聘。")),
    PostingStatus.EXPIRED: ("posting_expired", _l("该职位已到招聘期限并下线。")),
    PostingStatus.REMOVED: ("posting_removed", _l("该职位已下线。")),
}


# --- permissions -----------------------------------------------------------------------------

def handler_membership(user: Any, organisation: Any) -> Membership | None:
    """The membership through which ``user`` may handle ``organisation``'s applications: an
    active recruiter of a verified organisation allowed to view résumés; else None."""
    if (not getattr(user, "is_authenticated", False) or not user.is_active
            or user.role != Role.RECRUITER or organisation.status != OrgStatus.VERIFIED):
        return None
    membership = membership_get(user=user, organisation=organisation)
    return membership if membership is not None and membership.can_view_resumes else None


def recruiter_may_handle(actor: Any, application: Application) -> bool:
    return handler_membership(actor, application.organisation) is not None


def _require_handler(actor: Any, organisation: Any) -> None:
    if handler_membership(actor, organisation) is None:
        raise NotFound(_("没有找到该投递。"))


def _require_poster(actor: Any, posting: Posting) -> None:
    membership = membership_get(user=actor, organisation=posting.organisation)
    if membership is None or not (membership.role == "owner" or membership.can_post_jobs):
        raise NotFound(_("职位不存在，或不属于您所在的单位。"))


def handlers_of(organisation: Any) -> list[Any]:
    """Everyone who may act on the organisation's applications (reminder recipients)."""
    return [m.user for m in Membership.objects.filter(
        organisation=organisation, can_view_resumes=True, user__is_active=True,
        user__role=Role.RECRUITER).select_related("user").order_by("pk")]


def _recruiters_to_tell(application: Application) -> list[Any]:
    """The posting's author while they may still handle it, else every handler."""
    author = application.posting.created_by
    if handler_membership(author, application.organisation) is not None:
        return [author]
    return handlers_of(application.organisation)


# --- helpers ---------------------------------------------------------------------------------

def _seeker_link(application: Application) -> str:
    return reverse("applications:detail", args=[application.pk])


def _recruiter_link(application: Application) -> str:
    return reverse("applications:recruiter_detail", args=[application.pk])


def _tell_seeker(application: Application, event: str, **context: Any) -> None:
    context.setdefault("posting", application.posting)
    context.setdefault("organisation", application.posting.employer_name)
    context.setdefault("application", application)
    notify(application.seeker, event, context, link=_seeker_link(application))


def _screen(text: str, *, context: str, field: str, target: Any = None) -> None:
    """Refuse employer text shown to seekers that the moderation rules flag (MOD-1): the
    same rules as postings, so a question such as 「是否已婚」 cannot be asked."""
    if not text:
        return
    record = screen_text(text=text, context=context, target=target)
    if record.decision != "pass":
        reasons = "；".join(f"{row['label']}：" + "、".join(row["words"])
                           for row in explain(record))
        message = _("内容不符合平台规则（%(r)s），请修改。") % {"r": reasons or _("命中审核规则")}
        raise ServiceError("content_refused", message, fields={field: [message]})


def _text(value: Any, *, field: str, limit: int, required: bool = False,
          multiline: bool = False, label: str = "") -> str:
    text = clean_text(value, multiline=multiline)
    if required and not text:
        message = _("请填写%(label)s。") % {"label": label}
        raise ServiceError("required", message, fields={field: [message]})
    if len(text) > limit:
        message = _("%(label)s最多 %(n)s 个字。") % {"label": label, "n": limit}
        raise ServiceError("too_long", message, fields={field: [message]})
    return text


def _move(application: Application, to: str, *, actor: Any, reason_code: str = "",
          note: str = "", visible: bool = True,
          pipeline_stage: PipelineStage | None = None) -> ApplicationEvent:
    """Record a stage change on a locked ``application``: event, audit, timestamps, signal."""
    from_stage = application.stage
    now = timezone.now()
    event = ApplicationEvent.objects.create(
        application=application, from_stage=from_stage, to_stage=to, actor=actor,
        reason_code=reason_code, note=note[:MAX_NOTE], visible_to_seeker=visible)
    log_action(actor, "application.stage_set", application,
               {"from": from_stage, "to": to, "reason_code": reason_code,
                "pipeline_stage": pipeline_stage.pk if pipeline_stage else None})
    application.stage = to
    application.pipeline_stage = pipeline_stage
    application.updated_at = now
    application.reminded_at = None
    if to in REPLY_STAGES and application.first_response_at is None:
        application.first_response_at = now
    application.save(update_fields=["stage", "pipeline_stage", "updated_at", "reminded_at",
                                    "first_response_at"])
    application_stage_changed.send(Application, application=application, from_stage=from_stage,
                                   to_stage=to, actor=actor)
    return event


def _locked(application: Application | int) -> Application:
    pk = application if isinstance(application, int) else application.pk
    return (Application.objects.select_for_update(of=("self",))
            .select_related("posting", "organisation", "seeker", "posting__created_by",
                            "posting__client_authorisation")
            .get(pk=pk))


def _live_offer(application: Application) -> Offer | None:
    return application.offers.filter(status__in=LIVE_OFFER_STATUSES).first()


# --- screening questions (APP-7) ----------------------------------------------------------

#: Topics a screening question may not ask about (就业促进法 §§3, 26, 30; 妇女权益保障法
#: §43; 网络招聘服务管理规定 §13), with the phrases that give them away. The posting rules
#: look for limiting phrases in a posting; a question asks, so it is checked by topic too.
FORBIDDEN_QUESTION_TOPICS: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (_l("婚姻或生育状况"), ("已婚", "未婚", "结婚", "婚姻", "婚否", "婚育", "离异", "生育",
                     "怀孕", "备孕", "孕期", "生孩子", "要孩子", "生小孩", "二胎", "三胎")),
    (_l("性别"), ("性别", "男性还是女性", "男生还是女生")),
    (_l("民族或宗教信仰"), ("民族", "宗教", "信仰")),
    (_l("户籍或籍贯"), ("户籍", "户口", "籍贯", "老家")),
    (_l("病原携带或病史"), ("乙肝", "大三阳", "小三阳", "病原携带", "病史")),
)


def _forbidden_topic(text: str) -> str:
    for topic, phrases in FORBIDDEN_QUESTION_TOPICS:
        if any(phrase in text for phrase in phrases):
            return str(topic)
    return ""


def _question_values(data: dict[str, Any]) -> dict[str, Any]:
    kind = str(data.get("kind") or "")
    if kind not in QuestionKind.values:
        raise ServiceError("invalid_kind", _("请选择问题类型。"),
                           fields={"kind": [_("请选择问题类型。")]})
    text = _text(data.get("text"), field="text", limit=200, required=True, label=_("问题"))
    choices: list[str] = []
    if kind == QuestionKind.SINGLE_CHOICE:
        raw = data.get("choices") or []
        if isinstance(raw, str):
            raw = raw.splitlines()
        choices = list(dict.fromkeys(c for c in (clean_text(x)[:60] for x in raw) if c))
        if not 2 <= len(choices) <= MAX_CHOICES:
            message = _("单选题需要 2 到 %(n)s 个不同的选项（每行一个）。") % {"n": MAX_CHOICES}
            raise ServiceError("invalid_choices", message, fields={"choices": [message]})
    knockout = clean_text(data.get("knockout_answer"))
    if kind == QuestionKind.YES_NO:
        knockout = {"是": "yes", "否": "no"}.get(knockout, knockout.lower())
    if knockout:
        allowed = (["yes", "no"] if kind == QuestionKind.YES_NO
                   else choices if kind == QuestionKind.SINGLE_CHOICE else [])
        if kind not in KNOCKOUT_KINDS or knockout not in allowed:
            message = (_("简答题不能设置期望回答。") if kind not in KNOCKOUT_KINDS
                       else _("期望回答必须是该问题的一个选项。"))
            raise ServiceError("invalid_knockout", message,
                               fields={"knockout_answer": [message]})
    return {"kind": kind, "text": text, "choices": choices, "knockout_answer": knockout,
            "required": data.get("required", True) not in (False, "false", "0", "", None)}


@transaction.atomic
def question_add(*, actor: Any, posting: Posting, data: dict[str, Any]) -> ScreeningQuestion:
    """Add a screening question to ``posting`` (APP-7) for a member who may post jobs; the
    text passes the posting rules (no questions about marriage, age, origin …)."""
    posting = Posting.objects.select_for_update().select_related("organisation").get(
        pk=posting.pk)
    _require_poster(actor, posting)
    if posting.status in (PostingStatus.CLOSED, PostingStatus.REMOVED):
        raise ServiceError("not_editable", _("已关闭或已下架的职位不能修改筛选问题。"))
    count = posting.screening_questions.count()
    if count >= MAX_QUESTIONS:
        raise ServiceError("too_many_questions",
                           _("每个职位最多 %(n)s 个筛选问题。") % {"n": MAX_QUESTIONS})
    values = _question_values(data)
    topic = _forbidden_topic("".join([values["text"], *values["choices"]]))
    if topic:
        message = _("筛选问题不得询问%(t)s，这属于就业歧视。") % {"t": topic}
        raise ServiceError("question_not_allowed", message, fields={"text": [message]})
    _screen("\n".join([values["text"], *values["choices"]]), context="posting", field="text",
            target=posting)
    question = ScreeningQuestion.objects.create(posting=posting, position=count + 1, **values)
    log_action(actor, "application.question_added", question,
               {"posting": posting.pk, "kind": values["kind"],
                "knockout": bool(values["knockout_answer"])})
    return question


@transaction.atomic
def question_delete(*, actor: Any, question: ScreeningQuestion) -> None:
    """Remove a question; answers already given stay with their applications (a copy)."""
    _require_poster(actor, question.posting)
    log_action(actor, "application.question_deleted", question,
               {"posting": question.posting_id, "text": question.text})
    question.delete()


def _answers(questions: list[ScreeningQuestion], raw: dict[str, Any]
             ) -> tuple[list[dict[str, Any]], bool | None]:
    """Check the answers against the questions; return the copy kept with the application
    and whether every knockout answer was met (None when there is none)."""
    raw = {str(k): v for k, v in (raw or {}).items()}
    known = {str(q.pk) for q in questions}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ServiceError("unknown_question", _("回答了不存在的问题，请刷新页面后重试。"),
                           fields={f"answers.{k}": [_("该问题不存在。")] for k in unknown[:5]})
    errors: dict[str, list[str]] = {}
    rows: list[dict[str, Any]] = []
    met: list[bool] = []
    for question in questions:
        answer = clean_text(raw.get(str(question.pk)))
        key = f"answers.{question.pk}"
        if not answer:
            if question.required:
                errors[key] = [_("请回答此问题。")]
            continue
        if question.kind == QuestionKind.YES_NO and answer not in ("yes", "no"):
            errors[key] = [_("请选择“是”或“否”。")]
            continue
        if question.kind == QuestionKind.SINGLE_CHOICE and answer not in question.choices:
            errors[key] = [_("请从选项中选择。")]
            continue
        if len(answer) > MAX_ANSWER:
            errors[key] = [_("回答最多 %(n)s 个字。") % {"n": MAX_ANSWER}]
            continue
        row = {"question_id": question.pk, "text": question.text, "kind": question.kind,
               "answer": answer, "answer_label": question.answer_label(answer),
               "expected": question.knockout_answer, "met": None}
        if question.knockout_answer:
            row["met"] = answer == question.knockout_answer
            met.append(row["met"])
        rows.append(row)
    for question in questions:
        if question.knockout_answer and not any(r["question_id"] == question.pk for r in rows) \
                and f"answers.{question.pk}" not in errors:
            met.append(False)  # an unanswered optional knockout question is not met
    if errors:
        raise ServiceError("invalid_answers", next(iter(errors.values()))[0], fields=errors)
    return rows, (all(met) if met else None)


# --- apply (APP-1) ---------------------------------------------------------------------------

POSTING_REFUSALS = {
    PostingStatus.EXPIRED: ("posting_expired", _l("该职位已过期，不能再投递。")),
    PostingStatus.CLOSED: ("posting_closed", _l("该职位已停止招聘，不能再投递。")),
    PostingStatus.PAUSED: ("posting_paused", _l("该职位暂停招聘，暂时不能投递。")),
}


_POSTING_READ = ("title", "status", "valid_until", "mode", "organisation__name",
                 "organisation__status", "client_authorisation__client_name")


def _open_posting(posting_id: int, *, seeker: Any, resume: Resume | None) -> Posting:
    """The posting to apply to, or a clear refusal (unknown, unpublished, expired, closed).
    Unpublished postings are not revealed: they are simply not found. In the same query (SEC-3:
    the CPU time of a write request), what applying checks next: ``seeker_blocked`` (the
    résumé blocks the organisation, RES-4), ``seeker_applied`` (an application exists) and
    ``has_questions`` (APP-7)."""
    blocked = (Exists(BlockedOrganisation.objects.filter(
        resume=resume, organisation_id=OuterRef("organisation_id")))
        if resume is not None else Value(False))
    # What applying and its answer read of the posting, not its 60 other columns.
    posting = (Posting.objects.select_related("organisation", "client_authorisation")
               .only(*_POSTING_READ)
               .annotate(seeker_blocked=blocked,
                         seeker_applied=Exists(Application.objects.filter(
                             seeker=seeker, posting_id=OuterRef("pk"))),
                         has_questions=Exists(ScreeningQuestion.objects.filter(
                             posting_id=OuterRef("pk"))))
               .filter(pk=posting_id).first())
    if posting is None or posting.organisation.status in (OrgStatus.SUSPENDED, OrgStatus.CLOSED):
        raise NotFound(_("职位不存在或已下线。"), code="posting_not_found")
    _check_open(posting.status, posting.valid_until)
    return posting


def _check_open(status: str, valid_until: date) -> None:
    if status in (PostingStatus.DRAFT, PostingStatus.PENDING_REVIEW, PostingStatus.REJECTED,
                  PostingStatus.REMOVED):
        raise NotFound(_("职位不存在或已下线。"), code="posting_not_found")
    if status in POSTING_REFUSALS:
        code, message = POSTING_REFUSALS[status]
        raise ServiceError(code, str(message))
    if valid_until < timezone.localdate():
        code, message = POSTING_REFUSALS[PostingStatus.EXPIRED]
        raise ServiceError(code, str(message))


def _still_open(posting: Posting) -> None:
    """Inside the write transaction: the posting is still open (a posting closed since the
    checks would close its applications without this one). Locks its row on PostgreSQL."""
    found = (Posting.objects.select_for_update().filter(pk=posting.pk)
             .values_list("status", "valid_until").first())
    if found is None:
        raise NotFound(_("职位不存在或已下线。"), code="posting_not_found")
    _check_open(*found)


def _seeker_resume(seeker: Any) -> Resume | None:
    """The seeker's résumé, as far as applying reads it (its review status)."""
    return Resume.objects.filter(owner=seeker).only("owner_id", "review_status").first()


def consent_wording(posting: Posting, purpose: str) -> str:
    """What the seeker agrees to, naming the recipient (PIPL Art. 23)."""
    recipient = posting.organisation.name
    if posting.mode == PostingMode.AGENCY and posting.employer_name != recipient:
        recipient = _("%(agency)s（代%(client)s招聘）") % {"agency": recipient,
                                                       "client": posting.employer_name}
    what = _("我的简历") if purpose == ConsentPurpose.RESUME_TO_EMPLOYER else _("我的联系方式")
    return _("同意向%(r)s提供%(w)s，用于招聘职位“%(t)s”。") % {"r": recipient, "w": what,
                                                         "t": posting.title}


def _apply(*, seeker: Any, posting_id: int, answers: dict[str, Any], resume_consent: bool,
           contact_consent: bool) -> Application:
    # The checks read outside the write transaction, which stays short (SEC-3: under many
    # writers every write transaction waits its turn on SQLite); what a concurrent change could
    # invalidate (the posting closing, a second application) is decided inside it.
    if not getattr(seeker, "is_authenticated", False) or seeker.role != Role.SEEKER:
        raise NotPermitted(_("只有求职者账号可以投递职位。"), code="not_seeker")
    resume = _seeker_resume(seeker)
    posting = _open_posting(posting_id, seeker=seeker, resume=resume)
    resume_application_check(resume)  # present and approved (MOD-8)
    if posting.seeker_blocked:
        raise ServiceError("organisation_blocked",
                           _("您已屏蔽该单位，不能向其投递。如需投递，请先在简历设置中解除屏蔽。"))
    if posting.seeker_applied:
        raise ServiceError("already_applied", _("您已投递过该职位，请在“我的投递”中查看进度。"))
    questions = list(posting.screening_questions.all()) if posting.has_questions else []
    rows, knockout_met = _answers(questions, answers)
    if not resume_consent:
        message = _("投递需要您同意向该单位提供简历。")
        raise ServiceError("consent_required", message, fields={"consent_resume": [message]})
    organisation = posting.organisation
    wordings = {purpose: consent_wording(posting, purpose) for purpose in (
        ConsentPurpose.RESUME_TO_EMPLOYER, ConsentPurpose.CONTACT_RELEASE)}
    with transaction.atomic():
        _still_open(posting)
        consent = consent_grant(user=seeker, purpose=ConsentPurpose.RESUME_TO_EMPLOYER,
                                source=ConsentSource.APPLICATION, organisation=organisation,
                                wording=wordings[ConsentPurpose.RESUME_TO_EMPLOYER])
        if contact_consent:
            consent_grant(user=seeker, purpose=ConsentPurpose.CONTACT_RELEASE,
                          source=ConsentSource.APPLICATION, organisation=organisation,
                          wording=wordings[ConsentPurpose.CONTACT_RELEASE])
        with transaction.atomic():  # a savepoint: the constraint decides a race
            application = Application.objects.create(
                seeker=seeker, posting=posting, organisation=organisation, resume=resume,
                consent=consent, answers=rows, knockout_met=knockout_met)
        event = ApplicationEvent.objects.create(application=application, to_stage=Stage.NEW,
                                                actor=seeker, reason_code="applied")
        log_action(seeker, "application.submitted", application,
                   {"posting": posting.pk, "organisation": organisation.pk,
                    "consent": consent.pk, "contact_consent": bool(contact_consent),
                    "knockout_met": knockout_met})
    # What the answer shows of a new application, without asking the database again.
    application.known_history, application.known_offer = [event], None
    return application


def application_submit(*, seeker: Any, posting_id: int, answers: dict[str, Any] | None = None,
                       resume_consent: bool = False, contact_consent: bool = False
                       ) -> Application:
    """Apply to a published posting (APP-1) with the screening answers (APP-7) and two
    separate consents (PIPL Arts. 14, 23): the résumé (required) and the contact details
    (optional). One application per seeker and posting, enforced by the database; a refused
    or duplicate attempt leaves nothing behind (one transaction)."""
    try:
        return _apply(seeker=seeker, posting_id=posting_id, answers=answers or {},
                      resume_consent=resume_consent, contact_consent=contact_consent)
    except IntegrityError:
        if Application.objects.filter(seeker=seeker, posting_id=posting_id).exists():
            raise ServiceError("already_applied",
                               _("您已投递过该职位，请在“我的投递”中查看进度。")) from None
        raise


@transaction.atomic
def application_withdraw(*, seeker: Any, application: Application) -> Application:
    """The seeker withdraws (APP-1); the recruiter is told. Consents stay as they are: the
    seeker withdraws those on the privacy page."""
    application = _locked(application)
    if application.seeker_id != getattr(seeker, "pk", None):
        raise NotFound(_("没有找到该投递。"))
    if application.is_final:
        raise ServiceError("application_final", _("该投递已结束，不能撤回。"))
    offer = _live_offer(application)
    if offer is not None and offer.status == OfferStatus.ACCEPTED:
        raise ServiceError("offer_accepted",
                           _("您已接受录用通知，如不能入职请直接与招聘单位沟通。"))
    if offer is not None:
        offer.status, offer.responded_at = OfferStatus.DECLINED, timezone.now()
        offer.save(update_fields=["status", "responded_at"])
    _move(application, Stage.WITHDRAWN, actor=seeker, reason_code="withdrawn")
    for user in _recruiters_to_tell(application):
        notify(user, "application_withdrawn",
               {"posting": application.posting, "application": application},
               link=_recruiter_link(application))
    return application


# --- the pipeline (APP-2) --------------------------------------------------------------------

def _pipeline_stage(organisation: Any, pipeline_stage_id: int | None) -> PipelineStage | None:
    if not pipeline_stage_id:
        return None
    found = PipelineStage.objects.filter(pk=pipeline_stage_id, organisation=organisation).first()
    if found is None:
        raise ServiceError("invalid_stage", _("该单位没有这个流程阶段。"),
                           fields={"stage": [_("请选择本单位的流程阶段。")]})
    return found


def _set_stage(actor: Any, application: Application, stage: str, *,
               pipeline_stage_id: int | None = None, message: str = "",
               reason_code: str = "", visible_to_seeker: bool = True) -> bool:
    """Move a locked application; return whether anything changed."""
    pipeline_stage = _pipeline_stage(application.organisation, pipeline_stage_id)
    if pipeline_stage is not None:
        stage = pipeline_stage.base_stage
    if stage not in Stage.values or stage in NOT_FOR_RECRUITERS:
        raise ServiceError("invalid_stage", _("不能把投递移到该阶段。"),
                           fields={"stage": [_("请选择有效的阶段。")]})
    if stage not in MOVABLE_STAGES:
        raise ServiceError("invalid_stage", _("发出录用通知、记录入职和婉拒请使用对应的操作。"),
                           fields={"stage": [_("请选择有效的阶段。")]})
    if application.is_final:
        raise ServiceError("application_final", _("该投递已结束，不能再变更阶段。"))
    if _live_offer(application) is not None:
        raise ServiceError("offer_pending", _("该投递有未结束的录用通知，请先处理录用通知。"))
    if application.stage == stage and application.pipeline_stage_id == (
            pipeline_stage.pk if pipeline_stage else None):
        return False
    message = _text(message, field="message", limit=MAX_MESSAGE, multiline=True,
                    label=_("给求职者的留言"))
    _screen(message, context="chat", field="message", target=application)
    # A move between two of the organisation's own steps of one base stage is internal.
    visible = visible_to_seeker and application.stage != stage
    _move(application, stage, actor=actor, reason_code=reason_code, note=message,
          visible=visible, pipeline_stage=pipeline_stage)
    if visible:
        _tell_seeker(application, "application_stage_changed", stage=Stage(stage).label,
                     message=message)
    return True


@transaction.atomic
def application_stage_set(*, actor: Any, application: Application, stage: str = "",
                          pipeline_stage_id: int | None = None, reason_code: str = "",
                          note: str = "", visible_to_seeker: bool = True) -> Application:
    """Move ``application`` to a base stage or to one of the organisation's own stages for a
    recruiter of its organisation, keep the event, audit it and tell the seeker of any change
    they can see (APP-2). ``note`` is a message the seeker reads."""
    application = _locked(application)
    _require_handler(actor, application.organisation)
    _set_stage(actor, application, stage, pipeline_stage_id=pipeline_stage_id, message=note,
               reason_code=reason_code, visible_to_seeker=visible_to_seeker)
    return application


def rejection_message(organisation: Any, template: str) -> str:
    """The text of a default (``fit`` …) or organisation template (``org-<id>``)."""
    if template in DEFAULT_REJECTION_TEMPLATES:
        return str(DEFAULT_REJECTION_TEMPLATES[template][1])
    if template.startswith("org-") and template[4:].isdigit():
        found = RejectionTemplate.objects.filter(pk=int(template[4:]),
                                                 organisation=organisation).first()
        if found is not None:
            return found.body
    raise ServiceError("invalid_template", _("请选择婉拒模板。"),
                       fields={"template": [_("请选择婉拒模板。")]})


def _reject(actor: Any, application: Application, text: str, reason_code: str) -> bool:
    if application.is_final:
        return False
    offer = _live_offer(application)
    if offer is not None and offer.status == OfferStatus.ACCEPTED:
        raise ServiceError("offer_accepted",
                           _("候选人已接受录用通知，请记录入职结果，不能直接婉拒。"))
    if offer is not None:
        offer.status = OfferStatus.CANCELLED
        offer.save(update_fields=["status"])
        log_action(actor, "application.offer_cancelled", offer, {"application": application.pk})
    _move(application, Stage.REJECTED, actor=actor, reason_code=reason_code, note=text)
    _tell_seeker(application, "application_rejected", message=text)
    return True


def _rejection_text(organisation: Any, template: str, message: str) -> tuple[str, str]:
    message = _text(message, field="message", limit=MAX_MESSAGE, multiline=True,
                    label=_("婉拒说明"))
    if message:
        _screen(message, context="chat", field="message")
        return message, "custom"
    return rejection_message(organisation, template), template or "custom"


@transaction.atomic
def application_reject(*, actor: Any, application: Application, template: str = "fit",
                       message: str = "") -> Application:
    """Decline with a courteous message: a template or the recruiter's own words (APP-2). An
    unanswered offer is cancelled; an accepted one needs an outcome instead."""
    application = _locked(application)
    _require_handler(actor, application.organisation)
    if application.is_final:
        raise ServiceError("application_final", _("该投递已结束，不能再变更阶段。"))
    text, code = _rejection_text(application.organisation, template, message)
    _reject(actor, application, text, f"rejected.{code}")
    return application


def _bulk_load(actor: Any, application_ids: list[int]) -> list[Application]:
    ids = list(dict.fromkeys(int(i) for i in application_ids))
    if not ids:
        raise ServiceError("nothing_selected", _("请先勾选投递。"))
    if len(ids) > MAX_BULK:
        raise ServiceError("too_many", _("一次最多处理 %(n)s 条投递。") % {"n": MAX_BULK})
    rows = list(Application.objects.select_for_update(of=("self",))
                .select_related("posting", "organisation", "seeker", "posting__created_by",
                                "posting__client_authorisation")
                .filter(pk__in=ids).order_by("pk"))
    if len(rows) != len(ids) or any(handler_membership(actor, o) is None
                                    for o in {a.organisation for a in rows}):
        raise NotFound(_("部分投递不存在，或不属于您所在的单位。"))
    return rows


def _bulk_denied(actor: Any, application_ids: list[int]) -> None:
    """Audit a bulk action refused as not found, outside its rolled-back transaction."""
    log_action(actor, "application.access_denied", None,
               {"reason": "bulk", "applications": [str(i) for i in application_ids[:50]]})


def applications_bulk_move(*, actor: Any, application_ids: list[int], stage: str = "",
                           pipeline_stage_id: int | None = None) -> dict[str, int]:
    """Move many applications at once (APP-2). All must belong to the actor's organisations
    (else nothing moves: 404, audited); ended ones, or ones with an open offer, are skipped
    and counted."""
    try:
        return _bulk_move(actor=actor, application_ids=application_ids, stage=stage,
                          pipeline_stage_id=pipeline_stage_id)
    except NotFound:
        _bulk_denied(actor, application_ids)
        raise


@transaction.atomic
def _bulk_move(*, actor: Any, application_ids: list[int], stage: str,
               pipeline_stage_id: int | None) -> dict[str, int]:
    rows = _bulk_load(actor, application_ids)
    moved = skipped = 0
    for application in rows:
        if application.is_final or _live_offer(application) is not None:
            skipped += 1
            continue
        if _set_stage(actor, application, stage, pipeline_stage_id=pipeline_stage_id):
            moved += 1
        else:
            skipped += 1
    return {"moved": moved, "skipped": skipped}


def applications_bulk_reject(*, actor: Any, application_ids: list[int], template: str = "fit",
                             message: str = "") -> dict[str, int]:
    """Decline many applications with one courteous message (APP-2); all must belong to the
    actor's organisations (else 404, audited); ended ones and ones whose offer was accepted
    are skipped and counted."""
    try:
        return _bulk_reject(actor=actor, application_ids=application_ids, template=template,
                            message=message)
    except NotFound:
        _bulk_denied(actor, application_ids)
        raise


@transaction.atomic
def _bulk_reject(*, actor: Any, application_ids: list[int], template: str,
                 message: str) -> dict[str, int]:
    rows = _bulk_load(actor, application_ids)
    moved = skipped = 0
    texts: dict[int, tuple[str, str]] = {}
    for application in rows:
        organisation = application.organisation
        if organisation.pk not in texts:
            texts[organisation.pk] = _rejection_text(organisation, template, message)
        offer = _live_offer(application)
        if application.is_final or (offer is not None and offer.status == OfferStatus.ACCEPTED):
            skipped += 1
            continue
        text, code = texts[organisation.pk]
        _reject(actor, application, text, f"rejected.{code}")
        moved += 1
    return {"moved": moved, "skipped": skipped}


@transaction.atomic
def note_add(*, actor: Any, application: Application, body: str) -> ApplicationNote:
    """A note private to the organisation (APP-2); never shown to the seeker."""
    application = _locked(application)
    _require_handler(actor, application.organisation)
    body = _text(body, field="body", limit=MAX_NOTE, required=True, multiline=True,
                 label=_("备注"))
    note = ApplicationNote.objects.create(application=application, author=actor, body=body)
    log_action(actor, "application.note_added", application, {"note": note.pk})
    return note


@transaction.atomic
def tags_set(*, actor: Any, application: Application, names: list[str]) -> list[str]:
    """Replace the application's tags; new tag names join the organisation's list."""
    application = _locked(application)
    _require_handler(actor, application.organisation)
    cleaned = list(dict.fromkeys(n for n in (clean_text(x) for x in names) if n))
    if len(cleaned) > MAX_TAGS or any(len(n) > 20 for n in cleaned):
        message = _("最多 %(n)s 个标签，每个不超过 20 个字。") % {"n": MAX_TAGS}
        raise ServiceError("invalid_tags", message, fields={"tags": [message]})
    tags = []
    for name in cleaned:
        tag, _created = ApplicationTag.objects.get_or_create(
            organisation=application.organisation, name=name)
        tags.append(tag)
    application.tags.set(tags)
    log_action(actor, "application.tags_set", application, {"tags": cleaned})
    return cleaned


@transaction.atomic
def pipeline_stages_set(*, actor: Any, organisation: Any,
                        rows: list[dict[str, Any]]) -> list[PipelineStage]:
    """Replace the organisation's own stages (label, base stage) in the given order. A stage
    still holding applications is kept under its new label or, if left out, those
    applications fall back to their base stage."""
    _require_handler(actor, organisation)
    if len(rows) > MAX_PIPELINE_STAGES:
        raise ServiceError("too_many_stages",
                           _("最多 %(n)s 个自定义阶段。") % {"n": MAX_PIPELINE_STAGES})
    errors: dict[str, list[str]] = {}
    cleaned: list[tuple[int | None, str, str]] = []
    for index, row in enumerate(rows):
        label = clean_text(row.get("label"))
        base = str(row.get("base_stage") or "")
        if not label or len(label) > 20:
            errors[f"stages.{index}.label"] = [_("阶段名称为 1 到 20 个字。")]
        if base not in [s.value for s in CONFIGURABLE_STAGES]:
            errors[f"stages.{index}.base_stage"] = [_("请选择对应的基本阶段。")]
        cleaned.append((row.get("id"), label, base))
    labels = [label for _id, label, _base in cleaned]
    if len(set(labels)) != len(labels):
        errors["stages"] = [_("阶段名称不能重复。")]
    if errors:
        raise ServiceError("invalid_stages", next(iter(errors.values()))[0], fields=errors)
    existing = {s.pk: s for s in PipelineStage.objects.select_for_update().filter(
        organisation=organisation)}
    keep = {int(pk) for pk, *_rest in cleaned if pk and int(pk) in existing}
    for pk, stage in existing.items():
        if pk not in keep:
            stage.delete()
    for pk in keep:  # free the labels first: the new order may swap two names
        PipelineStage.objects.filter(pk=pk).update(label=f"__{pk}")
    result = []
    for position, (pk, label, base) in enumerate(cleaned, start=1):
        if pk and int(pk) in keep:
            stage = existing[int(pk)]
            if stage.base_stage != base and stage.applications.exists():
                raise ServiceError("stage_in_use", _(
                    "“%(l)s”下还有投递，不能改变它对应的基本阶段。") % {"l": label})
            stage.label, stage.base_stage, stage.position = label, base, position
            stage.save()
        else:
            stage = PipelineStage.objects.create(organisation=organisation, label=label,
                                                 base_stage=base, position=position)
        result.append(stage)
    log_action(actor, "application.pipeline_stages_set", organisation,
               {"stages": [(s.label, s.base_stage) for s in result]})
    return result


@transaction.atomic
def rejection_template_save(*, actor: Any, organisation: Any, title: str, body: str,
                            template: RejectionTemplate | None = None) -> RejectionTemplate:
    """Add or edit one of the organisation's rejection messages; screened like any message
    to seekers."""
    _require_handler(actor, organisation)
    title = _text(title, field="title", limit=30, required=True, label=_("模板名称"))
    body = _text(body, field="body", limit=MAX_MESSAGE, required=True, multiline=True,
                 label=_("模板内容"))
    _screen(body, context="chat", field="body")
    clash = RejectionTemplate.objects.filter(organisation=organisation, title=title)
    if template is not None:
        clash = clash.exclude(pk=template.pk)
    if clash.exists():
        raise ServiceError("duplicate_title", _("已有同名模板。"),
                           fields={"title": [_("已有同名模板。")]})
    if template is None:
        template = RejectionTemplate(organisation=organisation, created_by=actor)
    elif template.organisation_id != organisation.pk:
        raise NotFound(_("没有找到该模板。"))
    template.title, template.body = title, body
    template.save()
    log_action(actor, "application.rejection_template_saved", template, {"title": title})
    return template


@transaction.atomic
def rejection_template_delete(*, actor: Any, template: RejectionTemplate) -> None:
    _require_handler(actor, template.organisation)
    log_action(actor, "application.rejection_template_deleted", template,
               {"title": template.title})
    template.delete()


# --- offers and hires (APP-6) ----------------------------------------------------------------

def _offer_values(application: Application, data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    position = clean_text(data.get("position")) or application.posting.title
    if len(position) > 60:
        errors["position"] = [_("岗位名称最多 60 个字。")]
    try:
        amount = Decimal(str(data.get("pay_amount") or "").replace(",", "").strip())
        if not amount.is_finite() or amount <= 0 or amount >= Decimal("100000000"):
            raise InvalidOperation
    except InvalidOperation:
        errors["pay_amount"] = [_("请填写大于 0 的薪资金额（元）。")]
        amount = Decimal("0")
    unit = str(data.get("pay_unit") or "")
    if unit not in {c.value for c in taxonomy.PAY_UNITS}:
        errors["pay_unit"] = [_("请选择薪资单位。")]
    today = timezone.localdate()
    dates: dict[str, date | None] = {}
    for field, label in (("start_date", _("入职日期")), ("reply_by", _("答复期限"))):
        value = data.get(field)
        try:
            dates[field] = value if isinstance(value, date) else date.fromisoformat(
                str(value).strip())
        except ValueError:
            errors[field] = [_("请填写%(l)s（如 2026-12-31）。") % {"l": label}]
            dates[field] = None
            continue
        if dates[field] < today:
            errors[field] = [_("%(l)s不能早于今天。") % {"l": label}]
    if dates.get("start_date") and dates.get("reply_by") and dates["reply_by"] > dates[
            "start_date"]:
        errors["reply_by"] = [_("答复期限不能晚于入职日期。")]
    note = clean_text(data.get("note"), multiline=True)
    if len(note) > 1000:
        errors["note"] = [_("说明最多 1000 字。")]
    if errors:
        raise ServiceError("invalid_offer", next(iter(errors.values()))[0], fields=errors)
    return {"position": position, "pay_amount": amount.quantize(Decimal("0.01")),
            "pay_unit": unit, "start_date": dates["start_date"], "reply_by": dates["reply_by"],
            "note": note}


@transaction.atomic
def offer_send(*, actor: Any, application: Application, data: dict[str, Any]) -> Offer:
    """Send an offer notice (录用通知, DB4401 6.2.2.1): position, pay in 元, start date and
    reply-by date; the seeker is told in-site and by SMS."""
    application = _locked(application)
    _require_handler(actor, application.organisation)
    if application.is_final:
        raise ServiceError("application_final", _("该投递已结束，不能发出录用通知。"))
    if _live_offer(application) is not None:
        raise ServiceError("offer_exists", _("该投递已有未结束的录用通知。"))
    values = _offer_values(application, data)
    _screen("\n".join([values["position"], values["note"]]), context="chat", field="note",
            target=application)
    offer = Offer.objects.create(application=application, created_by=actor, **values)
    log_action(actor, "application.offer_sent", offer,
               {"application": application.pk, "pay_amount": values["pay_amount"],
                "pay_unit": values["pay_unit"], "start_date": values["start_date"],
                "reply_by": values["reply_by"]})
    if application.stage != Stage.OFFER:
        _move(application, Stage.OFFER, actor=actor, reason_code="offer_sent")
    else:
        ApplicationEvent.objects.create(application=application, from_stage=Stage.OFFER,
                                        to_stage=Stage.OFFER, actor=actor,
                                        reason_code="offer_sent")
    _tell_seeker(application, "offer_sent", offer=offer,
                 pay=f"{offer.pay_amount.normalize():f} 元/{offer.get_pay_unit_display()}")
    return offer


@transaction.atomic
def offer_respond(*, seeker: Any, application: Application, accept: bool) -> Offer:
    """The seeker accepts or declines the offer before its reply-by date; declining ends the
    application. The recruiter is told."""
    application = _locked(application)
    if application.seeker_id != getattr(seeker, "pk", None):
        raise NotFound(_("没有找到该投递。"))
    offer = application.offers.select_for_update().filter(status=OfferStatus.SENT).first()
    if offer is None:
        raise ServiceError("no_offer", _("没有待答复的录用通知。"))
    if offer.reply_by < timezone.localdate():
        raise ServiceError("offer_expired", _("录用通知已过答复期限，请与招聘单位联系。"))
    offer.status = OfferStatus.ACCEPTED if accept else OfferStatus.DECLINED
    offer.responded_at = timezone.now()
    offer.save(update_fields=["status", "responded_at"])
    log_action(seeker, "application.offer_answered", offer,
               {"application": application.pk, "accepted": accept})
    if accept:
        ApplicationEvent.objects.create(application=application, from_stage=Stage.OFFER,
                                        to_stage=Stage.OFFER, actor=seeker,
                                        reason_code="offer_accepted")
    else:
        _move(application, Stage.WITHDRAWN, actor=seeker, reason_code="offer_declined")
    for user in _recruiters_to_tell(application):
        notify(user, "offer_answered",
               {"posting": application.posting, "offer": offer,
                "answer": _("接受") if accept else _("婉拒")},
               link=_recruiter_link(application))
    return offer


def _accepted_offer(application: Application, *, lock: bool = True) -> Offer:
    offers = application.offers.select_for_update() if lock else application.offers.all()
    offer = offers.filter(status=OfferStatus.ACCEPTED, outcome="").first()
    if offer is None or application.is_final:
        raise ServiceError("no_accepted_offer", _("只有候选人已接受的录用通知才能记录入职结果。"))
    return offer


@transaction.atomic
def offer_outcome_record(*, actor: Any, application: Application, outcome: str) -> Application:
    """Record whether the accepted offer ended in a hire (APP-6). A hire counts on the
    posting, which closes as filled when hires reach its headcount; a no-show ends the
    application."""
    if outcome not in OfferOutcome.values:
        raise ServiceError("invalid_outcome", _("请选择入职结果。"),
                           fields={"outcome": [_("请选择入职结果。")]})
    current = Application.objects.select_related("organisation", "posting").get(
        pk=application.pk)
    _require_handler(actor, current.organisation)
    _accepted_offer(current, lock=False)  # the clear refusal before any lock is taken
    filled = False
    if outcome == OfferOutcome.HIRED:
        # Lock order: the posting first (this may close it as filled), then the application.
        _posting, filled = jobs_services.posting_hire_record(actor=actor,
                                                             posting=current.posting)
    application = _locked(current)
    offer = _accepted_offer(application)
    offer.outcome, offer.outcome_at = outcome, timezone.now()
    offer.save(update_fields=["outcome", "outcome_at"])
    log_action(actor, "application.offer_outcome", offer,
               {"application": application.pk, "outcome": outcome})
    if outcome == OfferOutcome.HIRED:
        _move(application, Stage.HIRED, actor=actor, reason_code="hired")
        _tell_seeker(application, "application_stage_changed", stage=Stage.HIRED.label,
                     message="")
    else:
        _move(application, Stage.WITHDRAWN, actor=actor, reason_code="no_show",
              note=_("未按约定日期入职。"))
    if filled:
        posting = application.posting
        notify(posting.created_by, "posting_filled", {"posting": posting},
               link=reverse("jobs:my_detail", args=[posting.pk]))
    return application


# --- no black hole ---------------------------------------------------------------------------

def applications_close_for_posting(*, posting: Posting, to_status: str, reason_code: str,
                                   actor: Any = None) -> int:
    """Close the open applications of a posting that closed, expired, was removed or filled,
    each with a courteous notice sent once the transaction commits. Applications holding an
    offer are left open: the offer needs an answer and an outcome (reminded)."""
    key = "filled" if reason_code == "filled" else to_status
    if key not in CLOSING_NOTICES:
        return 0
    code, text = CLOSING_NOTICES[key]
    rows = list(Application.objects.select_for_update(of=("self",))
                .select_related("posting", "organisation", "seeker",
                                "posting__client_authorisation")
                .filter(posting_id=posting.pk, stage__in=OPEN_STAGES)
                .exclude(offers__status__in=LIVE_OFFER_STATUSES).order_by("pk"))
    for application in rows:
        _move(application, Stage.CLOSED, actor=actor, reason_code=code, note=str(text))
        transaction.on_commit(
            lambda a=application: _tell_seeker(a, "application_closed", reason=str(text)))
    return len(rows)


@transaction.atomic
def applications_mark_viewed(*, resume: Any, organisation: Any, viewer: Any) -> int:
    """A recruiter of ``organisation`` opened the seeker's résumé: that organisation's new
    applications from the seeker become 「已查看」 and the seeker is told."""
    rows = list(Application.objects.select_for_update(of=("self",))
                .select_related("posting", "organisation", "seeker",
                                "posting__client_authorisation")
                .filter(resume=resume, organisation=organisation, stage=Stage.NEW))
    for application in rows:
        _move(application, Stage.VIEWED, actor=viewer, reason_code="resume_viewed")
        _tell_seeker(application, "application_stage_changed", stage=Stage.VIEWED.label,
                     message="")
    return len(rows)


def _by_organisation(rows: list[Application]) -> dict[Any, list[Application]]:
    grouped: dict[Any, list[Application]] = defaultdict(list)
    for application in rows:
        grouped[application.organisation].append(application)
    return grouped


def applications_unhandled_remind(*, now: datetime | None = None,
                                  dry_run: bool = False) -> dict[str, int]:
    """Remind each organisation's recruiters of applications with no stage change for 14
    days; from then on the seeker sees them as 「未处理」 until the organisation acts."""
    now = now or timezone.now()
    due = list(Application.objects.select_related("organisation")
               .filter(stage__in=UNHANDLED_STAGES, updated_at__lt=now - UNHANDLED_AFTER,
                       reminded_at__isnull=True).order_by("pk"))
    grouped = _by_organisation(due)
    summary = {"applications": len(due), "organisations": len(grouped)}
    if dry_run:
        return summary
    for organisation, rows in grouped.items():
        with transaction.atomic():
            Application.objects.filter(pk__in=[a.pk for a in rows],
                                       reminded_at__isnull=True).update(reminded_at=now)
            log_action(None, "application.unhandled_reminder", organisation,
                       {"applications": [a.pk for a in rows]})
            for user in handlers_of(organisation):
                notify(user, "applications_unhandled",
                       {"count": len(rows), "days": UNHANDLED_AFTER.days,
                        "organisation": organisation.name},
                       link=reverse("applications:recruiter_list") + "?unhandled=1")
    return summary


def offers_expire(*, today: date | None = None, dry_run: bool = False) -> int:
    """Offers past their reply-by date can no longer be accepted; the seeker is told."""
    today = today or timezone.localdate()
    due = Offer.objects.filter(status=OfferStatus.SENT, reply_by__lt=today)
    if dry_run:
        return due.count()
    count = 0
    for offer in due.select_related("application").iterator():
        with transaction.atomic():
            application = _locked(offer.application)
            updated = Offer.objects.filter(pk=offer.pk, status=OfferStatus.SENT).update(
                status=OfferStatus.EXPIRED)
            if not updated:
                continue
            log_action(None, "application.offer_expired", offer, {"application": application.pk})
            ApplicationEvent.objects.create(application=application, from_stage=Stage.OFFER,
                                            to_stage=Stage.OFFER, reason_code="offer_expired")
            _tell_seeker(application, "offer_expired", offer=offer)
            count += 1
    return count


def outcome_due_query(*, now: datetime | None = None) -> QuerySet[Application]:
    """Applications whose interview or offer needs an outcome from the recruiter: an
    interview stage unchanged for 7 days, an offer stage with no live offer, or an accepted
    offer past its start date with no outcome."""
    now = now or timezone.now()
    offers = Offer.objects.filter(application=OuterRef("pk"))
    live = Exists(offers.filter(status__in=LIVE_OFFER_STATUSES))
    started = Exists(offers.filter(status=OfferStatus.ACCEPTED, outcome="",
                                   start_date__lt=timezone.localdate(now)))
    return Application.objects.filter(
        Q(stage=Stage.INTERVIEW, updated_at__lt=now - OUTCOME_AFTER)
        | (Q(stage=Stage.OFFER) & ~live) | (Q(stage=Stage.OFFER) & started))


def outcomes_due(*, now: datetime | None = None) -> list[Application]:
    """Those of ``outcome_due_query`` not reminded in the last 7 days."""
    now = now or timezone.now()
    return list(outcome_due_query(now=now).select_related("organisation")
                .exclude(outcome_reminded_at__gte=now - OUTCOME_REMIND_EVERY).order_by("pk"))


def outcomes_remind(*, now: datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Expire unanswered offers past their date, then remind recruiters to record outcomes
    of interviews and offers that are due (APP-6, DB4401 6.2.2.3)."""
    now = now or timezone.now()
    expired = offers_expire(today=timezone.localdate(now), dry_run=dry_run)
    due = outcomes_due(now=now)
    grouped = _by_organisation(due)
    summary = {"offers_expired": expired, "applications": len(due),
               "organisations": len(grouped)}
    if dry_run:
        return summary
    for organisation, rows in grouped.items():
        with transaction.atomic():
            Application.objects.filter(pk__in=[a.pk for a in rows]).update(
                outcome_reminded_at=now)
            log_action(None, "application.outcome_reminder", organisation,
                       {"applications": [a.pk for a in rows]})
            for user in handlers_of(organisation):
                notify(user, "hiring_outcomes_due",
                       {"count": len(rows), "organisation": organisation.name},
                       link=reverse("applications:recruiter_list") + "?outcome_due=1")
    return summary

