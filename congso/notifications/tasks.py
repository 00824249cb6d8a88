from django_tasks import task

from congso.notifications.services import message_deliver, messages_retry_due


@task()
def deliver_message(*, message_id: int) -> str:
    """Send one outbox message. Thin: the work and its rules are in services.message_deliver."""
    return message_deliver(message_id=message_id)


@task()
def retry_due_messages() -> int:
    """The sweep, for a scheduler that enqueues tasks; cron runs ``manage.py notifications_sweep``."""
    return messages_retry_due()
