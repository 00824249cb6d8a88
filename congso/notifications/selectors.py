from datetime import datetime

from django.db.models import QuerySet

from congso.notifications.constants import UNFINISHED_STATUSES
from congso.notifications.models import Message


def messages_due(*, now: datetime) -> QuerySet[Message]:
    """Unsent messages that need a new task: failed ones whose retry time has come, queued ones whose task
    was lost, and those a worker stopped sending midway. Oldest first."""
    return Message.objects.filter(status__in=UNFINISHED_STATUSES, next_attempt_at__lte=now).order_by(
        "next_attempt_at", "pk"
    )


def messages_about(*, subject_type: str, subject_id: int) -> QuerySet[Message]:
    """What was sent about one thing (e.g. a dossier), newest first."""
    return Message.objects.filter(subject_type=subject_type, subject_id=subject_id).order_by(
        "-created_at", "-pk"
    )
