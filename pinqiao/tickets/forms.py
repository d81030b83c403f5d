"""Forms of the desk pages; the services validate again and their refusals come back onto
these forms with the input kept."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pinqiao.moderation.models import Sanction
from pinqiao.tickets.models import REASON_CHOICES, STAFF_CHANNELS, FaqCategory, TicketCategory
from pinqiao.tickets.services import CONTENT_MAX, OUTCOME_MAX
from pinqiao.tickets.services.helpcentre import (
    BODY_MAX,
    CANNED_TITLE_MAX,
    CATEGORY_NAME_MAX,
    QUESTION_MAX,
    SUBJECT_MAX,
)

TARGET_CHOICES = [("posting", _("职位")), ("organisation", _("单位")), ("resume", _("简历")),
                  ("user", _("用户")), ("conversation", _("沟通会话"))]
USER_REASONS = [c for c in REASON_CHOICES if c[0] != "sanction_appeal"]
SCORE_CHOICES = [(i, str(i)) for i in range(5, 0, -1)]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):  # noqa: ANN001, ANN201
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ComplaintForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=[("complaint", _("投诉")),
                                                       ("report", _("举报"))])
    target_type = forms.ChoiceField(label=_("对象类型"), choices=TARGET_CHOICES)
    target_id = forms.CharField(label=_("对象编号"), max_length=40)
    reason_code = forms.ChoiceField(label=_("原因"), choices=USER_REASONS)
    content = forms.CharField(label=_("投诉内容"), widget=forms.Textarea(attrs={"rows": 6}),
                              help_text=_("请写明时间、经过；最多 %(n)s 字。") % {"n": CONTENT_MAX})
    desired_outcome = forms.CharField(label=_("您的诉求"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}),
                                      help_text=_("最多 %(n)s 字。") % {"n": OUTCOME_MAX})
    contact = forms.CharField(label=_("联系电话"), required=False, max_length=40,
                              help_text=_("仅平台工作人员可见，不会告知被投诉方。"))
    files = MultipleFileField(label=_("证据（PDF、PNG、JPEG，最多 5 个）"), required=False)


class IntakeForm(ComplaintForm):
    channel = forms.ChoiceField(label=_("受理渠道"),
                                choices=[(c.value, c.label) for c in STAFF_CHANNELS])
    name = forms.CharField(label=_("投诉人姓名"), max_length=40)
    intake_form = forms.FileField(label=_("签字登记表（来访、信函必传）"), required=False)

    field_order = ["channel", "name", "contact"]

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["contact"].required = True
        self.fields["contact"].help_text = ""


class ResolveForm(forms.Form):
    upheld = forms.TypedChoiceField(label=_("结论"), coerce=lambda v: v == "yes",
                                    choices=[("yes", _("投诉成立")), ("no", _("投诉不成立"))])
    finding = forms.CharField(label=_("查明的事实（被投诉方可见，不得写入投诉人信息）"),
                              widget=forms.Textarea(attrs={"rows": 3}))
    result = forms.CharField(label=_("处理结果（告知投诉人）"),
                             widget=forms.Textarea(attrs={"rows": 3}))
    remove_target = forms.BooleanField(label=_("下架被投诉内容"), required=False)
    sanction_kind = forms.ChoiceField(label=_("处置被投诉单位"), required=False,
                                      choices=[("", _("不处置")), *[
                                          c for c in Sanction.Kind.choices]])
    rule = forms.CharField(label=_("处置依据"), required=False, max_length=200)
    daily_limit = forms.IntegerField(label=_("每日发布上限（限制发布数量时填写）"), required=False,
                                     min_value=1)
    features = forms.MultipleChoiceField(label=_("限制的功能（限制功能时选择）"), required=False,
                                         choices=Sanction.Feature.choices,
                                         widget=forms.CheckboxSelectMultiple)
    days = forms.IntegerField(label=_("期限（天，留空为长期）"), required=False, min_value=1,
                              max_value=3650)


class AssignForm(forms.Form):
    handler = forms.IntegerField(label=_("经办人编号"), min_value=1)


class ReferForm(forms.Form):
    authority = forms.CharField(label=_("移送的主管部门"), max_length=200)
    note = forms.CharField(label=_("移送说明"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class DisputeForm(forms.Form):
    reason = forms.CharField(label=_("对处理结果的异议"), widget=forms.Textarea(attrs={"rows": 3}))


class RatingForm(forms.Form):
    satisfaction = forms.TypedChoiceField(label=_("总体满意度"), choices=SCORE_CHOICES,
                                          coerce=int)
    process = forms.TypedChoiceField(label=_("处理流程"), choices=SCORE_CHOICES, coerce=int)
    efficiency = forms.TypedChoiceField(label=_("处理效率"), choices=SCORE_CHOICES, coerce=int)
    result = forms.TypedChoiceField(label=_("处理结果"), choices=SCORE_CHOICES, coerce=int)
    attitude = forms.TypedChoiceField(label=_("服务态度"), choices=SCORE_CHOICES, coerce=int)
    comment = forms.CharField(label=_("意见建议"), required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class AppealForm(forms.Form):
    content = forms.CharField(label=_("申诉理由"), widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=_("最多 %(n)s 字。") % {"n": CONTENT_MAX})
    desired_outcome = forms.CharField(label=_("申诉请求"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    files = MultipleFileField(label=_("证明材料（PDF、PNG、JPEG）"), required=False)



# --- the help centre (TKT-8) -------------------------------------------------------------------

class TicketForm(forms.Form):
    category = forms.ChoiceField(label=_("问题分类"), choices=TicketCategory.choices)
    subject = forms.CharField(label=_("标题"), max_length=SUBJECT_MAX)
    body = forms.CharField(label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("请写明遇到的问题和发生的时间；最多 %(n)s 字。")
                           % {"n": BODY_MAX})
    files = MultipleFileField(label=_("附件（PDF、PNG、JPEG，最多 5 个）"), required=False)


class TicketReplyForm(forms.Form):
    body = forms.CharField(label=_("回复内容"), widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(label=_("附件（PDF、PNG、JPEG）"), required=False)


class TicketReopenForm(forms.Form):
    body = forms.CharField(label=_("仍未解决的问题"), widget=forms.Textarea(attrs={"rows": 3}))


class StaffReplyForm(forms.Form):
    canned = forms.TypedChoiceField(label=_("常用回复"), required=False, coerce=int,
                                    empty_value=None, choices=[])
    body = forms.CharField(label=_("回复内容（可修改后发送）"), required=False,
                           widget=forms.Textarea(attrs={"rows": 6}))
    close = forms.BooleanField(label=_("回复后关闭工单"), required=False)

    def __init__(self, *args, canned_choices: list[tuple[int, str]] = (), **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["canned"].choices = [("", _("— 选择后点「插入」 —")), *canned_choices]


class ConvertForm(forms.Form):
    target_type = forms.ChoiceField(label=_("被投诉对象类型"), choices=TARGET_CHOICES)
    target_id = forms.CharField(label=_("对象编号"), max_length=40)
    reason_code = forms.ChoiceField(label=_("投诉原因"), choices=USER_REASONS)
    desired_outcome = forms.CharField(label=_("投诉人诉求"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))


class FaqForm(forms.Form):
    category = forms.ModelChoiceField(label=_("分类"), queryset=FaqCategory.objects.all(),
                                      empty_label=_("请选择"))
    question = forms.CharField(label=_("问题"), max_length=QUESTION_MAX)
    answer = forms.CharField(label=_("解答"), widget=forms.Textarea(attrs={"rows": 8}))
    published = forms.BooleanField(label=_("公开"), required=False, initial=True)
    position = forms.IntegerField(label=_("排序（小的在前）"), min_value=0, initial=0)
    note = forms.CharField(label=_("修改说明"), required=False, max_length=200)


class FaqCategoryForm(forms.Form):
    name = forms.CharField(label=_("分类名称"), max_length=CATEGORY_NAME_MAX)
    position = forms.IntegerField(label=_("排序（小的在前）"), min_value=0, initial=0)


class CannedForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=CANNED_TITLE_MAX)
    body = forms.CharField(label=_("回复内容"), widget=forms.Textarea(attrs={"rows": 6}))
    category = forms.ChoiceField(label=_("适用分类"), required=False,
                                 choices=[("", _("全部分类")), *TicketCategory.choices])
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)
