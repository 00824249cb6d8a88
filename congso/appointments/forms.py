from django import forms
from django.utils.translation import gettext_lazy as _

from congso.appointments.constants import NAME_MAX_LENGTH, PURPOSE_MAX_LENGTH, ResourceKind
from congso.appointments.models import Resource
from congso.dossiers.models import Dossier, ReceivingOffice


class BookingForm(forms.Form):
    name = forms.CharField(max_length=NAME_MAX_LENGTH, label=_("Full name"))
    phone = forms.CharField(
        max_length=20,
        label=_("Phone number"),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    purpose = forms.CharField(
        max_length=PURPOSE_MAX_LENGTH, label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3})
    )
    dossier = forms.ModelChoiceField(
        queryset=Dossier.objects.none(),
        required=False,
        label=_("About one of your dossiers (optional)"),
        empty_label=_("— none —"),
    )
    procedure_code = forms.CharField(
        max_length=20,
        required=False,
        label=_("Procedure code (optional)"),
        help_text=_("e.g. 1.001193, as shown in the procedure catalogue"),
    )

    def __init__(self, *args, dossiers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dossier"].queryset = dossiers
        self.fields["dossier"].label_from_instance = lambda d: f"{d.code} — {d.procedure.name[:80]}"


class ResourceForm(forms.ModelForm):
    class Meta:
        model = Resource
        fields = [
            "kind",
            "name",
            "unit",
            "office",
            "address",
            "slot_minutes",
            "capacity",
            "horizon_days",
            "is_active",
        ]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units.order_by("level", "name")
        self.fields["office"].queryset = ReceivingOffice.objects.filter(unit__in=units).order_by("name")
        self.fields["kind"].choices = ResourceKind.choices


class BlackoutForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(max_length=255, label=_("Reason"))


class CheckInForm(forms.Form):
    code = forms.CharField(
        max_length=20,
        label=_("Check-in code"),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autofocus": True, "autocapitalize": "characters"}
        ),
    )


def commune_choices(units) -> list[tuple[str, str]]:
    return [("", _("All communes"))] + [(u.code, u.full_name) for u in units]
