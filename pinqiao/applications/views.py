"""Application pages: apply, the seeker's applications, the recruiter's pipeline, screening
questions and pipeline settings. Views are thin: parse input, call one service or selector,
render. Someone who may not see an application gets 404 (audited by the selector)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from pinqiao.applications import selectors, services
from pinqiao.applications.cards import candidate_cards
from pinqiao.applications.forms import (
    ApplyForm,
    FilterForm,
    NoteForm,
    OfferForm,
    OutcomeForm,
    PipelineStageFormSet,
    QuestionForm,
    RejectForm,
    RejectionTemplateForm,
    StageForm,
    TagsForm,
)
from pinqiao.applications.listing import applicant_rows
from pinqiao.applications.models import Application
from pinqiao.core.errors import NotFound, ServiceError
from pinqiao.core.forms import add_service_error
from pinqiao.core.permissions import Role, role_required
from pinqiao.jobs import selectors as job_selectors


def _refuse_or_show(exc: ServiceError, form: Any) -> None:
    """Not-found and forbidden become the error page; other refusals go on the form."""
    if exc.status in (403, 404):
        raise exc
    add_service_error(form, exc)


# --- the seeker ------------------------------------------------------------------------------

@login_required
def apply_view(request: HttpRequest, posting_id: int) -> HttpResponse:
    """APP-1, APP-7: answer the questions and give the consents, then apply."""
    posting = job_selectors.posting_public_get(posting_id=posting_id)
    existing = selectors.application_for_posting(seeker=request.user, posting=posting)
    if existing is not None:
        messages.info(request, _("您已投递过该职位，可在这里查看进度。"))
        return redirect("applications:detail", pk=existing.pk)
    questions = selectors.questions_for_posting(posting=posting)
    form = ApplyForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_submit(
                seeker=request.user, posting_id=posting.pk, answers=form.answers(),
                resume_consent=form.cleaned_data["consent_resume"],
                contact_consent=form.cleaned_data["consent_contact"])
        except ServiceError as exc:
            if exc.code == "not_seeker":
                messages.error(request, exc.message)
                return redirect("jobs:detail", pk=posting.pk)
            if exc.status == 404:
                raise
            form.show_refusal(exc)
        else:
            messages.success(request, _("投递成功！招聘单位处理后，您会在这里和消息中心看到进度。"))
            return redirect("applications:detail", pk=application.pk)
    return render(request, "applications/apply.html", {"posting": posting, "form": form})


#: The seeker's applications per page.
SEEKER_PAGE = 50


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The seeker's applications with their status (APP-1), ``SEEKER_PAGE`` a page. One
    row more than a page tells whether there is a next one (no count query)."""
    number = min(_int(request.GET.get("page")) or 1, 10_000)  # no offset past SQL's range
    start = (number - 1) * SEEKER_PAGE
    rows = list(selectors.applications_listed_for_seeker(seeker=request.user)
                [start:start + SEEKER_PAGE + 1])
    if not rows and number > 1:  # past the last page (an old link): the first one
        return redirect("applications:mine")
    return render(request, "applications/mine.html", {
        "applications": rows[:SEEKER_PAGE], "number": number,
        "previous": number - 1 if number > 1 else None,
        "next": number + 1 if len(rows) > SEEKER_PAGE else None})


