"""Interview forms. Times are typed in the interview's time zone and become aware datetimes
here; the services store them in UTC."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from pinqiao.interviews.models import CRITERIA, DEFAULT_TIME_ZONE, Mode, Recommendation
from pinqiao.interviews.services import Proposal, zone_get
from pinqiao.interviews.zones import ZONE_NAMES, zone_label

SLOT_FIELDS = 6
QUESTION_FIELDS = 5
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"

#: Zones offered on the page by their Chinese names (the API takes any IANA zone).
TIME_ZONES = [(name, lazy(zone_label, str)(name)) for name in ZONE_NAMES]

DURATIONS = [(m, _("%(m)s 分钟") % {"m": m}) for m in (30, 45, 60, 90, 120, 180)]


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=LOCAL_FORMAT, **kwargs)


def local_datetime_field(label: str, *, required: bool = False) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, required=required, input_formats=[LOCAL_FORMAT],
                               widget=LocalDateTimeInput())


def in_zone(value: datetime, zone_name: str) -> datetime:
    """The wall-clock time ``value`` (as typed) in ``zone_name``, whatever zone Django's form
    field attached."""
    return value.replace(tzinfo=None).replace(tzinfo=zone_get(zone_name))


class SlotsMixin:
    """``slot_1`` … ``slot_6``: start times in the chosen zone."""

    def slot_names(self) -> list[str]:
        return [f"slot_{i}" for i in range(1, SLOT_FIELDS + 1)]

    def slot_fields(self) -> list[Any]:
        return [self[name] for name in self.slot_names()]  # type: ignore[index]

    def slots(self, zone_name: str) -> list[datetime]:
        data = self.cleaned_data  # type: ignore[attr-defined]
        return [in_zone(data[n], zone_name) for n in self.slot_names() if data.get(n)]


def _add_slot_fields(form_class: type) -> None:
    for i in range(1, SLOT_FIELDS + 1):
        form_class.base_fields[f"slot_{i}"] = local_datetime_field(
            str(_("可选时间 %(i)s")) % {"i": i}, required=False)


class ProposeForm(SlotsMixin, forms.Form):
    title = forms.CharField(label=_("面试轮次"), max_length=40, initial="初试")
    mode = forms.ChoiceField(label=_("面试方式"), choices=Mode.choices)
    location = forms.CharField(label=_("地点或说明"), max_length=200, required=False,
                               help_text=_("现场面试请填写详细地址；电话面试可说明由谁拨打。"))
    duration_minutes = forms.TypedChoiceField(label=_("面试时长"), choices=DURATIONS, coerce=int,
                                              initial=60)
    time_zone = forms.ChoiceField(label=_("时区"), choices=TIME_ZONES, initial=DEFAULT_TIME_ZONE)
    note = forms.CharField(label=_("面试须知"), max_length=1000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def proposal(self) -> Proposal:
        data = self.cleaned_data
        return Proposal(mode=data["mode"], slots=self.slots(data["time_zone"]),
                        title=data["title"], location=data["location"],
                        duration_minutes=data["duration_minutes"], time_zone=data["time_zone"],
                        note=data["note"])


_add_slot_fields(ProposeForm)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))


class RecruiterRescheduleForm(SlotsMixin, ReasonForm):
    pass


_add_slot_fields(RecruiterRescheduleForm)


class SlotsForm(SlotsMixin, forms.Form):
    pass


_add_slot_fields(SlotsForm)


class PickForm(forms.Form):
    slot = forms.TypedChoiceField(label=_("面试时间"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args: Any, slot_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = slot_choices

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.is_bound and len(self.data.getlist(self.add_prefix("slot"))) > 1:
            raise forms.ValidationError(_("只能选择一个面试时间。"))
        return cleaned


class CheckinCodeForm(forms.Form):
    code = forms.CharField(label=_("签到码"), max_length=6, min_length=6,
                           widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                         "autocomplete": "off"}))


class WrittenTestForm(forms.Form):
    deadline = local_datetime_field(_("截止时间"), required=True)
    instructions = forms.CharField(label=_("说明"), max_length=500, required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, QUESTION_FIELDS + 1):
            self.fields[f"question_{i}"] = forms.CharField(
                label=str(_("题目 %(i)s")) % {"i": i}, max_length=1000, required=i == 1,
                widget=forms.Textarea(attrs={"rows": 2}))

    def questions(self) -> list[str]:
        return [self.cleaned_data[f"question_{i}"] for i in range(1, QUESTION_FIELDS + 1)
                if self.cleaned_data.get(f"question_{i}")]


class WrittenAnswerForm(forms.Form):
    def __init__(self, *args: Any, questions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in questions:
            self.fields[f"answer_{question.pk}"] = forms.CharField(
                label=f"{question.position}. {question.text}", max_length=5000,
                widget=forms.Textarea(attrs={"rows": 4}))

    def answers(self) -> dict[int, str]:
        return {int(name.removeprefix("answer_")): value
                for name, value in self.cleaned_data.items()}


SCORES = [(i, str(i)) for i in range(1, 6)]


class ScorecardForm(forms.Form):
    recommendation = forms.ChoiceField(label=_("结论"), choices=Recommendation.choices)
    comment = forms.CharField(label=_("评语"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        criteria = {name: forms.TypedChoiceField(label=label, choices=SCORES, coerce=int,
                                                 widget=forms.RadioSelect)
                    for name, label in CRITERIA}
        self.fields = {**criteria, **self.fields}

    def scores(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name, _label in CRITERIA}


class EvaluationForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("总体评价（1–5 分）"), choices=SCORES, coerce=int,
                                    widget=forms.RadioSelect)
    comment = forms.CharField(label=_("评价内容"), max_length=1000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    fee_requested = forms.BooleanField(label=_("面试中被要求缴纳费用（押金、培训费、体检费等）"),
                                       required=False)
    job_differs = forms.BooleanField(label=_("岗位、薪资或工作内容与发布信息不符"),
                                     required=False)
