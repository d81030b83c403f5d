"""Application forms: thin parsers; the services validate and explain."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pinqiao.applications.models import (
    CONFIGURABLE_STAGES,
    YES_NO_LABELS,
    OfferOutcome,
    QuestionKind,
    ScreeningQuestion,
)
from pinqiao.applications.selectors import PIPELINE_SORTS
from pinqiao.core.errors import ServiceError
from pinqiao.core.forms import add_service_error
from pinqiao.core.widgets import PlainSelect
from pinqiao.reference import taxonomy

KNOCKOUT_FILTERS = [("", _("全部")), ("met", _("符合必要条件")), ("not_met", _("不符合必要条件")),
                    ("none", _("未设必要条件"))]


class ApplyForm(forms.Form):
    """The screening questions (APP-7) and the two separate consents (PIPL Arts. 14, 23)."""

    consent_resume = forms.BooleanField(
        label=_("同意向该单位提供我的简历"), required=False,
        help_text=_("必选。该单位将可以查看您的在线简历，仅用于本次招聘；您可以随时在隐私设置中撤回。"))
    consent_contact = forms.BooleanField(
        label=_("同意向该单位提供我的联系方式"), required=False,
        help_text=_("可选。不同意时，对方看不到您的手机号和邮箱，只能通过平台与您联系。"))

    def __init__(self, *args: Any, questions: list[ScreeningQuestion], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            name = f"q_{question.pk}"
            if question.kind == QuestionKind.SHORT_TEXT:
                field: forms.Field = forms.CharField(
                    label=question.text, required=False, max_length=200,
                    widget=forms.TextInput(attrs={"maxlength": 200}))
            else:
                options = (list(YES_NO_LABELS.items()) if question.kind == QuestionKind.YES_NO
                           else [(c, c) for c in question.choices])
                field = forms.ChoiceField(label=question.text, required=False,
                                          choices=options, widget=forms.RadioSelect)
            field.widget.attrs["aria-required"] = "true" if question.required else "false"
            field.question = question  # type: ignore[attr-defined]
            self.fields[name] = field
        # The consents come last, after the questions.
        self.order_fields([f"q_{q.pk}" for q in questions]
                          + ["consent_resume", "consent_contact"])

    def answers(self) -> dict[str, str]:
        return {name[2:]: value for name, value in self.cleaned_data.items()
                if name.startswith("q_") and value}

    def question_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name.startswith("q_")]

    def show_refusal(self, exc: ServiceError) -> None:
        """The service names answers ``answers.<id>``; here they sit beside ``q_<id>``."""
        exc.fields = {(f"q_{k.split('.', 1)[1]}" if k.startswith("answers.") else k): v
                      for k, v in exc.fields.items()}
        add_service_error(self, exc)


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("问题类型"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("问题"), max_length=200)
    choices = forms.CharField(label=_("选项（单选题，每行一个）"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    knockout_answer = forms.CharField(
        label=_("期望回答（可选）"), required=False, max_length=60,
        help_text=_("是/否题填“是”或“否”，单选题填其中一个选项。只用于筛选，不会自动淘汰求职者。"))
    required = forms.BooleanField(label=_("必答"), required=False, initial=True)


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("移到阶段"))
    message = forms.CharField(label=_("给求职者的留言（可选）"), required=False, max_length=500,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = choices


class RejectForm(forms.Form):
    template = forms.ChoiceField(label=_("婉拒模板"), required=False)
    message = forms.CharField(label=_("或写下您的话（可选，填写后代替模板）"), required=False,
                              max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, templates: list[tuple[str, str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [(key, title) for key, title, _body in templates]


class NoteForm(forms.Form):
    body = forms.CharField(label=_("备注（仅本单位可见）"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class TagsForm(forms.Form):
    tags = forms.CharField(label=_("标签（用逗号或空格分隔）"), required=False, max_length=300)

    def names(self) -> list[str]:
        raw = self.cleaned_data["tags"].replace("，", ",").replace("、", ",")
        return [t for part in raw.split(",") for t in part.split()]


class OfferForm(forms.Form):
    position = forms.CharField(label=_("岗位"), max_length=60)
    pay_amount = forms.CharField(label=_("薪资（元）"), max_length=20)
    pay_unit = forms.ChoiceField(label=_("薪资单位"),
                                 choices=taxonomy.as_choices(taxonomy.PAY_UNITS))
    start_date = forms.CharField(label=_("入职日期"),
                                 widget=forms.DateInput(attrs={"type": "date"}))
    reply_by = forms.CharField(label=_("答复期限"),
                               widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("说明（可选）"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("入职结果"), choices=OfferOutcome.choices,
                                widget=forms.RadioSelect)


class PipelineStageRow(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    label = forms.CharField(label=_("阶段名称"), required=False, max_length=20)
    base_stage = forms.ChoiceField(label=_("对应阶段"),
                                   choices=[(s.value, s.label) for s in CONFIGURABLE_STAGES])


PipelineStageFormSet = forms.formset_factory(PipelineStageRow, extra=2, max_num=12)


class RejectionTemplateForm(forms.Form):
    title = forms.CharField(label=_("模板名称"), max_length=30)
    body = forms.CharField(label=_("内容"), max_length=500,
                           widget=forms.Textarea(attrs={"rows": 4}))


class FilterForm(forms.Form):
    """The pipeline filters (APP-2, APP-7); unknown values are ignored. Its selects are built
    as plain strings (``PlainSelect``): through Django's widget templates, one render per
    option, they were a tenth of the applicant list's CPU time (issue 14)."""

    posting = forms.TypedChoiceField(label=_("职位"), required=False, coerce=int,
                                     empty_value=None, widget=PlainSelect)
    stage = forms.ChoiceField(label=_("阶段"), required=False, widget=PlainSelect)
    tag = forms.TypedChoiceField(label=_("标签"), required=False, coerce=int, empty_value=None,
                                 widget=PlainSelect)
    knockout = forms.ChoiceField(label=_("必要条件"), required=False, choices=KNOCKOUT_FILTERS,
                                 widget=PlainSelect)
    education = forms.ChoiceField(
        label=_("最低学历"), required=False, widget=PlainSelect,
        choices=[("", _("不限"))] + [(c.value, c.label) for c in taxonomy.EDUCATION_LEVELS
                                    if c.value != "any"])
    sort = forms.ChoiceField(label=_("排序"), required=False, widget=PlainSelect)

    def __init__(self, *args: Any, postings: list[Any], stages: list[tuple[str, str]],
                 tags: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["posting"].choices = [("", _("全部职位"))] + [(p.pk, p.title)
                                                                 for p in postings]
        self.fields["stage"].choices = [("", _("全部阶段")), ("open", _("进行中"))] + stages
        self.fields["tag"].choices = [("", _("全部标签"))] + [(t.pk, t.name) for t in tags]
        self.fields["sort"].choices = list(PIPELINE_SORTS.items())
