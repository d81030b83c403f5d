"""Staff pages: the review console (MOD-5), the rule editor (MOD-6), sanctions (RISK-2, MOD-7).

Every page requires a staff role past the second factor and the matching permission.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from pinqiao.core.errors import NotFound, ServiceError
from pinqiao.core.forms import add_service_error
from pinqiao.core.permissions import staff_required
from pinqiao.moderation import selectors, services
from pinqiao.moderation.engine import CATEGORIES
from pinqiao.moderation.models import ReviewItem, Sanction

REVIEW_REASONS = [
    ("", "—"), ("discrimination", _l("含就业歧视内容")), ("fee_charging", _l("向求职者收费")),
    ("fraud", _l("虚假或欺诈信息")), ("illegal_content", _l("违法违规内容")),
    ("contact_info", _l("留站外联系方式")), ("false_info", _l("信息不实")),
    ("pay", _l("薪资不合理")), ("duplicate", _l("重复发布")), ("incomplete", _l("信息不完整")),
    ("other", _l("其他")),
]


class DecideForm(forms.Form):
    action = forms.ChoiceField(choices=[("approve", _l("通过")), ("reject", _l("驳回")),
                                        ("request_edit", _l("要求修改"))])
    reason_code = forms.ChoiceField(label=_l("理由"), choices=REVIEW_REASONS, required=False)
    note = forms.CharField(label=_l("说明（将告知发布者）"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class RuleDraftForm(forms.Form):
    version = forms.CharField(label=_l("版本号"), required=False, max_length=40,
                              help_text=_l("留空则按时间生成"))
    note = forms.CharField(label=_l("变更说明"), max_length=500)
    category = forms.ChoiceField(label=_l("加词类别"), required=False,
                                 choices=[("", "—"), *[(c, services.CATEGORY_LABELS.get(c, c))
                                                           for c in CATEGORIES]])
    words = forms.CharField(label=_l("新增词（每行一个）"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))
    data = forms.CharField(label=_l("规则 JSON（高级）"), required=False,
                           widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false"}),
                           help_text=_l("留空则基于当前生效版本。"))


class SanctionForm(forms.Form):
    kind = forms.ChoiceField(label=_l("措施"), choices=Sanction.Kind.choices)
    rule = forms.CharField(label=_l("依据"), max_length=200)
    reason = forms.CharField(label=_l("事由"), widget=forms.Textarea(attrs={"rows": 3}))
    daily_limit = forms.IntegerField(label=_l("每日发布上限"), required=False, min_value=1)
    features = forms.MultipleChoiceField(label=_l("限制的功能（限制功能时选择）"), required=False,
                                         choices=Sanction.Feature.choices,
                                         widget=forms.CheckboxSelectMultiple)
    days = forms.IntegerField(label=_l("期限（天，留空为长期）"), required=False, min_value=1,
                              max_value=3650)


# --- review queue ---------------------------------------------------------------------------

@staff_required("review.content")
def queue_view(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", ReviewItem.Status.OPEN)
    if status not in ReviewItem.Status.values:
        status = ReviewItem.Status.OPEN
    kind = request.GET.get("kind", "")
    kind = kind if kind in ReviewItem.Kind.values else ""
    items = selectors.review_queue(viewer=request.user, status=status, kind=kind)[:200]
    return render(request, "moderation/queue.html", {
        "items": items, "summary": selectors.queue_summary(viewer=request.user),
        "status": status, "kind": kind, "now": timezone.now(),
        "statuses": ReviewItem.Status.choices, "kinds": ReviewItem.Kind.choices})


@staff_required("review.content")
def item_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.review_item_get(viewer=request.user, item_id=pk)
    form = DecideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_decide(actor=request.user, item=item, **form.cleaned_data)
        except ServiceError as exc:
            if exc.status in (403, 404):
                raise
            add_service_error(form, exc)
        else:
            messages.success(request, _("已处理。"))
            return redirect("moderation:queue")
    target_url = ""
    model = item.content_type.model_class()
    if model is not None and model._meta.label_lower == "jobs.posting":
        target_url = f"/staff/jobs/{item.object_id}/"
    return render(request, "moderation/item.html", {
        "item": item, "form": form, "now": timezone.now(), "target_url": target_url,
        "explained": services.explain(item.screening) if item.screening else [],
        "reports": selectors.reports_for_item(viewer=request.user, item=item)})


# --- rule editor (MOD-6) --------------------------------------------------------------------

@staff_required("manage.rules")
def rules_view(request: HttpRequest) -> HttpResponse:
    services.live_rule_set()
    return render(request, "moderation/rules.html",
                  {"rule_sets": selectors.rule_sets(viewer=request.user)[:50]})


@staff_required("manage.rules")
def rule_new_view(request: HttpRequest) -> HttpResponse:
    live = services.live_rule_set()
    form = RuleDraftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            raw = form.cleaned_data["data"].strip()
            if raw:
                try:
                    data = json.loads(raw)
                except json.JSONDecodeError as exc:
                    raise ServiceError("invalid_json", _("JSON 格式错误：%(e)s") % {"e": exc},
                                       fields={"data": [_("JSON 格式错误：%(e)s") % {"e": exc}]}
                                       ) from exc
            else:
                data = live.data
            if form.cleaned_data["category"] and form.cleaned_data["words"].strip():
                data = services.add_words(data, category=form.cleaned_data["category"],
                                          words=form.cleaned_data["words"].splitlines())
            rule_set = services.rule_set_draft_create(
                actor=request.user, data=data, note=form.cleaned_data["note"],
                version=form.cleaned_data["version"])
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            services.rule_set_replay(actor=request.user, rule_set=rule_set)
            return redirect("moderation:rule", pk=rule_set.pk)
    return render(request, "moderation/rule_new.html", {"form": form, "live": live})


@staff_required("manage.rules")
def rule_view(request: HttpRequest, pk: int) -> HttpResponse:
    rule_set = selectors.rule_set_get(viewer=request.user, rule_set_id=pk)
    replay = rule_set.replay or {}
    rows = []
    before, after = replay.get("before") or {}, replay.get("after") or {}
    for category in CATEGORIES:
        b = (before.get("categories") or {}).get(category, {})
        a = (after.get("categories") or {}).get(category, {})
        if b or a:
            rows.append({"category": category, "before_p": b.get("precision"),
                         "after_p": a.get("precision"), "before_r": b.get("recall"),
                         "after_r": a.get("recall"), "support": a.get("support", 0)})
    return render(request, "moderation/rule.html", {
        "rule_set": rule_set, "replay": replay, "rows": rows, "before": before, "after": after,
        "data_json": json.dumps(rule_set.data, ensure_ascii=False, indent=1)[:200_000]})


@staff_required("manage.rules")
@require_POST
def rule_action_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    rule_set = selectors.rule_set_get(viewer=request.user, rule_set_id=pk)
    try:
        if action == "replay":
            services.rule_set_replay(actor=request.user, rule_set=rule_set)
            messages.success(request, _("已回放。"))
        elif action == "publish":
            services.rule_set_publish(actor=request.user, rule_set=rule_set)
            messages.success(request, _("规则版本 %(v)s 已生效。") % {"v": rule_set.version})
        else:
            raise NotFound(_("未知的操作。"))
    except ServiceError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.message)
    return redirect("moderation:rule", pk=pk)


# --- sanctions and case files (RISK-2, MOD-7) -----------------------------------------------

@staff_required("review.content")
def sanction_new_view(request: HttpRequest, org_id: int) -> HttpResponse:
    from pinqiao.orgs.selectors import organisation_for_reviewer

    organisation = organisation_for_reviewer(viewer=request.user, organisation_id=org_id)
    form = SanctionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sanction = services.sanction_impose(actor=request.user, organisation=organisation,
                                                **form.cleaned_data)
        except ServiceError as exc:
            if exc.status in (403, 404):
                raise
            add_service_error(form, exc)
        else:
            messages.success(request, _("封号已提交，须另一名审核员复核后生效。")
                             if sanction.status == Sanction.Status.PROPOSED
                             else _("处置已生效并记入信用记录。"))
            return redirect("moderation:sanction_new", org_id=org_id)
    return render(request, "moderation/sanction_new.html", {
        "organisation": organisation, "form": form,
        "sanctions": selectors.sanctions_for_organisation(viewer=request.user,
                                                          organisation=organisation)})


@staff_required("review.content")
def case_files_view(request: HttpRequest) -> HttpResponse:
    return render(request, "moderation/case_files.html",
                  {"case_files": selectors.case_files(viewer=request.user)[:200]})


@staff_required("review.content")
def case_file_view(request: HttpRequest, pk: int) -> HttpResponse:
    """MOD-7: the case file and its hand-over to the authorities."""
    case = selectors.case_file_get(viewer=request.user, case_id=pk)
    if request.method == "POST":
        try:
            services.case_file_submit(actor=request.user, case=case,
                                      authority=request.POST.get("authority", ""))
        except ServiceError as exc:
            if exc.status in (403, 404):
                raise
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已记录报送。"))
        return redirect("moderation:case_file", pk=pk)
    return render(request, "moderation/case_file.html", {
        "case": case, "evidence_json": json.dumps(case.evidence, ensure_ascii=False, indent=1)})
