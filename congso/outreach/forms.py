from django import forms
from django.utils.translation import gettext_lazy as _

from congso.outreach.constants import VisitOutcome
from congso.outreach.selectors import platforms_active


class VisitForm(forms.Form):
    """The visit as a plain HTML form (no JavaScript): outcome, the platforms now used, persons, note."""

    outcome = forms.ChoiceField(label=_("Outcome"), choices=VisitOutcome.choices, widget=forms.RadioSelect)
    platforms = forms.MultipleChoiceField(
        label=_("Platforms the household now uses"), required=False, widget=forms.CheckboxSelectMultiple
    )
    follow_up = forms.MultipleChoiceField(
        label=_("Needs more help with"), required=False, widget=forms.CheckboxSelectMultiple
    )
    persons = forms.IntegerField(label=_("Persons helped"), min_value=0, max_value=60, initial=1)
    members_present = forms.IntegerField(label=_("Members present"), min_value=0, max_value=60, initial=1)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(p.code, p.name) for p in platforms_active()]
        self.fields["platforms"].choices = choices
        self.fields["follow_up"].choices = choices

    def clean(self):
        data = super().clean()
        both = set(data.get("platforms") or []) & set(data.get("follow_up") or [])
        if both:
            raise forms.ValidationError(_("A platform cannot be both in use and waiting for help."))
        return data


class ImportForm(forms.Form):
    hamlet = forms.ChoiceField(label=_("Hamlet"))
    file = forms.FileField(label=_("File (CSV or Excel .xlsx)"))

    def __init__(self, *args, hamlets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hamlet"].choices = [(h.code, f"{h.full_name} — {h.parent.full_name}") for h in hamlets]
