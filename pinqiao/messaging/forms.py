from django import forms
from django.utils.translation import gettext_lazy as _

from pinqiao.messaging.models import MAX_TEXT_CHARS, ExchangeKind
from pinqiao.moderation.models import ReportReason


class MessageForm(forms.Form):
    text = forms.CharField(label=_("消息"), widget=forms.Textarea(attrs={"rows": 2}),
                           required=False, max_length=MAX_TEXT_CHARS * 10, strip=False)
    client_id = forms.CharField(required=False, widget=forms.HiddenInput, max_length=40)


class ImageForm(forms.Form):
    image = forms.FileField(label=_("图片"), required=False)


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("举报原因"), choices=ReportReason.choices)
    detail = forms.CharField(label=_("补充说明"), required=False, max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class ExchangeForm(forms.Form):
    kind = forms.ChoiceField(choices=ExchangeKind.choices)


class AppealForm(forms.Form):
    text = forms.CharField(label=_("申诉理由"), max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 3}))
