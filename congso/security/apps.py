from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "congso.security"
    verbose_name = _("Security")

    def ready(self):
        from congso.security import checks  # noqa: F401
