import io
import logging
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from congso.notifications.constants import (
    MAX_ATTEMPTS,
    REQUEUE_AFTER,
    RETRY_DELAYS,
    SENDING_TIMEOUT,
    MessageChannel,
    MessageStatus,
)
from congso.notifications.models import Message
from congso.notifications.services import messages_retry_due, notification_send
from congso.notifications.tasks import deliver_message, retry_due_messages
from congso.notifications.tests.fakes import (
    CODE,
    EMAIL,
    MASKED_EMAIL,
    MASKED_PHONE,
    PHONE,
    RECEIVED,
    STATUS_CHANGED,
)

GATEWAYS = "congso.notifications.tests.fakes"
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SKIP LOCKED and concurrent workers need PostgreSQL"
)


def queue(
    channel=MessageChannel.SMS, recipient=PHONE, template="dossier_received", context=RECEIVED, **kwargs
):
    return notification_send(
        channel=channel, recipient=recipient, template=template, context=context, **kwargs
    )


def deliver(message: Message) -> str:
    outcome = deliver_message.call(message_id=message.pk)
    message.refresh_from_db()
    return outcome


@pytest.mark.django_db
def test_an_email_is_sent_with_its_html_alternative():
    message = queue(channel=MessageChannel.EMAIL, recipient=EMAIL, template="test_message", context={})
    assert deliver(message) == MessageStatus.SENT
    (email,) = mail.outbox
    assert email.to == [EMAIL]
    assert email.subject == "Thư thử nghiệm từ congso"
    assert "kênh thư điện tử đang hoạt động" in email.body
    ((html, mimetype),) = email.alternatives
    assert mimetype == "text/html"
    assert "<b>congso</b>" in html
    assert email.extra_headers["Auto-Submitted"] == "auto-generated"
    assert message.provider_message_id == email.extra_headers["Message-ID"]
    assert message.attempts == 1
    assert message.sent_at is not None
    assert message.next_attempt_at is None


@pytest.mark.django_db
def test_an_sms_is_written_by_the_development_provider(sent_sms):
    message = queue()
    assert deliver(message) == MessageStatus.SENT
    (sms,) = sent_sms()
    assert f"To: {PHONE}" in sms
    assert f"Reference: {message.pk}" in sms
    assert sms.endswith(f"\n\n{message.body}\n")
    assert message.provider_message_id.startswith("dev-")


def test_the_worker_sends_what_was_committed(committing_db, sent_sms):
    # Committed for real: the tasks are enqueued on commit and the worker runs them as in production.
    email = queue(
        channel=MessageChannel.EMAIL,
        recipient=EMAIL,
        template="dossier_status_changed",
        context=STATUS_CHANGED,
    )
    sms = queue(template="dossier_status_changed", context=STATUS_CHANGED)
    assert DBTaskResult.objects.filter(status="READY").count() == 2
    mail.outbox.clear()
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert set(DBTaskResult.objects.values_list("status", "return_value")) == {("SUCCESSFUL", "sent")}
    (sent_email,) = mail.outbox
    assert sent_email.to == [EMAIL]
    assert sent_email.subject == f"Hồ sơ {CODE}: Yêu cầu bổ sung hồ sơ"
    (sent,) = sent_sms()
    assert "Yeu cau bo sung ho so" in sent
    assert set(Message.objects.values_list("pk", "status")) == {
        (email.pk, MessageStatus.SENT),
        (sms.pk, MessageStatus.SENT),
    }


@pytest.mark.django_db
def test_a_temporary_error_retries_with_backoff_until_it_gives_up(
    settings, django_capture_on_commit_callbacks
):
    settings.CONGSO_SMS_BACKEND = f"{GATEWAYS}.UnreachableGateway"
    message = queue()
    for attempt, delay in enumerate(RETRY_DELAYS, start=1):
        before = timezone.now()
        assert deliver(message) == MessageStatus.FAILED
        assert message.attempts == attempt
        assert before + delay <= message.next_attempt_at <= timezone.now() + delay
        assert message.last_error == f"TemporaryError: timeout sending to +{MASKED_PHONE}"
        # Not due yet: the sweep leaves it; once due it is queued again, once.
        assert messages_retry_due(now=message.next_attempt_at - timedelta(seconds=1)) == 0
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            assert messages_retry_due(now=message.next_attempt_at) == 1
        assert len(callbacks) == 1
        message.refresh_from_db()
        assert message.status == MessageStatus.PENDING
        assert messages_retry_due(now=message.next_attempt_at - timedelta(seconds=1)) == 0
    assert deliver(message) == MessageStatus.GIVEN_UP
    assert message.attempts == MAX_ATTEMPTS
    assert message.next_attempt_at is None
    assert messages_retry_due(now=timezone.now() + timedelta(days=30)) == 0
    assert DBTaskResult.objects.filter(task_path__endswith="deliver_message").count() == len(RETRY_DELAYS)


@pytest.mark.django_db
def test_a_permanent_error_gives_up_at_once(settings):
    settings.CONGSO_SMS_BACKEND = f"{GATEWAYS}.RefusingGateway"
    message = queue()
    assert deliver(message) == MessageStatus.GIVEN_UP
    assert message.attempts == 1
    assert message.next_attempt_at is None
    assert message.last_error == f"PermanentError: {MASKED_PHONE} is not a mobile number"
    assert messages_retry_due(now=timezone.now() + timedelta(days=1)) == 0


