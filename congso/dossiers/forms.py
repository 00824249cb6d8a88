import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from congso.dossiers.constants import ApplicantKind
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


_CITIZEN_ID = re.compile(r"^\d{12}$")
_TAX_CODE = re.compile(r"^\d{10}(-\d{3})?$")  # mã số thuế: 10 digits, or 10-3 for a branch


def check_applicant_id(kind: str, number: str) -> None:
    """A person is identified by a 12-digit citizen ID, an organisation by its tax code."""
    if not number:
        return
    if kind == ApplicantKind.ORGANISATION and not _TAX_CODE.match(number):
        raise ValidationError(
            _("An organisation's tax code has 10 digits (or 10 digits, a dash and 3 digits for a branch)."),
            code="tax_code",
        )
    if kind == ApplicantKind.PERSON and not _CITIZEN_ID.match(number):
        raise ValidationError(_("A citizen ID number has exactly 12 digits."), code="citizen_id")
