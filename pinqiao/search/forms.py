"""The job-search filter form on the public page. It only renders (labels, choices, the
cascading location selects); ``params.parse_job_query`` parses, for the page and the API."""

from __future__ import annotations

from functools import cache
from typing import Any

from django import forms
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from pinqiao.core.widgets import CachedOptionsSelect
from pinqiao.reference import divisions, taxonomy
from pinqiao.search.params import (
    JOB_PAY_BANDS,
    PAY_UNIT_LABELS,
    POSTED_WITHIN,
    SORTS,
    JobQuery,
    pay_band_label,
)

_ANY = ("", _("全部"))


@cache
def _divisions(parent: str) -> tuple[tuple[str, str], ...]:
    items = divisions.children(parent) if parent else divisions.provinces()
    return (_ANY, *((d.code, d.name) for d in items))


@cache
def _industries() -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = [_ANY]
    for top in taxonomy.industries():
        children = taxonomy.industry_children(top.code)
        rows.append((top.name, [(top.code, _("%(name)s（全部）") % {"name": top.name})]
                     + [(c.code, c.name) for c in children]))
    return rows


@cache
def _functions() -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = [_ANY]
    for family in taxonomy.job_families():
        rows.append((family.name, [(family.slug, _("%(name)s（全部）") % {"name": family.name})]
                     + [(f.slug, f.name) for f in taxonomy.job_functions(family.slug)]))
    return rows


@cache
def _enum(items: tuple[taxonomy.Choice, ...]) -> tuple[tuple[str, Any], ...]:
    return (_ANY, *((c.value, c.label) for c in items))


def _pay_key(pay: str) -> str:
    """The option value of a ``pay`` parameter (monthly bands may come without their unit)."""
    return pay if not pay or ":" in pay else f"month:{pay}"


class JobSearchForm(forms.Form):
    """Every select renders its options from a cache (``CachedOptionsSelect``): the lists are
    fixed for a parent division and a language, so a search page costs one string replacement
    per select instead of hundreds of option templates (RET-3)."""

    q = forms.CharField(label=_("关键词"), required=False, widget=forms.TextInput(attrs={
        "type": "search", "maxlength": 100, "enterkeyhint": "search",
        "placeholder": _("职位、技能、公司或地点，如：Java 广州")}))
    province = forms.ChoiceField(label=_("省份"), required=False, widget=CachedOptionsSelect)
    city = forms.ChoiceField(label=_("城市"), required=False, widget=CachedOptionsSelect)
    district = forms.ChoiceField(label=_("区县"), required=False, widget=CachedOptionsSelect)
    industry = forms.ChoiceField(label=_("行业"), required=False, widget=CachedOptionsSelect)
    function = forms.ChoiceField(label=_("职能"), required=False, widget=CachedOptionsSelect)
    pay = forms.ChoiceField(
        label=_("薪资（按月薪／日薪／时薪）"), required=False, widget=CachedOptionsSelect,
        choices=[_ANY, *((PAY_UNIT_LABELS[unit], [(key, f"{PAY_UNIT_LABELS[unit]} {label}")
                                                  for key, label in bands.items()])
                         for unit, bands in JOB_PAY_BANDS.items())])
    experience = forms.ChoiceField(label=_("经验"), required=False, widget=CachedOptionsSelect)
    education = forms.ChoiceField(label=_("学历"), required=False, widget=CachedOptionsSelect)
    employment_type = forms.ChoiceField(label=_("用工类型"), required=False,
                                        widget=CachedOptionsSelect)
    posted_within = forms.ChoiceField(label=_("发布时间"), required=False,
                                      widget=CachedOptionsSelect,
                                      choices=[_ANY, *((str(k), v) for k, v in
                                                       POSTED_WITHIN.items())])
    sort = forms.ChoiceField(label=_("排序"), required=False, widget=CachedOptionsSelect,
                             choices=[("", _("默认")), *SORTS.items()])

    def __init__(self, query: JobQuery) -> None:
        super().__init__(initial={
            "q": query.q, "province": query.province, "city": query.city,
            "district": query.district, "industry": query.industry, "function": query.function,
            "pay": _pay_key(query.pay), "experience": query.experience,
            "education": query.education,
            "employment_type": query.employment_type,
            "posted_within": str(query.posted_within or ""), "sort": query.sort})
        province = query.province or (query.city[:2] + "0000" if query.city else "")
        city = query.city
        # Only real divisions get a list (and a cache entry) of their own.
        province = province if divisions.get(province) else ""
        city = city if divisions.get(city) else ""
        # The form only renders: the lists go straight to the widgets (no per-request
        # normalisation of hundreds of choices), and each list's markup is cached by its key.
        lists = {
            "province": _divisions(""),
            "city": _divisions(province) if province else (_ANY,),
            "district": _divisions(city) if city else (_ANY,),
            "industry": _industries(), "function": _functions(),
            "experience": _enum(taxonomy.EXPERIENCE_BANDS),
            "education": _enum(taxonomy.EDUCATION_LEVELS),
            "employment_type": _enum(taxonomy.EMPLOYMENT_TYPES)}
        keys = {"city": f"city:{province}", "district": f"district:{city}"}
        for name, field in self.fields.items():
            if name in lists:
                field.widget.choices = lists[name]
            field.widget.options_key = f"job-search:{keys.get(name, name)}"
        for name, target in (("province", "#id_city"), ("city", "#id_district")):
            self.fields[name].widget.attrs.update({
                "hx-get": "/jobs/divisions/", "hx-trigger": "change", "hx-target": target,
                "hx-vals": f'{{"field": "{name}"}}'})


