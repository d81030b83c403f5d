"""The talent-search filter form on the recruiter page. It only renders (labels, choices, the
cascading province → city select); ``params.parse_talent_query`` parses, for the page and the
API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pinqiao.orgs.models import Organisation
from pinqiao.reference import divisions, taxonomy
from pinqiao.search.params import PAY_BANDS
from pinqiao.search.talent.params import SORTS, UPDATED_WITHIN, TalentQuery

_ANY = ("", _("全部"))


def _functions() -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = [_ANY]
    for family in taxonomy.job_families():
        rows.append((family.name, [(family.slug, _("%(name)s（全部）") % {"name": family.name})]
                     + [(f.slug, f.name) for f in taxonomy.job_functions(family.slug)]))
    return rows


class TalentSearchForm(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, widget=forms.TextInput(attrs={
        "type": "search", "maxlength": 100, "enterkeyhint": "search",
        "placeholder": _("职位、技能、证书、公司或学校，如：Python 广州")}))
    organisation = forms.ChoiceField(label=_("以哪个单位搜索"), required=False)
    province = forms.ChoiceField(label=_("期望省份"), required=False)
    city = forms.ChoiceField(label=_("期望城市"), required=False)
    function = forms.ChoiceField(label=_("期望职能"), required=False)
    experience = forms.ChoiceField(label=_("工作经验"), required=False)
    education = forms.ChoiceField(label=_("最低学历"), required=False)
    pay = forms.ChoiceField(label=_("期望月薪"), required=False,
                            choices=[_ANY, *PAY_BANDS.items()])
    updated_within = forms.ChoiceField(label=_("简历更新"), required=False,
                                       choices=[_ANY, *((str(k), v) for k, v in
                                                        UPDATED_WITHIN.items())])
    sort = forms.ChoiceField(label=_("排序"), required=False,
                             choices=[("", _("默认")), *SORTS.items()])

    def __init__(self, query: TalentQuery, *, organisation: Organisation,
                 organisations: list[Organisation]) -> None:
        super().__init__(initial={
            "q": query.q, "organisation": str(organisation.pk), "province": query.province,
            "city": query.city, "function": query.function, "experience": query.experience,
            "education": query.education, "pay": query.pay,
            "updated_within": str(query.updated_within or ""), "sort": query.sort})
        if len(organisations) > 1:
            self.fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]
        else:
            del self.fields["organisation"]
        province = query.province or (query.city[:2] + "0000" if query.city else "")
        self.fields["province"].choices = [_ANY, *((d.code, d.name)
                                                   for d in divisions.provinces())]
        self.fields["city"].choices = [_ANY, *((d.code, d.name) for d in
                                               divisions.children(province))] \
            if province else [_ANY]
        self.fields["function"].choices = _functions()
        self.fields["experience"].choices = [_ANY, *((c.value, c.label) for c in
                                                     taxonomy.EXPERIENCE_BANDS[1:])]
        self.fields["education"].choices = [_ANY, *(
            (c.value, _("%(label)s及以上") % {"label": c.label})
            for c in taxonomy.EDUCATION_LEVELS[2:])]
        self.fields["province"].widget.attrs.update({
            "hx-get": "/jobs/divisions/", "hx-trigger": "change", "hx-target": "#id_city",
            "hx-vals": '{"field": "province"}'})
