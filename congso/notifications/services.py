import contextlib
import logging
import re
import traceback
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from congso.core.exceptions import ApplicationError
from congso.core.outbox import attempt_record
from congso.notifications.channels import PermanentError, TemporaryError, channel_backend
from congso.notifications.constants import (
    MAX_ATTEMPTS,
    REQUEUE_AFTER,
    RETRY_DELAYS,
    SENDING_TIMEOUT,
    TEMPLATE_DIRS,
    MessageChannel,
    MessageStatus,
)
from congso.notifications.models import Message
from congso.notifications.selectors import messages_due
from congso.notifications.text import phone_normalize, redact, sms_text

logger = logging.getLogger(__name__)

_TEMPLATE_KEY = re.compile(r"^[a-z0-9_]+$")
SKIPPED = "skipped"


def recipient_clean(*, channel: str, recipient: str) -> str:
    """The recipient as stored: a lower-case e-mail address, or a phone number as ten digits starting with 0.
    Raises ApplicationError when it is empty or malformed."""
    recipient = (recipient or "").strip()
    if channel == MessageChannel.EMAIL:
        try:
            validate_email(recipient)
        except ValidationError:
            raise ApplicationError(_("Enter a valid email address."), code="invalid_recipient") from None
        return recipient.lower()
    phone = phone_normalize(recipient)
    if phone is None:
        raise ApplicationError(
            _("A phone number has 10 digits and starts with 0 (or +84)."), code="invalid_recipient"
        )
    return phone


@transaction.atomic
def notification_send(
    *,
    channel: str,
    recipient: str,
    subject: str = "",
    template: str,
    context: dict,
    dedup_key: str = "",
    subject_type: str = "",
    subject_id: int | None = None,
) -> Message:
    """Queue a notification: render the Vietnamese template now, write the message to the outbox in the
    caller's transaction and send it from a task once that transaction commits (nothing is sent if it rolls
    back).

    Templates are ``notifications/<channel>/<template>.txt`` (then ``notifications/<template>.txt``); for
    e-mail also an optional ``.html`` and, unless ``subject`` is given, ``<template>_subject.txt``. SMS text
    loses its diacritics. Idempotent on ``dedup_key``: a second call returns the first message and queues
    nothing. Raises ApplicationError for an unknown channel or an empty or malformed recipient.
    """
    if channel not in MessageChannel.values:
        raise ApplicationError(_("Unknown notification channel."), code="unknown_channel")
    if not _TEMPLATE_KEY.match(template):
        raise ValueError(f"invalid template key {template!r}")
    recipient = recipient_clean(channel=channel, recipient=recipient)
    if dedup_key and (existing := Message.objects.filter(dedup_key=dedup_key).first()):
        return existing

    subject, body, html_body = _render(channel=channel, template=template, context=context, subject=subject)
    fields = {
        "channel": channel,
        "recipient": recipient,
        "subject": subject[:255],
        "body": body,
        "html_body": html_body,
        "template": template,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "next_attempt_at": timezone.now() + REQUEUE_AFTER,
    }
    if dedup_key:
        # get_or_create's savepoint: a concurrent transaction that committed the same key first wins.
        message, created = Message.objects.get_or_create(dedup_key=dedup_key, defaults=fields)
        if not created:
            return message
    else:
        message = Message.objects.create(**fields)
    _enqueue_on_commit(message.pk)
    logger.info("message %s queued: %s to %s (%s)", message.pk, channel, message.masked_recipient, template)
    return message


def _render(*, channel: str, template: str, context: dict, subject: str) -> tuple[str, str, str]:
    def names(suffix: str) -> list[str]:
        return [f"notifications/{folder}{template}{suffix}" for folder in TEMPLATE_DIRS[channel]]

    html_body = ""
    with translation.override(settings.LANGUAGE_CODE), timezone.override(settings.TIME_ZONE):
        body = render_to_string(names(".txt"), context).strip()
        if channel == MessageChannel.EMAIL:
            if not subject:
                subject = render_to_string(names("_subject.txt"), context)
            with contextlib.suppress(TemplateDoesNotExist):
                html_body = render_to_string(names(".html"), context).strip()
    if channel == MessageChannel.SMS:
        body = sms_text(body)
    return " ".join(subject.split()), body, html_body


def _enqueue_on_commit(message_id: int) -> None:
    from congso.notifications.tasks import deliver_message

    # robust: if the enqueue fails after the commit, the caller's work stands and the sweep queues it later.
    transaction.on_commit(partial(deliver_message.enqueue, message_id=message_id), robust=True)


