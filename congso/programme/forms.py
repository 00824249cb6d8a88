from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congso.core.uploads import UploadValidator
from congso.programme.constants import EVIDENCE_KINDS, EVIDENCE_MAX_BYTES, NOTE_MAX_LENGTH, TaskStatus


class TaskUpdateForm(forms.Form):
    date = forms.DateField(label=_("As of"), widget=forms.DateInput(attrs={"type": "date"}))
    percent = forms.IntegerField(label=_("Percent done"), min_value=0, max_value=100)
    status = forms.ChoiceField(label=_("Status"), choices=TaskStatus.choices)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence_url = forms.URLField(label=_("Evidence link (optional)"), required=False, assume_scheme="https")
    evidence_file = forms.FileField(
        label=_("Evidence file (optional)"),
        required=False,
        help_text=_("PDF, image, Word or Excel, at most 20 MB"),
        validators=[UploadValidator(allowed=EVIDENCE_KINDS, max_bytes=EVIDENCE_MAX_BYTES)],
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("date", timezone.localdate())
        super().__init__(*args, **kwargs)


MAX_VND = 10**15  # a million billion đồng: far above any project, far below the column's limit


class ProjectYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    allocated = forms.IntegerField(label=_("Allocated (VND)"), min_value=0, max_value=MAX_VND)
    committed = forms.IntegerField(label=_("Committed (VND)"), min_value=0, max_value=MAX_VND)
    disbursed = forms.IntegerField(label=_("Disbursed (VND)"), min_value=0, max_value=MAX_VND)