@pytest.mark.django_db
def test_zalo_is_declared_but_gives_up_with_a_clear_reason():
    message = queue(channel=MessageChannel.ZALO)
    assert message.body.startswith(f"Ho so {CODE}")  # the SMS text, until Zalo has its own templates
    assert deliver(message) == MessageStatus.GIVEN_UP
    assert "Zalo channel is not implemented yet" in message.last_error


@pytest.mark.django_db
def test_an_unclassified_error_is_retried_and_logged_without_the_number(settings, caplog):
    settings.CONGSO_SMS_BACKEND = f"{GATEWAYS}.BrokenGateway"
    message = queue()
    with caplog.at_level(logging.DEBUG):
        assert deliver(message) == MessageStatus.FAILED
    assert "Traceback" in caplog.text
    assert f"KeyError: '{MASKED_PHONE}'" in caplog.text
    assert PHONE not in caplog.text
    assert PHONE not in message.last_error


@pytest.mark.django_db
def test_logs_show_masked_recipients_only(settings, caplog):
    with caplog.at_level(logging.DEBUG):
        email = queue(channel=MessageChannel.EMAIL, recipient=EMAIL)
        deliver(email)
        sms = queue()
        deliver(sms)
        settings.CONGSO_SMS_BACKEND = f"{GATEWAYS}.UnreachableGateway"
        deliver(queue())
        settings.CONGSO_SMS_BACKEND = f"{GATEWAYS}.RefusingGateway"
        deliver(queue())
    assert email.status == sms.status == MessageStatus.SENT
    assert MASKED_PHONE in caplog.text
    assert MASKED_EMAIL in caplog.text
    for raw in (PHONE, PHONE[1:], EMAIL):
        assert raw not in caplog.text


@pytest.mark.django_db
def test_a_sent_message_is_not_sent_again():
    message = queue(channel=MessageChannel.EMAIL, recipient=EMAIL)
    assert deliver(message) == MessageStatus.SENT
    assert deliver(message) == "skipped"
    assert len(mail.outbox) == 1
    assert message.attempts == 1


@pytest.mark.django_db
def test_a_message_another_worker_is_sending_is_skipped():
    message = queue(channel=MessageChannel.EMAIL, recipient=EMAIL)
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.SENDING, attempts=1)
    assert deliver(message) == "skipped"
    assert mail.outbox == []
    assert message.status == MessageStatus.SENDING


@postgres_only
def test_a_message_locked_by_another_worker_is_skipped(committing_db):
    message = queue(channel=MessageChannel.EMAIL, recipient=EMAIL)
    locked, release = threading.Event(), threading.Event()

    def other_worker():
        try:
            with transaction.atomic():
                Message.objects.select_for_update().get(pk=message.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert locked.wait(10)
        assert deliver(message) == "skipped"  # SKIP LOCKED: no waiting, no sending
        assert mail.outbox == []
        assert message.status == MessageStatus.PENDING
    finally:
        release.set()
        thread.join()
    assert deliver(message) == MessageStatus.SENT
    assert len(mail.outbox) == 1


@postgres_only
def test_two_workers_at_once_send_once(committing_db, sent_sms):
    message = queue()
    start = threading.Barrier(2)
    outcomes = []

    def worker():
        try:
            start.wait(10)
            outcomes.append(deliver_message.call(message_id=message.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["sent", "skipped"]
    assert len(sent_sms()) == 1
    assert Message.objects.get().attempts == 1


@pytest.mark.django_db
def test_the_sweep_queues_again_a_message_whose_task_was_lost(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue()
    DBTaskResult.objects.all().delete()  # the task is lost (a worker died with it)
    assert messages_retry_due(now=message.created_at + REQUEUE_AFTER / 2) == 0
    later = message.created_at + REQUEUE_AFTER
    with django_capture_on_commit_callbacks(execute=True):
        assert messages_retry_due(now=later) == 1
        assert messages_retry_due(now=later) == 0  # queued once, not at every sweep
    task = DBTaskResult.objects.get()
    assert task.args_kwargs["kwargs"] == {"message_id": message.pk}
    assert deliver(message) == MessageStatus.SENT


@pytest.mark.django_db
def test_the_sweep_hands_a_message_whose_worker_stopped_to_another(django_capture_on_commit_callbacks):
    message = queue()
    claimed_at = timezone.now()
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, attempts=1, next_attempt_at=claimed_at + SENDING_TIMEOUT
    )
    assert messages_retry_due(now=claimed_at + SENDING_TIMEOUT / 2) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert messages_retry_due(now=claimed_at + SENDING_TIMEOUT) == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert "stopped while sending" in message.last_error
    assert deliver(message) == MessageStatus.SENT
    assert message.attempts == 2
    assert message.last_error == ""


@pytest.mark.django_db
def test_the_sweep_task_and_command(settings, django_capture_on_commit_callbacks):
    settings.CONGSO_SMS_BACKEND = f"{GATEWAYS}.UnreachableGateway"
    message = queue()
    deliver(message)
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert retry_due_messages.call() == 1
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    out = io.StringIO()
    call_command("notifications_sweep", stdout=out)
    assert out.getvalue() == "notifications queued again: 1\n"
