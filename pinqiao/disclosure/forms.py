"""Staff forms for the operator's disclosure record and legal documents."""

from django import forms
from django.utils.translation import gettext_lazy as _

from pinqiao.disclosure.models import LegalKind, OperatorProfile
from pinqiao.disclosure.services import OPERATOR_FIELDS


class OperatorProfileForm(forms.ModelForm):
    regulator_url = forms.URLField(label=_("监管部门网址"), assume_scheme="https")

    class Meta:
        model = OperatorProfile
        fields = OPERATOR_FIELDS
        widgets = {"hr_licence_valid_until": forms.DateInput(attrs={"type": "date"}),
                   "violation_summary": forms.Textarea(attrs={"rows": 3})}


class LegalDocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=LegalKind.choices)
    version = forms.CharField(label=_("版本号"), max_length=20)
    title = forms.CharField(label=_("标题"), max_length=100)
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 14}))
    summary_of_changes = forms.CharField(label=_("修订说明"), required=False,
                                         widget=forms.Textarea(attrs={"rows": 3}))
