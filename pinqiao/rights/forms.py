from django import forms
from django.utils.translation import gettext_lazy as _

from pinqiao.recommendations.models import Algorithm
from pinqiao.rights.models import (
    AssessmentKind,
    DestinationKind,
    DestinationRegion,
    RefusalReason,
    RetentionAction,
)
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


class AssessmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("评估事项"), choices=AssessmentKind.choices)
    title = forms.CharField(label=_("处理活动"), max_length=120)
    algorithm = forms.ModelChoiceField(label=_("对应的算法登记（自动化决策必填）"),
                                       queryset=Algorithm.objects.all(), required=False)
    purpose = forms.CharField(label=_("处理目的、方式是否合法、正当、必要"), max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 2}))
    impact = forms.CharField(label=_("对个人权益的影响及安全风险"), max_length=5000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    measures = forms.CharField(label=_("保护措施是否合法、有效并与风险程度相适应"),
                               max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    conclusion = forms.CharField(label=_("评估结论"), max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    review_on = forms.DateField(label=_("复评日期"), widget=forms.DateInput(
        attrs={"type": "date"}))


class DestinationForm(forms.Form):
    kind = forms.ChoiceField(label=_("导出途径"), choices=DestinationKind.choices)
    target = forms.CharField(label=_("目的地"), max_length=300, help_text=_(
        "备份目录的路径（相对路径从项目目录算起），接口的地址（如 https://api.example.cn），"
        "或报送渠道代号。"))
    name = forms.CharField(label=_("名称"), max_length=120)
    recipient = forms.CharField(label=_("接收方"), max_length=120)
    region = forms.ChoiceField(label=_("所在地"), choices=DestinationRegion.choices,
                               help_text=_("境外目的地只登记、不启用：平台未开通个人信息出境。"))
    basis = forms.CharField(label=_("依据"), max_length=300)
