from django import forms
from django.utils.translation import gettext_lazy as _


class PreferenceForm(forms.Form):
    email_enabled = forms.BooleanField(label=_("接收邮件"), required=False)
    sms_enabled = forms.BooleanField(label=_("接收短信"), required=False)
    push_enabled = forms.BooleanField(label=_("接收 App 推送"), required=False)
    quiet_start = forms.TimeField(label=_("免打扰开始"), required=False,
                                  widget=forms.TimeInput(attrs={"type": "time"}))
    quiet_end = forms.TimeField(label=_("免打扰结束"), required=False,
                                widget=forms.TimeInput(attrs={"type": "time"}))


class TemplateForm(forms.Form):
    subject = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(label=_("正文"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 8}),
                           help_text=_("可使用变量，如 {{ user.display_name }}、{{ code }}。"))
    is_active = forms.BooleanField(label=_("启用"), required=False)
