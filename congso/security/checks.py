"""Deployment checks of congso's own (``manage.py check --deploy``): secrets come from the environment."""

import os

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def secrets_from_environment(app_configs, **kwargs):
    problems = []
    if not os.environ.get("CONGSO_SECRET_KEY"):
        problems.append(
            Error(
                "CONGSO_SECRET_KEY is not set: the key generated into var/ is for development only.",
                hint="Set CONGSO_SECRET_KEY in the service's environment (at least 50 random characters).",
                id="congso.E001",
            )
        )
    oidc_apps = settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", [])
    for app in oidc_apps:
        if not app.get("client_id") or not app.get("secret"):
            problems.append(
                Error(
                    "The national identity provider is configured without a client id or secret.",
                    hint="Set CONGSO_OIDC_CLIENT_ID and CONGSO_OIDC_SECRET, or unset CONGSO_OIDC_SERVER_URL.",
                    id="congso.E002",
                )
            )
        if not str(app.get("settings", {}).get("server_url", "")).startswith("https://"):
            problems.append(Warning("CONGSO_OIDC_SERVER_URL is not an https:// address.", id="congso.W001"))
    if not getattr(settings, "CONGSO_CACHE_URL", ""):
        problems.append(
            Warning(
                "CONGSO_CACHE_URL is not set: each web process counts rate limits on its own.",
                hint="Point CONGSO_CACHE_URL at a Redis shared by every web server (redis://host:6379/1).",
                id="congso.W003",
            )
        )
    if not getattr(settings, "CONGSO_STAFF_MFA_REQUIRED", True):
        problems.append(
            Warning(
                "CONGSO_STAFF_MFA_REQUIRED is off: officials can sign in without two-factor.",
                id="congso.W002",
            )
        )
    return problems
