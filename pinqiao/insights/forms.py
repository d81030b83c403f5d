"""Forms of the insights pages: the salary and trend filters, and the staff guide editor."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pinqiao.insights.models import GuideStatus


class SalaryFilterForm(forms.Form):
    function = forms.CharField(label=_("职能"), required=False, max_length=60,
                               widget=forms.TextInput(attrs={"list": "function-list"}),
                               help_text=_("从列表中选择职能，留空为全部职能"))
    city = forms.CharField(label=_("城市"), required=False, max_length=6,
                           widget=forms.TextInput(attrs={"list": "city-list"}),
                           help_text=_("从列表中选择城市，留空为全部城市"))


class GuideForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=80)
    slug = forms.CharField(label=_("网址标识"), max_length=60,
                           help_text=_("用于网址，只能使用小写字母、数字和连字符"))
    summary = forms.CharField(label=_("摘要"), max_length=200)
    body = forms.CharField(label=_("正文"), max_length=20000,
                           widget=forms.Textarea(attrs={"rows": 14}),
                           help_text=_("空一行分段；发布前按平台规则审核"))
    status = forms.ChoiceField(label=_("状态"), choices=GuideStatus.choices)
