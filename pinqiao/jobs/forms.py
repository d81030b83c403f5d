"""Posting forms: thin parsers; the services validate (JOB-1 field-by-field messages)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pinqiao.jobs.models import MAX_VALIDITY_DAYS, PostingMode, RemovalReason
from pinqiao.moderation.models import ReportReason
from pinqiao.reference import divisions, taxonomy


def _blank(choices: list[tuple[str, str]], label: str = "—") -> list[tuple[str, str]]:
    return [("", label), *choices]


def industry_choices() -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = [("", "—")]
    for top in taxonomy.industries():
        children = taxonomy.industry_children(top.code)
        if children:
            rows.append((top.name, [(top.code, top.name + "（其他）")]
                         + [(c.code, c.name) for c in children]))
        else:
            rows.append((top.code, top.name))
    return rows


def function_choices() -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = [("", "—")]
    for family in taxonomy.job_families():
        rows.append((family.name, [(f.slug, f.name) for f in taxonomy.job_functions(family.slug)]))
    return rows


def division_choices(parent: str = "") -> list[tuple[str, str]]:
    items = divisions.children(parent) if parent else divisions.provinces()
    return _blank([(d.code, d.name) for d in items])


class PostingForm(forms.Form):
    """All fields optional here: a draft may be incomplete; submission checks completeness."""

    title = forms.CharField(label=_("职位名称"), required=False,
                            widget=forms.TextInput(attrs={"maxlength": 200}))
    headcount = forms.CharField(label=_("招聘人数"), required=False,
                                widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}))
    employment_type = forms.ChoiceField(
        label=_("用工类型"), required=False,
        choices=_blank(taxonomy.as_choices(taxonomy.EMPLOYMENT_TYPES)))
    job_function = forms.ChoiceField(label=_("职能"), required=False, choices=function_choices)
    industry = forms.ChoiceField(label=_("行业"), required=False, choices=industry_choices)
    requirements = forms.CharField(label=_("招聘条件"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 4}),
                                   help_text=_("学历、技能、证书等；不得含性别、民族、户籍等歧视性条件。"))
    education = forms.ChoiceField(label=_("学历要求"), required=False,
                                  choices=taxonomy.as_choices(taxonomy.EDUCATION_LEVELS))
    experience = forms.ChoiceField(label=_("经验要求"), required=False,
                                   choices=taxonomy.as_choices(taxonomy.EXPERIENCE_BANDS))
    work_content = forms.CharField(label=_("工作内容"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 5}))
    working_hours = forms.CharField(label=_("工作时间"), required=False,
                                    help_text=_("如：做五休二，9:00-18:00"))
    social_insurance = forms.CharField(label=_("社会保险"), required=False,
                                       help_text=_("如：入职缴纳五险一金"))
    housing = forms.CharField(label=_("食宿条件"), required=False)
    province = forms.ChoiceField(label=_("省份"), required=False, choices=division_choices)
    city = forms.ChoiceField(label=_("城市"), required=False, choices=[("", "—")])
    division_code = forms.ChoiceField(label=_("区县"), required=False, choices=[("", "—")])
    address = forms.CharField(label=_("详细地址"), required=False)
    pay_min = forms.CharField(label=_("最低薪资（元）"), required=False,
                              widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    pay_max = forms.CharField(label=_("最高薪资（元）"), required=False,
                              widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    pay_unit = forms.ChoiceField(label=_("薪资单位"), required=False,
                                 choices=_blank(taxonomy.as_choices(taxonomy.PAY_UNITS)))
    valid_until = forms.CharField(label=_("有效期至"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"},
                                                         format="%Y-%m-%d"),
                                  help_text=_("默认30天，最长%(n)s天。") % {"n": MAX_VALIDITY_DAYS})
    seeker_fee_charged = forms.BooleanField(label=_("向求职者收费（仅代招）"), required=False)
    seeker_fee_statement = forms.CharField(
        label=_("收费说明（仅代招）"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("是否收费、收费项目及标准，将在职位页公示。"))
    repost_source_name = forms.CharField(label=_("转载来源"), required=False,
                                         help_text=_("转载其他渠道的职位时必须注明来源。"))
    repost_source_url = forms.CharField(label=_("来源链接"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        code = (self.data.get("division_code") if self.is_bound
                else self.initial.get("division_code")) or ""
        division = divisions.get(code) if code else None
        city = divisions.city_of(code) if division else None
        province = divisions.province_of(code) if division else None
        province_code = (self.data.get("province") if self.is_bound else "") or (
            province.code if province else "")
        city_code = (self.data.get("city") if self.is_bound else "") or (
            city.code if city else "")
        if province_code:
            self.fields["city"].choices = division_choices(province_code)
        if city_code:
            self.fields["division_code"].choices = division_choices(city_code)
        if not self.is_bound:
            self.initial.setdefault("province", province_code)
            self.initial.setdefault("city", city_code)
        for name in ("province", "city"):
            self.fields[name].widget.attrs.update({
                "hx-get": "/jobs/divisions/", "hx-trigger": "change",
                "hx-target": "#id_city" if name == "province" else "#id_division_code",
                "hx-vals": f'{{"field": "{name}"}}'})

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("province", None)
        data.pop("city", None)
        return data


class NewPostingForm(forms.Form):
    organisation = forms.ChoiceField(label=_("发布单位"))
    mode = forms.ChoiceField(label=_("招聘方式"), choices=PostingMode.choices)
    client_authorisation = forms.ChoiceField(label=_("委托证明（代招）"), required=False)

    def __init__(self, *args: Any, organisations: list, clients: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]
        self.fields["client_authorisation"].choices = _blank(
            [(str(c.pk), f"{c.agency.name} → {c.client_name}") for c in clients])


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("举报原因"), choices=ReportReason.choices,
                               widget=forms.RadioSelect)
    detail = forms.CharField(label=_("补充说明"), required=False, max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class RemoveForm(forms.Form):
    reason_code = forms.ChoiceField(label=_("下架原因"), choices=RemovalReason.choices)
    note = forms.CharField(label=_("说明"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class RenewForm(forms.Form):
    valid_until = forms.DateField(label=_("新的有效期"),
                                  widget=forms.DateInput(attrs={"type": "date"}))
