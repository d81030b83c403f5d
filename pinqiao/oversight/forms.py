"""Forms of the regulator's pages: filters, exports, draws, inspectors, findings."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pinqiao.oversight import exports, selectors
from pinqiao.oversight.models import Outcome, SampleKind, Weighting


class FilterForm(forms.Form):
    date_from = forms.DateField(label=_("开始日期"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("结束日期"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))
    city = forms.CharField(label=_("城市"), required=False, max_length=6,
                           widget=forms.TextInput(attrs={"list": "city-list"}),
                           help_text=_("从列表中选择城市（6 位行政区划代码，如 440100 广州市）"))
    industry = forms.CharField(label=_("行业"), required=False, max_length=40,
                               widget=forms.TextInput(attrs={"list": "industry-list"}),
                               help_text=_("可从列表中选择"))


class ExportForm(FilterForm):
    dataset = forms.ChoiceField(label=_("数据集"), choices=[
        *((key, name) for key, (name, _builder) in exports.DATASETS.items()),
        ("annual", _("年度报告数据"))])
    year = forms.IntegerField(label=_("年度（年度报告数据）"), required=False)
    fmt = forms.ChoiceField(label=_("格式"), choices=list(exports.FORMATS.items()))
    reason = forms.CharField(label=_("导出事由（必填）"), required=False, max_length=600,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("导出将记入审计日志，请写明用途，如“2026年第三季度双随机检查”。"))


class DrawForm(forms.Form):
    title = forms.CharField(label=_("抽查任务名称"), max_length=100)
    kind = forms.ChoiceField(label=_("抽查对象"), choices=SampleKind.choices)
    size = forms.IntegerField(label=_("抽取数量"), min_value=1)
    weighting = forms.ChoiceField(label=_("抽取方式"), choices=Weighting.choices,
                                  initial=Weighting.RISK)
    min_risk_score = forms.IntegerField(label=_("最低风险分（0 表示不限）"), min_value=0,
                                        max_value=100, initial=0)
    seed = forms.IntegerField(label=_("随机种子（留空自动生成；填写已有种子可复现抽取）"),
                              required=False, min_value=0)


class InspectorsForm(forms.Form):
    inspectors = forms.ModelMultipleChoiceField(
        label=_("检查人员（从中随机分配）"), queryset=selectors.inspectors(),
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["inspectors"].label_from_instance = (
            lambda user: user.display_name or user.email or user.username)


class FindingForm(forms.Form):
    outcome = forms.ChoiceField(label=_("检查结果"), choices=[
        (value, label) for value, label in Outcome.choices if value != Outcome.PENDING])
    finding = forms.CharField(label=_("检查情况"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))
