from django import forms
from django.utils.translation import gettext_lazy as _

from congso.core.uploads import UploadValidator
from congso.indicators.constants import ImportStrategy
from congso.indicators.models import ReportingForm


class UploadForm(forms.Form):
    form = forms.ModelChoiceField(
        label=_("Reporting form"), queryset=ReportingForm.objects.filter(is_computed=False).order_by("code")
    )
    file = forms.FileField(
        label=_("Excel file (.xlsx) filled from the template"),
        validators=[UploadValidator(allowed=("xlsx",), max_bytes=20 * 1024 * 1024)],
    )
    strategy = forms.ChoiceField(
        label=_("Import strategy"), choices=ImportStrategy.choices, initial=ImportStrategy.CREATE_AND_UPDATE
    )
    dry_run = forms.BooleanField(label=_("Check only (dry run): change nothing"), required=False)


class ResolveForm(forms.Form):
    note = forms.CharField(label=_("Resolution note"), max_length=500, required=False)
