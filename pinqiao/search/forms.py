"""The job-search filter form on the public page. It only renders (labels, choices, the
cascading location selects); ``params.parse_job_query`` parses, for the page and the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pinqiao.reference import divisions, taxonomy
from pinqiao.search.params import PAY_BANDS, POSTED_WITHIN, SORTS, JobQuery

_ANY = ("", _("全部"))


def _divisions(parent: str) -> list[tuple[str, str]]:
    items = divisions.children(parent) if parent else divisions.provinces()
    return [_ANY, *((d.code, d.name) for d in items)]


def _industries() -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = [_ANY]
    for top in taxonomy.industries():
        children = taxonomy.industry_children(top.code)
        rows.append((top.name, [(top.code, _("%(name)s（全部）") % {"name": top.name})]
                     + [(c.code, c.name) for c in children]))
    return rows


def _functions() -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = [_ANY]
    for family in taxonomy.job_families():
        rows.append((family.name, [(family.slug, _("%(name)s（全部）") % {"name": family.name})]
                     + [(f.slug, f.name) for f in taxonomy.job_functions(family.slug)]))
    return rows


def _enum(items: tuple[taxonomy.Choice, ...]) -> list[tuple[str, str]]:
    return [_ANY, *((c.value, c.label) for c in items)]


class JobSearchForm(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, widget=forms.TextInput(attrs={
        "type": "search", "maxlength": 100, "enterkeyhint": "search",
        "placeholder": _("职位、技能、公司或地点，如：Java 广州")}))
    province = forms.ChoiceField(label=_("省份"), required=False)
    city = forms.ChoiceField(label=_("城市"), required=False)
    district = forms.ChoiceField(label=_("区县"), required=False)
    industry = forms.ChoiceField(label=_("行业"), required=False)
    function = forms.ChoiceField(label=_("职能"), required=False)
    pay = forms.ChoiceField(label=_("月薪"), required=False,
                            choices=[_ANY, *PAY_BANDS.items()])
    experience = forms.ChoiceField(label=_("经验"), required=False)
    education = forms.ChoiceField(label=_("学历"), required=False)
    employment_type = forms.ChoiceField(label=_("用工类型"), required=False)
    posted_within = forms.ChoiceField(label=_("发布时间"), required=False,
                                      choices=[_ANY, *((str(k), v) for k, v in
                                                       POSTED_WITHIN.items())])
    sort = forms.ChoiceField(label=_("排序"), required=False,
                             choices=[("", _("默认")), *SORTS.items()])

    def __init__(self, query: JobQuery) -> None:
        super().__init__(initial={
            "q": query.q, "province": query.province, "city": query.city,
            "district": query.district, "industry": query.industry, "function": query.function,
            "pay": query.pay, "experience": query.experience, "education": query.education,
            "employment_type": query.employment_type,
            "posted_within": str(query.posted_within or ""), "sort": query.sort})
        province = query.province or (query.city[:2] + "0000" if query.city else "")
        city = query.city
        self.fields["province"].choices = _divisions("")
        self.fields["city"].choices = _divisions(province) if province else [_ANY]
        self.fields["district"].choices = _divisions(city) if city else [_ANY]
        self.fields["industry"].choices = _industries()
        self.fields["function"].choices = _functions()
        self.fields["experience"].choices = _enum(taxonomy.EXPERIENCE_BANDS)
        self.fields["education"].choices = _enum(taxonomy.EDUCATION_LEVELS)
        self.fields["employment_type"].choices = _enum(taxonomy.EMPLOYMENT_TYPES)
        for name, target in (("province", "#id_city"), ("city", "#id_district")):
            self.fields[name].widget.attrs.update({
                "hx-get": "/jobs/divisions/", "hx-trigger": "change", "hx-target": target,
                "hx-vals": f'{{"field": "{name}"}}'})