@login_required
def detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One application for the seeker: status, visible history, answers, the offer."""
    application = selectors.application_for_seeker(seeker=request.user, application_id=pk)
    return render(request, "applications/detail.html", {
        "application": application, "events": selectors.seeker_history(application),
        "offer": selectors.offer_current(application)})


@login_required
@require_POST
def withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_for_seeker(seeker=request.user, application_id=pk)
    try:
        services.application_withdraw(seeker=request.user, application=application)
    except ServiceError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已撤回投递。"))
    return redirect("applications:detail", pk=pk)


@login_required
@require_POST
def offer_answer_view(request: HttpRequest, pk: int, answer: str) -> HttpResponse:
    application = selectors.application_for_seeker(seeker=request.user, application_id=pk)
    if answer not in ("accept", "decline"):
        raise NotFound(_("未知的操作。"))
    try:
        services.offer_respond(seeker=request.user, application=application,
                               accept=answer == "accept")
    except ServiceError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已接受录用通知，祝您入职顺利！") if answer == "accept"
                         else _("已婉拒录用通知。"))
    return redirect("applications:detail", pk=pk)


# --- the recruiter's pipeline ----------------------------------------------------------------

def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@role_required(Role.RECRUITER)
def recruiter_list_view(request: HttpRequest) -> HttpResponse:
    """APP-2: the pipeline with filters by posting, stage, tag and knockout answers."""
    organisations = selectors.handler_organisations(user=request.user)
    postings = selectors.postings_for_pipeline(organisations=organisations)
    stages = selectors.stage_choices(organisations=organisations)
    tags = selectors.tags_for(organisations=organisations)
    form = FilterForm(request.GET or None, postings=postings, stages=stages, tags=tags)
    values = form.cleaned_data if form.is_valid() else {}
    stage = values.get("stage") or ""
    filters = selectors.PipelineFilters(
        posting_id=values.get("posting"), tag_id=values.get("tag"),
        stage="" if stage.startswith("c") else stage,
        pipeline_stage_id=_int(stage[1:]) if stage.startswith("c") else None,
        knockout=values.get("knockout") or "",
        unhandled=request.GET.get("unhandled") == "1",
        outcome_due=request.GET.get("outcome_due") == "1",
        education=values.get("education") or "", sort=values.get("sort") or "")
    page = Paginator(selectors.applications_listed_for_recruiter(
        user=request.user, filters=filters, organisations=organisations),
                     50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    applications = list(page)
    return render(request, "applications/recruiter_list.html", {
        "organisations": organisations, "form": form, "page": page,
        "rows": applicant_rows(applications, candidate_cards(applications=applications)),
        "query": query.urlencode(),
        "move_choices": selectors.move_choices(organisations=organisations, stages=stages),
        "templates": selectors.rejection_templates_for(
            organisation=organisations[0] if len(organisations) == 1 else None)})


@role_required(Role.RECRUITER)
@require_POST
def recruiter_bulk_view(request: HttpRequest) -> HttpResponse:
    """Bulk moves and bulk rejection with a template (APP-2)."""
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    action = request.POST.get("action", "")
    back = reverse("applications:recruiter_list") + (
        "?" + request.POST["query"] if request.POST.get("query") else "")
    try:
        if action == "move":
            result = services.applications_bulk_move(
                actor=request.user, application_ids=ids,
                **_target(request.POST.get("stage", "")))
        elif action == "reject":
            result = services.applications_bulk_reject(
                actor=request.user, application_ids=ids,
                template=request.POST.get("template", ""),
                message=request.POST.get("message", ""))
        else:
            raise ServiceError("invalid_action", _("请选择批量操作。"))
    except ServiceError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _(
            "已处理 %(m)s 条投递，跳过 %(s)s 条（已结束或有未结束的录用通知）。")
            % {"m": result["moved"], "s": result["skipped"]})
    return redirect(back)


def _detail_context(application: Application,
                    bound: dict[str, Any] | None = None) -> dict[str, Any]:
    organisations = [application.organisation]
    forms = {
        "stage_form": StageForm(choices=selectors.move_choices(organisations=organisations)),
        "reject_form": RejectForm(templates=selectors.rejection_templates_for(
            organisation=application.organisation)),
        "note_form": NoteForm(),
        "tags_form": None,
        "offer_form": OfferForm(initial={"position": application.posting.title,
                                         "pay_unit": application.posting.pay_unit or "month"}),
        "outcome_form": OutcomeForm(),
    }
    detail = selectors.recruiter_detail(application)
    forms["tags_form"] = TagsForm(initial={"tags": "，".join(detail["tags"])})
    forms.update(bound or {})
    return {"application": application, **detail, **forms,
            "templates": selectors.rejection_templates_for(
                organisation=application.organisation)}


@login_required
def recruiter_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One application: answers, history, notes, tags, stage moves, offer and outcome."""
    application = selectors.application_for_recruiter(user=request.user, application_id=pk)
    return render(request, "applications/recruiter_detail.html",
                  _detail_context(application))


def _form_for(request: HttpRequest, application: Application, action: str) -> Any:
    """The bound form of one of the detail page's actions."""
    organisations = [application.organisation]
    builders = {
        "stage": lambda: StageForm(request.POST,
                                   choices=selectors.move_choices(organisations=organisations)),
        "reject": lambda: RejectForm(request.POST, templates=selectors.rejection_templates_for(
            organisation=application.organisation)),
        "note": lambda: NoteForm(request.POST), "tags": lambda: TagsForm(request.POST),
        "offer": lambda: OfferForm(request.POST), "outcome": lambda: OutcomeForm(request.POST),
    }
    if action not in builders:
        raise NotFound(_("未知的操作。"))
    return builders[action]()


def _target(value: str) -> dict[str, Any]:
    """A stage choice: a base stage value, or ``c<id>`` for an organisation's own stage."""
    if value.startswith("c"):
        return {"stage": "", "pipeline_stage_id": _int(value[1:])}
    return {"stage": value, "pipeline_stage_id": None}


def _perform(user: Any, application: Application, action: str, data: dict[str, Any]) -> None:
    if action == "stage":
        services.application_stage_set(actor=user, application=application,
                                       note=data["message"], **_target(data["stage"]))
    elif action == "reject":
        services.application_reject(actor=user, application=application,
                                    template=data["template"], message=data["message"])
    elif action == "note":
        services.note_add(actor=user, application=application, body=data["body"])
    elif action == "tags":
        services.tags_set(actor=user, application=application, names=data["names"])
    elif action == "offer":
        services.offer_send(actor=user, application=application, data=data)
    else:
        services.offer_outcome_record(actor=user, application=application,
                                      outcome=data["outcome"])


DONE = {"stage": _l("阶段已更新。"), "reject": _l("已婉拒，求职者会收到您的说明。"),
        "note": _l("备注已保存（仅本单位可见）。"), "tags": _l("标签已更新。"),
        "offer": _l("录用通知已发出。"), "outcome": _l("入职结果已记录。")}


