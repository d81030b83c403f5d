from django import forms
from django.utils.translation import gettext_lazy as _

from pinqiao.recommendations.models import FeedbackKind, FilingStatus, TagKind


class FeedbackForm(forms.Form):
    posting_id = forms.IntegerField(min_value=1)
    kind = forms.ChoiceField(choices=FeedbackKind.choices)


class TagForm(forms.Form):
    kind = forms.ChoiceField(choices=TagKind.choices)
    value = forms.CharField(max_length=100)


class AlgorithmChangeForm(forms.Form):
    version = forms.CharField(label=_("新版本号"), max_length=20)
    summary = forms.CharField(label=_("变更说明"), max_length=2000, widget=forms.Textarea(
        attrs={"rows": 4}))
    filing_status = forms.ChoiceField(label=_("备案状态"), choices=FilingStatus.choices)
    filing_number = forms.CharField(label=_("备案编号"), max_length=60, required=False)
