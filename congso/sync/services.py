"""Pushing dossiers and their processing steps to the national portal (DVCQG) through an outbox.

Off unless ``settings.CONGSO_DVCQG_URL`` is set. ``sync_dossier`` and ``sync_event`` are called by the dossier
services inside their transaction; the row and its payload are written there and a task sends it once the
transaction commits (nothing is sent if it rolls back).
"""

import logging
import traceback
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from congso.core.outbox import attempt_record
from congso.dossiers.models import Dossier, DossierEvent
from congso.sync import client, payloads
from congso.sync.constants import (
    MAX_ATTEMPTS,
    REQUEUE_AFTER,
    RETRY_DELAYS,
    SENDING_TIMEOUT,
    UNFINISHED_STATUSES,
    SyncKind,
    SyncStatus,
)
from congso.sync.models import SyncMessage

logger = logging.getLogger(__name__)

SKIPPED = "skipped"


def sync_enabled() -> bool:
    return bool(getattr(settings, "CONGSO_DVCQG_URL", ""))


def sync_dossier(dossier: Dossier, *, event: DossierEvent | None = None) -> SyncMessage | None:
    """Queue ``DongBoHoSoMC`` for the dossier as it stands: one row per dossier and status (and ``event``,
    which tells apart two visits of the same status, e.g. "processing" before and after a supplement),
    however often this is called. Returns None when the sync is off."""
    if not sync_enabled():
        return None
    key = f"dossier:{dossier.pk}:{dossier.status}" + (f":event:{event.pk}" if event is not None else "")
    return _queue(
        kind=SyncKind.DOSSIER,
        key=key,
        dossier=dossier,
        event=event,
        build=lambda: payloads.dossier_payload(dossier),
    )


def sync_event(event: DossierEvent) -> SyncMessage | None:
    """Queue ``CapNhatTienDoHoSoMC`` for one processing step, and, when the step changed the dossier's
    status, ``DongBoHoSoMC`` for the dossier's new state. Returns the step's row, or None when the sync is
    off."""
    if not sync_enabled():
        return None
    dossier = event.dossier
    if event.status_to and event.status_to != event.status_from:
        sync_dossier(dossier, event=event)
    return _queue(
        kind=SyncKind.PROGRESS,
        key=f"event:{event.pk}",
        dossier=dossier,
        event=event,
        build=lambda: payloads.progress_payload(event),
    )


def _queue(*, kind: str, key: str, dossier: Dossier, event: DossierEvent | None, build) -> SyncMessage:
    if existing := SyncMessage.objects.filter(idempotency_key=key).first():
        return existing
    # get_or_create's savepoint: a concurrent transaction that committed the same key first wins.
    message, created = SyncMessage.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "kind": kind,
            "dossier": dossier,
            "event": event,
            "payload": build(),
            "next_attempt_at": timezone.now() + REQUEUE_AFTER,
        },
    )
    if created:
        _enqueue_on_commit(message.pk)
        logger.info("national sync %s queued (%s)", message.pk, key)
    return message


def _enqueue_on_commit(message_id: int) -> None:
    from congso.sync.tasks import send_sync_message

    # robust: if the enqueue fails after the commit, the caller's work stands and the sweep queues it later.
    transaction.on_commit(partial(send_sync_message.enqueue, message_id=message_id), robust=True)


def _path(message: SyncMessage) -> str:
    return payloads.PATHS[message.payload["service"]]


