"""What every outbox shares (notifications, national portal sync): the life of a row and the rule that only
the claim which made an attempt may record its outcome."""

import logging

from django.db import models
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class OutboxStatus(models.TextChoices):
    # pending → sending → sent | failed | given_up;  failed → pending when its retry is due (the sweep);
    # sending → pending when a worker stopped midway (the sweep);  failed | given_up → pending ("send again").
    PENDING = "pending", _("pending")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed, will retry")
    GIVEN_UP = "given_up", _("given up")


UNFINISHED_STATUSES = [OutboxStatus.PENDING, OutboxStatus.SENDING, OutboxStatus.FAILED]


def attempt_record(row: models.Model, **fields) -> bool:
    """Set ``fields`` on ``row`` and in the database, but only if the row is still held by this attempt
    (status "sending", same attempt count): after the sending timeout the sweep may have handed it to another
    worker, whose outcome must not be overwritten. Returns whether it was recorded."""
    for name, value in fields.items():
        setattr(row, name, value)
    recorded = (
        type(row)
        .objects.filter(pk=row.pk, status=OutboxStatus.SENDING, attempts=row.attempts)
        .update(**fields)
    )
    if not recorded:
        logger.warning(
            "%s %s: attempt %d finished after its claim expired", row._meta.label, row.pk, row.attempts
        )
    return bool(recorded)
