from django_tasks import task

from congso.sync.services import sync_message_send, sync_retry_due


@task()
def send_sync_message(*, message_id: int) -> str:
    """Push one outbox row to the national portal. Thin: the rules are in services.sync_message_send."""
    return sync_message_send(message_id=message_id)


@task()
def retry_due_sync_messages() -> int:
    """The sweep, for a scheduler that enqueues tasks; cron runs ``manage.py sync_sweep``."""
    return sync_retry_due()
