from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _


class SyncKind(models.TextChoices):
    DOSSIER = "dossier", _("dossier")  # DongBoHoSoMC
    PROGRESS = "progress", _("processing step")  # CapNhatTienDoHoSoMC


class SyncStatus(models.TextChoices):
    # pending → sending → sent | failed | given_up;  failed → pending when its retry is due (the sweep);
    # sending → pending when a worker stopped midway (the sweep);  failed | given_up → pending ("send again").
    PENDING = "pending", _("pending")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed, will retry")
    GIVEN_UP = "given_up", _("given up")


UNFINISHED_STATUSES = [SyncStatus.PENDING, SyncStatus.SENDING, SyncStatus.FAILED]

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
