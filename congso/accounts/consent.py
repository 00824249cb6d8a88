"""The consent texts citizens agree to. A changed text gets a new version: the version is recorded with each
consent, so what a person agreed to can always be shown."""

from django.utils.translation import gettext_lazy as _

SIGNUP_PURPOSE = "signup"
SIGNUP_VERSION = "2026-01"
SIGNUP_TEXT = _(
    "I agree that the People's Committee processes my personal data (name, e-mail address, phone number, "
    "citizen ID number, address and the dossiers I submit) to handle my administrative procedures, to "
    "notify me of their progress and to answer my feedback, as the Law on Personal Data Protection "
    "(91/2025/QH15) provides. I know I may see, download, correct or ask to delete my data, and withdraw "
    "this consent, from my account page."
)