def message_deliver(*, message_id: int) -> str:
    """Make one attempt to send a pending message; the body of the ``deliver_message`` task. Returns the
    status after the attempt, or "skipped" when the message is not pending (already sent, waiting for its
    retry, given up) or another worker holds it.

    Claims the message in a short transaction of its own (``SELECT … FOR UPDATE SKIP LOCKED``, then status
    "sending"), so two workers never send it twice, and calls the channel outside any transaction. A
    temporary error schedules the next attempt (``RETRY_DELAYS``) until ``MAX_ATTEMPTS``, then gives up; a
    permanent error gives up at once. Call it from a worker, not inside a transaction.
    """
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=MessageStatus.PENDING)
            .first()
        )
        if message is None:
            logger.info("message %s skipped: not pending, or another worker has it", message_id)
            return SKIPPED
        message.status = MessageStatus.SENDING
        message.attempts += 1
        message.next_attempt_at = timezone.now() + SENDING_TIMEOUT
        message.save(update_fields=["status", "attempts", "next_attempt_at"])

    try:
        provider_message_id = channel_backend(message.channel).send(message)
    except PermanentError as exc:
        return _attempt_failed(message, exc, permanent=True)
    except TemporaryError as exc:
        return _attempt_failed(message, exc, permanent=False)
    except Exception as exc:
        # A bug in a backend or an error it did not classify: retried like a temporary error, traceback kept.
        logger.error(
            "message %s: unexpected error from the %s channel\n%s",
            message.pk,
            message.channel,
            redact("".join(traceback.format_exception(exc)), message.recipient),
        )
        return _attempt_failed(message, exc, permanent=False)

    attempt_record(
        message,
        status=MessageStatus.SENT,
        sent_at=timezone.now(),
        provider_message_id=str(provider_message_id)[:255],
        next_attempt_at=None,
        last_error="",
    )
    logger.info("message %s sent: %s to %s", message.pk, message.channel, message.masked_recipient)
    return message.status


def _attempt_failed(message: Message, exc: Exception, *, permanent: bool) -> str:
    error = redact(f"{type(exc).__name__}: {exc}", message.recipient)[:2000]
    if permanent or message.attempts >= MAX_ATTEMPTS:
        attempt_record(message, status=MessageStatus.GIVEN_UP, next_attempt_at=None, last_error=error)
        logger.warning(
            "message %s to %s given up after %d attempt(s): %s",
            message.pk,
            message.masked_recipient,
            message.attempts,
            error,
        )
    else:
        retry_at = timezone.now() + RETRY_DELAYS[message.attempts - 1]
        attempt_record(message, status=MessageStatus.FAILED, next_attempt_at=retry_at, last_error=error)
        logger.warning(
            "message %s to %s failed (attempt %d), retry at %s: %s",
            message.pk,
            message.masked_recipient,
            message.attempts,
            retry_at.isoformat(timespec="seconds"),
            error,
        )
    return message.status


@transaction.atomic
def messages_retry_due(*, now=None, limit: int = 1000) -> int:
    """The sweep: queue a new task for every unsent message that is due (``selectors.messages_due``), at
    most ``limit`` per run, and return how many. The Tasks API has no retries of its own; run this every
    minute (``manage.py notifications_sweep``). Safe to run twice at once: each sweep skips the rows the
    other holds."""
    now = now or timezone.now()
    due = list(messages_due(now=now).select_for_update(skip_locked=True).values_list("pk", "status")[:limit])
    if not due:
        return 0
    interrupted = [pk for pk, status in due if status == MessageStatus.SENDING]
    if interrupted:
        Message.objects.filter(pk__in=interrupted).update(
            last_error="The worker stopped while sending: delivery unknown, sending again."
        )
    ids = [pk for pk, _status in due]
    Message.objects.filter(pk__in=ids).update(
        status=MessageStatus.PENDING, next_attempt_at=now + REQUEUE_AFTER
    )
    for pk in ids:
        _enqueue_on_commit(pk)
    logger.info("notifications sweep: %d message(s) queued again", len(ids))
    return len(ids)


@transaction.atomic
def message_send_again(*, message: Message) -> bool:
    """Queue a message that is not sent for an immediate attempt (the admin's "send again now"). A given-up
    message gets one more attempt. Returns False when it is sent or being sent."""
    queued = Message.objects.filter(
        pk=message.pk, status__in=[MessageStatus.PENDING, MessageStatus.FAILED, MessageStatus.GIVEN_UP]
    ).update(status=MessageStatus.PENDING, next_attempt_at=timezone.now() + REQUEUE_AFTER)
    if queued:
        _enqueue_on_commit(message.pk)
    return bool(queued)
