from django import forms
from django.utils.translation import gettext_lazy as _

from pinqiao.rights.models import RefusalReason, RetentionAction
from pinqiao.rights.requests import DETAILS_MAX, MANUAL_KINDS


class RightsRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("请求类型"),
                             choices=[(k.value, k.label) for k in MANUAL_KINDS])
    details = forms.CharField(label=_("请求说明"), max_length=DETAILS_MAX, widget=forms.Textarea(
        attrs={"rows": 3}), help_text=_("例如：需要查阅哪些信息、哪项信息有误以及正确内容。"))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复"), max_length=DETAILS_MAX,
                             widget=forms.Textarea(attrs={"rows": 3}))
    refusal_reason = forms.ChoiceField(
        label=_("不予办理的理由（选填；选择即为拒绝）"), required=False,
        choices=[("", _("—— 同意办理 ——")), *RefusalReason.choices])


class RetentionRuleForm(forms.Form):
    days = forms.IntegerField(label=_("保存天数"), min_value=1, max_value=36500)
    action = forms.ChoiceField(label=_("到期处理"), choices=RetentionAction.choices)


class BreachForm(forms.Form):
    title = forms.CharField(label=_("事件名称"), max_length=120)
    occurred_at = forms.DateTimeField(label=_("发生时间"), widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}))
    description = forms.CharField(label=_("事件经过"), max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    data_involved = forms.CharField(label=_("涉及的个人信息种类"), max_length=300)
    measures = forms.CharField(label=_("已采取的补救措施"), max_length=5000,
                               widget=forms.Textarea(attrs={"rows": 2}))
    advice = forms.CharField(label=_("个人可以采取的措施"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class BreachNoticeForm(forms.Form):
    usernames = forms.CharField(label=_("受影响的用户名（每行一个）"),
                                widget=forms.Textarea(attrs={"rows": 3}))


class BreachReportForm(forms.Form):
    report = forms.CharField(label=_("向监管部门的报告（报送部门、时间、文号或摘要）"),
                             max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
