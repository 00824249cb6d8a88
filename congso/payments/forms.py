from django import forms
from django.utils.translation import gettext_lazy as _

from congso.payments.constants import CollectWhen

MAX_STATEMENT_BYTES = 10 * 1024 * 1024


class StatementUploadForm(forms.Form):
    file = forms.FileField(label=_("Bank statement (CSV or Excel .xlsx)"))
    unit = forms.ModelChoiceField(queryset=None, label=_("Collecting unit"), empty_label=None)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_STATEMENT_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


class IssueForm(forms.Form):
    collect_when = forms.ChoiceField(
        choices=CollectWhen.choices, label=_("Collected"), initial=CollectWhen.AFTER
    )
    note = forms.CharField(
        required=False, max_length=500, label=_("Note"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ResolveForm(forms.Form):
    action = forms.ChoiceField(choices=[("accept", _("Accept as payment")), ("dismiss", _("Set aside"))])
    reference = forms.CharField(required=False, max_length=40, label=_("Payment reference"))
    note = forms.CharField(required=False, max_length=255, label=_("Note"))
