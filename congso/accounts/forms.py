from django import forms
from django.utils.translation import gettext_lazy as _

from congso.accounts import consent


class SignupForm(forms.Form):
    """Added to allauth's sign-up forms (e-mail and VNeID): the consent to personal-data processing."""

    field_order = ["email", "password1", "password2", "consent"]  # the consent last, above the button

    consent = forms.BooleanField(
        label=consent.SIGNUP_TEXT,
        required=True,
        error_messages={"required": _("You must agree to the processing of your personal data to sign up.")},
    )

    def signup(self, request, user):
        from congso.accounts.services import consent_record

        consent_record(
            user=user, purpose=consent.SIGNUP_PURPOSE, text_version=consent.SIGNUP_VERSION, request=request
        )
