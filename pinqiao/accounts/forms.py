"""Page forms for accounts. They check shapes; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _


class PasswordLoginForm(forms.Form):
    identifier = forms.CharField(label=_("手机号或邮箱"), max_length=254,
                                 widget=forms.TextInput(attrs={"autocomplete": "username"}))
    password = forms.CharField(label=_("密码"), max_length=128,
                               widget=forms.PasswordInput(attrs={"autocomplete":
                                                                 "current-password"}))


class SmsLoginForm(forms.Form):
    phone = forms.CharField(label=_("手机号"), max_length=32,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    code = forms.CharField(label=_("短信验证码"), max_length=10,
                           widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                         "autocomplete": "one-time-code"}))


class SignupForm(forms.Form):
    phone = forms.CharField(label=_("手机号"), max_length=32,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    code = forms.CharField(label=_("短信验证码"), max_length=10,
                           widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                         "autocomplete": "one-time-code"}))
    display_name = forms.CharField(label=_("昵称（选填）"), max_length=50, required=False)
    password = forms.CharField(
        label=_("密码"), max_length=128, required=False,
        help_text=_("至少8位，需同时包含字母和数字。求职者可不设密码，用短信验证码登录。"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    accept_terms = forms.BooleanField(
        label=_("我已阅读并同意现行的用户协议、隐私政策和用户行为规范"), required=False)


class RecruiterSignupForm(SignupForm):
    email = forms.EmailField(label=_("工作邮箱（选填，可用于登录）"), required=False)
    password = forms.CharField(
        label=_("密码"), max_length=128, help_text=_("至少8位，需同时包含字母和数字。"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    accept_terms = forms.BooleanField(
        label=_("我已阅读并同意现行的用户协议、隐私政策、用户行为规范、招聘信息发布规则和信用承诺书"),
        required=False)


class RealNameForm(forms.Form):
    name = forms.CharField(label=_("真实姓名"), max_length=60)
    id_number = forms.CharField(label=_("身份证号码"), max_length=30)


class CloseAccountForm(forms.Form):
    confirmation = forms.CharField(label=_("请输入“确认注销”"), max_length=20)
    reason = forms.CharField(label=_("注销原因（选填）"), max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))


class OtpForm(forms.Form):
    otp_token = forms.CharField(label=_("动态验证码"), max_length=8,
                                widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                              "autocomplete": "one-time-code"}))


class LoginLogSearchForm(forms.Form):
    phone = forms.CharField(label=_("手机号"), max_length=32, required=False)
    username = forms.CharField(label=_("用户名"), max_length=32, required=False)
    ip = forms.GenericIPAddressField(label=_("IP 地址"), required=False)
    since = forms.DateField(label=_("开始日期"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("结束日期"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