def sync_message_send(*, message_id: int) -> str:
    """Make one attempt to push a pending row; the body of the ``send_sync_message`` task. Returns the status
    after the attempt, or "skipped" when the row is not pending or another worker holds it.

    Claims the row in a short transaction (``SELECT … FOR UPDATE SKIP LOCKED``, then "sending") and calls the
    portal outside any transaction. 2xx: sent. 5xx, 408, 429, timeouts, connection errors: retried after
    ``RETRY_DELAYS`` until ``MAX_ATTEMPTS``, then given up. Other 4xx: given up at once, the answer kept.
    """
    with transaction.atomic():
        message = (
            SyncMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=SyncStatus.PENDING)
            .first()
        )
        if message is None:
            logger.info("national sync %s skipped: not pending, or another worker has it", message_id)
            return SKIPPED
        message.status = SyncStatus.SENDING
        message.attempts += 1
        message.next_attempt_at = timezone.now() + SENDING_TIMEOUT
        message.save(update_fields=["status", "attempts", "next_attempt_at"])

    try:
        response = client.post(_path(message), message.payload, idempotency_key=message.idempotency_key)
    except client.PermanentError as exc:
        return _attempt_failed(message, exc, permanent=True, response=exc.response)
    except client.TemporaryError as exc:
        return _attempt_failed(message, exc, permanent=False, response=exc.response)
    except Exception as exc:
        # A bug, or an error the client did not classify: retried like a temporary error, traceback kept.
        logger.error(
            "national sync %s: unexpected error\n%s", message.pk, "".join(traceback.format_exception(exc))
        )
        return _attempt_failed(message, exc, permanent=False, response="")

    attempt_record(
        message,
        status=SyncStatus.SENT,
        sent_at=timezone.now(),
        next_attempt_at=None,
        last_error="",
        response=response.body,
    )
    logger.info("national sync %s sent (%s)", message.pk, message.idempotency_key)
    return message.status


def _attempt_failed(message: SyncMessage, exc: Exception, *, permanent: bool, response: str) -> str:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if permanent or message.attempts >= MAX_ATTEMPTS:
        attempt_record(
            message, status=SyncStatus.GIVEN_UP, next_attempt_at=None, last_error=error, response=response
        )
        logger.warning(
            "national sync %s given up after %d attempt(s): %s", message.pk, message.attempts, error
        )
    else:
        retry_at = timezone.now() + RETRY_DELAYS[message.attempts - 1]
        attempt_record(
            message, status=SyncStatus.FAILED, next_attempt_at=retry_at, last_error=error, response=response
        )
        logger.warning(
            "national sync %s failed (attempt %d), retry at %s: %s",
            message.pk,
            message.attempts,
            retry_at.isoformat(timespec="seconds"),
            error,
        )
    return message.status


@transaction.atomic
def sync_retry_due(*, now=None, limit: int = 1000) -> int:
    """The sweep: queue a new task for every unsent row that is due, at most ``limit`` per run, and return
    how many. Run it every minute (``manage.py sync_sweep``). Safe to run twice at once."""
    now = now or timezone.now()
    due = list(
        SyncMessage.objects.filter(status__in=UNFINISHED_STATUSES, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .select_for_update(skip_locked=True)
        .values_list("pk", "status")[:limit]
    )
    if not due:
        return 0
    interrupted = [pk for pk, status in due if status == SyncStatus.SENDING]
    if interrupted:
        SyncMessage.objects.filter(pk__in=interrupted).update(
            last_error="The worker stopped while sending: delivery unknown, sending again."
        )
    ids = [pk for pk, _status in due]
    SyncMessage.objects.filter(pk__in=ids).update(
        status=SyncStatus.PENDING, next_attempt_at=now + REQUEUE_AFTER
    )
    for pk in ids:
        _enqueue_on_commit(pk)
    logger.info("national sync sweep: %d row(s) queued again", len(ids))
    return len(ids)


@transaction.atomic
def sync_send_again(*, message: SyncMessage) -> bool:
    """Queue a row that is not sent for an immediate attempt (the admin's "send again now"); a given-up row
    gets one more attempt. Returns False when it is sent or being sent."""
    queued = SyncMessage.objects.filter(
        pk=message.pk, status__in=[SyncStatus.PENDING, SyncStatus.FAILED, SyncStatus.GIVEN_UP]
    ).update(status=SyncStatus.PENDING, next_attempt_at=timezone.now() + REQUEUE_AFTER)
    if queued:
        _enqueue_on_commit(message.pk)
    return bool(queued)
