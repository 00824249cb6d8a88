from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

from congso.core.outbox import UNFINISHED_STATUSES, OutboxStatus  # noqa: F401 - re-exported


class MessageChannel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("SMS")
    ZALO = "zalo", _("Zalo")  # declared; its backend gives up until Zalo ZNS is implemented


MessageStatus = OutboxStatus  # the life of a row, shared by every outbox (congso.core.outbox)


# Wait after failed attempt n (1-based) before attempt n + 1; after the last attempt the message is given up.
RETRY_DELAYS = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
    timedelta(hours=12),
]
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1

# A queued message not picked up within this time lost its task (a worker died, the enqueue failed after
# commit): the sweep enqueues it again. A duplicate task is harmless, it finds the message no longer pending.
REQUEUE_AFTER = timedelta(minutes=10)
# A message still "sending" after this long lost its worker midway; the sweep hands it to another worker.
# Longer than any sane provider timeout (set EMAIL_TIMEOUT), or a slow send could be sent twice.
SENDING_TIMEOUT = timedelta(minutes=15)

# Where each channel's templates are looked up, in order, under notifications/: the e-mail text is written
# with diacritics, the SMS text without (see text.sms_text); Zalo reuses the SMS text until it has its own.
TEMPLATE_DIRS = {
    MessageChannel.EMAIL: ["email/", ""],
    MessageChannel.SMS: ["sms/", ""],
    MessageChannel.ZALO: ["zalo/", "sms/", ""],
}

DEFAULT_SMS_BACKEND = "congso.notifications.channels.DevelopmentSmsProvider"