def active_filters(query: JobQuery) -> list[tuple[str, tuple[str, ...]]]:
    """Each active filter as its chip text and the parameters that removing it clears
    (issue 15: the filters in use stay visible, as removable chips, while the sheet is shut)."""
    chips: list[tuple[str, tuple[str, ...]]] = []
    location = query.location
    if location is not None:
        chips.append((divisions.full_name(location.code) or location.name,
                      ("province", "city", "district")))
    if query.industry:
        industry = taxonomy.industry(query.industry)
        chips.append((industry.name if industry else query.industry, ("industry",)))
    if query.function:
        function = taxonomy.job_function(query.function)
        family = next((f for f in taxonomy.job_families() if f.slug == query.function), None)
        chips.append((function.name if function else family.name if family else query.function,
                      ("function",)))
    if query.pay:
        chips.append((pay_band_label(query.pay), ("pay", "pay_unit", "pay_min", "pay_max")))
    elif query.pay_min is not None or query.pay_max is not None:
        unit = PAY_UNIT_LABELS[query.pay_unit or "month"]
        if query.pay_min is not None and query.pay_max is not None:
            text = _g("%(unit)s %(low)s–%(high)s元") % {
                "unit": unit, "low": query.pay_min, "high": query.pay_max}
        elif query.pay_min is not None:
            text = _g("%(unit)s %(low)s元以上") % {"unit": unit, "low": query.pay_min}
        else:
            text = _g("%(unit)s %(high)s元以下") % {"unit": unit, "high": query.pay_max}
        chips.append((text, ("pay", "pay_unit", "pay_min", "pay_max")))
    for name, choices in (("experience", taxonomy.EXPERIENCE_BANDS),
                          ("education", taxonomy.EDUCATION_LEVELS),
                          ("employment_type", taxonomy.EMPLOYMENT_TYPES)):
        value = getattr(query, name)
        if value:
            chips.append((next((c.label for c in choices if c.value == value), value), (name,)))
    if query.posted_within:
        chips.append((_g("%(within)s发布") % {"within": POSTED_WITHIN[query.posted_within]},
                      ("posted_within",)))
    return chips
