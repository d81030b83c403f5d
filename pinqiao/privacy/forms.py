from django import forms
from django.utils.translation import gettext_lazy as _

from pinqiao.privacy.models import FlagStatus


class FlagResolveForm(forms.Form):
    status = forms.ChoiceField(label=_("处理结论"), widget=forms.RadioSelect, choices=[
        (FlagStatus.BENIGN, FlagStatus.BENIGN.label),
        (FlagStatus.CONFIRMED, FlagStatus.CONFIRMED.label)])
    note = forms.CharField(label=_("处理说明"), max_length=2000, widget=forms.Textarea(
        attrs={"rows": 3}))
