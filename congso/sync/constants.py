from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _

from congso.core.outbox import UNFINISHED_STATUSES, OutboxStatus  # noqa: F401 - re-exported


class SyncKind(models.TextChoices):
    DOSSIER = "dossier", _("dossier")  # DongBoHoSoMC
    PROGRESS = "progress", _("processing step")  # CapNhatTienDoHoSoMC


SyncStatus = OutboxStatus  # the life of a row, shared by every outbox (congso.core.outbox)


# Wait after failed attempt n (1-based) before attempt n + 1; after the last attempt the row is given up.
# The national portal has maintenance windows of hours: the schedule covers about two days.
RETRY_DELAYS = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
    timedelta(hours=12),
    timedelta(hours=24),
]
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1

# A queued row not picked up within this time lost its task: the sweep enqueues it again.
REQUEUE_AFTER = timedelta(minutes=10)
# A row still "sending" after this long lost its worker midway (longer than the HTTP timeout).
SENDING_TIMEOUT = timedelta(minutes=15)

DEFAULT_TIMEOUT = 30  # seconds, for CONGSO_DVCQG_TIMEOUT
