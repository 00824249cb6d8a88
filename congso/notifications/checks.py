from django.conf import settings
from django.core import checks
from django.utils.module_loading import import_string

from congso.notifications.constants import DEFAULT_SMS_BACKEND


def _sms_backend() -> str:
    return getattr(settings, "CONGSO_SMS_BACKEND", DEFAULT_SMS_BACKEND)


@checks.register()
def check_sms_backend(app_configs, **kwargs):
    try:
        import_string(_sms_backend())
    except ImportError as exc:
        return [
            checks.Error(
                f"CONGSO_SMS_BACKEND {_sms_backend()!r} cannot be imported: {exc}",
                hint="Give the dotted path of an SmsProvider subclass.",
                id="notifications.E001",
            )
        ]
    return []


@checks.register(deploy=True)
def check_sms_backend_sends(app_configs, **kwargs):
    if _sms_backend() == DEFAULT_SMS_BACKEND:
        return [
            checks.Warning(
                "SMS are written to files under VAR_DIR/sms, not sent.",
                hint="Set CONGSO_SMS_BACKEND to the SmsProvider of your SMS gateway.",
                id="notifications.W001",
            )
        ]
    return []
