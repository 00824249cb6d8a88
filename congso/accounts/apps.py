from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "congso.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from congso.accounts import signals  # noqa: F401
