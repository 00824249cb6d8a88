"""Two-factor authentication for everyone who works for the state, and a shorter session for them.

A signed-in official (any role binding, or staff) must have a TOTP authenticator and must have passed it in
this session (allauth.mfa asks for it at sign-in); otherwise every page sends them to set it up or to pass
it. Switched by ``CONGSO_STAFF_MFA_REQUIRED`` (off in the test settings, where personas use force_login)."""

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

# Pages a signed-in official may open before passing two-factor authentication: sign-in and sign-out,
# two-factor set-up and challenge, password reset; static files and the language switch.
EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/favicon")


def _is_official(request) -> bool:
    cached = getattr(request, "_congso_is_official", None)
    if cached is None:
        cached = request._congso_is_official = request.user.is_official
    return cached


def mfa_passed(request) -> bool:
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


class StaffSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and _is_official(request):
            staff_age = getattr(settings, "CONGSO_STAFF_SESSION_AGE", None)
            if staff_age and request.session.get("_congso_staff_expiry") != staff_age:
                request.session.set_expiry(staff_age)
                request.session["_congso_staff_expiry"] = staff_age
            if getattr(settings, "CONGSO_STAFF_MFA_REQUIRED", True) and not request.path.startswith(
                EXEMPT_PREFIXES
            ):
                if request.path.startswith("/api/") and not (is_mfa_enabled(user) and mfa_passed(request)):
                    # A program (the team's phone app) gets an answer it can read, not a sign-in page.
                    message = _("Sign in again with two-factor authentication.")
                    return JsonResponse({"code": "mfa_required", "message": message}, status=401)
                if not is_mfa_enabled(user):
                    messages.warning(
                        request,
                        _(
                            "Officials must protect their account with two-factor authentication. "
                            "Set it up now."
                        ),
                    )
                    return redirect(reverse("mfa_activate_totp"))
                if not mfa_passed(request):
                    query = urlencode({"next": request.get_full_path()})
                    return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
        return self.get_response(request)
