"""A stand-in SMS gateway for ``make prod-check`` only: the env template cannot name the province's real
gateway, and without one ``check --deploy`` rightly warns (notifications.W001). Sends nothing, ever."""

from congso.notifications.channels import PermanentError, SmsProvider


class StandInSmsProvider(SmsProvider):
    def send_sms(self, *, phone: str, text: str, reference: str) -> str:
        raise PermanentError("prod-check stand-in: configure CONGSO_SMS_BACKEND with a real gateway")
