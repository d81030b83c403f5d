"""Résumé forms: thin parsers for the section pages; every rule lives in ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pinqiao.jobs.forms import division_choices, function_choices, industry_choices
from pinqiao.reference import divisions, taxonomy
from pinqiao.resumes.models import Gender, Template, Visibility

MONTH = {"type": "month", "placeholder": "2020-09"}
DATE = {"type": "date"}


def _blank(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", "—"), *choices]


class BasicForm(forms.Form):
    full_name = forms.CharField(label=_("姓名"), required=False,
                                widget=forms.TextInput(attrs={"autocomplete": "name"}))
    gender = forms.ChoiceField(label=_("性别"), required=False,
                               choices=[("", _("不填写")), *Gender.choices])
    birth_date = forms.CharField(label=_("出生日期"), required=False,
                                 widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                                 help_text=_("简历上只显示年龄。"))


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("照片"), required=True, widget=forms.ClearableFileInput(
        attrs={"accept": "image/png,image/jpeg"}),
        help_text=_("JPEG 或 PNG，不超过 5 MB。照片属于敏感个人信息，加密保存，"
                    "只在您的简历中显示。"))


class ContactForm(forms.Form):
    phone = forms.CharField(label=_("手机号"), required=False, widget=forms.TextInput(
        attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}))
    email = forms.CharField(label=_("电子邮箱"), required=False, widget=forms.TextInput(
        attrs={"type": "email", "autocomplete": "email"}))
    im = forms.CharField(label=_("即时通讯账号（微信/QQ）"), required=False)


class IntentionForm(forms.Form):
    desired_function = forms.ChoiceField(label=_("期望职能"), required=False,
                                         choices=function_choices)
    desired_industry = forms.ChoiceField(label=_("期望行业"), required=False,
                                         choices=industry_choices)
    province = forms.ChoiceField(label=_("期望省份"), required=False, choices=division_choices)
    desired_city = forms.ChoiceField(label=_("期望城市"), required=False, choices=[("", "—")])
    desired_employment_type = forms.ChoiceField(
        label=_("工作性质"), required=False,
        choices=_blank(taxonomy.as_choices(taxonomy.EMPLOYMENT_TYPES)))
    desired_pay_min = forms.CharField(label=_("期望月薪下限（元）"), required=False,
                                      widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    desired_pay_max = forms.CharField(label=_("期望月薪上限（元）"), required=False,
                                      widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                                      help_text=_("都不填表示面议。"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        code = (self.data.get("desired_city") if self.is_bound
                else self.initial.get("desired_city")) or ""
        province = divisions.province_of(code) if code and divisions.get(code) else None
        province_code = (self.data.get("province") if self.is_bound else "") or (
            province.code if province else "")
        if province_code:
            self.fields["desired_city"].choices = division_choices(province_code)
        if not self.is_bound:
            self.initial.setdefault("province", province_code)
        self.fields["province"].widget.attrs.update({
            "hx-get": "/jobs/divisions/", "hx-trigger": "change",
            "hx-target": "#id_desired_city", "hx-vals": '{"field": "province"}'})

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("province", None)
        return data


class AboutForm(forms.Form):
    self_introduction = forms.CharField(label=_("自我介绍"), required=False,
                                        widget=forms.Textarea(attrs={"rows": 6}),
                                        help_text=_("100–300 字为宜。请不要在这里填写联系方式。"))
    skills = forms.CharField(label=_("技能"), required=False,
                             help_text=_("用逗号分隔，如：Excel，叉车操作，普通话二级甲等"))
    interests = forms.CharField(label=_("兴趣爱好"), required=False)


class EducationForm(forms.Form):
    school = forms.CharField(label=_("学校"), required=False)
    major = forms.CharField(label=_("专业"), required=False)
    degree = forms.ChoiceField(label=_("学历"), required=False,
                               choices=_blank(taxonomy.as_choices(taxonomy.EDUCATION_LEVELS[1:])))
    start_date = forms.CharField(label=_("入学时间"), required=False,
                                 widget=forms.TextInput(attrs=MONTH))
    end_date = forms.CharField(label=_("毕业时间"), required=False,
                               widget=forms.TextInput(attrs=MONTH),
                               help_text=_("在读可填预计毕业时间。"))
    description = forms.CharField(label=_("在校经历与社会实践"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))


class WorkForm(forms.Form):
    company = forms.CharField(label=_("单位名称"), required=False)
    title = forms.CharField(label=_("职位"), required=False)
    start_date = forms.CharField(label=_("开始时间"), required=False,
                                 widget=forms.TextInput(attrs=MONTH))
    end_date = forms.CharField(label=_("结束时间"), required=False,
                               widget=forms.TextInput(attrs=MONTH),
                               help_text=_("仍在职请留空（显示为“至今”）。"))
    description = forms.CharField(label=_("工作内容"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    achievements = forms.CharField(label=_("工作成果"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}),
                                   help_text=_("尽量用数字说明，如“月均发货 3000 单”。"))


class CertificateForm(forms.Form):
    name = forms.CharField(label=_("证书名称"), required=False)
    issuer = forms.CharField(label=_("发证机构"), required=False)
    obtained_on = forms.CharField(label=_("取得时间"), required=False,
                                  widget=forms.TextInput(attrs=MONTH))


class HonourForm(forms.Form):
    title = forms.CharField(label=_("荣誉名称"), required=False)
    awarder = forms.CharField(label=_("颁发单位"), required=False)
    awarded_on = forms.CharField(label=_("获得时间"), required=False,
                                 widget=forms.TextInput(attrs=MONTH))
    summary = forms.CharField(label=_("说明"), required=False)


ENTRY_FORMS: dict[str, type[forms.Form]] = {
    "education": EducationForm, "work": WorkForm, "certificate": CertificateForm,
    "honour": HonourForm,
}


class TemplateForm(forms.Form):
    template = forms.ChoiceField(label=_("简历模板"), choices=Template.choices,
                                 widget=forms.RadioSelect)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("附件简历"), widget=forms.ClearableFileInput(
        attrs={"accept": ".pdf,.docx,application/pdf,"
               "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}),
        help_text=_("PDF 或 Word（.docx），不超过 10 MB。文件加密保存。"))


class VisibilityForm(forms.Form):
    visibility = forms.ChoiceField(label=_("谁可以看到我的简历"), choices=Visibility.choices,
                                   widget=forms.RadioSelect)
    suggestions = forms.BooleanField(label=_("接受简历优化建议（措辞、时间等提示，仅本人可见）"),
                                     required=False)
    hide_employer = forms.BooleanField(
        label=_("在招聘方看到的候选人卡片上隐藏我最近任职的单位名称"), required=False,
        help_text=_("完整简历中的工作经历不受影响；若不希望某单位看到您的简历，请使用下方的屏蔽单位。"))
