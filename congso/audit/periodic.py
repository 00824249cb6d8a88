"""Clock-driven work of the audit app: `manage.py periodic` calls tick() every minute.

Once a day (local time) the personal-data retention rules run (``congso.core.retention``). The marker of
the last run is the run's own entry in the hash-chained audit log (action ``retention.run``), so the
record of what was deleted and when cannot be edited afterwards either."""

from django.utils import timezone

from congso.audit.chain import audit_record
from congso.audit.models import AuditEvent

RETENTION_TARGET = ("job", "retention")


def retention_last_run():
    return (
        AuditEvent.objects.filter(target_type=RETENTION_TARGET[0], target_id=RETENTION_TARGET[1])
        .order_by("-seq")
        .values_list("at", flat=True)
        .first()
    )


def tick(*, now=None) -> str | None:
    from congso.core.retention import retention_apply

    now = now or timezone.now()
    last = retention_last_run()
    if last is not None and timezone.localdate(last) >= timezone.localdate(now):
        return None
    result = retention_apply(now=now)
    audit_record(action="retention.run", target=RETENTION_TARGET, data=result.__dict__)
    return f"retention: {result.summary()}"
