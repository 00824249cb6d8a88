from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiClient(models.Model):
    """A program that calls the API (the mobile app, the national portal). It acts as one account: dossiers it
    submits are ``submitted_by`` that account, and it sees only those."""

    name = models.CharField(_("name"), max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acting account"),
        on_delete=models.PROTECT,
        related_name="api_clients",
        help_text=_("The account the client acts as, e.g. a service account of the mobile app."),
    )
    is_active = models.BooleanField(
        _("may call the API"), default=True, help_text=_("Untick to refuse every token of this client.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ApiToken(models.Model):
    """A bearer token of a client. Only its SHA-256 is stored: the token is shown once, when issued
    (``congso.api.auth.api_token_issue``), and cannot be recovered."""

    client = models.ForeignKey(
        ApiClient, verbose_name=_("API client"), on_delete=models.CASCADE, related_name="tokens"
    )
    prefix = models.CharField(
        _("token prefix"), max_length=8, help_text=_("The first characters, to recognise the token.")
    )
    token_hash = models.CharField(_("SHA-256 of the token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}…"
