"""Account signals: activating an authenticator counts as passing it in this session; a sign-in through the
national identity provider (VNeID, OpenID Connect) sets the citizen's identity level from its assurance."""

from allauth.account.internal.flows.login import record_authentication
from allauth.account.signals import user_logged_in
from allauth.mfa.signals import authenticator_added
from django.dispatch import receiver

from congso.accounts.services import identity_level_from_oidc


@receiver(authenticator_added, dispatch_uid="accounts_mfa_added_counts")
def _authenticator_added(sender, request=None, user=None, authenticator=None, **kwargs):
    if request is not None and user is not None:
        # The user has just typed a valid code from the new authenticator: that is passing it.
        record_authentication(request, user, method="mfa", type=getattr(authenticator, "type", ""))


@receiver(user_logged_in, dispatch_uid="accounts_oidc_identity_level")
def _logged_in(sender, request, user, sociallogin=None, **kwargs):
    if sociallogin is not None and sociallogin.account.provider in {"openid_connect", "vneid"}:
        identity_level_from_oidc(user=user, data=sociallogin.account.extra_data)
