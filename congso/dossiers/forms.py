from django import forms
from django.utils.translation import gettext_lazy as _

from congso.dossiers.models import ReceivingOffice


class OfficeForm(forms.Form):
    """Where the dossier is submitted: any service centre of the province."""

    office = forms.ModelChoiceField(
        queryset=ReceivingOffice.objects.none(),
        label=_("Service centre that will receive the dossier"),
        empty_label=_("— choose —"),
        error_messages={"invalid_choice": _("Choose a service centre from the list.")},
    )

    def __init__(self, *args, offices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices


class LookupForm(forms.Form):
    ma = forms.CharField(label=_("Dossier code"), max_length=64)
    khoa = forms.CharField(label=_("Lookup key (on the receipt)"), max_length=12)