@login_required
@require_POST
def recruiter_action_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    application = selectors.application_for_recruiter(user=request.user, application_id=pk)
    form = _form_for(request, application, action)
    if form.is_valid():
        data = dict(form.cleaned_data)
        if action == "tags":
            data["names"] = form.names()
        try:
            _perform(request.user, application, action, data)
        except ServiceError as exc:
            _refuse_or_show(exc, form)
        else:
            messages.success(request, DONE[action])
            return redirect("applications:recruiter_detail", pk=pk)
    application = selectors.application_for_recruiter(user=request.user, application_id=pk)
    return render(request, "applications/recruiter_detail.html",
                  _detail_context(application, {f"{action}_form": form}), status=400)


# --- screening questions and pipeline settings -----------------------------------------------

@role_required(Role.RECRUITER)
def questions_view(request: HttpRequest, posting_id: int) -> HttpResponse:
    """APP-7: the poster edits the screening questions of a posting."""
    posting = job_selectors.posting_for_recruiter(user=request.user, posting_id=posting_id)
    form = QuestionForm(request.POST or None, initial={"required": True})
    if request.method == "POST" and form.is_valid():
        try:
            services.question_add(actor=request.user, posting=posting, data=form.cleaned_data)
        except ServiceError as exc:
            _refuse_or_show(exc, form)
        else:
            messages.success(request, _("已添加筛选问题。"))
            return redirect("applications:questions", posting_id=posting.pk)
    return render(request, "applications/questions.html", {
        "posting": posting, "form": form,
        "questions": selectors.questions_for_posting(posting=posting)})


@role_required(Role.RECRUITER)
@require_POST
def question_delete_view(request: HttpRequest, posting_id: int,
                         question_id: int) -> HttpResponse:
    posting = job_selectors.posting_for_recruiter(user=request.user, posting_id=posting_id)
    question = selectors.question_for_poster(posting=posting, question_id=question_id)
    services.question_delete(actor=request.user, question=question)
    messages.success(request, _("已删除该问题；已提交的回答仍保留在对应投递中。"))
    return redirect("applications:questions", posting_id=posting.pk)


def _organisation(request: HttpRequest, org_id: int) -> Any:
    return selectors.organisation_for_handler(user=request.user, organisation_id=org_id)


@role_required(Role.RECRUITER)
def settings_view(request: HttpRequest, org_id: int) -> HttpResponse:
    """The organisation's own pipeline stages and rejection templates (APP-2)."""
    organisation = _organisation(request, org_id)
    stages = selectors.pipeline_stages_for(organisation=organisation)
    initial = [{"id": s.pk, "label": s.label, "base_stage": s.base_stage} for s in stages]
    formset = PipelineStageFormSet(request.POST or None, initial=initial, prefix="stages")
    template_form = RejectionTemplateForm(prefix="template")
    if request.method == "POST" and formset.is_valid():
        rows = [f.cleaned_data for f in formset.forms
                if f.cleaned_data and f.cleaned_data.get("label")]
        try:
            services.pipeline_stages_set(actor=request.user, organisation=organisation,
                                         rows=rows)
        except ServiceError as exc:
            _refuse_or_show(exc, formset.forms[0])
        else:
            messages.success(request, _("流程阶段已保存。"))
            return redirect("applications:settings", org_id=organisation.pk)
    return _settings_page(request, organisation, formset, template_form)


def _settings_page(request: HttpRequest, organisation: Any, formset: Any,
                   template_form: Any) -> HttpResponse:
    return render(request, "applications/settings.html", {
        "organisation": organisation, "formset": formset, "template_form": template_form,
        "own_templates": selectors.rejection_templates_own(organisation=organisation),
        "default_templates": [t for t in selectors.rejection_templates_for(
            organisation=organisation) if not t[0].startswith("org-")]})


@role_required(Role.RECRUITER)
@require_POST
def template_add_view(request: HttpRequest, org_id: int) -> HttpResponse:
    organisation = _organisation(request, org_id)
    form = RejectionTemplateForm(request.POST, prefix="template")
    if form.is_valid():
        try:
            services.rejection_template_save(actor=request.user, organisation=organisation,
                                             **form.cleaned_data)
        except ServiceError as exc:
            _refuse_or_show(exc, form)
        else:
            messages.success(request, _("婉拒模板已保存。"))
            return redirect("applications:settings", org_id=organisation.pk)
    stages = selectors.pipeline_stages_for(organisation=organisation)
    formset = PipelineStageFormSet(prefix="stages", initial=[
        {"id": s.pk, "label": s.label, "base_stage": s.base_stage} for s in stages])
    return _settings_page(request, organisation, formset, form)


@role_required(Role.RECRUITER)
@require_POST
def template_delete_view(request: HttpRequest, org_id: int, template_id: int) -> HttpResponse:
    organisation = _organisation(request, org_id)
    template = selectors.rejection_template_get(organisation=organisation,
                                                template_id=template_id)
    services.rejection_template_delete(actor=request.user, template=template)
    messages.success(request, _("模板已删除。"))
    return redirect("applications:settings", org_id=organisation.pk)
