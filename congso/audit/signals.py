"""Sign-ins, sign-outs, failed sign-ins, password and two-factor changes go to the audit log."""

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

from congso.audit.chain import audit_record
from congso.core.masking import mask_email
from congso.core.ratelimit import client_ip


def _ip(request) -> str:
    return client_ip(request) if request is not None else ""


@receiver(auth_signals.user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender, request, user, **kwargs):
    audit_record(actor=user, action="auth.login", target=user, data={"ip": _ip(request)})


@receiver(auth_signals.user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action="auth.logout", target=user, data={"ip": _ip(request)})


@receiver(auth_signals.user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    login = str(credentials.get("email") or credentials.get("username") or "")
    audit_record(
        action="auth.login_failed", data={"login": mask_email(login) if login else "", "ip": _ip(request)}
    )


@receiver(account_signals.password_changed, dispatch_uid="audit_password_changed")
def _password_changed(sender, request, user, **kwargs):
    audit_record(actor=user, action="auth.password_changed", target=user, data={"ip": _ip(request)})


@receiver(account_signals.password_reset, dispatch_uid="audit_password_reset")
def _password_reset(sender, request, user, **kwargs):
    audit_record(actor=user, action="auth.password_reset", target=user, data={"ip": _ip(request)})


def _mfa(action):
    def handler(sender, request=None, user=None, authenticator=None, **kwargs):
        audit_record(
            actor=user,
            action=action,
            target=user,
            data={"type": getattr(authenticator, "type", ""), "ip": _ip(request)},
        )

    return handler


_mfa_added = _mfa("mfa.added")
_mfa_removed = _mfa("mfa.removed")
_mfa_reset = _mfa("mfa.reset")
_mfa_failed = _mfa("mfa.failed")
mfa_signals.authenticator_added.connect(_mfa_added, dispatch_uid="audit_mfa_added")
mfa_signals.authenticator_removed.connect(_mfa_removed, dispatch_uid="audit_mfa_removed")
mfa_signals.authenticator_reset.connect(_mfa_reset, dispatch_uid="audit_mfa_reset")
mfa_signals.authentication_failed.connect(_mfa_failed, dispatch_uid="audit_mfa_failed")
