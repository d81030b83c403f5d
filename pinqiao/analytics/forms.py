"""The dashboard's filter (date range, city, industry) and the export form (a reason)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pinqiao.analytics.models import ALL
from pinqiao.reference import divisions, taxonomy

#: The longest range a dashboard or export covers at once.
MAX_RANGE_DAYS = 366
DEFAULT_RANGE_DAYS = 30


def city_choices() -> list[tuple[str, str]]:
    """Every city-level division, named with its province (the long list the form checks
    against; the page offers it through a ``<datalist>``-free select of cities with figures)."""
    return [(ALL, str(_("全部城市")))] + [
        (d.code, divisions.full_name(d.code) or d.name)
        for province in divisions.provinces() for d in divisions.children(province.code)
        if d.level == "city"]


def industry_choices() -> list[tuple[str, str]]:
    return [(ALL, str(_("全部行业")))] + [(i.code, f"{i.code} {i.name}")
                                         for i in taxonomy.industries()]


def city_name(code: str) -> str:
    if code == ALL:
        return str(_("全部城市"))
    if not code:
        return str(_("未注明城市"))
    return divisions.full_name(code) or code


def industry_name(code: str) -> str:
    if code == ALL:
        return str(_("全部行业"))
    found = taxonomy.industry(code) if code else None
    return found.name if found is not None else str(_("未注明行业"))


class FigureFilter(forms.Form):
    """``start``/``end`` (inclusive, at most a year apart), ``city`` (a city-level division
    code or 「全部」) and ``industry`` (a GB/T 4754 门类 letter or 「全部」)."""

    start = forms.DateField(label=_("开始日期"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}),
                            error_messages={"invalid": _("请按 YYYY-MM-DD 填写开始日期。")})
    end = forms.DateField(label=_("结束日期"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}),
                          error_messages={"invalid": _("请按 YYYY-MM-DD 填写结束日期。")})
    city = forms.CharField(label=_("城市（代码）"), required=False, max_length=6,
                           help_text=_("六位城市代码，如 440100（广州市）；留空为全部城市。"))
    industry = forms.CharField(label=_("行业"), required=False, max_length=2,
                               help_text=_("国民经济行业门类代码，一个字母，如 C（制造业）；"
                                           "留空为全部行业。"))

    def clean_city(self) -> str:
        code = (self.cleaned_data.get("city") or "").strip()
        if code in ("", ALL):
            return ALL
        division = divisions.get(code)
        if division is None or division.level != "city":
            raise forms.ValidationError(
                _("未知的城市代码「%(code)s」：请填写六位城市级行政区划代码，"
                  "如 440100（广州市）。"),
                params={"code": code})
        return code

    def clean_industry(self) -> str:
        code = (self.cleaned_data.get("industry") or "").strip().upper()
        if code in ("", ALL):
            return ALL
        found = taxonomy.industry(code)
        if found is None or found.parent_code is not None:
            raise forms.ValidationError(
                _("未知的行业「%(code)s」：请填写国民经济行业门类代码，如 C（制造业）。"),
                params={"code": code})
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        today = timezone.localdate()
        end: date | None = data.get("end") if "end" not in self.errors else None
        start: date | None = data.get("start") if "start" not in self.errors else None
        if "start" in self.errors or "end" in self.errors:
            return data
        end = end or today
        start = start or end - timedelta(days=DEFAULT_RANGE_DAYS - 1)
        if start > end:
            raise forms.ValidationError(
                _("开始日期晚于结束日期：请把开始日期改到 %(end)s 或更早。"),
                params={"end": end.isoformat()}, code="reversed")
        if (end - start).days + 1 > MAX_RANGE_DAYS:
            raise forms.ValidationError(
                _("日期范围最长一年（%(days)s 天）：请缩短范围，或分几次查看和导出。"),
                params={"days": MAX_RANGE_DAYS}, code="too_long")
        data["start"], data["end"] = start, end
        return data


class ExportForm(FigureFilter):
    """An export names its reason (issue 18: an export without a reason is refused)."""

    FORMATS = (("csv", "CSV"), ("xlsx", _("Excel 表格")))

    chart = forms.CharField(widget=forms.HiddenInput)
    format = forms.ChoiceField(label=_("格式"), choices=FORMATS, initial="csv")
    reason = forms.CharField(label=_("导出事由"), max_length=200, min_length=4,
                             error_messages={
                                 "required": _("请填写导出事由（至少 4 个字），"
                                               "例如「月度运营分析」。"),
                                 "min_length": _("导出事由至少 4 个字，请写明用途。")})
