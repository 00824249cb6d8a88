from django import forms
from django.utils.translation import gettext_lazy as _

from congso.dossiers.models import ReceivingOffice
from congso.feedback.constants import (
    ANSWER_MAX_LENGTH,
    FEEDBACK_TEXT_MAX_LENGTH,
    RATING_COMMENT_MAX_LENGTH,
    FeedbackKind,
    RatingLevel,
)


class RatingForm(forms.Form):
    level = forms.ChoiceField(choices=RatingLevel.choices, widget=forms.RadioSelect, label=_("Your rating"))
    comment = forms.CharField(
        max_length=RATING_COMMENT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Comment (optional)"),
    )


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(
        choices=FeedbackKind.choices, initial=FeedbackKind.REPORT, widget=forms.RadioSelect, label=_("Kind")
    )
    text = forms.CharField(
        max_length=FEEDBACK_TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 5}), label=_("Content")
    )


class OfficeFeedbackForm(FeedbackForm):
    """Feedback not about a dossier: the citizen names the service centre."""

    office = forms.ModelChoiceField(queryset=ReceivingOffice.objects.none(), label=_("Service centre"))

    field_order = ["office", "kind", "text"]

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices


class AnswerForm(forms.Form):
    answer = forms.CharField(
        max_length=ANSWER_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 8}), label=_("Answer")
    )
    publish = forms.BooleanField(
        required=False,
        label=_("Publish the feedback and its answer (the author's name is masked)"),
    )
